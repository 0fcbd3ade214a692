import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { assessedThreat, submittedDisruption, validateDisruption } from '../support/disruption-factories';
import { expectData, orgId } from '../support/factories';
import { signIn } from './sign-in';

/** Every serious or critical axe violation on the page as it is now, one line per node. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

const daysFromNow = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

/** The remaining admin and correction journeys: correcting a validated disruption, editing an agreement, the role policy. */
describeInBrowser('web client: admin and correction journeys', () => {
  const session = useBrowserSession();

  it('lets the claiming organisation correct a validated disruption: it stops counting and a new draft opens', async () => {
    const threat = await assessedThreat(session.app, { name: 'Operation Hazel' });
    const claim = await submittedDisruption(session.app, 'tvp.investigator', threat.id);
    const validated = await validateDisruption(session.app, 'serocu.validator', claim);
    expect(validated).toMatchObject({ status: 'VALIDATED', countsAsDisruption: true });

    const { page } = session.watched;
    await signIn(page, 'tvp.investigator');
    await page.goto(`/disruptions/${encodeURIComponent(validated.id)}`);
    await page.getByRole('heading', { level: 1, name: /Disruption of/ }).waitFor();
    await page.getByTestId('marking').getByText('Official sensitive').waitFor();
    await page.getByRole('button', { name: 'Correct this disruption' }).click();
    await page.getByText(/This validated record then stops\s+counting at once/).waitFor();
    await expectAccessible(page, 'correct-disruption');

    // Without a reason: the server's message next to the field, nothing changed.
    await page.getByRole('button', { name: 'Make a corrected draft' }).click();
    await page.locator('#correct-disruption .field-error').waitFor();
    const unchanged = expectData(await session.app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on Disruption { status version } } }`, { id: validated.id }));
    expect(unchanged.node).toEqual({ status: 'VALIDATED', version: validated.version });

    await page.getByLabel('What was wrong with it').fill('The evidence reference was mistyped.');
    await page.getByRole('button', { name: 'Make a corrected draft' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(encodeURIComponent(validated.id)) && /\/disruptions\/[^/]+$/.test(url.pathname));
    await page.getByRole('heading', { level: 1, name: /Draft/ }).waitFor();
    await page.getByRole('link', { name: 'Edit the draft' }).waitFor();
    await page.getByRole('link', { name: /the validated record of/ }).waitFor();
    const draftId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);

    const after = expectData(
      await session.app.gql('tvp.investigator', `query ($old: ID!, $new: ID!) {
        old: node(id: $old) { ... on Disruption { status countsAsDisruption statusReason supersededBy { id } } }
        draft: node(id: $new) { ... on Disruption { status countsAsDisruption supersedes { id } } }
      }`, { old: validated.id, new: draftId }),
    );
    expect(after.old).toEqual({ status: 'SUPERSEDED', countsAsDisruption: false, statusReason: 'The evidence reference was mistyped.', supersededBy: { id: draftId } });
    expect(after.draft).toEqual({ status: 'DRAFT', countsAsDisruption: false, supersedes: { id: validated.id } });
    await expectAccessible(page, 'corrected-draft');
    await screenshot(page, 'disruption-corrected-draft');

    // The superseded record says so and offers no second correction.
    await page.goto(`/disruptions/${encodeURIComponent(validated.id)}`);
    await page.getByRole('link', { name: 'a newer record' }).waitFor();
    expect(await page.getByRole('button', { name: 'Correct this disruption' }).count()).toBe(0);
  });

  it('lets an administrator change a draft agreement’s details and extend an active one', async () => {
    const created = expectData(
      await session.app.gql('serocu.admin', `mutation ($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { id title version } }`, {
        input: {
          title: 'Oxfordshire exploitation panel',
          partyIds: [await orgId(session.app, 'TVP'), await orgId(session.app, 'OXON_CS')],
          legalGateways: ['CHILDREN_ACT_2004_S11'],
          dataCategories: ['REFERRAL'],
          maxProtectiveMarking: 'OFFICIAL',
          effectiveFrom: daysFromNow(1),
          expiresOn: daysFromNow(365),
          purposes: ['safeguarding'],
        },
      }),
    ).createSharingAgreement;

    const { page } = session.watched;
    await signIn(page, 'serocu.admin', 'Audit');
    await page.getByRole('link', { name: 'Manage sharing agreements' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sharing agreements' }).waitFor();
    await page.getByRole('button', { name: `Manage ${created.title}` }).click();
    await page.getByRole('heading', { name: 'Change the details' }).waitFor();
    const form = page.getByRole('form', { name: 'Change the details' });
    await form.getByLabel('Title').fill('Oxfordshire child exploitation panel');
    await form.getByLabel('Plan', { exact: true }).check();
    await form.getByLabel('Purposes').fill('safeguarding, tasking');
    await expectAccessible(page, 'edit-agreement-draft');

    // Meanwhile another administrator moves its start: saving meets the newer version and shows both.
    const theirStart = daysFromNow(10);
    expectData(
      await session.app.gql('serocu.admin', `mutation ($input: UpdateSharingAgreementInput!) { updateSharingAgreement(input: $input) { version } }`, {
        input: { id: created.id, expectedVersion: created.version, effectiveFrom: theirStart },
      }),
    );
    await form.getByRole('button', { name: 'Save changes' }).click();
    const conflict = form.getByTestId('conflict');
    await conflict.getByRole('row', { name: /Title/ }).getByText('Oxfordshire child exploitation panel').waitFor();
    await expectAccessible(page, 'edit-agreement-conflict');
    await conflict.getByRole('button', { name: /Keep mine/ }).click();
    await form.getByRole('status').getByText('Saved').waitFor();

    const saved = expectData(
      await session.app.gql('serocu.admin', `query ($id: ID!) { node(id: $id) { ... on InformationSharingAgreement { title dataCategories purposes effectiveFrom status version } } }`, { id: created.id }),
    ).node;
    // Their start stays: only what this administrator changed was saved again.
    expect(saved).toEqual({
      title: 'Oxfordshire child exploitation panel',
      dataCategories: expect.arrayContaining(['REFERRAL', 'PLAN']),
      purposes: ['safeguarding', 'tasking'],
      effectiveFrom: theirStart,
      status: 'DRAFT',
      version: created.version + 2,
    });
    await page.getByRole('rowheader', { name: 'Oxfordshire child exploitation panel' }).waitFor();

    // Once active, only its end can be moved later.
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('status').getByText('Done: the agreement is now active.').waitFor();
    await form.getByText(/only its end can be moved later/).waitFor();
    expect(await form.getByLabel('Title').count()).toBe(0);
    // An earlier end is refused, in words next to the field; nothing saved.
    await form.getByLabel('Expires on').fill(daysFromNow(300));
    await form.getByRole('button', { name: 'Save changes' }).click();
    const refusal = form.locator('.field-invalid', { has: page.getByLabel('Expires on') }).locator('.field-error');
    await refusal.getByText(/can only be extended beyond .* while the agreement is active/).waitFor();
    expect(await refusal.textContent()).not.toMatch(/ACTIVE|expiresOn/);
    const later = daysFromNow(400);
    await form.getByLabel('Expires on').fill(later);
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByRole('status').getByText('Saved').waitFor();
    const extended = expectData(
      await session.app.gql('serocu.admin', `query ($id: ID!) { node(id: $id) { ... on InformationSharingAgreement { status expiresOn version } } }`, { id: created.id }),
    ).node;
    expect(extended).toEqual({ status: 'ACTIVE', expiresOn: later, version: created.version + 4 });
    await expectAccessible(page, 'edit-agreement-active');
    await screenshot(page, 'agreement-edit');
  });

  it('lets an administrator change who may read what, with a confirmation; the change takes effect at once and is restored', async () => {
    const threatsReadBy = async (username: string) => {
      const result = await session.app.gql(username, `{ threats(first: 1) { totalCount } }`);
      return result.errors?.length ? 0 : result.data.threats.totalCount;
    };
    const grants = async () => expectData(await session.app.gql('serocu.admin', `{ accessRoleGrants { dataCategory roles } }`)).accessRoleGrants as { dataCategory: string; roles: string[] }[];
    const threatRoles = async () => (await grants()).find((g) => g.dataCategory === 'THREAT')!.roles;
    const before = await threatRoles();
    expect(before).toContain('DISRUPTION_VALIDATOR');
    const validatorSees = await threatsReadBy('serocu.validator');
    expect(validatorSees).toBeGreaterThan(0);

    const { page } = session.watched;
    await signIn(page, 'serocu.admin', 'Audit');
    await page.getByRole('link', { name: 'Who may read what' }).click();
    await page.getByRole('heading', { level: 1, name: 'Who may read what' }).waitFor();
    const box = page.getByRole('checkbox', { name: 'Disruption validators may read threats' });
    await box.waitFor();
    expect(await box.isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Administrators may read threats' }).isChecked()).toBe(false);
    await expectAccessible(page, 'role-policy');

    // Keyboard: the box is reached and changed with the space bar.
    await box.focus();
    await page.keyboard.press('Space');
    expect(await box.isChecked()).toBe(false);
    await page.getByRole('button', { name: 'Review changes' }).click();
    const confirmation = page.getByTestId('confirm-policy');
    await confirmation.getByText('Disruption validators will no longer be able to read them').waitFor();
    await confirmation.getByText('Threats').waitFor();
    await expectAccessible(page, 'role-policy-confirm');
    await screenshot(page, 'role-policy-confirm');
    // Nothing is saved until confirmed.
    expect(await threatRoles()).toEqual(before);

    // Meanwhile another administrator lets administrators read threats: nothing is saved over that unseen.
    expectData(
      await session.app.gql('serocu.admin', `mutation ($input: SetAccessRoleGrantsInput!) { setAccessRoleGrants(input: $input) { roles } }`, {
        input: { dataCategory: 'THREAT', roles: [...before, 'ADMIN'] },
      }),
    );
    await confirmation.getByRole('button', { name: 'Save these changes' }).click();
    await page.getByRole('alert').getByText(/Someone else changed who may read threats since you opened this page: nothing of yours was saved/).waitFor();
    const adminsBox = page.getByRole('checkbox', { name: 'Administrators may read threats' });
    await page.waitForFunction(() => (globalThis as any).document.querySelector('input[aria-label="Administrators may read threats"]')?.checked === true);
    expect(await box.isChecked()).toBe(true);
    expect(await threatRoles()).toEqual([...before, 'ADMIN'].sort());

    // Again, on the policy as it is now: both changes in one confirmation.
    await adminsBox.uncheck();
    await box.uncheck();
    await page.getByRole('button', { name: 'Review changes' }).click();
    await confirmation.getByText('Administrators, Disruption validators will no longer be able to read them').waitFor();
    await confirmation.getByRole('button', { name: 'Save these changes' }).click();
    await page.getByRole('status').getByText(/Saved: the change is in effect/).waitFor();

    expect(await threatRoles()).toEqual(before.filter((r) => r !== 'DISRUPTION_VALIDATOR'));
    expect(await threatsReadBy('serocu.validator')).toBe(0);
    expect(await threatsReadBy('serocu.analyst')).toBeGreaterThan(0);

    // Restored through the screen: the validator reads threats again.
    await page.getByRole('checkbox', { name: 'Disruption validators may read threats' }).check();
    await page.getByRole('button', { name: 'Review changes' }).click();
    await confirmation.getByText('Disruption validators will be able to read them').waitFor();
    await confirmation.getByRole('button', { name: 'Save these changes' }).click();
    await page.getByRole('status').getByText(/Saved: the change is in effect/).waitFor();
    expect([...(await threatRoles())].sort()).toEqual([...before].sort());
    expect(await threatsReadBy('serocu.validator')).toBe(validatorSees);
  });
});
