import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, openPage, screenshot, useBrowserSession, type WatchedPage } from '../support/browser';
import { signIn } from './sign-in';

/** Serious or critical axe violations on the page as it is now; the contrast and label rules must have been applied. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  const { seriousViolations, rulesNotApplied } = await axeOnPage(page);
  expect({ screen, rulesNotApplied }).toEqual({ screen, rulesNotApplied: [] });
  expect(seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

/** Picks a point of the model's scale for one factor, by the factor's name and the point's words. */
const score = (page: Page, factor: string, point: string) => page.getByRole('group', { name: factor, exact: true }).getByLabel(point, { exact: true }).check();

const ASSESSMENT = `query ($id: ID!) { node(id: $id) { ... on ThreatAssessment {
  id status version statusReason riskScore priority confidence rationale
  likelihood { frequency } harm { physical }
  assessedBy { username } decidedBy { username } criminalActivity { id }
} } }`;

/**
 * The MoRiLE assessment journey on screen, checked at each step through the API: the author
 * scores an unassessed activity from the threat page's link and submits it; they are told why they
 * cannot approve their own; a second person returns it with a reason; the author revises and
 * resubmits; the second person approves it and the activity is no longer unassessed.
 */
describeInBrowser('web client: threat assessments', () => {
  const session = useBrowserSession();
  let second: WatchedPage | undefined;
  afterEach(async () => {
    if (!second) return;
    expect(second.consoleErrors).toEqual([]);
    await second.context.close();
    second = undefined;
  });

  const assessmentOf = async (username: string, id: string) => (await session.app.gql(username, ASSESSMENT, { id })).data.node;

  it('scores an unassessed activity, submits, is returned, revised, resubmitted and approved by a second person', async () => {
    // A threat with an activity that has no assessment at all, which the analyst's SEROCU manages.
    const found = await session.app.gql(
      'serocu.analyst',
      `{ threats(first: 100) { edges { node { id name protectiveMarking unassessedActivities { id description assessment { id } } } } } }`,
    );
    const candidates = found.data.threats.edges.map((e: any) => e.node).filter((t: any) => t.unassessedActivities?.some((a: any) => !a.assessment && a.description));
    expect(candidates.length).toBeGreaterThan(0);
    const threat = candidates[0];
    const activity = threat.unassessedActivities.find((a: any) => !a.assessment && a.description);

    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/threats/${threat.id}`);
    const row = page.getByTestId('activities').locator('tbody tr', { hasText: activity.description });
    await row.getByText('Not assessed').waitFor();
    await expectAccessible(page, 'threat page with assessment links');
    // By keyboard: the link is followed with Enter.
    await row.getByRole('link', { name: /^Score this activity/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/threats\/[^/]+\/assess\?activity=/);

    // The activity is chosen; every factor shows its scale and definition; the marking shows.
    await page.getByRole('heading', { name: `Assess ${threat.name}`, level: 1 }).waitFor();
    expect(await page.getByLabel('What you are assessing').inputValue()).toBe(activity.id);
    await page.getByText('Injury, violence or threat to life caused to victims or the public.').waitFor();
    expect(await page.getByRole('group', { name: 'Physical harm', exact: true }).getByRole('radio').count()).toBe(5);
    expect(await page.getByTestId('marking').first().textContent()).toMatch(/Protective marking: Official/);
    expect(await page.getByRole('button', { name: 'Save as draft' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'new assessment');

    // Scores as the server will compute them, live: harm 61.11, likelihood 80.56, risk 49.23 (medium).
    // A factor is scored from the keyboard as any radio group: arrow keys move along the scale.
    await page.getByRole('group', { name: 'Physical harm', exact: true }).getByLabel('0 None', { exact: true }).focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('group', { name: 'Physical harm', exact: true }).getByLabel('3 Substantial', { exact: true }).isChecked()).toBe(true);
    await score(page, 'Psychological harm', '3 Substantial');
    await score(page, 'Financial harm', '2 Moderate');
    await score(page, 'Harm to communities and the environment', '2 Moderate');
    await score(page, 'Geographic reach', '1 Low');
    const live = page.getByTestId('live-score');
    await live.getByText('61.11 out of 100').waitFor();
    expect(await page.getByTestId('risk-score').textContent()).toMatch(/score harm and likelihood/);
    await score(page, 'Vulnerability of victims', '4 Severe');
    await score(page, 'How often', '3 Substantial');
    await score(page, 'Direction of travel', '2 Moderate');
    await score(page, 'Capacity', '2 Moderate');
    await score(page, 'Capability', '2 Moderate');
    await score(page, 'Opportunity', '2 Moderate');
    await page.getByRole('group', { name: 'Confidence in the intelligence' }).getByLabel('High', { exact: true }).check();
    await live.getByText('80.56 out of 100').waitFor();
    expect(await page.getByTestId('risk-score').textContent()).toBe('49.23');
    expect(await page.getByTestId('priority').textContent()).toBe('Medium');
    // Medium confidence lowers the risk at once (× 0.9): 44.31.
    await page.getByRole('group', { name: 'Confidence in the intelligence' }).getByLabel('Medium', { exact: true }).check();
    expect(await page.getByTestId('risk-score').textContent()).toBe('44.31');
    await page.getByRole('group', { name: 'Confidence in the intelligence' }).getByLabel('High', { exact: true }).check();
    await page.getByLabel('Rationale').fill('Two children found running the line; dealing seen daily.');
    await screenshot(page, 'assessment-new');
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForURL(/\/assessments\/[^/?]+$/);
    const assessmentId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    await page.getByTestId('assessment-status').getByText('Draft').waitFor();
    let api = await assessmentOf('serocu.analyst', assessmentId);
    expect(api).toMatchObject({ status: 'DRAFT', riskScore: 49.23, priority: 'MEDIUM', confidence: 'HIGH', assessedBy: { username: 'serocu.analyst' }, criminalActivity: { id: activity.id } });

    // The author submits; they are told, in plain words, why they cannot approve their own.
    await page.getByRole('button', { name: 'Submit for approval' }).click();
    await page.getByTestId('assessment-status').getByText('Awaiting approval').waitFor();
    expect(await page.getByTestId('why-not').textContent()).toContain('You scored this assessment, so you cannot approve it or return it yourself');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect((await assessmentOf('serocu.analyst', assessmentId)).status).toBe('SUBMITTED');
    await expectAccessible(page, 'assessment, author waiting');
    await screenshot(page, 'assessment-author-waiting');

    // A second person (the SRO) finds it from the threat page and returns it; a reason is required.
    second = await openPage(session.browser, session.app.url);
    const other = second.page;
    await signIn(other, 'serocu.sro');
    await other.goto(`/threats/${threat.id}`);
    await other.getByTestId('activities').locator('tbody tr', { hasText: activity.description }).getByRole('link', { name: /^Awaiting approval/ }).click();
    await other.waitForURL(/\/assessments\//);
    await other.getByRole('button', { name: 'Approve' }).waitFor();
    await other.getByText('Two children found running the line; dealing seen daily.').waitFor();
    await expectAccessible(other, 'assessment, second person deciding');
    await other.getByRole('button', { name: 'Return to the assessor' }).click();
    await other.getByText(/^Write a reason: .* needs to know what to look at again\.$/).waitFor();
    expect((await assessmentOf('serocu.sro', assessmentId)).status).toBe('SUBMITTED');
    await other.getByLabel('Reason for returning').fill('Frequency looks low against the last month’s test purchases.');
    await other.getByRole('button', { name: 'Return to the assessor' }).click();
    await other.getByTestId('assessment-status').getByText('Returned for revision').waitFor();
    api = await assessmentOf('serocu.sro', assessmentId);
    expect(api).toMatchObject({ status: 'RETURNED', statusReason: 'Frequency looks low against the last month’s test purchases.', decidedBy: { username: 'serocu.sro' } });

    // The author sees why, revises and resubmits.
    await page.reload();
    await page.getByTestId('returned-reason').getByText('Frequency looks low').waitFor();
    await page.getByRole('heading', { name: 'Revise your assessment' }).waitFor();
    await expectAccessible(page, 'assessment, returned to author');
    await screenshot(page, 'assessment-returned');
    await score(page, 'How often', '4 Severe');
    await page.getByTestId('live-score').getByText('88.89 out of 100').waitFor();
    expect(await page.getByTestId('risk-score').textContent()).toBe('54.32');
    expect(await page.getByTestId('priority').textContent()).toBe('High');
    await page.getByRole('button', { name: 'Save and submit for approval' }).click();
    await page.getByTestId('assessment-status').getByText('Awaiting approval').waitFor();
    api = await assessmentOf('serocu.analyst', assessmentId);
    expect(api).toMatchObject({ status: 'SUBMITTED', likelihood: { frequency: 4 }, riskScore: 54.32, priority: 'HIGH' });

    // The second person approves it; the activity is assessed now.
    await other.reload();
    await other.getByRole('button', { name: 'Approve' }).click();
    await other.getByTestId('assessment-status').getByText('Approved').waitFor();
    await screenshot(other, 'assessment-approved');
    api = await assessmentOf('serocu.sro', assessmentId);
    expect(api).toMatchObject({ status: 'APPROVED', decidedBy: { username: 'serocu.sro' } });
    const after = await session.app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat { priority unassessedActivities { id } } } }`, { id: threat.id });
    expect(after.data.node.unassessedActivities.map((a: any) => a.id)).not.toContain(activity.id);
    expect(after.data.node.priority).toBe('HIGH');

    // And the threat page says so: no "not assessed" on that activity, and no link to score it.
    await page.goto(`/threats/${threat.id}`);
    const done = page.getByTestId('activities').locator('tbody tr', { hasText: activity.description });
    await done.getByRole('link', { name: /Approved assessment/ }).waitFor();
    expect(await done.getByText('Not assessed').count()).toBe(0);
    expect(await done.getByRole('link', { name: /^Score this activity/ }).count()).toBe(0);
    await page.getByTestId('assessment-history').getByRole('link').first().waitFor();
    await expectAccessible(page, 'threat page after approval');
    await screenshot(page, 'assessment-threat-page');
    // The history says what changed in the assessment in plain words: no field names, enum spellings or JSON.
    const history = (await page.locator('ol.history').textContent()) ?? '';
    expect(history).toContain('How often: 3 → 4');
    expect(history).toContain('Status: Returned for revision → Draft');
    expect(history).not.toMatch(/MORILE|SUBMITTED|statusReason|"harm"/);
  });
});
