import { createTestApp, type TestApp } from '../support/test-app';
import { BOTH_LAYERS, type AccessLayers } from '../../server/src/access/layers';
import { createThreat, expectData } from '../support/factories';
import { createNominal, createReferral, referralStep } from '../support/referral-factories';
import { addYears } from '../../server/src/modules/retention/retention-periods';

/**
 * Some reach grants reading only: the regional unit reads a referral linked to a threat it reads,
 * but is no party to it. Row-level security's update policy leaves such reach out, and FOR UPDATE
 * takes only rows the update policy reaches; so a change that locked the row first told this
 * reader NOT_FOUND under row-level security alone and FORBIDDEN under the application policy.
 * The rule (docs/access.md) is one answer whichever layers are on: they see the record, so the
 * refusal is FORBIDDEN, and nothing changes.
 */
const SETTINGS: [string, AccessLayers][] = [
  ['both layers', BOTH_LAYERS],
  ['the application layer alone', { database: false, application: true }],
  ['row-level security alone', { database: true, application: false }],
];

describe.each(SETTINGS)('a reader through reach that grants reading only, under %s', (_name, accessLayers) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
  }, 120_000);
  afterAll(() => app?.stop());

  const exec = (text: string, params: unknown[] = []): Promise<any[]> => app.app.orm.em.getConnection().execute(text, params);
  const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];
  const today = async (): Promise<string> => (await exec(`select current_date::text as d`))[0].d;

  async function linkedReferral() {
    // TVP's threat, shared with the region's police; TVP refers a child to Oxfordshire's children's services about it.
    const threat = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
    const child = await createNominal(app, 'tvp.safeguarding', 'Dylan Ashcombe', '2012-02-09');
    return createReferral(app, { subjectId: child.id, linkedThreatIds: [threat.id] }, 'tvp.safeguarding');
  }

  it('is refused as FORBIDDEN (it sees the record), not as missing, and the record is unchanged', async () => {
    const referral = await linkedReferral();
    // serocu.lro reads it: the regional unit, through the threat it reads.
    const read = await app.gql('serocu.lro', `query ($id: ID!) { node(id: $id) { id ... on SafeguardingReferral { version } } }`, { id: referral.id });
    expect(expectData(read).node).toEqual({ id: referral.id, version: 1 });
    const before = await exec(`select to_jsonb(r)::text as row from safeguarding_referral r where id = ?`, [dbId(referral.id)]);

    const retain = await app.gql('serocu.lro', `mutation ($input: RetainRecordInput!) { retainRecord(input: $input) { id } }`, {
      input: { id: referral.id, reason: 'Kept for the regional enquiry.', nextReviewOn: addYears(await today(), 1), expectedVersion: 1 },
    });
    expect(retain.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const acknowledge = await referralStep(app, 'serocu.lro', 'acknowledgeReferral', { id: referral.id, expectedVersion: 1 });
    expect(acknowledge.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect(await exec(`select to_jsonb(r)::text as row from safeguarding_referral r where id = ?`, [dbId(referral.id)])).toEqual(before);
    expect(await exec(`select count(*)::int as n from retention_review where record_id = ?`, [dbId(referral.id)])).toEqual([{ n: 0 }]);
  });
});
