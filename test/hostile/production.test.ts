import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createTestApp, type TestApp } from '../support/test-app';

const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';
const TYPO = '{ viewer { usernam } }';
const ENUM_TYPO = 'query ($p: [PriorityBand!]) { threats(filter: { priority: $p }) { totalCount } }';

/**
 * A GET a browser could send from another site (a link, an image): no JSON content type, no
 * preflight header. Outside production, one that accepts HTML gets Apollo's landing page.
 */
const simpleGet = (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: 'text/html', ...headers } });

describe('production mode (NODE_ENV=production)', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ env: { NODE_ENV: 'production', ALLOW_DEV_TOKENS: 'true', LOG_LEVEL: 'silent' } })));
  afterAll(() => app.stop());

  it('refuses introspection', async () => {
    const response = await app.gql('serocu.analyst', INTROSPECTION);
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(response.errors?.[0].message).toMatch(/introspection is not allowed/i);
    const type = await app.gql('serocu.analyst', '{ __type(name: "SocThreat") { fields { name } } }');
    expect(type.errors?.[0].message).toMatch(/introspection is not allowed/i);
  });

  it('suggests no field, argument or enum value', async () => {
    const typo = await app.gql('serocu.analyst', TYPO);
    expect(typo.errors?.[0]).toMatchObject({ message: 'Cannot query field "usernam" on type "User".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const enumTypo = await app.gql('serocu.analyst', ENUM_TYPO, { p: ['HIGHH'] });
    expect(enumTypo.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(enumTypo.errors?.[0].message).not.toMatch(/Did you mean|"HIGH"/);
  });

  it('serves no landing page', async () => {
    const response = await simpleGet(app.url, { 'apollo-require-preflight': 'true' });
    expect(response.headers.get('content-type')).not.toMatch(/html/);
    expect(await response.text()).not.toMatch(/<html|apollo/i);
  });

  it('masks unexpected errors and shows no stack traces', async () => {
    const conn = app.app.orm.em.getConnection();
    await conn.execute('alter table soc_threat rename to soc_threat_hidden');
    try {
      const response = await app.gql('serocu.analyst', '{ threats(first: 1) { totalCount } }');
      expect(response.errors).toEqual([
        { message: 'Internal server error. The incident has been logged.', locations: expect.any(Array), path: ['threats'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ]);
      expect(JSON.stringify(response)).not.toMatch(/soc_threat|relation|select|stacktrace/i);
      // The same over WebSocket, which does not go through Apollo.
      const client = createClient({
        url: `${app.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${await app.tokenFor('serocu.analyst')}`, purpose: 'ANALYSIS' },
        retryAttempts: 0,
      });
      try {
        const overSocket = await new Promise<any>((resolve, reject) => {
          let value: unknown;
          client.subscribe({ query: '{ threats(first: 1) { totalCount } }' }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
        });
        expect(overSocket.errors).toEqual([
          { message: 'Internal server error. The incident has been logged.', locations: expect.any(Array), path: ['threats'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
        ]);
        expect(JSON.stringify(overSocket)).not.toMatch(/soc_threat|relation|select|stacktrace/i);
      } finally {
        await client.dispose();
      }
    } finally {
      await conn.execute('alter table soc_threat_hidden rename to soc_threat');
    }
    const clientError = await app.gql('serocu.analyst', TYPO);
    expect(clientError.errors?.[0].extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('prevents cross-site request forgery: a simple GET or a text/plain POST is refused', async () => {
    const get = await simpleGet(app.url);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/Cross-Site Request Forgery/);
    const form = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(form.status).toBe(400);
    expect(await form.text()).toMatch(/Cross-Site Request Forgery/);
    const token = await app.tokenFor('serocu.analyst');
    const preflighted = await simpleGet(app.url, { 'apollo-require-preflight': 'true', authorization: `Bearer ${token}`, accept: 'application/json' });
    expect(preflighted.status).toBe(200);
    expect(await preflighted.json()).toEqual({ data: { __typename: 'Query' } });
  });
});

describe('outside production, for developers', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  it('allows introspection and suggests fields', async () => {
    expect((await app.gql('serocu.analyst', INTROSPECTION)).data.__schema.queryType.name).toBe('Query');
    expect((await app.gql('serocu.analyst', TYPO)).errors?.[0].message).toMatch(/Did you mean "username"\?/);
  });

  it('serves the landing page to a browser, and still prevents cross-site request forgery', async () => {
    expect((await simpleGet(app.url)).headers.get('content-type')).toMatch(/html/);
    const get = await simpleGet(app.url, { accept: 'application/json' });
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/Cross-Site Request Forgery/);
  });
});
