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
