import { createTestApp, type TestApp } from '../support/test-app';
import { sql } from '../support/disruption-factories';
import { refuseAuditInsertsOf } from '../support/audit-faults';

/**
 * A transaction in which a statement failed cannot commit: PostgreSQL answers its COMMIT with
 * ROLLBACK and no error. The request must then fail, not report as done a change that was never
 * kept. Here the audit insert at the end of a mutation fails (a trigger installed for the test),
 * the audit writer catches that to write the events on their own, and the request commits what
 * is by then a failed transaction.
 */
describe('a request whose transaction failed before COMMIT', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await refuseAuditInsertsOf(app, 'CreateUnaudited');
  });
  afterAll(() => app.stop());

  it('is an error, nothing is kept, and the events are written on their own marked rolled back', async () => {
    const result: any = await app.gql(
      'serocu.analyst',
      `mutation CreateUnaudited($input: CreateNominalInput!) { createNominal(input: $input) { id name } }`,
      { input: { name: 'Unkept Nominal', aliases: [], access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } } },
    );
    expect(result.status).toBe(503);
    expect(result.data).toBeUndefined();
    expect(result.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(await sql(app, `select id from nominal where name = 'Unkept Nominal'`)).toEqual([]);
    const events = await sql(app, `select action, detail from audit_event where operation = 'CreateUnaudited'`);
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(e.detail.requestRolledBack).toEqual([true]);
  });

  it('a mutation whose answer then failed to read keeps that error, and answers no data: nothing of it was kept', async () => {
    // The nominal is created, then reading its memberships for the answer fails
    // outside any savepoint, which fails the transaction: COMMIT is answered with ROLLBACK.
    await sql(app, 'alter table membership rename to membership_hidden');
    let result: any;
    try {
      result = await app.gql(
        'serocu.analyst',
        `mutation CreateThenFail($input: CreateNominalInput!) { createNominal(input: $input) { id name memberships { role } } }`,
        { input: { name: 'Half Answered', aliases: [], access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } } },
      );
    } finally {
      await sql(app, 'alter table membership_hidden rename to membership');
    }
    expect(result.data).toBeNull();
    expect(result.errors.map((e: any) => e.extensions.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(result.errors[0].path).toEqual(['createNominal', 'memberships']);
    expect(await sql(app, `select id from nominal where name = 'Half Answered'`)).toEqual([]);
  });

  it('leaves the server working', async () => {
    const result: any = await app.gql('serocu.analyst', '{ viewer { username } }');
    expect(result.data.viewer.username).toBe('serocu.analyst');
  });
});
