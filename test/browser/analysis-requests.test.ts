import type { Locator, Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData } from '../support/factories';
import { signIn } from './sign-in';

/**
 * Analytical requests in Chromium, by the demo users whose work it is: a force analyst
 * (hiow.analyst) asks for analysis; SEROCU's OCG coordinator (serocu.sro) accepts and assigns it;
 * the assigned analyst (serocu.analyst) starts and delivers it; another is declined for lack of
 * capacity; the coordinator's home panel counts demand against capacity. Each step is checked
 * through the API.
 */

async function expectAxeClean(page: Page, screen: string): Promise<void> {
  expect((await axeOnPage(page)).seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

const field = (page: Page, name: string): Locator => page.locator('.field').filter({ has: page.locator(`label:text-is("${name}")`) });

/** Words of the API that must never be on screen. */
const developerWords = /\b(REQUESTED|IN_PROGRESS|NETWORK_CHART|LACK_OF_CAPACITY|OFFICIAL_SENSITIVE|productType|dueOn|threatId|planId|analystId|declineReason|AnalyticalRequest|input\.)\b/;

const REQUEST = `query ($id: ID!) { node(id: $id) { ... on AnalyticalRequest { status productType priority dueOn declineReason declineExplanation deliveredOnTime
  owningOrganisation { code } requestedBy { username } assignedAnalyst { username } threat { id } } } }`;
const STATS = `{ analyticalRequestStats { totals { requested delivered deliveredOnTime declinedForLackOfCapacity } } }`;

describeInBrowser('web client: analysis requests', () => {
  const session = useBrowserSession();
  const requestIdOf = (page: Page) => decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
  let dueOn: string;
  let requestId: string;
  let reference: string;

  beforeAll(async () => {
    [{ due_on: dueOn }] = await session.app.app.orm.em.getConnection().execute(`select (current_date + 14)::text as due_on`);
  });

  it('hiow.analyst asks for a network chart through the form: the server\'s messages beside each field, then the request waiting for a decision', async () => {
    const { page } = session.watched;
    await signIn(page, 'hiow.analyst');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analysis requests' }).click();
    await page.getByRole('heading', { name: 'Analysis requests', level: 1 }).waitFor();
    await expectAxeClean(page, 'analysis register');
    await page.getByRole('link', { name: 'Request analysis' }).click();
    await page.getByRole('heading', { name: 'Request analysis', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Send the request' }).click();
    await field(page, 'What do you need to know?').locator('.field-error').getByText('is required').waitFor();
    await field(page, 'Product').locator('.field-error').getByText('is required').waitFor();
    await field(page, 'Needed by').locator('.field-error').getByText('is required').waitFor();
    await field(page, 'Threat').locator('.field-error').getByText('name the threat or the plan the analysis supports').waitFor();
    expect(page.url()).toMatch(/\/analysis\/new$/);
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'analysis request form with errors');

    await field(page, 'What do you need to know?').locator('textarea').fill('Who runs the Harbour line in Portsmouth, and who are its runners?');
    await page.getByLabel('Product', { exact: true }).selectOption({ label: 'Network chart' });
    await page.getByLabel('Priority', { exact: true }).selectOption({ label: 'High' });
    await page.getByLabel('Needed by').fill(dueOn);
    const threatChoice = page.getByLabel('Threat', { exact: true }).locator('option').nth(1);
    await threatChoice.waitFor({ state: 'attached' });
    const threatName = (await threatChoice.textContent())!;
    await page.getByLabel('Threat', { exact: true }).selectOption({ label: threatName });
    await page.getByRole('button', { name: 'Send the request' }).click();

    await page.getByRole('heading', { name: /^Network chart AR-\d{4}-[2-9A-HJKMNP-Z]{8} Waiting for a decision$/, level: 1 }).waitFor();
    expect(await page.getByTestId('marking').first().innerText()).toBe('Protective marking: Official sensitive');
    await page.locator('dl.facts').getByRole('link', { name: threatName }).waitFor();
    // The requester decides nothing: no moves are offered.
    expect(await page.getByRole('region', { name: 'What you can do' }).count()).toBe(0);
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'analysis request');
    await screenshot(page, 'analysis-request');
    requestId = requestIdOf(page);
    reference = (await page.getByRole('heading', { level: 1 }).innerText()).split(' ')[2];
    const made = expectData(await session.app.gql('hiow.analyst', REQUEST, { id: requestId })).node;
    expect(made).toMatchObject({ status: 'REQUESTED', productType: 'NETWORK_CHART', priority: 'HIGH', dueOn, owningOrganisation: { code: 'HIOW' }, requestedBy: { username: 'hiow.analyst' } });
  });

  it('serocu.sro accepts it and assigns an analyst; serocu.analyst starts and delivers it, on time', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.sro');
    await page.goto(`/analysis/${encodeURIComponent(requestId)}`);
    await page.getByRole('heading', { name: /Waiting for a decision$/, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Accept the request' }).click();
    await page.getByRole('heading', { name: /Accepted$/, level: 1 }).waitFor();
    await page.getByLabel('Analyst', { exact: true }).selectOption({ label: 'Priya Fenwick' });
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await page.locator('dl.facts').getByText('Priya Fenwick').waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'analysis request, accepted');
    expect(expectData(await session.app.gql('serocu.sro', REQUEST, { id: requestId })).node).toMatchObject({ status: 'ACCEPTED', assignedAnalyst: { username: 'serocu.analyst' } });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'serocu.analyst');
    await page.goto('/analysis');
    await page.getByLabel('Assigned to me').check();
    await page.getByRole('table').getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: /Accepted$/, level: 1 }).waitFor();
    expect(requestIdOf(page)).toBe(requestId);
    await page.getByRole('button', { name: 'Start the work' }).click();
    await page.getByRole('heading', { name: /In progress$/, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Mark as delivered' }).click();
    await page.getByRole('heading', { name: /Delivered$/, level: 1 }).waitFor();
    await page.locator('dl.facts').getByText(/, on time$/).waitFor();
    await expectAxeClean(page, 'analysis request, delivered');
    expect(expectData(await session.app.gql('serocu.analyst', REQUEST, { id: requestId })).node).toMatchObject({ status: 'DELIVERED', deliveredOnTime: true });
  });

  it('serocu.sro declines another for lack of capacity (a reason and words needed), and home counts it against capacity', async () => {
    const app = session.app;
    const threatId = expectData(await app.gql('hiow.analyst', '{ threats(first: 1) { edges { node { id } } } }')).threats.edges[0].node.id;
    const input = { question: 'Profile the Harbour line\'s money movement.', productType: 'PROBLEM_PROFILE', priority: 'MEDIUM', dueOn, threatId, protectiveMarking: 'OFFICIAL_SENSITIVE' };
    const other = expectData(await app.gql('hiow.analyst', 'mutation ($input: CreateAnalyticalRequestInput!) { createAnalyticalRequest(input: $input) { id } }', { input })).createAnalyticalRequest;
    const before = expectData(await app.gql('serocu.sro', STATS)).analyticalRequestStats.totals;

    const { page } = session.watched;
    await signIn(page, 'serocu.sro');
    await page.goto(`/analysis/${encodeURIComponent(other.id)}`);
    await page.getByRole('heading', { name: /^Problem profile AR-.* Waiting for a decision$/, level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Decline', exact: true }).click();
    await field(page, 'Why').locator('.field-error').getByText('is required').waitFor();
    await field(page, 'In words, for the requester').locator('.field-error').getByText('is required').waitFor();
    await expectAxeClean(page, 'decline form with errors');
    await page.getByLabel('Why', { exact: true }).selectOption({ label: 'No analyst free in time (lack of capacity)' });
    await field(page, 'In words, for the requester').locator('textarea').fill('Both analysts are committed to Operation Kestrel until the end of the month.');
    await page.getByRole('button', { name: 'Decline', exact: true }).click();
    await page.getByRole('heading', { name: /Declined$/, level: 1 }).waitFor();
    await page.locator('dl.facts').getByText(/No analyst free in time \(lack of capacity\)\. Both analysts are committed/).waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    expect(expectData(await app.gql('serocu.sro', REQUEST, { id: other.id })).node).toMatchObject({ status: 'DECLINED', declineReason: 'LACK_OF_CAPACITY' });

    // Home: demand against capacity, as the API counts it.
    const after = expectData(await app.gql('serocu.sro', STATS)).analyticalRequestStats.totals;
    expect(after.declinedForLackOfCapacity).toBe(before.declinedForLackOfCapacity + 1);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
    const panel = page.getByRole('region', { name: 'Analysis: demand against capacity' });
    const summary = panel.getByTestId('demand-summary');
    await summary.waitFor();
    expect(await summary.innerText()).toContain(`${after.requested} requests shared with you: ${after.delivered} delivered (${after.deliveredOnTime} on time), ${after.declinedForLackOfCapacity} declined for lack of capacity`);
    await panel.getByRole('table', { name: 'Analyst workload' }).getByRole('rowheader', { name: 'Priya Fenwick' }).waitFor();
    expect(await page.locator('main').innerText()).not.toMatch(developerWords);
    await expectAxeClean(page, 'home with demand against capacity');
    await screenshot(page, 'analysis-demand-home');
  });

  it('the register updates live: a request made elsewhere appears in serocu.sro\'s open register without a reload', async () => {
    const app = session.app;
    const { page } = session.watched;
    await signIn(page, 'serocu.sro');
    await page.goto('/analysis');
    await page.getByRole('table').waitFor();
    await page.getByTestId('connection').getByText('Live', { exact: true }).waitFor();
    const threatId = expectData(await app.gql('hiow.analyst', '{ threats(first: 1) { edges { node { id } } } }')).threats.edges[0].node.id;
    const input = { question: 'Chart the Harbour line\'s new phones.', productType: 'NETWORK_CHART', priority: 'LOW', dueOn, threatId, protectiveMarking: 'OFFICIAL_SENSITIVE' };
    const made = expectData(await app.gql('hiow.analyst', 'mutation ($input: CreateAnalyticalRequestInput!) { createAnalyticalRequest(input: $input) { reference } }', { input })).createAnalyticalRequest;
    await page.getByRole('table').getByRole('link', { name: made.reference }).waitFor();
  });

  it('a force user is not shown the demand panel, and another force is told none are shared with it', async () => {
    const { page } = session.watched;
    await signIn(page, 'sussex.investigator');
    await page.getByRole('heading', { name: 'Regional picture', level: 1 }).waitFor();
    await page.getByRole('region', { name: /Validated disruptions/ }).waitFor();
    expect(await page.getByRole('region', { name: 'Analysis: demand against capacity' }).count()).toBe(0);
    await page.goto('/analysis');
    await page.getByText('No analysis requests shared with you.').waitFor();
  });
});
