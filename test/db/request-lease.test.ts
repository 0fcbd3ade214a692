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

  describe('a request ended by its last read (readThenCommit)', () => {
    const WRITES = 'request_lease_test_writes';
    // With the database layer off the transaction runs as the connecting owner, who may write this table.
    const asOwner = { application: true, database: false };
    const rowsWritten = async (): Promise<number[]> => {
      const client = new pg.Client({ connectionString: app.db.url });
      await client.connect();
      try {
        return (await client.query(`select n from ${WRITES} order by n`)).rows.map((r) => r.n);
      } finally {
        await client.end();
      }
    };
    beforeAll(async () => {
      const client = new pg.Client({ connectionString: app.db.url });
      await client.connect();
      await client.query(`create table if not exists ${WRITES} (n int)`);
      await client.end();
    });

    it('commits with the read, before finish is called, and refuses any statement after it', async () => {
      const db = await openRequestDb(app.app.orm, caller, asOwner);
      const read = db.readThenCommit({ sql: `with w as (insert into ${WRITES} values (1) returning n) select n from w`, bindings: [] });
      expect(read).toBeDefined();
      const queuedBehind = db.knex.raw(`select pg_advisory_lock(${LOCK})`);
      await expect(read).resolves.toMatchObject({ rows: [{ n: 1 }] });
      // Committed by the read's own message: another session sees the row before finish().
      expect(await rowsWritten()).toEqual([1]);
      await expect(queuedBehind).rejects.toThrow(/the request this statement belongs to has ended/);
      await expect(db.knex.raw(`select pg_advisory_lock(${LOCK})`)).rejects.toThrow(/the request this statement belongs to has ended/);
      await expect(db.finish()).resolves.toBeUndefined();
      expect(db.readThenCommit({ sql: 'select 1', bindings: [] })).toBeUndefined();
      await new Promise((r) => setTimeout(r, 100));
      expect(await advisoryLocksHeld()).toBe(0);
    });

    it('keeps nothing when the read fails, and finish says the transaction failed', async () => {
      const db = await openRequestDb(app.app.orm, caller, asOwner);
      await expect(db.readThenCommit({ sql: `with w as (insert into ${WRITES} values (2) returning n) select n / 0 from w`, bindings: [] })).rejects.toThrow(/division by zero/);
      await expect(db.finish()).rejects.toMatchObject({ code: '25P02' });
      expect(await rowsWritten()).not.toContain(2);
      // The connection went back to the pool outside any transaction: the next request on it works.
      const next = await openRequestDb(app.app.orm, caller, asOwner);
      await expect(next.knex.raw('select 1 as one')).resolves.toMatchObject({ rows: [{ one: 1 }] });
      await next.finish();
    });

    it('declines, sending nothing, once the request is finishing', async () => {
      const db = await openRequestDb(app.app.orm, caller, asOwner);
      const finished = db.finish();
      expect(db.readThenCommit({ sql: `insert into ${WRITES} values (3)`, bindings: [] })).toBeUndefined();
      await finished;
      expect(await rowsWritten()).not.toContain(3);
    });
  });
});
