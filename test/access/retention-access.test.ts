import { addYears } from '../../server/src/modules/retention/retention-periods';
import { createThreat, expectData } from '../support/factories';
import { createReferral } from '../support/referral-factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Retention decisions (retention_review) and tombstones (disposed_record) are the owning
 * organisation's, and its auditors' (docs/access.md, "Retention reviews and tombstones"): no other
 * organisation learns of them through any path that reads them (the review queue and its earlier
 * reviews, a tombstone by ID, the figures, the tables themselves as the application role), with
 * both access layers and with either alone. The access property test does not cover these two
 * hand-written tables; this does.
 */

const QUEUE = `{ retentionReviewQueue(first: 100) { edges { node { recordId reviews { reason } } } } }`;
const TOMBSTONE = `query ($id: ID!) { disposedRecord(id: $id) { recordId reason } }`;
const STATS = `{ retentionStats { rows { organisation { code } kind retained disposed tombstones } } }`;
const RETAIN = `mutation ($input: RetainRecordInput!) { retainRecord(input: $input) { id } }`;
const DISPOSE = `mutation ($input: DisposeRecordInput!) { disposeRecord(input: $input) { recordId } }`;
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];

describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])("another organisation's retention reviews and tombstones, with %s", (_mode, accessLayers) => {
  let app: TestApp;
  let sql: (text: string, params?: unknown[]) => Promise<any[]>;
  const made: Record<'SEROCU' | 'TVP', { kept: string; disposed: string; reason: string }> = {} as never;

  const person = async (as: string, name: string) =>
    expectData(await app.gql(as, `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, {
      input: { name, access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    })).createNominal.id as string;
  const addUser = (username: string, org: string, roles: string[]) =>
    sql(`insert into app_user (username, display_name, organisation_id, roles, clearance) values (?, ?, (select id from organisation where code = ?), ?::text[], 'OFFICIAL_SENSITIVE')`, [
      username, username, org, `{${roles.join(',')}}`,
    ]);

  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
    sql = (text, params = []) => app.app.orm.em.getConnection().execute(text, params);
    await addUser('tvp.lro', 'TVP', ['LRO']);
    await addUser('surrey.auditor', 'SURREY', ['AUDITOR']);
    const [{ today }] = await sql('select current_date::text as today');
    // Each organisation keeps a person (with a reason naming its own organisation) and disposes of a record of its own.
    for (const [org, reviewer, disposed] of [
      ['SEROCU', 'serocu.lro', (await createReferral(app, {}, 'serocu.lro')).id],
      ['TVP', 'tvp.lro', (await createThreat(app, 'tvp.investigator', { name: 'Operation Tombstone' })).id],
    ] as const) {
      const kept = await person(reviewer, `${org} Kept Person`);
      await sql('update nominal set next_review_on = ? where id = ?', ['2026-01-01', dbId(kept)]);
      const reason = `${org} reason for keeping`;
      expectData(await app.gql(reviewer, RETAIN, { input: { id: kept, reason, nextReviewOn: addYears(today, 1) } }));
      await sql('update nominal set next_review_on = ? where id = ?', ['2026-01-02', dbId(kept)]);
      expectData(await app.gql(reviewer, DISPOSE, { input: { id: disposed, reason: `${org} reason for disposing` } }));
      made[org] = { kept, disposed, reason };
    }
  }, 180_000);
  afterAll(() => app.stop());

  it.each([
    ['tvp.lro', 'TVP', 'SEROCU'],
    ['serocu.lro', 'SEROCU', 'TVP'],
  ] as const)('%s sees only their own organisation in the queue, its earlier reviews, tombstones and figures', async (as, own, other) => {
    const queue = expectData(await app.gql(as, QUEUE)).retentionReviewQueue.edges.map((e: any) => e.node);
    expect(queue.map((n: any) => n.recordId)).toContain(made[own].kept);
    expect(queue.map((n: any) => n.recordId)).not.toContain(made[other].kept);
    expect(JSON.stringify(queue)).not.toContain(made[other].reason);
    expect(queue.find((n: any) => n.recordId === made[own].kept).reviews).toEqual([{ reason: made[own].reason }]);

    expect(expectData(await app.gql(as, TOMBSTONE, { id: made[own].disposed })).disposedRecord).toMatchObject({ reason: `${own} reason for disposing` });
    expect(expectData(await app.gql(as, TOMBSTONE, { id: made[other].disposed })).disposedRecord).toBeNull();

    const codes = expectData(await app.gql(as, STATS)).retentionStats.rows.map((r: any) => r.organisation.code);
    expect(new Set(codes)).toEqual(new Set([own]));

    // Another organisation's person the caller may read is still not theirs to review: refused, and nothing recorded.
    const refused = await app.gql(as, RETAIN, { input: { id: made[other].kept, reason: 'Not ours.', nextReviewOn: '2027-06-01' } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it("an auditor of another force sees neither organisation's; the regional unit's auditor sees the region's", async () => {
    for (const org of ['SEROCU', 'TVP'] as const) {
      expect(expectData(await app.gql('surrey.auditor', TOMBSTONE, { id: made[org].disposed })).disposedRecord).toBeNull();
      expect(expectData(await app.gql('serocu.auditor', TOMBSTONE, { id: made[org].disposed })).disposedRecord).toMatchObject({ reason: `${org} reason for disposing` });
    }
    expect(expectData(await app.gql('surrey.auditor', STATS)).retentionStats.rows).toEqual([]);
    const regional = expectData(await app.gql('serocu.auditor', STATS)).retentionStats.rows;
    expect(regional.filter((r: any) => r.retained + r.tombstones > 0).map((r: any) => `${r.organisation.code} ${r.kind}`).sort()).toEqual([
      'SEROCU PERSON', 'SEROCU SAFEGUARDING_REFERRAL', 'TVP PERSON', 'TVP THREAT',
    ]);
  });

  // With the application policy alone the tables are not guarded by the database: the paths above stand for them.
  (accessLayers.database ? it : it.skip)('the tables themselves, read as the application role for another organisation, hold nothing of theirs', async () => {
    const seen = await app.app.orm.em.getConnection().getKnex().transaction(async (trx) => {
      const [{ id, org }] = await trx('app_user').select('id', 'organisation_id as org').where({ username: 'tvp.lro' });
      await trx.raw(`select set_config('soc.user_id', ?, true), set_config('soc.organisation_id', ?, true), set_config('soc.roles', '{LRO}', true)`, [id, org]);
      await trx.raw('set local role soc_app');
      return {
        reviews: (await trx('retention_review').select('reason')).map((r) => r.reason),
        tombstones: (await trx('disposed_record').select('reason')).map((r) => r.reason),
      };
    });
    expect(seen).toEqual({ reviews: [made.TVP.reason], tombstones: ['TVP reason for disposing'] });
  });
});
