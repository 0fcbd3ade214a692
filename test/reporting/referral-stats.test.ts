import { createTestApp, type TestApp } from '../support/test-app';
import { expectData, orgId } from '../support/factories';
import { createReferral, referralStep } from '../support/referral-factories';
import { dbId, sql } from '../support/disruption-factories';

/** referralStats through the real API, against figures computed here from the referrals made. */

interface Made {
  referrer: string;
  receiver: string;
  type: string;
  urgency: string;
  submittedAt: Date;
  dueAt: Date;
  acknowledgedAt: Date | null;
  outcome: string | null;
}

const ORG_OF: Record<string, string> = { 'tvp.safeguarding': 'TVP', 'oxon.mash': 'OXON_CS', 'surrey.investigator': 'SURREY', 'hiow.analyst': 'HIOW', 'sussex.investigator': 'SUSSEX' };
const HOURS: Record<string, number> = { RED: 4, AMBER: 24, GREEN: 72 };

/** Referrals are seen by the referring and receiving organisations and by auditors, no one else. */
function visibleTo(user: string, r: Made): boolean {
  return user === 'serocu.auditor' || [r.referrer, r.receiver].includes(ORG_OF[user]);
}

function fiscal(at: Date): string {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth() + 1;
  const start = m >= 4 ? y : y - 1;
  const q = m >= 4 && m <= 6 ? 'Q1' : m >= 7 && m <= 9 ? 'Q2' : m >= 10 ? 'Q3' : 'Q4';
  return `${start}/${String(start + 1).slice(2)} ${q}`;
}

let app: TestApp;
const made: Made[] = [];
const hours = (n: number) => n * 3_600_000;

const STATS = `query ($filter: ReferralStatsFilter, $groupBy: [ReferralStatsDimension!]!) {
  referralStats(filter: $filter, groupBy: $groupBy) {
    total
    rows { referralType fiscalYear quarter urgency status outcome referringOrganisation { code } receivingOrganisation { code }
      count acknowledged acknowledgedWithinTarget awaitingAcknowledgement overdue }
    acknowledgementByUrgency { urgency targetHours referrals acknowledged acknowledgedWithinTarget awaitingAcknowledgement overdue }
    outcomes { outcome count } } }`;

beforeAll(async () => {
  app = await createTestApp();

  async function referral(
    as: string,
    input: Record<string, unknown>,
    times: { submittedAt?: string; acknowledgedAt?: string },
    steps: { acknowledgeAs?: string; outcome?: string } = {},
  ) {
    let r = await createReferral(app, input, as);
    if (steps.acknowledgeAs) {
      r = expectData(await referralStep(app, steps.acknowledgeAs, 'acknowledgeReferral', { id: r.id, expectedVersion: r.version })).acknowledgeReferral;
      if (steps.outcome) {
        r = expectData(await referralStep(app, steps.acknowledgeAs, 'startReferralWork', { id: r.id, expectedVersion: r.version })).startReferralWork;
        r = expectData(
          await referralStep(app, steps.acknowledgeAs, 'recordReferralDecision', { id: r.id, expectedVersion: r.version, outcome: steps.outcome }, 'ReferralDecisionInput'),
        ).recordReferralDecision;
      }
    }
    const submittedAt = times.submittedAt ? new Date(times.submittedAt) : new Date(r.submittedAt);
    const dueAt = new Date(submittedAt.getTime() + hours(HOURS[r.urgency]));
    const acknowledgedAt = times.acknowledgedAt ? new Date(times.acknowledgedAt) : null;
    // The workflow stamps the present; the figures need a past (set-up only).
    await sql(app, 'update safeguarding_referral set submitted_at = ?, acknowledgement_due_at = ?, acknowledged_at = ? where id = ?', [
      submittedAt.toISOString(),
      dueAt.toISOString(),
      acknowledgedAt?.toISOString() ?? null,
      dbId(r.id),
    ]);
    made.push({ referrer: r.referringOrganisation.code, receiver: r.receivingOrganisation.code, type: r.referralType, urgency: r.urgency, submittedAt, dueAt, acknowledgedAt, outcome: r.outcome });
  }

  // Either side of the reporting year's start: 23:30 on 31 March and 00:30 on 1 April (UTC).
  await referral('tvp.safeguarding', { urgency: 'RED' }, { submittedAt: '2026-03-31T23:30:00Z', acknowledgedAt: '2026-04-01T01:00:00Z' }, { acknowledgeAs: 'oxon.mash' });
  await referral('tvp.safeguarding', { urgency: 'AMBER' }, { submittedAt: '2026-04-01T00:30:00Z', acknowledgedAt: '2026-04-03T00:00:00Z' }, { acknowledgeAs: 'oxon.mash', outcome: 'CSC_ASSESSMENT' });
  await referral('tvp.safeguarding', { urgency: 'GREEN', referralType: 'EARLY_HELP' }, { submittedAt: '2026-06-30T12:00:00Z' });
  await referral('tvp.safeguarding', { urgency: 'RED' }, {});
  // Between two organisations neither Thames Valley nor Oxfordshire is party to.
  await referral(
    'surrey.investigator',
    {
      urgency: 'AMBER',
      referralType: 'ADULT_SAFEGUARDING_CONCERN',
      subjectIsChild: false,
      consentObtained: true,
      exploitationTypes: ['CRIMINAL_EXPLOITATION_ADULT'],
      receivingOrganisationId: await orgId(app, 'HIOW'),
    },
    { submittedAt: '2026-05-01T09:00:00Z', acknowledgedAt: '2026-05-01T10:00:00Z' },
    { acknowledgeAs: 'hiow.analyst', outcome: 'NO_FURTHER_ACTION' },
  );
}, 120_000);
afterAll(() => app.stop());

const USERS = ['tvp.safeguarding', 'oxon.mash', 'surrey.investigator', 'serocu.auditor', 'sussex.investigator'];

describe('referralStats', () => {
  it.each(USERS)('counts referrals by type, reporting year and quarter as %s may see them', async (user) => {
    const stats = expectData(await app.gql(user, STATS, { groupBy: ['REFERRAL_TYPE', 'FISCAL_YEAR', 'QUARTER'] })).referralStats;
    const visible = made.filter((r) => visibleTo(user, r));
    const expected: Record<string, number> = {};
    for (const r of visible) expected[`${r.type} ${fiscal(r.submittedAt)}`] = (expected[`${r.type} ${fiscal(r.submittedAt)}`] ?? 0) + 1;
    expect(Object.fromEntries(stats.rows.map((r: any) => [`${r.referralType} ${r.fiscalYear} ${r.quarter}`, r.count]))).toEqual(expected);
    expect(stats.total).toBe(visible.length);
  });

  it('puts 23:30 on 31 March in Q4 of 2025/26 and 00:30 on 1 April in Q1 of 2026/27', async () => {
    const stats = expectData(await app.gql('oxon.mash', STATS, { groupBy: ['FISCAL_YEAR', 'QUARTER'], filter: { from: '2026-03-31', to: '2026-04-01' } })).referralStats;
    expect(stats.rows.map((r: any) => [r.fiscalYear, r.quarter, r.count])).toEqual([
      ['2025/26', 'Q4', 1],
      ['2026/27', 'Q1', 1],
    ]);
  });

  it.each(USERS)('measures acknowledgement against the target by urgency as %s may see it', async (user) => {
    const stats = expectData(await app.gql(user, STATS, { groupBy: [] })).referralStats;
    const now = Date.now();
    const visible = made.filter((r) => visibleTo(user, r));
    expect(stats.acknowledgementByUrgency).toEqual(
      ['RED', 'AMBER', 'GREEN'].map((urgency) => {
        const mine = visible.filter((r) => r.urgency === urgency);
        return {
          urgency,
          targetHours: HOURS[urgency],
          referrals: mine.length,
          acknowledged: mine.filter((r) => r.acknowledgedAt).length,
          acknowledgedWithinTarget: mine.filter((r) => r.acknowledgedAt && r.acknowledgedAt <= r.dueAt).length,
          awaitingAcknowledgement: mine.filter((r) => !r.acknowledgedAt).length,
          overdue: mine.filter((r) => !r.acknowledgedAt && r.dueAt.getTime() < now).length,
        };
      }),
    );
    const outcomes: Record<string, number> = {};
    for (const r of visible) if (r.outcome) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
    expect(Object.fromEntries(stats.outcomes.map((o: any) => [o.outcome, o.count]))).toEqual(outcomes);
  });

  it('breaks down by referring and receiving organisation and urgency', async () => {
    const stats = expectData(await app.gql('serocu.auditor', STATS, { groupBy: ['REFERRING_ORGANISATION', 'RECEIVING_ORGANISATION', 'URGENCY'] })).referralStats;
    expect(stats.rows.map((r: any) => [r.referringOrganisation.code, r.receivingOrganisation.code, r.urgency, r.count, r.overdue])).toEqual(
      expect.arrayContaining([
        ['TVP', 'OXON_CS', 'RED', 2, 0],
        ['TVP', 'OXON_CS', 'GREEN', 1, 1],
        ['SURREY', 'HIOW', 'AMBER', 1, 0],
      ]),
    );
  });

  it('refuses bad input, naming the field', async () => {
    const result = await app.gql('oxon.mash', STATS, { groupBy: ['QUARTER'], filter: { from: '2026-05-01', to: '2026-04-01', fiscalYears: ['26/27'] } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.fields.map((f: any) => f.field).sort()).toEqual(['filter.fiscalYears[0]', 'filter.to', 'groupBy[0]']);
  });

  it('treats every referral counted as a sensitive read: a purpose is needed, and the read is audited', async () => {
    const refused = await app.gql('oxon.mash', '{ referralStats(groupBy: []) { total } }', undefined, { purpose: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    expectData(await app.gql('oxon.mash', 'query MashReturns { referralStats(groupBy: [URGENCY]) { total } }', undefined, { purpose: 'SAFEGUARDING' }));
    const [event] = await sql(app, `select action, record_type, purpose, detail from audit_event where operation = 'MashReturns'`);
    expect(event).toEqual({
      action: 'READ',
      record_type: 'SafeguardingReferral',
      purpose: 'SAFEGUARDING',
      detail: { aggregates: [{ statistic: 'referralStats', sensitiveRecords: made.filter((r) => visibleTo('oxon.mash', r)).length }] },
    });
    // Nothing to read, nothing to state.
    const none = await app.gql('sussex.investigator', '{ referralStats(groupBy: []) { total } }', undefined, { purpose: null });
    expect(expectData(none).referralStats.total).toBe(0);
  });
});
