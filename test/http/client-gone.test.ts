import pg from 'pg';
import { waitUntilBlockedOnLock } from '../support/database';
import { sql } from '../support/disruption-factories';
import { createThreat, expectData, threatInput } from '../support/factories';
import { openSocket } from '../support/live-client';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A client that goes away while its operation runs (a page navigating elsewhere) does not end the
 * operation's transaction: the operation finishes as it would have, in its transaction, with its
 * audit events, and only then gives its connection back (http/request-transaction.ts; over
 * WebSocket, live/websocket.ts).
 */
describe('a request whose client goes away while it runs', () => {
  let app: TestApp;
  // No lock limit: the read stays stalled for as long as the test holds the lock.
  beforeAll(async () => (app = await createTestApp({ env: { DB_LOCK_TIMEOUT_MS: '0', DB_STATEMENT_TIMEOUT_MS: '0' } })));
  afterAll(async () => app?.stop());

  /** Polls until `check` holds, or fails after 20 s saying what it waited for. */
  async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * Sends `query` as `username` over HTTP while `table` is locked, and goes away once its statement
   * waits on the lock; the lock goes after the server has seen the connection close.
   */
  async function abandonedBehindLock(table: string, username: string, query: string, variables: Record<string, unknown> = {}): Promise<void> {
    const locker = new pg.Client({ connectionString: app.db.url });
    await locker.connect();
    const aborted = new AbortController();
    try {
      await locker.query(`begin; lock table ${table} in access exclusive mode`);
      const request = fetch(`${app.url}/graphql`, {
        method: 'POST',
        signal: aborted.signal,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.tokenFor(username)}`, 'x-purpose': 'INVESTIGATION' },
        body: JSON.stringify({ query, variables }),
      });
      await waitUntilBlockedOnLock(app.db.url, table);
      aborted.abort();
      await expect(request).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
  }

  it('still records the sensitive read it made, in its own transaction, and leaves its connection idle', async () => {
    const threat = await createThreat(app, 'serocu.analyst');
    await abandonedBehindLock('soc_threat', 'serocu.analyst', `query LeftBehind { threats(first: 5) { edges { node { name } } } }`);
    await eventually(async () => (await sql(app, `select 1 from audit_event where operation = 'LeftBehind'`)).length > 0, 'the read’s audit event');
    const [event] = await sql(app, `select action, purpose from audit_event where operation = 'LeftBehind'`);
    expect(event).toEqual({ action: 'READ', purpose: 'INVESTIGATION' });
    // Nothing of the request is left on a connection: the next requests, one needing no statement, are answered.
    expect(expectData(await app.gql('serocu.analyst', '{ disruptionRules { lateAfterDays } }')).disruptionRules.lateAfterDays).toEqual(expect.any(Number));
    expect(expectData(await app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat { name } } }`, { id: threat.id })).node.name).toBe(threat.name);
  });

  it('keeps a mutation whose client went away whole: the record with its parts and its audit event', async () => {
    const name = 'Operation Left Behind';
    // The threat's row goes in; its activity waits behind the lock.
    await abandonedBehindLock('criminal_activity', 'tvp.investigator', `mutation CreateLeftBehind($input: CreateThreatInput!) { createThreat(input: $input) { id } }`, {
      input: await threatInput(app, { name }),
    });
    await eventually(async () => (await sql(app, `select 1 from audit_event where operation = 'CreateLeftBehind'`)).length > 0, 'the mutation’s audit event');
    const [threat] = await sql(app, `select id from soc_threat where name = ?`, [name]);
    expect(await sql(app, `select count(*)::int as n from criminal_activity where threat_id = ?`, [threat.id])).toEqual([{ n: 1 }]);
    expect(await sql(app, `select action from audit_event where operation = 'CreateLeftBehind' and ? = any (record_ids)`, [threat.id])).toEqual([{ action: 'CREATE' }]);
  });

  it('over WebSocket too: a socket closed while its query runs still has the read recorded', async () => {
    await createThreat(app, 'serocu.analyst');
    const socket = await openSocket(app, 'serocu.analyst', 'INVESTIGATION');
    const locker = new pg.Client({ connectionString: app.db.url });
    await locker.connect();
    try {
      await locker.query('begin; lock table soc_threat in access exclusive mode');
      void socket.run(`query LeftBehindOnSocket { threats(first: 5) { edges { node { name } } } }`);
      await waitUntilBlockedOnLock(app.db.url, 'soc_threat');
      await socket.close();
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    await eventually(async () => (await sql(app, `select 1 from audit_event where operation = 'LeftBehindOnSocket'`)).length > 0, 'the read’s audit event');
    expect(await sql(app, `select action from audit_event where operation = 'LeftBehindOnSocket'`)).toEqual([{ action: 'READ' }]);
  });
});
