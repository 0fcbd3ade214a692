import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { expectData } from '../support/factories';
import { assessedThreat, daysAgo, dbId, sql, submittedDisruption } from '../support/disruption-factories';
import { signIn } from './sign-in';

/** Serious or critical axe violations on the page as it is now; the contrast and label rules must have been applied. */
async function expectAccessible(page: Page, screen: string): Promise<void> {
  const { seriousViolations, rulesNotApplied } = await axeOnPage(page);
  expect({ screen, rulesNotApplied }).toEqual({ screen, rulesNotApplied: [] });
  expect(seriousViolations.map((f) => `${screen}: ${f}`)).toEqual([]);
}

const VALIDATOR = 'serocu.validator';

/** The validator's queue and the disruptions list: filters in the address, counted as the API counts. */
describeInBrowser('web client: validation queue and disruptions list', () => {
  const session = useBrowserSession();
  const gql = async (query: string, variables?: Record<string, unknown>) => expectData(await session.app.gql(VALIDATOR, query, variables));
  const count = async (filter: Record<string, unknown>) => (await gql(`query ($f: DisruptionFilter) { disruptions(filter: $f) { totalCount } }`, { f: filter })).disruptions.totalCount as number;
  const waitForStatus = (page: Page, text: string) => page.getByRole('status').filter({ hasText: new RegExp(`^${text}$`) }).waitFor();
  const waiting = (n: number) => `${n} ${n === 1 ? 'claim waiting' : 'claims waiting'}`;

  /** The queue's filter as the screen builds it: SUBMITTED claims of other organisations, MAJOR only for a senior validator. */
  async function queueFilter(extra: Record<string, unknown> = {}) {
    const d = await gql(`{ viewer { roles organisation { id } } organisations(first: 100) { edges { node { id } } } disruptionRules { majorClaimValidatorRoles } }`);
    const senior = d.disruptionRules.majorClaimValidatorRoles.some((r: string) => d.viewer.roles.includes(r));
    return {
      status: ['SUBMITTED'],
      claimingOrganisationIds: d.organisations.edges.map((e: any) => e.node.id).filter((id: string) => id !== d.viewer.organisation.id),
      ...(senior ? {} : { level: ['MODERATE', 'MINOR', 'NONE', 'NEGATIVE'] }),
      ...extra,
    };
  }

  beforeAll(async () => {
    // Claims of TVP for SEROCU's validator: one late, one MINOR, one submitted long ago.
    const threat = await assessedThreat(session.app, { name: 'Operation Sorrel' });
    const oldest = await submittedDisruption(session.app, 'tvp.investigator', threat.id, { description: 'Queue test: the oldest claim, a van seized.' });
    await sql(session.app, 'update disruption set submitted_at = ? where id = ?', ['2020-01-02T09:00:00Z', dbId(oldest.id)]);
    await submittedDisruption(session.app, 'tvp.investigator', threat.id, { description: 'Queue test: a late claim.', date: daysAgo(200) });
    await submittedDisruption(session.app, 'tvp.investigator', threat.id, { description: 'Queue test: a minor claim.', level: 'MINOR' });
  });

  it('counts the queue as the API does, oldest submitted first, and filters it by level and by lateness', async () => {
    const { page } = session.watched;
    const filter = await queueFilter();
    const total = await count(filter);
    // The screen's filter is the validation queue itself.
    expect(total).toBe((await gql(`{ disruptionValidationQueue { totalCount } }`)).disruptionValidationQueue.totalCount);
    expect(total).toBeGreaterThanOrEqual(3);

    await signIn(page, VALIDATOR);
    await page.goto('/disruptions');
    await page.getByRole('tab', { name: 'Validation queue', selected: true }).waitFor();
    await waitForStatus(page, waiting(total));

    // Oldest submitted first, as the API orders them.
    const ordered = await gql(`query ($f: DisruptionFilter) { disruptions(first: 20, filter: $f, orderBy: [{ field: SUBMITTED_AT, direction: ASC }]) { edges { node { description } } } }`, { f: filter });
    expect(ordered.disruptions.edges[0].node.description).toBe('Queue test: the oldest claim, a van seized.');
    expect(await page.locator('ul.queue > li .hint').allTextContents()).toEqual(ordered.disruptions.edges.map((e: any) => e.node.description));
    await expectAccessible(page, 'validation queue');
    await screenshot(page, 'validation-queue-filters');

    // Sortable: newest submitted first.
    await page.getByLabel(/^Order\b/).selectOption({ label: 'Newest first' });
    await page.waitForURL(/dir=DESC/);
    await page.locator('ul.queue > li .hint').last().filter({ hasText: 'Queue test: the oldest claim, a van seized.' }).waitFor();
    await page.getByLabel(/^Order\b/).selectOption({ label: 'Oldest first' });

    // By level: the API's count for the same filter.
    const minor = await count(await queueFilter({ level: ['MINOR'] }));
    expect(minor).toBeGreaterThanOrEqual(1);
    await page.getByLabel(/^Level claimed\b/).selectOption({ label: 'Minor' });
    await page.waitForURL(/level=MINOR/);
    await waitForStatus(page, waiting(minor));
    expect(await page.locator('ul.queue > li').count()).toBe(Math.min(minor, 20));
    for (const text of await page.locator('ul.queue > li').allTextContents()) expect(text).toContain('· Minor ·');
    await page.getByLabel(/^Level claimed\b/).selectOption({ label: 'Any' });
    await waitForStatus(page, waiting(total));

    // By lateness.
    const late = await count(await queueFilter({ isLate: true }));
    expect(late).toBeGreaterThanOrEqual(1);
    await page.getByLabel(/^Late\b/).selectOption({ label: 'Late' });
    await page.waitForURL(/late=yes/);
    await waitForStatus(page, waiting(late));
    await page.getByText('Queue test: a late claim.').waitFor();

    // Kept in the address: a reload shows the same filtered queue.
    await page.reload();
    await waitForStatus(page, waiting(late));
    expect(await page.getByLabel(/^Late\b/).inputValue()).toBe('yes');

    // Nothing matching: said as what the viewer can see.
    const none = await count(await queueFilter({ isLate: true, level: ['NEGATIVE'], possibleDuplicate: true }));
    if (none === 0) {
      await page.goto('/disruptions?tab=queue&late=yes&level=NEGATIVE&duplicate=yes');
      await waitForStatus(page, waiting(0));
      await page.getByText('No claims waiting that you can see match these filters.').waitFor();
    }
  });

  it('filters the disruptions list by status and level in the address, counted as the API counts', async () => {
    const { page } = session.watched;
    await signIn(page, VALIDATOR);
    const all = await count({});
    await page.goto('/disruptions?tab=all');
    await page.getByRole('tab', { name: 'All', selected: true }).waitFor();
    const shown = (n: number) => waitForStatus(page, `${n} ${n === 1 ? 'disruption' : 'disruptions'}`);
    await shown(all);

    const validatedModerate = await count({ status: ['VALIDATED'], level: ['MODERATE'] });
    await page.getByLabel(/^Status\b/).selectOption({ label: 'Validated' });
    await page.waitForURL(/status=VALIDATED/);
    await shown(await count({ status: ['VALIDATED'] }));
    await page.getByLabel(/^Level claimed\b/).selectOption({ label: 'Moderate' });
    await page.waitForURL(/level=MODERATE/);
    await shown(validatedModerate);
    for (const text of await page.locator('ul.queue > li').allTextContents()) {
      expect(text).toContain('· Moderate ·');
      expect(text).toContain('Validated');
    }
    await expectAccessible(page, 'disruptions list, filtered');
    await screenshot(page, 'disruptions-list-filters');

    // From the address alone: a shared link gives the same list.
    const url = new URL(page.url());
    await page.goto(`/disruptions?${url.searchParams}`);
    await shown(validatedModerate);

    // A date range and strand, straight from the address.
    const ranged = await count({ strand: ['PURSUE'], dateFrom: daysAgo(365), dateTo: daysAgo(0) });
    await page.goto(`/disruptions?tab=all&strand=PURSUE&from=${daysAgo(365)}&to=${daysAgo(0)}`);
    await shown(ranged);
  });
});
