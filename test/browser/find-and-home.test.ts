import type { Page } from 'playwright-core';
import { axeOnPage } from '../support/axe';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { sql } from '../support/disruption-factories';
import { enumSpellingsIn } from '../support/enum-spellings';
import { signIn } from './sign-in';

async function expectAccessible(page: Page): Promise<void> {
  const { seriousViolations, rulesNotApplied } = await axeOnPage(page);
  expect(rulesNotApplied).toEqual([]);
  expect(seriousViolations).toEqual([]);
}

/** The header's search box, the home page's worklist by role, and the purpose in the header. */
describeInBrowser('web client: find anything, what waits for you, purpose in the header', () => {
  const session = useBrowserSession();
  const gql = async (as: string, query: string, variables?: Record<string, unknown>) => {
    const result = await session.app.gql(as, query, variables);
    expect(result.errors).toBeUndefined();
    return result.data;
  };
  const searchBox = (page: Page) => page.getByRole('combobox', { name: /Find threats, people, plans/ });

  it('finds a threat from the header by keyboard: grouped results, arrow keys, Enter opens it', async () => {
    const threats = (await gql('serocu.analyst', `{ threats(first: 50, orderBy: [{ field: NAME, direction: ASC }]) { edges { node { id urn name } } } }`)).threats.edges.map((e: any) => e.node);
    // A name no other threat's name contains, so it is the only threat found.
    const threat = threats.find((t: any) => threats.filter((o: any) => o.name.toLowerCase().includes(t.name.toLowerCase())).length === 1);
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await searchBox(page).focus();
    await page.keyboard.type(threat.name);
    const results = page.getByRole('listbox', { name: 'Search results' });
    const group = results.getByRole('group', { name: /^Threats/ });
    // The search for the whole name: typed slowly (under load), a pause longer than the box waits
    // for typing to settle searched part of it first, whose results (this threat among them) gave
    // way to the whole name's a moment later.
    await results.getByRole('option', { name: `All results for “${threat.name}”`, exact: true }).waitFor();
    await group.getByRole('option', { name: new RegExp(`^${threat.urn} ${threat.name}`) }).waitFor();
    expect(await searchBox(page).getAttribute('aria-expanded')).toBe('true');
    await expectAccessible(page);
    await screenshot(page, 'header-search');
    await page.keyboard.press('ArrowDown');
    const active = await searchBox(page).getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${active}"]`).textContent()).toContain(`${threat.urn} ${threat.name}`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: new RegExp(threat.name) }).waitFor();
    expect(page.url()).toContain(`/threats/${encodeURIComponent(threat.id)}`);
    expect(await searchBox(page).getAttribute('aria-expanded')).toBe('false');

    // Enter with nothing chosen: every kind on the results page.
    await searchBox(page).fill(threat.urn);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: `Search results for “${threat.urn}”` }).waitFor();
    await page.getByRole('region', { name: /^Threats/ }).getByRole('link', { name: `${threat.urn} ${threat.name}` }).waitFor();
    await expectAccessible(page);
  });

  it('keeps the results open while the next search is on its way, saying so, with the way to all results', async () => {
    const threats = (await gql('serocu.analyst', `{ threats(first: 50, orderBy: [{ field: NAME, direction: ASC }]) { edges { node { id urn name } } } }`)).threats.edges.map((e: any) => e.node);
    const unique = threats.filter((t: any) => threats.filter((o: any) => o.name.toLowerCase().includes(t.name.toLowerCase())).length === 1);
    expect(unique.length).toBeGreaterThanOrEqual(2);
    const [first, second] = unique;
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    // Every search answered 1.5 s late, as on a slow connection.
    await page.route('**/graphql*', async (route) => {
      if ((route.request().postData() ?? route.request().url()).includes('FindAnything')) await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    const results = page.getByRole('listbox', { name: 'Search results' });
    await searchBox(page).fill(first.name);
    await results.getByText(`Searching for “${first.name}”…`).waitFor();
    expect(await searchBox(page).getAttribute('aria-expanded')).toBe('true');
    expect((await results.getByRole('option').allTextContents()).map((o) => o.trim())).toEqual([`All results for “${first.name}”`]);
    await expectAccessible(page);
    await results.getByRole('option', { name: new RegExp(`^${first.urn} ${first.name}`) }).waitFor();

    // Typing something else: the list stays open, from the first results to the second (watched in
    // the page, every frame, until the second threat is offered).
    const closedMeanwhile = searchBox(page).evaluate(async (box, offered) => {
      const inPage = globalThis as any;
      let closed = false;
      for (const until = Date.now() + 30_000; Date.now() < until; await new Promise((r) => inPage.requestAnimationFrame(r))) {
        if (box.getAttribute('aria-expanded') !== 'true') closed = true;
        if ([...box.ownerDocument.querySelectorAll('[role="option"]')].some((o) => o.textContent?.startsWith(offered))) return closed;
      }
      return 'the second threat was never offered';
    }, `${second.urn} ${second.name}`);
    await searchBox(page).fill(second.name);
    expect(await closedMeanwhile).toBe(false);
    await results.getByRole('option', { name: new RegExp(`^${second.urn} ${second.name}`) }).waitFor();
    expect(await results.getByText(/^Searching for/).count()).toBe(0);
  });

  it('does not show a partner what is not shared with them, and says so without claiming there is none', async () => {
    const unseen = (await gql('serocu.analyst', `{ threats(first: 100) { edges { node { id name } } } }`)).threats.edges.map((e: any) => e.node);
    const partnerSees = new Set((await gql('oxon.mash', `{ threats(first: 100) { edges { node { id } } } }`)).threats.edges.map((e: any) => e.node.id));
    const hidden = unseen.find((t: any) => !partnerSees.has(t.id) && !unseen.some((o: any) => partnerSees.has(o.id) && o.name.toLowerCase().includes(t.name.toLowerCase())));
    expect(hidden).toBeDefined();
    const { page } = session.watched;
    await signIn(page, 'oxon.mash', 'Safeguarding');
    await searchBox(page).fill(hidden.name);
    await page.getByRole('listbox', { name: 'Search results' }).getByText(`Nothing you can see matches “${hidden.name}”.`).waitFor();
    // Only the way to the full results page is offered.
    const offered = await page.getByRole('listbox', { name: 'Search results' }).getByRole('option').allTextContents();
    expect(offered.map((o) => o.trim())).toEqual([`All results for “${hidden.name}”`]);
  });

  it('says "more than 100" for a kind with more matches than the search counts, and waits for three characters', async () => {
    // 102 people of one name: the first from the demo, copied in SQL (as the database owner).
    const [person] = await sql(session.app, `select id from nominal order by owning_organisation_id = (select id from organisation where code = 'SEROCU') desc, sharing = 'REGIONAL_LAW_ENFORCEMENT' desc, protective_marking = 'OFFICIAL' desc limit 1`);
    const columns = (await sql(session.app, `select string_agg(quote_ident(column_name), ', ') as list from information_schema.columns where table_name = 'nominal' and column_name not in ('id', 'name')`))[0].list;
    await sql(session.app, `insert into nominal (name, ${columns}) select 'Quillon Marsh', ${columns} from nominal, generate_series(1, 102) where id = ?`, [person.id]);
    try {
      const { page } = session.watched;
      await signIn(page, 'serocu.analyst');
      await searchBox(page).fill('qu');
      await page.waitForTimeout(600); // longer than the box waits for typing to settle
      expect(await searchBox(page).getAttribute('aria-expanded')).toBe('false');
      await searchBox(page).fill('quillon');
      const results = page.getByRole('listbox', { name: 'Search results' });
      await results.getByRole('group', { name: 'People (5 of more than 100)' }).waitFor();
      await expectAccessible(page);
    } finally {
      await sql(session.app, `delete from nominal where name = 'Quillon Marsh'`);
    }
  });

  it('an SRO first sees the claims awaiting their validation, MAJOR ones marked, each opening its claim', async () => {
    const queue = (await gql('serocu.sro', `{ disruptionValidationQueue(first: 10) { totalCount edges { node { id level threat { urn name } } } } }`)).disruptionValidationQueue;
    expect(queue.totalCount).toBeGreaterThan(0);
    const { page } = session.watched;
    await signIn(page, 'serocu.sro');
    const panel = page.getByTestId('work-claims');
    await panel.getByRole('heading', { name: `Claims awaiting your validation (${queue.totalCount})` }).waitFor();
    const items = panel.getByRole('listitem');
    expect(await items.count()).toBe(queue.edges.length);
    const majors = queue.edges.filter((e: any) => e.node.level === 'MAJOR').length;
    expect(await panel.getByText('Major: a senior validator’s decision').count()).toBe(majors);
    // An SRO approves assessments: that list is there too; the regional picture follows.
    await page.getByRole('heading', { name: /Assessments waiting for a decision/ }).waitFor();
    await page.getByRole('heading', { name: /Plans needing attention/ }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'home-sro');
    const first = queue.edges[0].node;
    await items.first().getByRole('link').click();
    await page.waitForURL(`**/disruptions/${encodeURIComponent(first.id)}`);
  });

  it('an LRO first sees their own plans failing the gate; a partner the referrals and actions waiting on their organisation', async () => {
    const lroId = (await gql('serocu.lro', '{ viewer { id } }')).viewer.id;
    const failing = (await gql('serocu.lro', `query ($me: [ID!]) { plans(first: 10, filter: { lroIds: $me, status: [ACTIVE, UNDER_REVIEW], failingGate: true }) { totalCount } }`, { me: [lroId] })).plans;
    const { page } = session.watched;
    await signIn(page, 'serocu.lro');
    await page.getByTestId('work-plans').getByRole('heading', { name: `Your plans failing the quality gate (${failing.totalCount})` }).waitFor();
    expect(await page.getByTestId('work-claims').count()).toBe(0);
    await page.getByTestId('work-insights').getByRole('heading', { name: /Findings within your access \(\d+\)/ }).waitFor();
    await expectAccessible(page);
    // The findings name crime categories (the demo data has some that do), in words: nothing on
    // the home page is spelt as the API spells its values.
    const summaries = (await gql('serocu.lro', '{ insights(limit: 5) { items { summary } } }')).insights.items.map((i: any) => i.summary);
    expect(summaries.some((summary: string) => / activity\b/.test(summary))).toBe(true);
    await page.getByTestId('work-insights').getByText(summaries[0]).first().waitFor();
    expect(enumSpellingsIn(await page.getByRole('main').innerText())).toEqual([]);

    const inbox = await gql(
      'oxon.mash',
      `{ viewer { organisation { name } }
         awaiting: referrals(first: 1, filter: { direction: INBOX, awaitingAcknowledgement: true }) { totalCount }
         inHand: referrals(first: 1, filter: { direction: INBOX, awaitingAcknowledgement: false, status: [ACKNOWLEDGED, IN_PROGRESS, DECISION] }) { totalCount } }`,
    );
    const partnerName = inbox.viewer.organisation.name;
    const overdue = (await gql('oxon.mash', `{ plans(first: 10, filter: { actionsOverdue: true }) { totalCount } }`)).plans;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'oxon.mash', 'Safeguarding');
    const referrals = page.getByTestId('work-referrals');
    await referrals.getByRole('heading', { name: `Referrals waiting on ${partnerName} (${inbox.awaiting.totalCount + inbox.inHand.totalCount})` }).waitFor();
    // Those still to acknowledge come first.
    expect(inbox.awaiting.totalCount).toBeGreaterThan(0);
    expect(await referrals.getByRole('heading', { level: 4 }).allTextContents()).toEqual([
      `To acknowledge (${inbox.awaiting.totalCount})`,
      ...(inbox.inHand.totalCount ? [`In hand (${inbox.inHand.totalCount})`] : []),
    ]);
    await page.getByTestId('work-actions').getByRole('heading', { name: `Plans with ${partnerName}’s actions overdue (${overdue.totalCount})` }).waitFor();
    // Insights and the validators' queue are not a partner's.
    expect(await page.getByTestId('work-insights').count()).toBe(0);
    expect(await page.getByTestId('work-claims').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'home-partner');
  });

  it('an assessor first sees the activities of their organisation’s threats not yet assessed, each opening its scoring', async () => {
    const viewer = (await gql('serocu.analyst', '{ viewer { organisation { id } } }')).viewer;
    // A new trigger with an activity nobody has assessed yet.
    await gql('serocu.analyst', `mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }`, {
      input: {
        name: 'Operation Whinchat', subjectType: 'ORGANISED_CRIME_GROUP', leadOrganisationId: viewer.organisation.id, taskingLevel: 'REGIONAL', geographicScope: 'REGIONAL',
        criminalActivities: [{ category: 'ILLEGAL_DRUGS', description: 'Cannabis farms in Slough.', firstIdentified: '2026-01-10' }],
        access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
      },
    });
    const threats = (
      await gql(
        'serocu.analyst',
        `query ($org: [ID!]) { threats(first: 50, filter: { owningOrganisationIds: $org, status: [TRIGGER_SUBMITTED, UNDER_ASSESSMENT, ASSESSED, ADOPTED, UNDER_REVIEW] }) {
          edges { node { id unassessedActivities { id } } } } }`,
        { org: [viewer.organisation.id] },
      )
    ).threats.edges.map((e: any) => e.node);
    const unassessed = threats.flatMap((t: any) => t.unassessedActivities.map((a: any) => ({ threat: t.id, activity: a.id })));
    expect(unassessed.length).toBeGreaterThan(0);
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    const panel = page.getByTestId('work-unassessed');
    await panel.getByRole('heading', { name: `Activities not yet assessed (${unassessed.length})` }).waitFor();
    await panel.getByRole('link').first().click();
    await page.waitForURL((url) => url.pathname === `/threats/${unassessed[0].threat}/assess` && url.searchParams.get('activity') === unassessed[0].activity);
  });

  it('shows the stated purpose in the header and changes it without signing out; the change is on the audit trail', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.analyst', 'Investigation');
    const select = page.getByLabel('Purpose', { exact: true });
    expect(await select.locator('option:checked').textContent()).toBe('Investigation');
    // The page reloads under the new purpose once the change is on the audit trail; still signed
    // in. The select shows the new purpose at once, before the reload: waiting for that alone let
    // the checks below run into the reload ("execution context was destroyed", on a loaded machine).
    const reloaded = page.waitForEvent('load');
    await select.selectOption({ label: 'Analysis' });
    await reloaded;
    await page.waitForFunction(() => (globalThis as any).document.querySelector('[data-testid="purpose"]')?.selectedOptions?.[0]?.textContent === 'Analysis');
    await page.getByTestId('signed-in').waitFor();
    expect(await page.getByRole('button', { name: 'Sign in' }).count()).toBe(0);
    const rows = await sql(
      session.app,
      `select purpose, detail from audit_event where username = 'serocu.analyst' and record_type = 'StatedPurpose' order by id desc limit 1`,
    );
    expect(rows).toEqual([{ purpose: 'ANALYSIS', detail: { mutations: ['statePurpose'], purposeChanges: [{ from: 'INVESTIGATION', to: 'ANALYSIS' }] } }]);
    await expectAccessible(page);
  });

  it("offers only the purposes the user's roles allow: on the sign-in page, in the header, and after a refused one", async () => {
    const { page } = session.watched;
    const offered = async () => (await page.getByTestId('purpose').locator('option').allTextContents()).filter((t) => t !== 'None stated');
    // Sign-in: under Audit, an investigator cannot sign in, and is told which purposes they may state.
    await page.goto('/');
    await page.getByLabel('Purpose of your work').selectOption({ label: 'Audit' });
    const investigator = page.getByRole('button', { name: /\btvp\.investigator\b/ });
    expect(await investigator.isDisabled()).toBe(true);
    expect(await investigator.textContent()).toContain('cannot work for audit; may work for investigation, safeguarding');
    expect(await page.getByRole('button', { name: /\bserocu\.auditor\b/ }).isDisabled()).toBe(false);
    await expectAccessible(page);

    await signIn(page, 'tvp.investigator', 'Safeguarding');
    expect(await offered()).toEqual(['Investigation', 'Safeguarding']);
    // Signed out as a person does: clearing the storage under a running page let it send a request with no token (a 401 in the console).
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(page, 'serocu.validator', 'Reporting');
    expect(await offered()).toEqual(['Reporting']);

    // A purpose the roles do not allow (kept from before a change of roles): dropped, and the header says why.
    await page.evaluate(() => (globalThis as any).sessionStorage.setItem('soc-hub.purpose', 'INVESTIGATION'));
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Your roles do not allow you to work for the purpose investigation' }).waitFor();
    expect(await offered()).toEqual(['Reporting']);
    expect(await page.getByTestId('purpose').inputValue()).toBe('');
    await expectAccessible(page);

    // A user whose roles allow no purpose signs in without one, and is told so plainly.
    await sql(
      session.app,
      `insert into app_user (username, display_name, organisation_id, roles, clearance)
       select 'tvp.noroles', 'Pat Noroles', id, '{}', 'OFFICIAL' from organisation where code = 'TVP'`,
    );
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto('/');
    const roleless = page.getByRole('button', { name: /\btvp\.noroles\b/ });
    expect(await roleless.textContent()).toContain('their roles allow no purpose: signs in without one');
    await roleless.click();
    await page.getByTestId('signed-in').waitFor();
    expect(await page.getByTestId('purpose').textContent()).toBe('Purpose: none (your roles allow you to state no purpose, so records that need one are not shown)');
    await expectAccessible(page);
    // The refused request itself (HTTP 403) is the only console error, and an expected one.
    const unexpected = session.watched.consoleErrors.filter((e) => !/status of 403/.test(e));
    session.watched.consoleErrors.splice(0, session.watched.consoleErrors.length, ...unexpected);
  });
});
