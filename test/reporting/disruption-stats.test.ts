import { createTestApp, type TestApp } from '../support/test-app';
import { approvedAssessment, createThreat, expectData, moveThreat, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';
import { assessedThreat, createDisruption, daysAgo, dbId, sql, submitDisruption, validateDisruption } from '../support/disruption-factories';
import { statementsSentDuring } from '../support/statements';
import { fiscalQuarterNumberSql, fiscalStartYearSql } from '../../server/src/modules/reporting/fiscal';

/**
 * disruptionStats through the real API, checked against figures the test computes itself from
 * the records it made, for users of different organisations.
 */

interface Made {
  claimant: string;
  date: string;
  status: string;
  claimed: string;
  agreed: string | null;
  strand: string;
  late: boolean;
  category: string | null;
  sharing: string;
  sharedWith: string[];
  contributors: string[];
  marking: string;
  /** Whether Oxfordshire may read the threat: a disruption is read only together with its threat. */
  threatOpenToPartner: boolean;
}

const USERS: Record<string, { org: string; police: boolean; clearance: number }> = {
  'tvp.investigator': { org: 'TVP', police: true, clearance: 1 },
  'surrey.investigator': { org: 'SURREY', police: true, clearance: 1 },
  'serocu.analyst': { org: 'SEROCU', police: true, clearance: 1 },
  'oxon.mash': { org: 'OXON_CS', police: false, clearance: 0 },
};

/** The access rules for disruptions (README, "Access model"), written plainly for the test. */
function visibleTo(username: string, d: Made): boolean {
  const u = USERS[username];
  if ((d.marking === 'OFFICIAL_SENSITIVE' ? 1 : 0) > u.clearance) return false;
  if (!u.police) return d.threatOpenToPartner && (d.claimant === u.org || d.contributors.includes(u.org));
  if (d.claimant === u.org) return true; // the claimant owns the record
  return d.sharing === 'REGIONAL_LAW_ENFORCEMENT' || d.sharing === 'ALL_PARTNERS' || (d.sharing === 'NAMED_ORGANISATIONS' && d.sharedWith.includes(u.org));
}

/** Reporting year and quarter, computed independently of the server's code. */
function fiscal(date: string): { fiscalYear: string; quarter: string } {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const start = m >= 4 ? y : y - 1;
  const quarter = m >= 4 && m <= 6 ? 'Q1' : m >= 7 && m <= 9 ? 'Q2' : m >= 10 ? 'Q3' : 'Q4';
  return { fiscalYear: `${start}/${String(start + 1).slice(2)}`, quarter };
}

const counts = (level: string | null) => ['MAJOR', 'MODERATE', 'MINOR'].includes(level ?? '');

let app: TestApp;
const made: Made[] = [];

const STATS = `query ($filter: DisruptionStatsFilter, $groupBy: [DisruptionStatsDimension!]!) {
  disruptionStats(filter: $filter, groupBy: $groupBy) {
    total countingTotal lateTotal
    rows { organisation { code } fiscalYear quarter level strand category status count countingCount lateCount }
    claimedAgainstAgreed { claimed agreed count }
    awaitingValidation { total oldestSubmittedAt byAge { bucket count } }
  } }`;

async function stats(as: string, groupBy: string[], filter: Record<string, unknown> = {}) {
  return expectData(await app.gql(as, STATS, { groupBy, filter })).disruptionStats;
}

/** Rows the test expects, grouped by `key`, sorted like the server's (by key, nulls last). */
function expectedRows(records: Made[], key: (d: Made) => Record<string, string | null>) {
  const groups = new Map<string, { keys: Record<string, string | null>; count: number; countingCount: number; lateCount: number }>();
  for (const d of records) {
    const keys = key(d);
    const id = JSON.stringify(keys);
    const g = groups.get(id) ?? { keys, count: 0, countingCount: 0, lateCount: 0 };
    g.count++;
    if (d.status === 'VALIDATED' && counts(d.agreed)) g.countingCount++;
    if (d.late) g.lateCount++;
    groups.set(id, g);
  }
  return [...groups.values()].sort((a, b) => JSON.stringify(Object.values(a.keys)).localeCompare(JSON.stringify(Object.values(b.keys))));
}

function sortRows(rows: any[]) {
  return [...rows].sort((a, b) => JSON.stringify(Object.values(a.keys)).localeCompare(JSON.stringify(Object.values(b.keys))));
}

beforeAll(async () => {
  app = await createTestApp();
  const threat = await assessedThreat(app, { identifiedOn: '2025-06-01', assessedOn: '2025-07-01' });
  const [drugs, slavery] = threat.criminalActivities.map((a: any) => a.id);
  // A second threat Oxfordshire may read: OFFICIAL, shared with all partners, under an agreement with Thames Valley.
  await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], categories: ['THREAT'], maxMarking: 'OFFICIAL' });
  const open = await createThreat(app, 'tvp.investigator', { name: 'Operation Open', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
  const openAssessing = await moveThreat(app, 'tvp.investigator', open, 'UNDER_ASSESSMENT');
  await approvedAssessment(app, open.id, { level: 2 });
  await moveThreat(app, 'tvp.investigator', openAssessing, 'ASSESSED');
  await sql(app, `update soc_threat set assessed_on = '2025-07-01' where id = ?`, [dbId(open.id)]);
  const serocu = await orgId(app, 'SEROCU');
  const oxon = await orgId(app, 'OXON_CS');

  async function claim(
    as: string,
    input: Record<string, unknown>,
    then: { submit?: boolean; agreed?: string; validator?: string; submittedDaysAgo?: number } = {},
  ) {
    const against = (input.threatId as string | undefined) ?? threat.id;
    let d = await createDisruption(app, as, against, input);
    if (then.submit !== false || then.agreed) d = await submitDisruption(app, as, d);
    if (then.agreed) d = await validateDisruption(app, then.validator ?? 'serocu.validator', d, { levelAgreed: then.agreed, reasons: 'Agreed at validation.' });
    if (then.submittedDaysAgo) await sql(app, `update disruption set submitted_at = now() - make_interval(days => ?) where id = ?`, [then.submittedDaysAgo, dbId(d.id)]);
    const access = (input.access ?? { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' }) as any;
    made.push({
      claimant: d.claimingOrganisation.code,
      date: d.date,
      status: d.status,
      claimed: d.level,
      agreed: d.validation?.levelAgreed ?? null,
      strand: d.validation?.strandAgreed ?? d.strand,
      late: d.isLate,
      category: input.criminalActivityId === drugs ? 'ILLEGAL_DRUGS' : input.criminalActivityId === slavery ? 'MODERN_SLAVERY_HUMAN_TRAFFICKING' : null,
      sharing: access.sharing,
      sharedWith: access.sharedWithIds?.length ? ['SEROCU'] : [],
      contributors: d.contributors.map((c: any) => c.code),
      marking: access.protectiveMarking,
      threatOpenToPartner: against === open.id,
    });
  }

  // The reporting-year boundary: 31 March is Q4 of 2025/26, 1 April Q1 of 2026/27.
  await claim('tvp.investigator', { date: '2026-03-31', level: 'MODERATE', criminalActivityId: drugs }, { agreed: 'MINOR' });
  await claim('tvp.investigator', { date: '2026-04-01', level: 'MINOR', strand: 'PREVENT', criminalActivityId: slavery }, { agreed: 'MINOR' });
  await claim('tvp.investigator', { date: '2025-12-31', level: 'MODERATE', tactic: 'VEHICLES' }, { agreed: 'MODERATE' });
  await claim('tvp.investigator', { date: '2026-01-01', level: 'MINOR', strand: 'PROTECT', criminalActivityId: drugs }, { agreed: 'NONE' });
  await claim('surrey.investigator', { date: '2026-04-01', level: 'MODERATE', tactic: 'TRAVEL' }, { agreed: 'MODERATE' });
  // Shared with SEROCU only: Thames Valley must never count it.
  await claim(
    'surrey.investigator',
    { date: '2026-05-10', level: 'MINOR', tactic: 'BUSINESS', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'NAMED_ORGANISATIONS', sharedWithIds: [serocu] } },
    { agreed: 'MINOR' },
  );
  // Oxfordshire's MASH contributed: the partner sees this one (marked OFFICIAL, within its
  // clearance, against a threat it may read) and not the second (its threat is not open to it).
  await claim(
    'tvp.investigator',
    { threatId: open.id, date: '2026-06-30', level: 'MINOR', strand: 'PREVENT', tactic: 'LIFESTYLE', contributorIds: [oxon], access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    { agreed: 'MINOR' },
  );
  await claim(
    'tvp.investigator',
    { date: '2026-06-29', level: 'MINOR', strand: 'PREVENT', tactic: 'LIFESTYLE', contributorIds: [oxon], access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    { agreed: 'MINOR' },
  );
  // Waiting for validation: 20 days, and today.
  await claim('tvp.investigator', { date: daysAgo(30), level: 'MINOR', tactic: 'BEHAVIOUR' }, { submittedDaysAgo: 20 });
  await claim('tvp.investigator', { date: daysAgo(3), level: 'MODERATE', tactic: 'BEHAVIOUR' });
  await claim('tvp.investigator', { date: daysAgo(2), level: 'MINOR', tactic: 'CRIME' }, { submit: false });
  await claim(
    'surrey.investigator',
    { date: daysAgo(4), level: 'MINOR', tactic: 'CRIME', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } },
    { submittedDaysAgo: 70 },
  );
}, 120_000);
afterAll(() => app.stop());

describe('disruptionStats', () => {
  it.each(Object.keys(USERS))('counts validated disruptions by organisation, reporting year and quarter as %s may see them', async (user) => {
    const result = await stats(user, ['ORGANISATION', 'FISCAL_YEAR', 'QUARTER']);
    const visible = made.filter((d) => visibleTo(user, d) && d.status === 'VALIDATED');
    const expected = expectedRows(visible, (d) => ({ organisation: d.claimant, ...fiscal(d.date) }));
    const got = result.rows.map((r: any) => ({
      keys: { organisation: r.organisation.code, fiscalYear: r.fiscalYear, quarter: r.quarter },
      count: r.count,
      countingCount: r.countingCount,
      lateCount: r.lateCount,
    }));
    expect(sortRows(got)).toEqual(expected);
    expect(result.total).toBe(visible.length);
    expect(result.countingTotal).toBe(visible.filter((d) => counts(d.agreed)).length);
    expect(result.lateTotal).toBe(visible.filter((d) => d.late).length);
  });

  it('puts 31 March in Q4 of one reporting year and 1 April in Q1 of the next', async () => {
    const result = await stats('serocu.analyst', ['FISCAL_YEAR', 'QUARTER'], { from: '2026-03-31', to: '2026-04-01' });
    expect(result.rows.map((r: any) => [r.fiscalYear, r.quarter, r.count])).toEqual([
      ['2025/26', 'Q4', 1],
      ['2026/27', 'Q1', 2],
    ]);
    const year = await stats('serocu.analyst', [], { fiscalYears: ['2025/26'] });
    expect(year.total).toBe(made.filter((d) => d.status === 'VALIDATED' && d.date >= '2025-04-01' && d.date <= '2026-03-31').length);
    expect(year.rows).toHaveLength(1);
  });

  it('breaks down by agreed level, strand and category, and by status when other statuses are asked for', async () => {
    const user = 'serocu.analyst';
    const byLevel = await stats(user, ['LEVEL', 'STRAND', 'CATEGORY']);
    const visible = made.filter((d) => visibleTo(user, d));
    expect(sortRows(byLevel.rows.map((r: any) => ({ keys: { level: r.level, strand: r.strand, category: r.category }, count: r.count, countingCount: r.countingCount, lateCount: r.lateCount })))).toEqual(
      expectedRows(visible.filter((d) => d.status === 'VALIDATED'), (d) => ({ level: d.agreed, strand: d.strand, category: d.category })),
    );
    const all = await stats(user, ['STATUS'], { statuses: ['DRAFT', 'SUBMITTED', 'VALIDATED'] });
    const byStatus = Object.fromEntries(all.rows.map((r: any) => [r.status, r.count]));
    expect(byStatus).toEqual({
      DRAFT: visible.filter((d) => d.status === 'DRAFT').length,
      SUBMITTED: visible.filter((d) => d.status === 'SUBMITTED').length,
      VALIDATED: visible.filter((d) => d.status === 'VALIDATED').length,
    });
    expect(all.rows.every((r: any) => r.level === null && r.organisation === null)).toBe(true);
  });

  it('compares the level claimed with the level agreed', async () => {
    const user = 'tvp.investigator';
    const result = await stats(user, []);
    const pairs = new Map<string, number>();
    for (const d of made.filter((x) => visibleTo(user, x) && x.status === 'VALIDATED')) pairs.set(`${d.claimed}>${d.agreed}`, (pairs.get(`${d.claimed}>${d.agreed}`) ?? 0) + 1);
    expect(Object.fromEntries(result.claimedAgainstAgreed.map((c: any) => [`${c.claimed}>${c.agreed}`, c.count]))).toEqual(Object.fromEntries(pairs));
    expect(result.claimedAgainstAgreed).toContainEqual({ claimed: 'MODERATE', agreed: 'MINOR', count: 1 });
  });

  it('ages claims waiting for validation, within the caller access', async () => {
    const tvp = await stats('tvp.investigator', []);
    expect(tvp.awaitingValidation.total).toBe(made.filter((d) => visibleTo('tvp.investigator', d) && d.status === 'SUBMITTED').length);
    expect(tvp.awaitingValidation.byAge).toEqual([
      { bucket: 'UP_TO_7_DAYS', count: 1 },
      { bucket: 'DAYS_8_TO_14', count: 0 },
      { bucket: 'DAYS_15_TO_30', count: 1 },
      { bucket: 'DAYS_31_TO_60', count: 0 },
      { bucket: 'OVER_60_DAYS', count: 0 },
    ]);
    // Surrey also sees its own claim kept to itself, waiting 70 days; Thames Valley does not.
    const surrey = await stats('surrey.investigator', []);
    expect(surrey.awaitingValidation.byAge.find((b: any) => b.bucket === 'OVER_60_DAYS').count).toBe(1);
    expect(surrey.awaitingValidation.total).toBe(3);
  });

  it('gives a partner only what it claimed or contributed to, against threats it may read', async () => {
    const result = await stats('oxon.mash', ['ORGANISATION']);
    expect(result.total).toBe(1);
    expect(result.rows).toEqual([expect.objectContaining({ organisation: { code: 'TVP' }, count: 1, countingCount: 1 })]);
  });

  it('narrows by organisation, level and strand', async () => {
    const result = await stats('serocu.analyst', [], { organisationIds: [await orgId(app, 'SURREY')], levels: ['MINOR'], strands: ['PURSUE'] });
    expect(result.total).toBe(made.filter((d) => d.claimant === 'SURREY' && d.status === 'VALIDATED' && d.agreed === 'MINOR' && d.strand === 'PURSUE').length);
    expect(result.total).toBe(1);
  });
});

describe('disruptionStats refuses bad input, naming the field', () => {
  it.each([
    [['QUARTER'], {}, 'groupBy[0]', /needs FISCAL_YEAR/],
    [['LEVEL', 'LEVEL'], {}, 'groupBy[1]', /more than once/],
    [[], { from: '2026-04-02', to: '2026-04-01' }, 'filter.to', /on or after/],
    [[], { fiscalYears: ['2025/27'] }, 'filter.fiscalYears[0]', /reporting year/],
    [[], { organisationIds: ['nonsense'] }, 'filter.organisationIds[0]', /Organisation/],
  ])('groupBy %j filter %j', async (groupBy, filter, field, message) => {
    const result = await app.gql('serocu.analyst', STATS, { groupBy, filter });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.fields).toEqual([{ field, message: expect.stringMatching(message) }]);
  });

  it('refuses a date that is not a calendar date before anything runs', async () => {
    const result = await app.gql('serocu.analyst', STATS, { groupBy: [], filter: { from: '2026-02-30' } });
    expect(result.status).toBe(400);
    expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/filter.*from.*YYYY-MM-DD/s);
  });

  it('refuses an unknown dimension', async () => {
    const result = await app.gql('serocu.analyst', STATS, { groupBy: ['TACTIC'] });
    expect(result.status).toBe(400);
    expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/groupBy/);
  });
});

describe('auditing disruptionStats', () => {
  it('needs a stated purpose for figures over sensitive records, and records the read', async () => {
    const refused = await app.gql('tvp.investigator', 'query TvpNoPurpose { disruptionStats(groupBy: []) { total } }', undefined, { purpose: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    const ok = await app.gql('tvp.investigator', 'query TvpFigures { disruptionStats(groupBy: [ORGANISATION]) { total } }', undefined, { purpose: 'INVESTIGATION' });
    expect(expectData(ok).disruptionStats.total).toBeGreaterThan(0);
    const events = await sql(
      app,
      `select action, record_type, purpose, detail from audit_event e join app_user u on u.id = e.user_id
        where u.username = 'tvp.investigator' and e.operation in ('TvpNoPurpose', 'TvpFigures') order by e.id`,
    );
    expect(events).toEqual([
      expect.objectContaining({ action: 'DENIED', purpose: null, detail: expect.objectContaining({ refusals: [expect.objectContaining({ code: 'PURPOSE_REQUIRED' })] }) }),
      expect.objectContaining({ action: 'READ', purpose: 'INVESTIGATION', detail: { aggregates: [{ statistic: 'disruptionStats', sensitiveRecords: expect.any(Number) }] } }),
    ]);
  });

  it('computes the rows once however many of their fields are asked for: one aggregate statement, one audited figure', async () => {
    const sent = await statementsSentDuring(app, () =>
      app.gql('tvp.investigator', `query TvpAllFigures { disruptionStats(groupBy: [LEVEL]) {
        total countingTotal lateTotal rows { level count countingCount lateCount } } }`, undefined, { purpose: 'INVESTIGATION' }),
    );
    const stats = expectData(sent.result).disruptionStats;
    expect(stats.total).toBe(stats.rows.reduce((n: number, r: any) => n + r.count, 0));
    expect(sent.sql.filter((text) => /count\(\*\)/.test(text) && /from "disruption"/.test(text))).toHaveLength(1);
    const [event] = await sql(app, `select detail from audit_event where operation = 'TvpAllFigures'`);
    expect(event.detail.aggregates).toEqual([{ statistic: 'disruptionStats', sensitiveRecords: expect.any(Number) }]);
  });

  it('groups by hashing, asked for with the caller’s settings at no extra statement', async () => {
    const ask = () => app.gql('tvp.investigator', `query TvpYears { disruptionStats(groupBy: [FISCAL_YEAR, QUARTER, LEVEL]) { rows { fiscalYear count } } }`, undefined, { purpose: 'INVESTIGATION' });
    await ask();
    const sent = await statementsSentDuring(app, ask);
    expectData(sent.result);
    // The settings go out ahead of the request's first statement, in its message (db/request-db.ts).
    const [begin] = sent.sql.filter((text) => text.startsWith('begin;'));
    expect(begin).toContain(`set_config('enable_sort', 'off', true)`);
    expect(sent.sql.filter((text) => text.includes('enable_sort'))).toHaveLength(1);
  });

  it('reads each disruption’s reporting year and quarter from the figures’ index, as the figures compute them', async () => {
    // PostgreSQL takes an index expression's value from the index only where the statement's
    // expression is the same one; otherwise it works both out again for every disruption counted.
    // PostgreSQL prints both alike: the index's, and the same expressions indexed in a transaction undone.
    const printed = (index: string) => `select pg_get_indexdef('${index}'::regclass, k, true) as expression from unnest(array[3, 4]) as k`;
    const indexed = await sql(app, printed('disruption_stats_idx'));
    const knex = app.app.orm.em.getConnection().getKnex();
    const trx = await knex.transaction();
    try {
      await trx.raw(`create index figures_probe on disruption (status, date, (${fiscalStartYearSql('date')}), (${fiscalQuarterNumberSql('date')}))`);
      const computed = (await trx.raw(printed('figures_probe'))).rows;
      expect(indexed).toEqual(computed);
      expect(computed.map((r: { expression: string }) => r.expression)).toEqual([expect.stringContaining("'year'"), expect.stringContaining("'quarter'")]);
    } finally {
      await trx.rollback();
    }
  });

  it('needs no purpose when every record counted is marked OFFICIAL', async () => {
    const result = await app.gql('oxon.mash', '{ disruptionStats(groupBy: []) { total } }', undefined, { purpose: null });
    expect(expectData(result).disruptionStats.total).toBe(1);
  });
});
