import type { Locator, Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData } from '../support/factories';
import { adoptedThreat } from '../support/plan-factories';
import { signIn } from './sign-in';

/** Serious and critical axe violations on the page as it is now. */
async function expectAxeClean(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

/** The form field (label, hint, messages, control) labelled `name`. */
const field = (page: Page, name: string): Locator => page.locator('.field').filter({ has: page.locator(`label:text-is("${name}")`) });

/** Words of the API that must never be on screen. */
const developerWords = /\b(NOT_RELIABLE|MODERN_SLAVERY_HUMAN_TRAFFICKING|crimeCategories|REGIONAL_LAW_ENFORCEMENT|OFFICIAL_SENSITIVE|sourceEvaluation|intelligenceAssessment|handlingCode|handlingConditions|sanitisedText|originalText|recipientOrganisationId|IntelligenceReport)\b/;

describeInBrowser('web client: intelligence', () => {
  const session = useBrowserSession();

  it('tvp.investigator records graded intelligence through the form (the entry rules by each field), then disseminates it to children\'s services', async () => {
    const { page } = session.watched;
    await signIn(page, 'tvp.investigator', 'Investigation');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Intelligence' }).click();
    await page.getByRole('heading', { name: 'Intelligence', level: 1 }).waitFor();
    await page.getByRole('table').waitFor();
    await expectAxeClean(page, 'intelligence list');
    await page.getByRole('link', { name: 'Record intelligence' }).click();
    await page.getByRole('heading', { name: 'Record intelligence', level: 1 }).waitFor();

    // Handling code C without conditions, and no grading: the server's messages, beside each field.
    await page.getByLabel('Handling code').selectOption({ label: 'C: disseminate only with conditions' });
    await page.getByRole('button', { name: 'Record intelligence' }).click();
    await field(page, 'Source evaluation').locator('.field-error').getByText('is required').waitFor();
    await field(page, 'Intelligence assessment').locator('.field-error').getByText('is required').waitFor();
    await field(page, 'Handling conditions').locator('.field-error').getByText(/needs the conditions of dissemination stated/).waitFor();
    await field(page, 'Sanitised text').locator('.field-error').getByText('is required').waitFor();
    expect(page.url()).toMatch(/\/intelligence\/new$/);
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'intelligence form with errors');
    await screenshot(page, 'intelligence-form-errors');

    await page.getByLabel('Received on').fill('2026-11-02');
    await page.getByLabel('Source evaluation').selectOption({ label: '3: not reliable' });
    await page.getByLabel('Intelligence assessment').selectOption({ label: 'E: suspected false' });
    await field(page, 'Handling conditions').locator('textarea').fill('For safeguarding the children named only.');
    await page.getByLabel('Source reference').fill('Anonymous call AC-7001 (fictional)');
    await field(page, 'Sanitised text').locator('textarea').fill('A caller alleged children are held at a flat above the parade.');
    await field(page, 'Original text').locator('textarea').fill('Anonymous caller, known for false reports, named two children at the flat above the parade.');
    await page.getByLabel('Protective marking').selectOption({ label: 'Official' });
    const threatChoice = page.getByLabel('About the threat').locator('option').nth(1);
    await threatChoice.waitFor({ state: 'attached' });
    const threatName = (await threatChoice.textContent())!;
    await page.getByLabel('About the threat').selectOption({ label: threatName });
    await page.getByRole('group', { name: 'Crime it mentions (optional)' }).getByLabel('Modern slavery human trafficking').check();
    await page.getByRole('button', { name: 'Record intelligence' }).click();

    // The report, with its grading flagged by the entry rules and its marking shown.
    await page.getByRole('heading', { name: /^INT-\d{4}-[2-9A-HJKMNP-Z]{8}/, level: 1 }).waitFor();
    await page.getByText(/Graded 3E/).waitFor();
    expect(await page.getByTestId('marking').first().innerText()).toBe('Protective marking: Official');
    await page.getByText('Not disseminated to any partner.').waitFor();
    await page.locator('dl.facts').getByText('Modern slavery human trafficking', { exact: true }).waitFor();
    await page.getByLabel('Partner organisation').selectOption({ label: "Oxfordshire County Council Children's Services" });
    await page.getByRole('button', { name: 'Disseminate' }).click();
    await page.getByRole('region', { name: 'Disseminations' }).getByText(/to Oxfordshire County Council Children's Services by DC Tom Ashdown.*conditions: For safeguarding the children named only/).waitFor();
    // A partner without an agreement covering intelligence is refused, the reason beside the choice.
    await page.getByLabel('Partner organisation').selectOption({ label: 'Buckinghamshire Council Trading Standards' });
    await page.getByRole('button', { name: 'Disseminate' }).click();
    await field(page, 'Partner organisation').locator('.field-error').getByText(/no information sharing agreement in force/).waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'intelligence report');
    await screenshot(page, 'intelligence-report');

    // Edited by its owner under the same entry rules: conditions cleared are refused, beside the field.
    const reference = (await page.getByRole('heading', { level: 1 }).innerText()).split(' ')[0];
    await page.getByRole('link', { name: 'Edit', exact: true }).click();
    await page.getByRole('heading', { name: `Edit ${reference}`, level: 1 }).waitFor();
    await field(page, 'Handling conditions').locator('textarea').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await field(page, 'Handling conditions').locator('.field-error').getByText(/needs the conditions of dissemination stated/).waitFor();
    await expectAxeClean(page, 'intelligence edit with errors');
    await field(page, 'Handling conditions').locator('textarea').fill('For safeguarding the children named only.');
    await page.getByLabel('Intelligence assessment').selectOption({ label: 'D: not known' });
    await page.getByRole('group', { name: 'Crime it mentions (optional)' }).getByLabel('Fraud').check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('heading', { name: `${reference} 3D C`, level: 1 }).waitFor();
    await page.locator('dl.facts').getByText('Modern slavery human trafficking, fraud', { exact: true }).waitFor();
    const stored = expectData(await session.app.gql('tvp.investigator', '{ intelligenceReports(first: 100) { edges { node { reference crimeCategories } } } }'));
    expect(stored.intelligenceReports.edges.find((e: any) => e.node.reference === reference).node.crimeCategories).toEqual(['MODERN_SLAVERY_HUMAN_TRAFFICKING', 'FRAUD']);
    expect(await page.getByText(/Graded 3E/).count()).toBe(0);

    // The threat shows the intelligence behind it, each report with its marking.
    await page.locator('dl.facts').getByRole('link', { name: threatName }).click();
    const section = page.getByRole('region', { name: 'Intelligence' });
    const item = section.getByRole('listitem').filter({ has: page.getByRole('link', { name: reference }) });
    await item.getByText('A caller alleged children are held at a flat above the parade.').waitFor();
    expect(await item.innerText()).toMatch(new RegExp(`^${reference}, marked Official, received 2 Nov 2026, 3D C`));
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'threat with its intelligence');
  });

  it('oxon.mash sees only what was disseminated to it: the sanitised text and conditions, the grading, source and original withheld with reasons', async () => {
    const { page } = session.watched;
    await signIn(page, 'oxon.mash', 'Safeguarding');
    await page.goto('/intelligence');
    await page.getByRole('heading', { name: 'Intelligence', level: 1 }).waitFor();
    const rows = page.getByRole('table').locator('tbody tr');
    await rows.first().waitFor();
    expect(await page.getByRole('link', { name: 'Record intelligence' }).count()).toBe(0);
    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { name: /^INT-/, level: 1 }).waitFor();
    const facts = page.locator('dl.facts');
    await facts.getByText(/Withheld: Sources of intelligence and the original text are withheld/).first().waitFor();
    await facts.getByText(/Withheld: The grading of intelligence/).first().waitFor();
    expect(await page.getByLabel('Partner organisation').count()).toBe(0);
    await page.getByTestId('marking').first().waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'intelligence report as a partner');
    await screenshot(page, 'intelligence-partner');
  });

  it('oxon.mash, on a threat whose intelligence was not disseminated to it, is told none is shared with it, never that there is none', async () => {
    const app = session.app;
    const THREATS = `{ threats(first: 100) { edges { node { id name intelligence(first: 1) { totalCount } } } } }`;
    const counts = async (as: string, purpose: string) =>
      new Map<string, { name: string; count: number }>(
        expectData(await app.gql(as, THREATS, {}, { purpose })).threats.edges.map(({ node }: any) => [node.id, { name: node.name, count: node.intelligence.totalCount }]),
      );
    const partner = await counts('oxon.mash', 'SAFEGUARDING');
    const police = await counts('serocu.analyst', 'INVESTIGATION');
    const [id, { name }] = [...partner].find(([threatId, p]) => p.count === 0 && (police.get(threatId)?.count ?? 0) > 0)!;
    const { page } = session.watched;
    await signIn(page, 'oxon.mash', 'Safeguarding');
    await page.goto(`/threats/${encodeURIComponent(id)}`);
    await page.getByRole('heading', { name, level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Intelligence' }).getByText('No intelligence about this threat is shared with you.').waitFor();
    await page.getByTestId('protective-marking').waitFor();
    await expectAxeClean(page, 'threat without intelligence shared with a partner');
  });

  it('serocu.lro opens a 4P plan from a threat page that lists its intelligence (the form below the fold, a screenshot taken first)', async () => {
    // The threat page's intelligence made it long enough that the plan form is scrolled to; the
    // full-page screenshot then left Chromium's scroll position out of step, the page jumped
    // between the button's mousedown and mouseup, and the click (so the submission) was lost.
    const app = session.app;
    const threat = await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Wren' });
    const input = {
      receivedOn: '2026-10-14', sourceEvaluation: 'RELIABLE', intelligenceAssessment: 'A', handlingCode: 'P', threatIds: [threat.id],
      sanitisedText: 'The Wren line is run from a flat above the launderette.', originalText: 'Seen by source TV-0501 (fictional).', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
    };
    const report = expectData(await app.gql('tvp.investigator', 'mutation ($input: CreateIntelligenceReportInput!) { createIntelligenceReport(input: $input) { reference } }', { input })).createIntelligenceReport;
    const { page } = session.watched;
    await signIn(page, 'serocu.lro');
    await page.goto(`/threats/${encodeURIComponent(threat.id)}`);
    const item = page.getByRole('region', { name: 'Intelligence' }).getByRole('listitem').filter({ hasText: report.reference });
    await item.getByText('marked Official sensitive').waitFor();
    const planSection = page.locator('section', { has: page.getByRole('heading', { name: '4P plan', exact: true }) });
    await planSection.getByText('Open a 4P plan for this threat').click();
    await planSection.getByLabel('Review every (days)').fill('30');
    await screenshot(page, 'threat-intelligence-open-plan');
    await planSection.getByRole('button', { name: 'Open the plan' }).click();
    await page.waitForURL(/\/plans\/[^/?]+$/);
    const planId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    const plan = expectData(await app.gql('serocu.lro', 'query ($id: ID!) { node(id: $id) { ... on FourPPlan { reviewFrequencyDays threat { id } } } }', { id: planId })).node;
    expect(plan).toEqual({ reviewFrequencyDays: 30, threat: { id: threat.id } });
  });
});
