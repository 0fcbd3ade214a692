import type { Page } from 'playwright-core';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData } from '../support/factories';
import { adoptedThreat, createPlan, planDo } from '../support/plan-factories';
import type { TestApp } from '../support/test-app';
import { signIn } from './sign-in';

const SAVED = `query ($id: ID!) { node(id: $id) { ... on FourPPlan { version lro { displayName } strandExemptions { strand reason } } } }`;
const saved = async (app: TestApp, id: string) => expectData(await app.gql('tvp.investigator', SAVED, { id })).node;

/** A TVP plan over an adopted threat, with no objective (every strand is missing) and the given LRO. */
async function openPlan(app: TestApp, name: string, overrides: Record<string, unknown> = {}) {
  const threat = await adoptedThreat(app, 'tvp.investigator', { name });
  const plan = await createPlan(app, 'tvp.investigator', threat.id, overrides);
  const message = (code: string, strand: string | null = null) => plan.quality.problems.find((p: any) => p.code === code && p.strand === strand).message as string;
  return { plan, message };
}

function strand(page: Page, name: string) {
  return page.locator('section.strand', { has: page.getByRole('heading', { name, exact: true }) });
}

/** The plan editor's LRO and strand exemptions: previewed by the gate while edited, saved with updatePlan. */
describeInBrowser('web client: a plan’s strand exemptions and LRO', () => {
  const session = useBrowserSession();
  const gateItem = (page: Page, message: string) => page.getByRole('list', { name: 'Quality gate problems' }).getByRole('listitem').filter({ hasText: message });
  const inGate = (page: Page, message: string, state: 'resolving' | 'new' | 'open') =>
    page.locator(state === 'open' ? '.problems li:not([class])' : `.problems li.${state}`, { hasText: message }).waitFor();

  it('a blank reason gets the server’s message beside it; a reason clears the strand’s problems in the gate before saving; saving keeps it; removing brings them back', async () => {
    const app = session.app;
    const { plan, message } = await openPlan(app, 'Operation Teal');
    const protectMissing = message('MISSING_STRAND', 'PROTECT');
    const protectPartner = message('PARTNER_NOT_NAMED', 'PROTECT');
    const preventMissing = message('MISSING_STRAND', 'PREVENT');

    const { page } = session.watched;
    await signIn(page, 'tvp.investigator');
    await page.goto(`/plans/${plan.id}`);
    await gateItem(page, protectMissing).waitFor();
    const protect = strand(page, 'Protect');
    await protect.getByText('Exempt Protect: it does not apply').click();
    const reason = protect.getByRole('textbox', { name: 'Why Protect does not apply' });

    // A blank reason is no draft (the gate is unchanged) and saving it gets the server's message next to the field.
    await protect.getByRole('button', { name: 'Record exemption' }).click();
    const field = protect.locator('.field', { has: page.getByRole('textbox', { name: 'Why Protect does not apply' }) });
    await field.locator('.field-error', { hasText: 'is required' }).waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await reason.getAttribute('aria-describedby'))!.split(' ');
    expect(describedBy).toContain(await field.locator('.field-error').getAttribute('id'));
    expect(await gateItem(page, protectMissing).getAttribute('class')).toBeNull();
    expect((await saved(app, plan.id)).version).toBe(plan.version);

    // Typed with a reason: the strand's problems (its objective and, for Protect, its partner) are resolved in the preview.
    await reason.fill('No one in the group is vulnerable: the victims are businesses, covered by Pursue.');
    await inGate(page, protectMissing, 'resolving');
    await inGate(page, protectPartner, 'resolving');
    await protect.locator('.gate-note[data-state="resolving"]').first().waitFor();
    expect(await gateItem(page, preventMissing).getAttribute('class')).toBeNull();
    expect((await saved(app, plan.id)).strandExemptions).toEqual([]);
    await screenshot(page, 'plan-exemption-typing');

    // Saved: shown in the strand, gone from the gate, and still there after a reload.
    await protect.getByRole('button', { name: 'Record exemption' }).click();
    await protect.getByText('Does not apply: No one in the group is vulnerable').waitFor();
    await gateItem(page, protectMissing).waitFor({ state: 'detached' });
    expect(await gateItem(page, protectPartner).count()).toBe(0);
    const after = await saved(app, plan.id);
    expect(after.strandExemptions).toEqual([{ strand: 'PROTECT', reason: 'No one in the group is vulnerable: the victims are businesses, covered by Pursue.' }]);
    expect(after.version).toBe(plan.version + 1);
    await page.reload();
    await protect.getByText('Does not apply: No one in the group is vulnerable').waitFor();
    await gateItem(page, preventMissing).waitFor();
    expect(await gateItem(page, protectMissing).count()).toBe(0);

    // Removing it: while the form is open the gate shows the problems it brings back; saving removes it.
    await protect.getByText('Remove the Protect exemption').click();
    await inGate(page, protectMissing, 'new');
    await inGate(page, protectPartner, 'new');
    expect((await saved(app, plan.id)).strandExemptions).toHaveLength(1);
    await protect.getByRole('button', { name: 'Remove exemption' }).click();
    await inGate(page, protectMissing, 'open');
    expect(await protect.getByText(/^Does not apply:/).count()).toBe(0);
    expect((await saved(app, plan.id)).strandExemptions).toEqual([]);
  });

  it('an exemption saved against the version the user opened meets another’s change as a conflict shown both ways; keep mine keeps both exemptions', async () => {
    const app = session.app;
    const { plan } = await openPlan(app, 'Operation Shrike');
    const { page } = session.watched;
    await signIn(page, 'tvp.investigator');
    await page.goto(`/plans/${plan.id}`);
    const prepare = strand(page, 'Prepare');
    await prepare.getByText('Exempt Prepare: it does not apply').click();
    await prepare.getByRole('textbox', { name: 'Why Prepare does not apply' }).fill('No civil-contingency risk from a fraud group.');

    // Meanwhile a colleague records that Prevent does not apply; the page follows it live.
    await planDo(app, 'tvp.investigator', 'updatePlan', { id: plan.id, expectedVersion: plan.version, strandExemptions: [{ strand: 'PREVENT', reason: 'Adult offenders only.' }] });
    await strand(page, 'Prevent').getByText('Does not apply: Adult offenders only.').waitFor();

    await prepare.getByRole('button', { name: 'Record exemption' }).click();
    const conflict = prepare.getByTestId('conflict');
    await conflict.waitFor();
    const row = (name: string) => conflict.getByRole('row', { name: new RegExp(`^${name}`) });
    expect(await row('Prepare does not apply').getByTestId('mine').textContent()).toBe('No civil-contingency risk from a fraud group.');
    expect(await row('Strands that do not apply').getByTestId('mine').textContent()).toBe('Prepare: No civil-contingency risk from a fraud group.');
    expect(await row('Strands that do not apply').getByTestId('theirs').textContent()).toBe('Prevent: Adult offenders only.');
    expect(await row('Plan version').getByTestId('mine').textContent()).toBe(String(plan.version));
    expect(await row('Plan version').getByTestId('theirs').textContent()).toBe(String(plan.version + 1));
    expect((await saved(app, plan.id)).strandExemptions).toEqual([{ strand: 'PREVENT', reason: 'Adult offenders only.' }]);
    await screenshot(page, 'plan-exemption-conflict');

    await conflict.getByRole('button', { name: 'Keep mine (save again on the new version)' }).click();
    await prepare.getByText('Does not apply: No civil-contingency risk').waitFor();
    expect((await saved(app, plan.id)).strandExemptions).toEqual([
      { strand: 'PREVENT', reason: 'Adult offenders only.' },
      { strand: 'PREPARE', reason: 'No civil-contingency risk from a fraud group.' },
    ]);
  });

  it('choosing an LRO resolves NO_LRO in the gate before saving, and saves', async () => {
    const app = session.app;
    const { plan, message } = await openPlan(app, 'Operation Plover', { lroId: null });
    const noLro = message('NO_LRO');
    const { page } = session.watched;
    await signIn(page, 'tvp.investigator');
    await page.goto(`/plans/${plan.id}`);
    await gateItem(page, noLro).waitFor();

    // The form opened and saved from the keyboard.
    await page.getByText('Change the LRO').focus();
    await page.keyboard.press('Enter');
    const select = page.getByRole('combobox', { name: 'Lead responsible officer' });
    await select.locator('option', { hasText: 'DI Marcus Ellery' }).waitFor({ state: 'attached' });
    await select.focus();
    await select.selectOption({ label: 'DI Marcus Ellery' });
    await inGate(page, noLro, 'resolving');
    expect((await saved(app, plan.id)).lro).toBeNull();

    await page.getByRole('button', { name: 'Save LRO' }).focus();
    await page.keyboard.press('Enter');
    await gateItem(page, noLro).waitFor({ state: 'detached' });
    await page.getByText('LRO DI Marcus Ellery').waitFor();
    expect(await saved(app, plan.id)).toMatchObject({ version: plan.version + 1, lro: { displayName: 'DI Marcus Ellery' } });
    await page.reload();
    await page.getByText('LRO DI Marcus Ellery').waitFor();
  });

  it('an LRO change meeting another’s save shows both versions; take theirs drops it', async () => {
    const app = session.app;
    const { plan } = await openPlan(app, 'Operation Dunlin');
    const { page } = session.watched;
    await signIn(page, 'tvp.investigator');
    await page.goto(`/plans/${plan.id}`);
    await page.getByText('Change the LRO').click();
    await page.getByRole('combobox', { name: 'Lead responsible officer' }).selectOption({ label: 'None named' });
    await planDo(app, 'tvp.investigator', 'updatePlan', { id: plan.id, expectedVersion: plan.version, reviewFrequencyDays: 30 });
    await page.getByText(`version ${plan.version + 1}`).waitFor();

    await page.getByRole('button', { name: 'Save LRO' }).click();
    const conflict = page.getByTestId('conflict');
    const row = (name: string) => conflict.getByRole('row', { name: new RegExp(`^${name}`) });
    expect(await row('Lead responsible officer').getByTestId('mine').textContent()).toBe('none named');
    expect(await row('Lead responsible officer').getByTestId('theirs').textContent()).toBe('DI Marcus Ellery');
    expect(await row('Plan version').getByTestId('theirs').textContent()).toBe(String(plan.version + 1));

    await conflict.getByRole('button', { name: 'Take theirs' }).click();
    await conflict.waitFor({ state: 'detached' });
    expect(await page.getByRole('combobox', { name: 'Lead responsible officer' }).isVisible()).toBe(false);
    expect(await saved(app, plan.id)).toMatchObject({ version: plan.version + 1, lro: { displayName: 'DI Marcus Ellery' } });
  });
});
