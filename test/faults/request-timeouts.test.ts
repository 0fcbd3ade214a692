import { holdingLock, waitUntilBlockedOnLock } from '../support/database';
import { dbId } from '../support/disruption-factories';
import { createThreat, expectData } from '../support/factories';
import { statementsSentDuring } from '../support/statements';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A request's statements are bounded (Config.requestTimeouts): one that waits on a lock or runs
 * past its limit is cancelled by PostgreSQL, and the request is refused as retryable with nothing
 * kept, instead of waiting with its pooled connection for as long as the lock is held.
 */
const UPDATE = `mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { name version } }`;
const NAME = `query ($id: ID!) { node(id: $id) { ... on SocThreat { name version } } }`;

describe('request timeouts', () => {
  let app: TestApp;
  afterEach(async () => app?.stop());

  it('refuses a change that waited on a lock past DB_LOCK_TIMEOUT_MS as retryable, keeps nothing, and makes it once the lock is gone', async () => {
    app = await createTestApp({ env: { DB_LOCK_TIMEOUT_MS: '300' } });
    const threat = await createThreat(app, 'tvp.investigator');
    const lock = await holdingLock(app.db.url, 'select id from soc_threat where id = $1 for update', [dbId(threat.id)]);
    let refused;
    try {
      refused = await app.gql('tvp.investigator', UPDATE, { input: { id: threat.id, expectedVersion: 1, name: 'Operation Held' } });
    } finally {
      await lock.release();
    }
    expect(refused.status).toBe(503);
    expect(refused.errors!.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', retryable: true })]);
    expect(expectData(await app.gql('tvp.investigator', NAME, { id: threat.id })).node).toEqual({ name: threat.name, version: 1 });

    const retried = expectData(await app.gql('tvp.investigator', UPDATE, { input: { id: threat.id, expectedVersion: 1, name: 'Operation Held' } }));
    expect(retried.updateThreat).toEqual({ name: 'Operation Held', version: 2 });
  });

  it('refuses a read whose statement ran past DB_STATEMENT_TIMEOUT_MS as retryable, and answers it once the database is free', async () => {
    // No lock timeout, so it is the statement's own limit that ends the wait.
    app = await createTestApp({ env: { DB_STATEMENT_TIMEOUT_MS: '300', DB_LOCK_TIMEOUT_MS: '0' } });
    const lock = await holdingLock(app.db.url, 'lock table soc_threat in access exclusive mode');
    let refused;
    try {
      refused = await app.gql('serocu.analyst', '{ threats(first: 5) { totalCount } }');
    } finally {
      await lock.release();
    }
    expect(refused.status).toBe(503);
    expect(refused.data).toBeNull();
    expect(refused.errors!.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'SERVICE_UNAVAILABLE', retryable: true })]);
    expect(expectData(await app.gql('serocu.analyst', '{ threats(first: 5) { totalCount } }')).threats.totalCount).toBe(0);
  });

  it('waits on a lock for as long as it is held when the limits are off', async () => {
    app = await createTestApp({ env: { DB_STATEMENT_TIMEOUT_MS: '0', DB_LOCK_TIMEOUT_MS: '0' } });
    const lock = await holdingLock(app.db.url, 'lock table soc_threat in access exclusive mode');
    const answer = app.gql('serocu.analyst', '{ threats(first: 5) { totalCount } }');
    try {
      await waitUntilBlockedOnLock(app.db.url, 'soc_threat');
      await new Promise((r) => setTimeout(r, 600));
    } finally {
      await lock.release();
    }
    expect(expectData(await answer).threats.totalCount).toBe(0);
  });

  it('sends the limits with the caller’s settings, in the transaction’s first message', async () => {
    app = await createTestApp({ env: { DB_STATEMENT_TIMEOUT_MS: '4000', DB_LOCK_TIMEOUT_MS: '2000', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '9000' } });
    const ask = () => app.gql('serocu.analyst', '{ threats(first: 5) { totalCount } }');
    await ask();
    const sent = await statementsSentDuring(app, ask);
    const [begin] = sent.sql.filter((text) => text.startsWith('begin;'));
    for (const setting of [`'statement_timeout', '4000'`, `'lock_timeout', '2000'`, `'idle_in_transaction_session_timeout', '9000'`]) expect(begin).toContain(`set_config(${setting}, true)`);
  });
});
