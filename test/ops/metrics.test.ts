import os from 'node:os';
import { metrics, operationLabel } from '../../server/src/http/metrics';
import { createTestApp, type TestApp } from '../support/test-app';
import { expectData, threatInput } from '../support/factories';

/** One sample's value from Prometheus's text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const inBraces = /\{(.*)\}/.exec(line)?.[1] ?? '';
    const have = Object.fromEntries([...inBraces.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v) && Object.keys(have).length === Object.keys(labels).length) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return undefined;
}

/** An address of this machine that is not loopback, to reach the server as another host would. */
function externalAddress(): string | undefined {
  return Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
}

describe('/metrics', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  const scrape = async () => {
    const response = await fetch(`${app.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text();
  };

  it('counts and times GraphQL operations by name, type and outcome, and their error codes', async () => {
    for (let i = 0; i < 3; i++) await app.gql('serocu.analyst', 'query OpsViewer { viewer { username } }');
    await app.gql('serocu.analyst', 'mutation OpsBad($input: CreateNominalInput!) { createNominal(input: $input) { id } }', { input: { name: '', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } } });
    await app.gql('serocu.analyst', '{ viewer { nope } }');
    const text = await scrape();
    expect(sample(text, 'soc_hub_graphql_operations_total', { operation: 'OpsViewer', type: 'query', outcome: 'ok' })).toBe(3);
    expect(sample(text, 'soc_hub_graphql_operations_total', { operation: 'OpsBad', type: 'mutation', outcome: 'error' })).toBe(1);
    expect(sample(text, 'soc_hub_graphql_operations_total', { operation: 'anonymous', type: 'unresolved', outcome: 'error' })).toBe(1);
    expect(sample(text, 'soc_hub_graphql_operation_duration_seconds_count', { operation: 'OpsViewer', type: 'query' })).toBe(3);
    expect(sample(text, 'soc_hub_graphql_operation_duration_seconds_bucket', { le: '+Inf', operation: 'OpsViewer', type: 'query' })).toBe(3);
    expect(sample(text, 'soc_hub_graphql_errors_total', { code: 'BAD_USER_INPUT' })).toBe(1);
    expect(sample(text, 'soc_hub_graphql_errors_total', { code: 'GRAPHQL_VALIDATION_FAILED' })).toBe(1);
    expect(sample(text, 'soc_hub_http_responses_total', { route: '/graphql', status: '200' })).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'soc_hub_process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('counts an operation whose answer was replaced for its size (RESPONSE_TOO_LARGE) as an error, with that code', async () => {
    // Its own server, whose cap (graphql/answer-size.ts) a page of three long summaries exceeds; the registry is the process's.
    const small = await createTestApp({ env: { GRAPHQL_MAX_RESPONSE_BYTES: '4096' } });
    try {
      for (let i = 0; i < 3; i++) expectData(await small.gql('serocu.analyst', `mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }`, { input: await threatInput(small, { name: `Operation Metric ${i}`, summary: 'x'.repeat(2000) }) }));
      const before = sample(await scrape(), 'soc_hub_graphql_errors_total', { code: 'RESPONSE_TOO_LARGE' }) ?? 0;
      const big = await small.gql('serocu.analyst', 'query OpsTooLarge { threats(first: 10) { edges { node { summary } } } }');
      expect(big.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
      // A mutation's answer is measured before its transaction ends (and the change undone): counted the same way.
      const first = (await small.gql('serocu.analyst', 'query OpsFits { threats(first: 1) { edges { node { id version } } } }')).data.threats.edges[0].node;
      const changed = await small.gql('serocu.analyst', 'mutation OpsTooLargeChange($input: UpdateThreatInput!) { updateThreat(input: $input) { summary } }', {
        input: { id: first.id, expectedVersion: first.version, summary: 'y'.repeat(5000) },
      });
      expect(changed.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
      const text = await scrape();
      expect(sample(text, 'soc_hub_graphql_operations_total', { operation: 'OpsTooLarge', type: 'query', outcome: 'error' })).toBe(1);
      expect(sample(text, 'soc_hub_graphql_operations_total', { operation: 'OpsTooLarge', type: 'query', outcome: 'ok' })).toBeUndefined();
      expect(sample(text, 'soc_hub_graphql_operations_total', { operation: 'OpsTooLargeChange', type: 'mutation', outcome: 'error' })).toBe(1);
      expect(sample(text, 'soc_hub_graphql_operations_total', { operation: 'OpsTooLargeChange', type: 'mutation', outcome: 'ok' })).toBeUndefined();
      expect(sample(text, 'soc_hub_graphql_errors_total', { code: 'RESPONSE_TOO_LARGE' })).toBe(before + 2);
      // An answer that fits is still counted, once, as ok.
      expect(sample(text, 'soc_hub_graphql_operations_total', { operation: 'OpsFits', type: 'query', outcome: 'ok' })).toBe(1);
    } finally {
      await small.stop();
    }
  });

  it('counts responses refused before GraphQL, such as 401', async () => {
    await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(sample(await scrape(), 'soc_hub_http_responses_total', { route: '/graphql', status: '401' })).toBeGreaterThanOrEqual(1);
  });

  it('shows the database pool: a connection held elsewhere shows as used', async () => {
    const knex = app.app.orm.em.getConnection().getKnex();
    const trx = await knex.transaction();
    try {
      await trx.raw('select 1');
      const text = await scrape();
      expect(sample(text, 'soc_hub_db_pool_connections', { pool: 'requests', state: 'used' })).toBeGreaterThanOrEqual(1);
      for (const pool of ['requests', 'explanations']) {
        for (const state of ['free', 'pending_acquires', 'pending_creates']) {
          expect({ pool, state, value: sample(text, 'soc_hub_db_pool_connections', { pool, state }) }).toEqual({ pool, state, value: expect.any(Number) });
        }
      }
    } finally {
      await trx.commit();
    }
  });

  it("shows explainAccess's own pool apart from the requests' (access/explanation-db.ts)", async () => {
    const connections = (text: string) => ['used', 'free'].reduce((n, state) => n + (sample(text, 'soc_hub_db_pool_connections', { pool: 'explanations', state }) ?? 0), 0);
    expect(connections(await scrape())).toBe(0); // nothing has been explained yet: the pool opens connections when asked
    const threat = expectData(await app.gql('tvp.investigator', `mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }`, { input: await threatInput(app) })).createThreat;
    const explained = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { explainAccess(recordId: $id) { canRead } }`, { id: threat.id })).explainAccess;
    expect(explained.canRead).toBe(true);
    // The connection it used stays open, free, for the next explanation.
    expect(connections(await scrape())).toBeGreaterThanOrEqual(1);
  });

  it('shows live subscribers and event lag as the live-updates module sets them', async () => {
    const before = sample(await scrape(), 'soc_hub_live_subscribers') ?? 0;
    metrics.liveSubscribers.inc(2);
    metrics.eventLagSeconds.observe(0.03);
    const text = await scrape();
    expect(sample(text, 'soc_hub_live_subscribers')).toBe(before + 2);
    expect(sample(text, 'soc_hub_live_event_lag_seconds_bucket', { le: '0.05' })).toBeGreaterThanOrEqual(1);
    metrics.liveSubscribers.dec(2);
  });

  it('keeps operation names bounded: odd names and names past the first 200 are "other"', () => {
    expect(operationLabel(undefined)).toBe('anonymous');
    expect(operationLabel('has space')).toBe('other');
    expect(operationLabel('x'.repeat(65))).toBe('other');
    for (let i = 0; i < 250; i++) operationLabel(`Flood${i}`);
    expect(operationLabel('Flood249')).toBe('other');
    expect(operationLabel('OpsViewer')).toBe('OpsViewer'); // already known
  });

  const external = externalAddress();
  (external ? it : it.skip)('without METRICS_TOKEN answers only this machine: another address gets 404', async () => {
    const response = await fetch(`http://${external}:${app.app.port}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/soc_hub_/);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  const secret = 'prometheus-scrape-secret-1234';
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ env: { METRICS_TOKEN: secret } })));
  afterAll(() => app.stop());

  it('needs the token, even from this machine', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer wrong-secret-of-some-length' } })).status).toBe(404);
    const response = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${secret}` } });
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/soc_hub_db_pool_connections/);
  });
});
