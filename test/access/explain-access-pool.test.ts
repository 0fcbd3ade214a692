import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';
import { holdingLock, waitUntilBlockedOnLock } from '../support/database';

/**
 * explainAccess reads past row-level security from a pool of its own (access/explanation-db.ts),
 * never from a second connection of the request pool: with that pool as small as two, requests
 * holding both connections would otherwise each wait for a third until the acquire timeout, and
 * fail with SERVICE_UNAVAILABLE.
 */
const EXPLAIN = `query ($id: ID!, $username: String) { explainAccess(recordId: $id, username: $username) {
  canRead user { username } rules { rule passed } } }`;

describe('with a request pool of two', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ env: { DB_POOL_MAX: '2' } })));
  afterAll(() => app.stop());

  it('answers 50 explanations asked at once, for oneself and by an auditor for another user, each correctly, with a request pool of two', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'ALL_PARTNERS' } });
    const own = { as: 'surrey.investigator', expected: { canRead: true, user: { username: 'surrey.investigator' }, failed: [] as string[] } };
    const asked = { as: 'serocu.auditor', username: 'oxon.mash', expected: { canRead: false, user: { username: 'oxon.mash' }, failed: ['CLEARANCE', 'AGREEMENT'] } };
    const calls = Array.from({ length: 50 }, (_, i) => (i % 2 ? asked : own));

    const answers = await Promise.all(calls.map((call) => app.gql(call.as, EXPLAIN, { id: threat.id, username: 'username' in call ? call.username : null })));

    const summaries = answers.map((answer) => {
      const { canRead, user, rules } = expectData(answer).explainAccess;
      return { canRead, user, failed: rules.filter((r: { passed: boolean }) => !r.passed).map((r: { rule: string }) => r.rule) };
    });
    expect(summaries).toEqual(calls.map((call) => call.expected));
  });
});

/** One request asking `count` explanations at once, as an auditor about another user: more than the pool's two connections. */
function explainMany(app: TestApp, threatId: string, count: number) {
  const fields = Array.from({ length: count }, (_, i) => `r${i}: explainAccess(recordId: $id, username: "oxon.mash") { canRead }`);
  return app.gql('serocu.auditor', `query ($id: ID!) { ${fields.join(' ')} }`, { id: threatId });
}

describe('waiting for the explanation pool', () => {
  let app: TestApp;
  afterEach(() => app?.stop());

  it('answers every explanation of a request that waited for the pool longer than a request waits for its first connection', async () => {
    // A request waits 300 ms for a connection of its own pool; the explanations waiting here wait
    // as long as their statements may run (DB_STATEMENT_TIMEOUT_MS, 30 s by default).
    app = await createTestApp({ env: { DB_ACQUIRE_TIMEOUT_MS: '300' } });
    const threat = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'ALL_PARTNERS' } });
    const lock = await holdingLock(app.db.url, 'lock table soc_threat in access exclusive mode');
    const answer = explainMany(app, threat.id, 6);
    try {
      // Two explanations hold both connections, waiting on the lock; four queue for a connection,
      // well past the 300 ms.
      await waitUntilBlockedOnLock(app.db.url, 'soc_threat');
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      await lock.release();
    }
    const { errors, data } = await answer;
    expect(errors).toBeUndefined();
    expect(Object.values(data)).toEqual(Array.from({ length: 6 }, () => ({ canRead: false })));
  });

  it("ends an explanation's statement that ran past DB_STATEMENT_TIMEOUT_MS with a retryable error, without waiting for the lock", async () => {
    // No lock timeout, so only the statement's own limit can end the wait: the explanation pool's
    // sessions run outside any request transaction, so they must carry it themselves.
    app = await createTestApp({ env: { DB_STATEMENT_TIMEOUT_MS: '300', DB_LOCK_TIMEOUT_MS: '0' } });
    const threat = await createThreat(app, 'tvp.investigator');
    const lock = await holdingLock(app.db.url, 'lock table soc_threat in access exclusive mode');
    let released = false;
    const answer = explainMany(app, threat.id, 1).then((response) => ({ response, released }));
    let timer: NodeJS.Timeout | undefined;
    const refused = await Promise.race([answer, new Promise<null>((r) => (timer = setTimeout(() => r(null), 10_000)))]);
    clearTimeout(timer);
    released = true;
    await lock.release();

    expect(refused).not.toBeNull();
    expect(refused!.released).toBe(false);
    expect(refused!.response.errors!.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', retryable: true })]);
    expect(expectData(await explainMany(app, threat.id, 1)).r0).toEqual({ canRead: false });
  });
});
