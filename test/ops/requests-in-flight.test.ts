import pg from 'pg';
import { waitUntilBlockedOnLock } from '../support/database';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * An instance says which requests it is answering and what each is doing (App.requestsInFlight):
 * what a slow page's report (test/support/browser.ts) prints, to tell a request waiting on the
 * database from one the server lost track of.
 */
describe('requests in flight', () => {
  let app: TestApp;
  afterAll(async () => app?.stop());

  it('names a request stalled in the database, its operation, its stage and its transaction’s state, and forgets it once answered', async () => {
    app = await createTestApp({ env: { DB_LOCK_TIMEOUT_MS: '0', DB_STATEMENT_TIMEOUT_MS: '0' } });
    expect(app.app.requestsInFlight()).toEqual([]);
    const locker = new pg.Client({ connectionString: app.db.url });
    await locker.connect();
    await locker.query('begin; lock table soc_threat in access exclusive mode');
    const answer = app.gql('serocu.analyst', 'query StalledThreats { threats(first: 5) { totalCount } }');
    let described: string[];
    try {
      await waitUntilBlockedOnLock(app.db.url, 'soc_threat');
      described = app.app.requestsInFlight();
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    expect(described).toEqual([
      expect.stringMatching(/^POST \/graphql StalledThreats, \d+ ms: running its operation, then ending its transaction \(database: transaction begun, a message in flight\)$/),
    ]);
    expect((await answer).data.threats.totalCount).toBe(0);
    expect(app.app.requestsInFlight()).toEqual([]);
  });
});
