import pg from 'pg';
import { openRequestDb } from '../../server/src/db/request-db';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A request's connection goes back to the pool with nothing of the request left on it
 * (db/request-db.ts, ConnectionQueue.endLease).
 */
describe('the end of a request’s lease', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(async () => app?.stop());

  const caller = { userId: '00000000-0000-0000-0000-000000000000', organisationId: '00000000-0000-0000-0000-000000000000', isLawEnforcement: false, roles: [], clearance: 'OFFICIAL' };
  const LOCK = 424242;

  async function advisoryLocksHeld(): Promise<number> {
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    try {
      return (await client.query(`select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = $1`, [LOCK])).rows[0].n;
    } finally {
      await client.end();
    }
  }

  it('refuses a statement queued behind the request’s COMMIT rather than run it outside the transaction, on the next request’s connection', async () => {
    const db = await openRequestDb(app.app.orm, caller);
    await db.knex.raw('select 1');
    const finished = db.finish();
    // Until the COMMIT is on its way: still within this turn of the event loop, so not answered.
    for (let i = 0; i < 1000 && !db.describe().includes('a message in flight'); i++) await Promise.resolve();
    expect(db.describe()).toContain('a message in flight');
    // A resolver that outlived its operation's answer: a session-level lock would outlive the request, were it run.
    const late = db.knex.raw(`select pg_advisory_lock(${LOCK})`);
    const refused = expect(late).rejects.toThrow(/the request this statement belongs to has ended/);
    await finished;
    await refused;
    await new Promise((r) => setTimeout(r, 100));
    expect(await advisoryLocksHeld()).toBe(0);
  });
});
