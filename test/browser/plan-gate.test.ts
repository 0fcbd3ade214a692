import type { Page, Request } from 'playwright-core';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData, orgId } from '../support/factories';
import { adoptedThreat, createPlan } from '../support/plan-factories';
import { signIn } from './sign-in';

const isPreview = (request: Request) => request.method() === 'POST' && !!request.postData()?.includes('PlanQualityPreview');

/** The plan editor's quality gate follows what the user types, from the server's own rules, and saves nothing. */
describeInBrowser('web client: the plan editor’s live quality gate', () => {
  const session = useBrowserSession();

  it('updates the gate’s problems while the user types an objective, ticks an action’s activities and names a partner, ignoring a stale answer, without saving', async () => {
    const app = session.app;
    const threat = await adoptedThreat(app, 'tvp.investigator', {
      name: 'Operation Wren',
      criminalActivities: [
        { category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply via the "Wren" line.', firstIdentified: '2025-06-01' },
        { category: 'MODERN_SLAVERY_HUMAN_TRAFFICKING', subCategory: 'CHILD_CRIMINAL_EXPLOITATION', description: 'Children running the Wren line.', firstIdentified: '2025-06-01' },
      ],
    });
    const plan = await createPlan(app, 'tvp.investigator', threat.id);
    const problem = (code: string, about: string) =>
      plan.quality.problems.find((p: any) => p.code === code && (p.strand === about || p.criminalActivity?.category === about)).message as string;
    const preventMissing = problem('MISSING_STRAND', 'PREVENT');
    const drugsUnaddressed = problem('ACTIVITY_NOT_ADDRESSED', 'ILLEGAL_DRUGS');
    const exploitationUnaddressed = problem('ACTIVITY_NOT_ADDRESSED', 'MODERN_SLAVERY_HUMAN_TRAFFICKING');
    const protectPartner = problem('PARTNER_NOT_NAMED', 'PROTECT');

    const { page } = session.watched;
    const previews: Request[] = [];
    page.on('request', (r) => isPreview(r) && previews.push(r));
    await signIn(page, 'tvp.investigator');
    await page.goto(`/plans/${plan.id}`);
    const item = (message: string) => page.getByRole('list', { name: 'Quality gate problems' }).getByRole('listitem').filter({ hasText: message });
    const stateOf = (message: string) => item(message).getAttribute('class');
    const resolving = (message: string) => page.locator('.problems li.resolving', { hasText: message }).waitFor();
    for (const message of [preventMissing, drugsUnaddressed, exploitationUnaddressed, protectPartner]) await item(message).waitFor();
    expect(await page.getByText('once what you are typing is saved').count()).toBe(0);

    // Rule 1, MISSING_STRAND: typing a Prevent objective. The draft changes once (the gate reads the
    // strand, not the words), so however many keys are pressed, the server is asked once.
    const prevent = strand(page, 'Prevent');
    await prevent.getByText('Add a Prevent objective').click();
    const objective = prevent.getByRole('textbox', { name: 'Objective' });
    await objective.pressSequentially('Divert younger members through the youth offending team');
    await resolving(preventMissing);
    await item(preventMissing).getByText('resolved once what you are typing is saved').waitFor();
    await prevent.locator('.gate-note[data-state="resolving"]').waitFor();
    expect(previews).toHaveLength(1);
    expect(await stateOf(drugsUnaddressed)).toBeNull();

    // Rule 2, ACTIVITY_NOT_ADDRESSED: ticking an action's activities. The answer to the first tick is
    // held back until the second tick's has been shown: arriving late, it must not replace it.
    const pursue = strand(page, 'Pursue');
    await pursue.getByText('Add a Pursue action').click();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holding = true;
    await page.route('**/graphql', async (route) => {
      if (holding && isPreview(route.request())) {
        holding = false;
        await held;
      }
      await route.continue();
    });
    const firstTick = page.waitForRequest(isPreview);
    await pursue.getByRole('checkbox', { name: /^Illegal drugs/ }).check();
    const stale = await firstTick;
    await pursue.getByRole('checkbox', { name: /^Modern slavery/ }).check();
    await resolving(exploitationUnaddressed);
    await resolving(drugsUnaddressed);
    await pursue.getByRole('checkbox', { name: /^Modern slavery/ }).locator('..').locator('.gate-note[data-state="resolving"]').waitFor();
    release();
    await stale.response();
    await page.locator('section.gate[data-stale-answers="1"]').waitFor();
    expect(await stateOf(exploitationUnaddressed)).toBe('resolving');
    expect(await stateOf(drugsUnaddressed)).toBe('resolving');
    expect(await stateOf(preventMissing)).toBe('resolving');
    await page.unroute('**/graphql');

    // Rule 3, PARTNER_NOT_NAMED: naming a partner for Protect.
    const partners = page.locator('section', { has: page.getByRole('heading', { name: /^Partners/ }) });
    await partners.getByText('Name a partner').click();
    await partners.getByRole('combobox', { name: 'Organisation' }).selectOption(await orgId(app, 'OXON_CS'));
    expect(await stateOf(protectPartner)).toBeNull();
    await partners.getByRole('checkbox', { name: /^Protect/ }).check();
    await resolving(protectPartner);
    await screenshot(page, 'plan-gate-typing');

    // Clearing the objective brings its problem back; the others stay resolved by what is still typed.
    await objective.fill('');
    await page.locator('.problems li:not([class])', { hasText: preventMissing }).waitFor();
    expect(await stateOf(drugsUnaddressed)).toBe('resolving');
    expect(await stateOf(protectPartner)).toBe('resolving');

    // Nothing was saved.
    const now = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on FourPPlan { version objectives { id } actions { id } partners { strands } quality { problems { message } } } } }`, { id: plan.id })).node;
    expect(now).toEqual({ version: plan.version, objectives: [], actions: [], partners: [], quality: { problems: plan.quality.problems.map((p: any) => ({ message: p.message })) } });
  });
});

function strand(page: Page, name: string) {
  return page.locator('section.strand', { has: page.getByRole('heading', { name, exact: true }) });
}
