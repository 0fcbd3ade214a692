import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';

/**
 * explainAccess reads past row-level security from a pool of its own (access/explanation-db.ts),
 * never from a second connection of the request pool: with that pool as small as two, requests
 * holding both connections would otherwise each wait for a third until the acquire timeout, and
 * fail with SERVICE_UNAVAILABLE.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp({ env: { DB_POOL_MAX: '2' } })));
afterAll(() => app.stop());

const EXPLAIN = `query ($id: ID!, $username: String) { explainAccess(recordId: $id, username: $username) {
  canRead user { username } rules { rule passed } } }`;

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
