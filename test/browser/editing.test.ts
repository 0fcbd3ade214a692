import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { signIn } from './sign-in';

/** A demo user of each organisation that can change that organisation's records. */
const editorOf: Record<string, string> = {
  SEROCU: 'serocu.lro',
  TVP: 'tvp.investigator',
  HIOW: 'hiow.analyst',
  SURREY: 'surrey.investigator',
  SUSSEX: 'sussex.investigator',
};

/** Forms in a real browser: the server's rules and computed gate are what the user sees. */
describeInBrowser('web client: editing', () => {
  const session = useBrowserSession();

  it('shows the server’s message next to a missing field of a disruption', async () => {
    const { data } = await session.app.gql('serocu.analyst', `{ threats(first: 1, filter: { status: [ADOPTED] }) { edges { node { id } } } }`);
    const threatId = data.threats.edges[0].node.id;
    const input = {
      threatId, date: '2026-11-01', strand: 'PURSUE', tactic: 'CRIME', level: 'MODERATE', description: 'Warrant at a flat',
      evidenceRefs: ['TVP-1'], access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
    };
    const expected = await session.app.gql('serocu.analyst', `mutation ($input: CreateDisruptionInput!) { createDisruption(input: $input) { id } }`, { input });
    const message = expected.errors![0].extensions!.fields.find((f: any) => f.field === 'input.impactNarrative').message as string;

    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/disruptions/new?threat=${encodeURIComponent(threatId)}`);
    await page.getByLabel('Date').fill('2026-11-01');
    await page.getByRole('combobox', { name: 'Strand' }).selectOption('PURSUE');
    await page.getByRole('combobox', { name: 'Tactic' }).selectOption('CRIME');
    await page.getByRole('radio', { name: /Moderate/ }).check();
    await page.getByLabel('What was done').fill('Warrant at a flat');
    await page.getByLabel('Evidence references').fill('TVP-1');
    await page.getByRole('button', { name: 'Save draft' }).click();

    const impact = page.getByLabel('Impact');
    await page.locator('.field-invalid', { has: impact }).locator('.field-error').getByText(message).waitFor();
    expect(await impact.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field-error').count()).toBe(1);
    await screenshot(page, 'disruption-form');
  });

  it('shows the plan quality gate’s problems and refreshes them after an objective is added', async () => {
    const { data } = await session.app.gql('serocu.analyst', `{ plans(first: 100, filter: { status: [ACTIVE, DRAFT, UNDER_REVIEW] }) { edges { node {
      id owningOrganisation { code } quality { problems { code strand message } } } } } }`);
    const plan = data.plans.edges
      .map((e: any) => e.node)
      .find((p: any) => editorOf[p.owningOrganisation.code] && p.quality.problems.some((q: any) => q.code === 'MISSING_STRAND'));
    const missing = plan.quality.problems.find((q: any) => q.code === 'MISSING_STRAND');
    const strandName = missing.strand.charAt(0) + missing.strand.slice(1).toLowerCase();

    const { page } = session.watched;
    await signIn(page, editorOf[plan.owningOrganisation.code]);
    await page.goto(`/plans/${plan.id}`);
    const problems = page.getByRole('list', { name: 'Quality gate problems' });
    await problems.getByText(missing.message).waitFor();
    await screenshot(page, 'plan-editor');

    const strand = page.locator('section.strand', { has: page.getByRole('heading', { name: strandName, exact: true }) });
    await strand.getByText(`Add a ${strandName} objective`).click();
    await strand.getByRole('textbox', { name: 'Objective' }).fill(`Reduce the group's ${strandName.toLowerCase()} exposure`);
    await strand.getByRole('button', { name: 'Add objective' }).click();

    await strand.getByRole('heading', { name: `Reduce the group's ${strandName.toLowerCase()} exposure` }).waitFor();
    await page.getByText(missing.message).waitFor({ state: 'detached' });
    await screenshot(page, 'plan-editor-after-save');
  });

  it('lists the validator’s queue with validate, return and reject', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.validator');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Disruptions' }).click();
    await page.getByRole('tab', { name: 'Validation queue', selected: true }).waitFor();
    await page.getByRole('button', { name: 'Decide' }).first().click();
    for (const name of ['Validate', 'Return for correction', 'Reject']) await page.getByRole('button', { name }).waitFor();
    await screenshot(page, 'validation-queue');
  });
});
