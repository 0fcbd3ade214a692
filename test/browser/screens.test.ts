import type { Page } from 'playwright-core';
import { describeInBrowser, screenshot, useBrowserSession } from '../support/browser';
import { orgId } from '../support/factories';
import { createReferral } from '../support/referral-factories';
import { enumSpellingsIn } from '../support/enum-spellings';
import { signIn } from './sign-in';

const levels = ['MAJOR', 'MODERATE', 'MINOR', 'NONE', 'NEGATIVE'];

/** Follows a link on the home page, then one on the next page: every screen is within two clicks. */
async function fromHome(page: Page, first: string, second?: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Home' }).click();
  await page.getByRole('heading', { name: 'Regional picture', level: 1 }).waitFor();
  await page.getByRole('main').getByRole('link', { name: first }).first().click();
  if (second) await page.getByRole('main').getByRole('link', { name: second }).first().click();
}

/** The home chart, audit search, sharing agreements, "who can see this?" and a partner's limits, in Chromium. */
describeInBrowser('web client: screens', () => {
  const session = useBrowserSession();

  it('draws validated disruptions by quarter and level with the figures the API gives that user, and a table of them', async () => {
    const { data } = await session.app.gql('serocu.analyst', `{ disruptionStats(groupBy: [FISCAL_YEAR, QUARTER, LEVEL]) { rows { fiscalYear quarter level count } } }`);
    const expected = new Map<string, Record<string, number>>();
    for (const row of data.disruptionStats.rows) {
      const key = `${row.fiscalYear} ${row.quarter}`;
      const counts = expected.get(key) ?? Object.fromEntries(levels.map((l) => [l, 0]));
      counts[row.level] += row.count;
      expected.set(key, counts);
    }
    expect(expected.size).toBeGreaterThan(0);

    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    const table = page.getByTestId('disruption-figures');
    await table.waitFor();
    const shown = await table.locator('tbody tr').evaluateAll((rows) =>
      rows.map((r) => ({
        key: r.querySelector('th')!.textContent!.trim(),
        counts: Object.fromEntries([...r.querySelectorAll('td[data-level]')].map((td) => [td.getAttribute('data-level'), Number(td.textContent)])),
      })),
    );
    expect(new Map(shown.map((s) => [s.key, s.counts]))).toEqual(expected);

    // The bars: one per quarter and level with any, the height's figure in its accessible title.
    const chart = page.getByTestId('disruption-chart');
    expect(await chart.getByRole('img').getAttribute('aria-labelledby')).toBeTruthy();
    const bars = await chart.locator('rect[data-level]').evaluateAll((rects) =>
      rects.map((r) => ({ quarter: r.parentElement!.getAttribute('data-quarter')!, level: r.getAttribute('data-level')!, count: Number(r.getAttribute('data-count')), title: r.querySelector('title')!.textContent })),
    );
    expect(bars.length).toBeGreaterThan(0);
    for (const bar of bars) {
      expect(bar.count).toBe(expected.get(bar.quarter)![bar.level]);
      expect(bar.title).toContain(`${bar.quarter}`);
    }
    await page.getByTestId('threats-by-priority').waitFor();
    await page.getByRole('heading', { name: 'What changed since your last visit' }).waitFor();
    await screenshot(page, 'home-chart');
  });

  it('lets an auditor find an audit event by record, then by its user, and verify the chain', async () => {
    // Every read of a referral is audited: tvp.safeguarding reads one it made.
    const referral = await createReferral(session.app);
    const read = await session.app.gql('tvp.safeguarding', `query ($id: ID!) { node(id: $id) { id } }`, { id: referral.id });
    expect(read.data.node.id).toBe(referral.id);
    const { data } = await session.app.gql('serocu.auditor', `query ($id: ID!) { auditEvents(first: 10, filter: { action: [READ], recordId: $id }) { edges { node { id username recordIds } } } }`, { id: referral.id }, { purpose: 'AUDIT' });
    const event = data.auditEvents.edges.map((e: any) => e.node).find((e: any) => e.username === 'tvp.safeguarding');
    expect(event).toBeDefined();

    const { page } = session.watched;
    await signIn(page, 'serocu.auditor', 'Audit');
    await fromHome(page, 'Search the audit trail');
    await page.getByRole('heading', { name: 'Audit trail', level: 1 }).waitFor();
    await page.getByLabel('Record', { exact: true }).fill(referral.reference);
    await page.getByRole('combobox', { name: 'Action' }).selectOption('READ');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByTestId('audit-events').locator('tbody tr');
    const found = data.auditEvents.edges.length;
    await page.getByRole('navigation', { name: 'Pages' }).getByText(`${found} of ${found}`, { exact: true }).waitFor();
    expect(await rows.count()).toBe(found);
    expect(await rows.filter({ hasText: 'tvp.safeguarding' }).count()).toBe(found);

    await rows.filter({ hasText: 'tvp.safeguarding' }).first().getByRole('button', { name: event.username }).click();
    await page.getByText(`User: ${event.username}`).waitFor();
    await page.getByRole('button', { name: 'Verify the audit chain' }).click();
    await page.getByTestId('chain-result').getByText(/Intact/).waitFor();
    await page.getByTestId('chain-result').getByText(/\d+ events, each against the one before it/).waitFor();
    await screenshot(page, 'audit-search');
  });

  it('lets an admin suspend an agreement (the reason is required, said next to the field) and reinstate it', async () => {
    const { data } = await session.app.gql('serocu.admin', `{ sharingAgreements(first: 100, filter: { status: [ACTIVE] }) { edges { node { id title version } } } }`);
    const agreement = data.sharingAgreements.edges[0].node;
    const missingReason = await session.app.gql('serocu.admin', `mutation ($id: ID!, $version: Int!) { suspendSharingAgreement(input: { id: $id, expectedVersion: $version, reason: "" }) { id } }`, { id: agreement.id, version: agreement.version });
    const message = missingReason.errors![0].extensions!.fields.find((f: any) => f.field === 'input.reason').message as string;

    const { page } = session.watched;
    await signIn(page, 'serocu.admin');
    await fromHome(page, 'Manage sharing agreements');
    await page.getByRole('button', { name: `Manage ${agreement.title}` }).click();
    const panel = page.getByRole('region', { name: /Manage “/ });
    await panel.getByRole('button', { name: 'Suspend' }).click();
    const reason = panel.getByLabel('Reason');
    await page.locator('.field-invalid', { has: page.getByLabel('Reason') }).locator('.field-error').getByText(message).waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');

    await reason.fill('Breach reported by a party: sharing paused pending review');
    await panel.getByRole('button', { name: 'Suspend' }).click();
    const row = page.getByTestId('agreements').getByRole('row').filter({ has: page.getByRole('rowheader', { name: agreement.title, exact: true }) });
    await row.getByTestId('agreement-status').getByText('Suspended').waitFor();
    const after = await session.app.gql('serocu.admin', `query ($id: ID!) { node(id: $id) { ... on InformationSharingAgreement { status statusReason } } }`, { id: agreement.id });
    expect(after.data.node).toEqual({ status: 'SUSPENDED', statusReason: 'Breach reported by a party: sharing paused pending review' });
    await screenshot(page, 'agreements');

    await panel.getByRole('button', { name: 'Reinstate' }).click();
    await row.getByTestId('agreement-status').getByText('Active').waitFor();
    const reinstated = await session.app.gql('serocu.admin', `query ($id: ID!) { node(id: $id) { ... on InformationSharingAgreement { status } } }`, { id: agreement.id });
    expect(reinstated.data.node.status).toBe('ACTIVE');
  });

  it('lists the access rules in "Who can see this?" on a threat page, as explainAccess gives them, with the links drawn as a network', async () => {
    const { data } = await session.app.gql('serocu.analyst', `{ threats(first: 100) { edges { node { id name linkedThreats { threat { id } } } } } }`);
    const threat = data.threats.edges.map((e: any) => e.node).find((t: any) => t.linkedThreats?.length) ?? data.threats.edges[0].node;
    const explained = await session.app.gql('serocu.analyst', `query ($id: ID!) { explainAccess(recordId: $id) { canRead rules { rule passed detail } } }`, { id: threat.id });
    const rules = explained.data.explainAccess.rules as { rule: string; detail: string }[];
    expect(rules.length).toBeGreaterThan(0);

    const { page } = session.watched;
    await signIn(page, 'serocu.analyst');
    await page.goto(`/threats/${threat.id}`);
    await page.getByRole('heading', { name: new RegExp(threat.name), level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Who can see this?' }).click();
    const table = page.getByTestId('access-rules');
    await table.waitFor();
    const shown = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => ({ rule: r.querySelector('th')!.textContent, detail: r.querySelectorAll('td')[1].textContent })));
    expect(shown.map((r) => r.detail)).toEqual(rules.map((r) => r.detail));
    // Each rule by the name people use, not the API's (CLEARANCE, ROLE...).
    expect(shown.map((r) => r.rule)).toEqual(rules.map((r) => ({ CLEARANCE: 'Clearance', ROLE: 'Role', SHARING: 'Sharing', AGREEMENT: 'Sharing agreement' })[r.rule]));
    // Nothing in the panel is spelt as the API spells its values (roles, markings, sharing, statuses).
    expect(enumSpellingsIn(await page.locator('.who-can-see').first().innerText())).toEqual([]);
    expect(await page.getByTestId('access-verdict').textContent()).toContain('can read this');
    if (threat.linkedThreats?.length) {
      const network = page.getByTestId('threat-network');
      await network.waitFor();
      expect(await network.getByRole('link').count()).toBeGreaterThan(0);
    }
    await screenshot(page, 'threat-who-can-see');
  });

  it('shows a partner withheld priorities on the home page and no referral it is not party to', async () => {
    // Every demo referral involves Oxfordshire's children's services: TVP refers one to Hampshire's.
    const other = await createReferral(session.app, { receivingOrganisationId: await orgId(session.app, 'HANTS_CS') });
    const asPartner = await session.app.gql('oxon.mash', `query ($id: ID!) { node(id: $id) { id } }`, { id: other.id }, { purpose: 'SAFEGUARDING' });
    expect(asPartner.data.node).toBeNull();

    const { page } = session.watched;
    await signIn(page, 'oxon.mash', 'Safeguarding');
    await page.getByTestId('threats-by-priority').waitFor();
    await page.getByRole('region', { name: /Open threats by priority/ }).getByText(/^Withheld: .+/).waitFor();
    await screenshot(page, 'home-partner');

    await page.goto(`/referrals/${other.id}`);
    await page.getByRole('alert').getByText('This referral does not exist or you are not party to it.').waitFor();
    expect(await page.getByText(other.reference).count()).toBe(0);
  });

  it('marks the plan gate’s missing-strand problem as being resolved while the user types an objective for that strand, and unmarks it when cleared', async () => {
    const editorOf: Record<string, string> = { SEROCU: 'serocu.lro', TVP: 'tvp.investigator', HIOW: 'hiow.analyst', SURREY: 'surrey.investigator', SUSSEX: 'sussex.investigator' };
    const { data } = await session.app.gql('serocu.analyst', `{ plans(first: 100, filter: { status: [ACTIVE, DRAFT, UNDER_REVIEW] }) { edges { node {
      id owningOrganisation { code } quality { problems { code strand message } } } } } }`);
    const plan = data.plans.edges.map((e: any) => e.node).find((p: any) => editorOf[p.owningOrganisation.code] && p.quality.problems.some((q: any) => q.code === 'MISSING_STRAND'));
    const missing = plan.quality.problems.find((q: any) => q.code === 'MISSING_STRAND');
    const strandName = missing.strand.charAt(0) + missing.strand.slice(1).toLowerCase();

    const { page } = session.watched;
    await signIn(page, editorOf[plan.owningOrganisation.code]);
    await page.goto(`/plans/${plan.id}`);
    const problem = page.getByRole('list', { name: 'Quality gate problems' }).getByRole('listitem').filter({ hasText: missing.message });
    await problem.waitFor();
    expect(await problem.getAttribute('class')).toBeNull();

    const strand = page.locator('section.strand', { has: page.getByRole('heading', { name: strandName, exact: true }) });
    await strand.getByText(`Add a ${strandName} objective`).click();
    const objective = strand.getByRole('textbox', { name: 'Objective' });
    await objective.pressSequentially('Prepare the');
    await problem.getByText('resolved once what you are typing is saved').waitFor();
    expect(await problem.getAttribute('class')).toBe('resolving');
    await screenshot(page, 'plan-editor-typing');

    await objective.fill('');
    await problem.getByText('resolved once what you are typing is saved').waitFor({ state: 'detached' });
    expect(await problem.getAttribute('class')).toBeNull();
  });

  it('shows the server’s messages next to each field of a new agreement, then creates it', async () => {
    const input = { title: 'Oxfordshire exploitation protocol', partyIds: [], legalGateways: [], dataCategories: [], maxProtectiveMarking: 'OFFICIAL', effectiveFrom: '2026-12-01', expiresOn: '2027-12-01' };
    const refused = await session.app.gql('serocu.admin', `mutation ($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { id } }`, { input });
    const messageFor = (field: string) => refused.errors![0].extensions!.fields.find((f: any) => f.field === `input.${field}`).message as string;

    const { page } = session.watched;
    await signIn(page, 'serocu.admin');
    await fromHome(page, 'Manage sharing agreements');
    await page.getByRole('button', { name: 'New agreement' }).click();
    const form = page.getByRole('form', { name: 'New sharing agreement' });
    await form.getByLabel('Title').fill(input.title);
    await form.getByRole('button', { name: 'Create agreement' }).click();
    // Dates the API's types require are asked for before anything is sent.
    await form.locator('.field-invalid', { has: page.getByLabel('Effective from') }).locator('.field-error').waitFor();
    await form.getByLabel('Effective from').fill(input.effectiveFrom);
    await form.getByLabel('Expires on').fill(input.expiresOn);
    await form.getByRole('button', { name: 'Create agreement' }).click();
    for (const [legend, field] of [['Parties', 'partyIds'], ['Legal gateways', 'legalGateways'], ['Kinds of record covered', 'dataCategories']]) {
      await form.getByRole('group', { name: new RegExp(`^${legend}`) }).locator('.field-error').getByText(messageFor(field)).waitFor();
    }
    expect(await form.getByLabel('Effective from').getAttribute('aria-invalid')).toBeNull();
    await screenshot(page, 'agreement-form-errors');

    const parties = form.getByRole('group', { name: /^Parties/ });
    await parties.getByRole('checkbox', { name: 'TVP', exact: true }).check();
    await parties.getByRole('checkbox', { name: 'OXON_CS', exact: true }).check();
    await form.getByRole('group', { name: 'Legal gateways' }).getByRole('checkbox').first().check();
    await form.getByRole('group', { name: 'Kinds of record covered' }).getByRole('checkbox', { name: 'Referral' }).check();
    await form.getByRole('button', { name: 'Create agreement' }).click();
    await page.getByTestId('agreements').getByRole('rowheader', { name: input.title, exact: true }).waitFor();
    const { data } = await session.app.gql('serocu.admin', `{ sharingAgreements(first: 100, filter: { status: [DRAFT] }) { edges { node { title parties { code } } } } }`);
    const created = data.sharingAgreements.edges.map((e: any) => e.node).find((a: any) => a.title === input.title);
    expect(created.parties.map((p: any) => p.code).sort()).toEqual(['OXON_CS', 'TVP']);
  });

  it('reaches a 4P plan in two clicks from home (Threats, then the plan), and a practice entry’s "who can see this?"', async () => {
    const { page } = session.watched;
    await signIn(page, 'serocu.lro');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Threats' }).click();
    await page.getByRole('link', { name: /^4P plan for / }).first().click();
    await page.getByRole('heading', { name: /^4P plan: /, level: 1 }).waitFor();
    // A plan is read only with its threat: its rules end with that one, by the name people use.
    await page.getByRole('button', { name: 'Who can see this?' }).click();
    const planRules = page.getByTestId('access-rules');
    await planRules.waitFor();
    const threatRule = planRules.locator('tbody tr').last();
    expect(await threatRule.locator('th').textContent()).toBe('The threat it belongs to');
    expect(await threatRule.locator('td').nth(1).textContent()).toMatch(/^It belongs to threat .+, which serocu\.lro can read\.$/);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Practice' }).click();
    const first = page.getByRole('button', { name: /^Who can see this\? \(.+\)$/ }).first();
    await first.click();
    expect(await first.getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('access-rules').first().waitFor();
    expect(await page.getByTestId('access-rules').first().locator('tbody tr').count()).toBeGreaterThan(0);
  });

  it('shows no value as the API spells it on the main screens and the first record of each list, for police and a partner', async () => {
    const { page } = session.watched;
    const found: string[] = [];
    const check = async (where: string) => {
      await page.getByRole('main').locator('[aria-busy="true"]').first().waitFor({ state: 'detached' });
      for (const spelling of enumSpellingsIn(await page.getByRole('main').innerText())) found.push(`${where}: ${spelling}`);
    };
    for (const [username, purpose] of [['serocu.analyst', undefined], ['oxon.mash', 'Safeguarding']] as const) {
      await signIn(page, username, purpose);
      const screens = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')!));
      expect(screens.length).toBeGreaterThan(3);
      for (const screen of screens) {
        await page.goto(screen);
        await page.waitForLoadState('networkidle');
        await check(`${username} ${screen}`);
        const record = page.getByRole('main').locator('table.list tbody tr a').first();
        if (screen === '/' || !(await record.count())) continue;
        await record.click();
        await page.waitForLoadState('networkidle');
        await check(`${username} ${screen}, its first record`);
      }
      await page.getByRole('button', { name: 'Sign out' }).click();
    }
    expect(found).toEqual([]);
  });
});
