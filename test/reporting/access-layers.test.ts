import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId } from '../support/factories';
import { assessedThreat, createDisruption, submitDisruption, validateDisruption } from '../support/disruption-factories';
import { createReferral } from '../support/referral-factories';

/**
 * Every statistic holds within the caller's access with both access layers on, and with either
 * alone (row-level security without the policy's filters; the policy without row-level
 * security): its totals are what the same caller can list, and a record the caller cannot see
 * never counts.
 */

const USERS = ['tvp.investigator', 'surrey.investigator', 'serocu.analyst', 'hmrc.officer', 'oxon.mash', 'serocu.auditor'];
const ALL_STATUSES = ['DRAFT', 'SUBMITTED', 'VALIDATED', 'RETURNED', 'REJECTED', 'SUPERSEDED'];

const FIGURES = `query ($statuses: [DisruptionStatus!]) {
  disruptionStats(groupBy: [ORGANISATION], filter: { statuses: $statuses }) { total awaitingValidation { total } }
  disruptions(first: 0, filter: { status: $statuses }) { totalCount }
  submitted: disruptions(first: 0, filter: { status: [SUBMITTED] }) { totalCount }
  threatStats(groupBy: [SUBJECT_TYPE]) { total }
  threats(first: 0) { totalCount }
  referralStats(groupBy: [REFERRAL_TYPE]) { total }
  referrals(first: 0) { totalCount } }`;

/** The figures the bench asks for (scripts/bench/scenarios.ts, disruptionStats), over every status, beside the list they count. */
const GROUPED = `query ($statuses: [DisruptionStatus!]) {
  disruptionStats(groupBy: [FISCAL_YEAR, QUARTER, LEVEL], filter: { statuses: $statuses }) { total rows { fiscalYear quarter level count countingCount } }
  disruptions(first: 100, filter: { status: $statuses }) { edges { node { date level countsAsDisruption validation { levelAgreed } } } } }`;

/** Reporting year and quarter of a date (April to March), written plainly for the test. */
function fiscal(date: string): { fiscalYear: string; quarter: string } {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  const start = m >= 4 ? y : y - 1;
  return { fiscalYear: `${start}/${String(start + 1).slice(2)}`, quarter: `Q${Math.floor(((m + 8) % 12) / 3) + 1}` };
}

/** The rows disruptionStats should give for the disruptions listed: counted one by one, in its order. */
function plainCount(listed: { date: string; level: string; countsAsDisruption: boolean; validation: { levelAgreed: string | null } | null }[]) {
  const rows = new Map<string, { fiscalYear: string; quarter: string; level: string; count: number; countingCount: number }>();
  for (const d of listed) {
    // Once validated, the agreed level is the one that counts; before, the claim's.
    const key = { ...fiscal(d.date), level: d.validation?.levelAgreed ?? d.level };
    const row = rows.get(JSON.stringify(key)) ?? { ...key, count: 0, countingCount: 0 };
    row.count += 1;
    if (d.countsAsDisruption) row.countingCount += 1;
    rows.set(JSON.stringify(key), row);
  }
  const order = (r: { fiscalYear: string; quarter: string; level: string }) => `${r.fiscalYear} ${r.quarter} ${r.level}`;
  return [...rows.values()].sort((a, b) => order(a).localeCompare(order(b)));
}

describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('statistics with %s', (_mode, accessLayers) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
    const serocu = await orgId(app, 'SEROCU');
    const threat = await assessedThreat(app);
    const validated = async (as: string, access: Record<string, unknown>) =>
      validateDisruption(app, 'serocu.validator', await submitDisruption(app, as, await createDisruption(app, as, threat.id, { access })));
    await validated('tvp.investigator', { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' });
    await validated('surrey.investigator', { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'NAMED_ORGANISATIONS', sharedWithIds: [serocu] });
    await submitDisruption(app, 'surrey.investigator', await createDisruption(app, 'surrey.investigator', threat.id, { access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } }));
    await createThreat(app, 'surrey.investigator', { name: 'Operation Kept', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
    await createReferral(app, {});
    await createReferral(app, { receivingOrganisationId: await orgId(app, 'HIOW') }, 'surrey.investigator');
  }, 120_000);
  afterAll(() => app.stop());

  it.each(USERS)('%s: totals equal what the same caller can list', async (user) => {
    const data = expectData(await app.gql(user, FIGURES, { statuses: ALL_STATUSES }));
    expect(data.disruptionStats.total).toBe(data.disruptions.totalCount);
    expect(data.disruptionStats.awaitingValidation.total).toBe(data.submitted.totalCount);
    expect(data.threatStats.total).toBe(data.threats.totalCount);
    expect(data.referralStats.total).toBe(data.referrals.totalCount);
  });

  it.each(USERS)('%s: the bench\'s figures (by reporting year, quarter and level) equal a plain count of what the same caller can list', async (user) => {
    const data = expectData(await app.gql(user, GROUPED, { statuses: ALL_STATUSES }));
    expect(data.disruptionStats.rows).toEqual(plainCount(data.disruptions.edges.map((e: any) => e.node)));
    expect(data.disruptionStats.total).toBe(data.disruptions.edges.length);
  });

  it('counts for each caller exactly what the rules let them see', async () => {
    const totals = async (user: string) => {
      const data = expectData(await app.gql(user, FIGURES, { statuses: ALL_STATUSES }));
      return [data.disruptionStats.total, data.threatStats.total, data.referralStats.total];
    };
    // Thames Valley: its own claim (not Surrey's shared with SEROCU, nor Surrey's own); its threat; its referral.
    expect(await totals('tvp.investigator')).toEqual([1, 1, 1]);
    expect(await totals('surrey.investigator')).toEqual([3, 2, 1]);
    expect(await totals('serocu.analyst')).toEqual([2, 1, 0]);
    expect(await totals('serocu.auditor')).toEqual([2, 1, 2]);
    expect(await totals('oxon.mash')).toEqual([0, 0, 1]);
  });
});

describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('law enforcement figures over a hidden threat, with %s', (_mode, accessLayers) => {
  // Law enforcement's figures check disruptions' threats in one hashed pass (shared/records.ts,
  // withReadableThreat acrossTable): a disruption shared with them on a threat they may not read
  // must still not count.
  let app: TestApp;
  let threatId: string;
  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
    const threat = await assessedThreat(app);
    threatId = Buffer.from(threat.id, 'base64url').toString().split(':')[1];
    await submitDisruption(app, 'tvp.investigator', await createDisruption(app, 'tvp.investigator', threat.id, { access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } }));
  }, 120_000);
  afterAll(() => app.stop());

  it('counts a disruption shared with them only while they may read its threat', async () => {
    const total = async (user: string) => expectData(await app.gql(user, FIGURES, { statuses: ALL_STATUSES })).disruptionStats.total;
    expect([await total('tvp.investigator'), await total('surrey.investigator'), await total('serocu.analyst')]).toEqual([1, 1, 1]);
    await app.app.orm.em.getConnection().execute(`update soc_threat set sharing = 'OWNER_ONLY' where id = ?`, [threatId]);
    expect([await total('tvp.investigator'), await total('surrey.investigator'), await total('serocu.analyst')]).toEqual([1, 0, 0]);
    for (const user of ['tvp.investigator', 'surrey.investigator', 'serocu.analyst']) {
      const data = expectData(await app.gql(user, GROUPED, { statuses: ALL_STATUSES }));
      expect(data.disruptionStats.rows).toEqual(plainCount(data.disruptions.edges.map((e: any) => e.node)));
    }
  });
});
