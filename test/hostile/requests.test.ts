import { createTestApp, type TestApp } from '../support/test-app';
import { openSocket } from '../support/live-client';

const post = (app: TestApp, body: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('request size and batching', () => {
  let app: TestApp;
  let token: string;
  beforeAll(async () => {
    app = await createTestApp();
    token = await app.tokenFor('serocu.analyst');
  });
  afterAll(() => app.stop());

  it('takes a body just under 100 kB and refuses one just over with 413', async () => {
    const body = (size: number) => {
      const empty = JSON.stringify({ query: '{ viewer { username } }', variables: { padding: '' } });
      return JSON.stringify({ query: '{ viewer { username } }', variables: { padding: 'x'.repeat(size - empty.length) } });
    };
    const under = await post(app, body(100 * 1024 - 10), { authorization: `Bearer ${token}` });
    expect(under.status).toBe(200);
    const over = await post(app, body(100 * 1024 + 10), { authorization: `Bearer ${token}` });
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ errors: [{ message: 'The request body is larger than the limit (102400 bytes).', extensions: { code: 'PAYLOAD_TOO_LARGE' } }] });
  });

  it('refuses a batch of operations with a clear error, running none of them', async () => {
    const batch = JSON.stringify([
      { query: 'mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }', variables: { input: { name: 'Batch Test', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } } } },
      { query: '{ viewer { username } }' },
    ]);
    for (const body of [batch, '[]']) {
      const response = await post(app, body, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ errors: [{ message: 'Batched requests are not accepted: send one operation per request.', extensions: { code: 'BAD_REQUEST' } }] });
    }
    const [{ count }] = await app.app.orm.em.getConnection().execute(`select count(*)::int as count from nominal where name = 'Batch Test'`);
    expect(count).toBe(0);
  });
});

describe('requests Apollo refuses before running them', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ env: { DB_POOL_MAX: '4' } })));
  afterAll(() => app.stop());

  it('leave no transaction open: more of them than the pool has connections, then the server still answers', async () => {
    const token = await app.tokenFor('serocu.analyst');
    const headers = { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true', accept: 'application/json' };
    const refusedKinds = [
      `${app.url}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, // a mutation by GET: 405
      `${app.url}/graphql?query=${encodeURIComponent('{ __typename }')}&variables=%5B1%5D`, // variables not an object: 400
    ];
    for (let i = 0; i < 10; i++) {
      const response = await fetch(refusedKinds[i % 2], { headers });
      expect([400, 405]).toContain(response.status);
      await response.text();
    }
    const answer = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'x-purpose': 'INVESTIGATION' },
      body: JSON.stringify({ query: '{ viewer { username } }' }),
      signal: AbortSignal.timeout(5_000),
    });
    expect(await answer.json()).toEqual({ data: { viewer: { username: 'serocu.analyst' } } });
    const [{ open }] = await app.app.orm.em
      .getConnection()
      .execute(`select count(*)::int as open from pg_stat_activity where datname = current_database() and state = 'idle in transaction'`);
    expect(open).toBe(0);
  });
});

describe('rate limit per caller', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } })));
  afterAll(() => app.stop());

  it('answers 429 with Retry-After once a token has made its requests for the minute; other callers go on', async () => {
    for (let i = 0; i < 5; i++) expect((await app.gql('serocu.analyst', '{ viewer { username } }')).status).toBe(200);
    const token = await app.tokenFor('serocu.analyst');
    const limited = await post(app, JSON.stringify({ query: '{ viewer { username } }' }), { authorization: `Bearer ${token}` });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await limited.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(body.errors[0].message).toMatch(/^Too many requests: at most 5 a minute for one caller\. Try again in \d+ seconds\.$/);
    // Another user's token has its own allowance.
    expect((await app.gql('tvp.investigator', '{ viewer { username } }')).data.viewer.username).toBe('tvp.investigator');
  });

  it('counts operations over WebSocket against the same allowance as HTTP requests', async () => {
    for (let i = 0; i < 3; i++) expect((await app.gql('hiow.analyst', '{ viewer { username } }')).status).toBe(200);
    const socket = await openSocket(app, 'hiow.analyst');
    try {
      expect((await socket.run('{ viewer { username } }')).data.viewer.username).toBe('hiow.analyst');
      expect((await socket.run('{ viewer { username } }')).data.viewer.username).toBe('hiow.analyst');
      const refused = await socket.run('{ viewer { username } }');
      expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
      expect(refused.errors?.[0]?.message).toMatch(/^Too many requests: at most 5 a minute for one caller\. Try again in \d+ seconds\.$/);
    } finally {
      await socket.close();
    }
    // Spent over the socket, the allowance is spent for HTTP too.
    expect((await app.gql('hiow.analyst', '{ viewer { username } }')).status).toBe(429);
  });

  it('counts requests without a token by client address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(app, JSON.stringify({ query: '{ __typename }' }))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('does not limit health probes', async () => {
    for (let i = 0; i < 8; i++) expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
