import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { signIn } from './sign-in';

/** The plans register: every plan the user may see, found by search and filters, counted as the API counts them. */
describeInBrowser('web client: plans register', () => {
  const session = useBrowserSession();

  const countShown = async (page: import('playwright-core').Page) => Number((await page.getByRole('status').filter({ hasText: /\bplans?$/ }).textContent())!.match(/\d+/)![0]);

  it('lists, searches, filters and counts plans for the LRO as the API does', async () => {
    const all = await session.app.gql('serocu.lro', `{ plans(first: 100) { totalCount edges { node { id status threat { name urn } } } } }`);
    const plans = all.data.plans.edges.map((e: any) => e.node);
    expect(plans.length).toBeGreaterThan(1);
    const { page } = session.watched;
    await signIn(page, 'serocu.lro');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: '4P plans' }).click();
    await page.getByRole('heading', { name: '4P plans', level: 1 }).waitFor();
    await page.locator('table.list tbody tr').first().waitFor();
    expect(await countShown(page)).toBe(all.data.plans.totalCount);
    await screenshot(page, 'plans-register');

    // Status filter: the count is the API's for the same filter.
    const active = await session.app.gql('serocu.lro', `{ plans(filter: { status: [ACTIVE] }) { totalCount } }`);
    await page.getByLabel('Status').selectOption({ label: 'Active' });
    await page.waitForURL(/status=ACTIVE/);
    await page.getByRole('status').filter({ hasText: `${active.data.plans.totalCount} plan` }).waitFor();
    const statuses = await page.locator('table.list tbody tr td:nth-child(3)').allTextContents();
    expect(new Set(statuses)).toEqual(new Set(active.data.plans.totalCount ? ['Active'] : []));
    await page.getByLabel('Status').selectOption({ label: 'Any' });

    // Search by the threat's URN finds its plan, and the link opens it.
    const target = plans[0];
    await page.getByRole('searchbox', { name: 'Search' }).fill(target.threat.urn);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('status').filter({ hasText: /^1 plan$/ }).waitFor();
    await page.getByRole('link', { name: target.threat.name, exact: true }).click();
    await page.waitForURL(new RegExp(`/plans/${encodeURIComponent(target.id)}$`));

    // Sorting by threat name orders the rows as the API does.
    await page.goto('/plans?sort=THREAT_NAME&dir=ASC');
    await page.locator('table.list tbody tr').first().waitFor();
    const sorted = await session.app.gql('serocu.lro', `{ plans(first: 25, orderBy: [{ field: THREAT_NAME, direction: ASC }]) { edges { node { threat { name } } } } }`);
    expect(await page.locator('table.list tbody tr td:nth-child(2)').allTextContents()).toEqual(sorted.data.plans.edges.map((e: any) => e.node.threat.name));

    // The LRO's own plans, and plans with overdue actions: the counts are the API's.
    const lroId = (await session.app.gql('serocu.lro', '{ viewer { id } }')).data.viewer.id;
    const mine = await session.app.gql('serocu.lro', `query ($ids: [ID!]) { plans(filter: { lroIds: $ids }) { totalCount } }`, { ids: [lroId] });
    await page.goto('/plans');
    await page.getByLabel('LRO').selectOption({ label: 'Plans where I am the LRO' });
    await page.waitForURL(/lro=me/);
    await page.getByRole('status').filter({ hasText: new RegExp(`^${mine.data.plans.totalCount} plans?$`) }).waitFor();
    await page.getByLabel('LRO').selectOption({ label: 'Any' });
    const overdue = await session.app.gql('serocu.lro', `{ plans(filter: { actionsOverdue: true }) { totalCount } }`);
    await page.getByLabel('Actions').selectOption({ label: 'With overdue actions' });
    await page.waitForURL(/actions=yes/);
    await page.getByRole('status').filter({ hasText: new RegExp(`^${overdue.data.plans.totalCount} plans?$`) }).waitFor();
    if (overdue.data.plans.totalCount > 0) {
      const flagged = await page.locator('table.list tbody tr td:nth-child(8)').allTextContents();
      expect(flagged.every((text) => /^\d+$/.test(text))).toBe(true); // each row shows its number of overdue actions
    }

    // Nothing matching: said as what is shared with you, not as a fact about the region.
    await page.goto('/plans?q=no-such-plan-words');
    await page.getByText('No plans shared with you match.').waitFor();
  });

  it.each([
    ['oxon.mash', 'Safeguarding', false],
    ['hmrc.officer', 'Investigation', true],
  ])('shows a partner (%s, working on %s) only the plans shared with them; the gate filter only for law enforcement', async (username, purpose, lawEnforcement) => {
    const { page } = session.watched;
    const theirs = await session.app.gql(username, `{ plans(first: 100) { totalCount edges { node { threat { name } } } } }`);
    await signIn(page, username, purpose);
    await page.goto('/plans');
    await page.getByRole('heading', { name: '4P plans', level: 1 }).waitFor();
    await page.getByRole('status').filter({ hasText: /\bplans?$/ }).waitFor();
    expect(await countShown(page)).toBe(theirs.data.plans.totalCount);
    expect(await page.getByLabel('Quality gate').count()).toBe(lawEnforcement ? 1 : 0);
    const names = await page.locator('table.list tbody tr td:nth-child(2)').allTextContents();
    expect(names.sort()).toEqual(theirs.data.plans.edges.map((e: any) => e.node.threat.name).sort());
    if (theirs.data.plans.totalCount === 0) await page.getByText('No plans shared with you.').waitFor();
    await screenshot(page, `plans-register-${username}`);
  });
});
