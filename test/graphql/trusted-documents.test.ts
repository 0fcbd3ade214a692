import fs from 'node:fs';
import path from 'node:path';
import { createApiKey } from '../../server/src/auth/api-keys';
import { sha256 } from '../../server/src/graphql/trusted-documents';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { parse, print } from 'graphql';
import { createTestApp, type TestApp } from '../support/test-app';
import { openSocket } from '../support/live-client';

/**
 * Trusted documents (server/src/graphql/trusted-documents.ts): in production a person's browser
 * session runs only the web client's own operations, named by hash; scripts (API keys,
 * development tokens) may send any document within the limits.
 */
const manifestFile = path.resolve(__dirname, '../../dist/client/trusted-documents.json');
const persistedFile = path.resolve(__dirname, '../../client/web/src/gql/persisted-documents.json');

describe('trusted documents', () => {
  let idp: TestOidcProvider;
  let app: TestApp;
  let manifest: Record<string, string>;
  let viewer: { hash: string; text: string };

  beforeAll(async () => {
    manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    const [hash, text] = Object.entries(manifest).find(([, t]) => /^query Viewer\b/.test(t))!;
    viewer = { hash, text };
    idp = await startOidcProvider({ clientId: 'soc-hub-web' });
    app = await createTestApp({ env: { NODE_ENV: 'production', ALLOW_DEV_TOKENS: 'true', OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: 'soc-hub-web', LOG_LEVEL: 'silent' } });
  });
  afterAll(async () => {
    await app?.stop();
    await idp?.stop();
  });

  async function post(credential: string, body: Record<string, unknown>, purpose = 'INVESTIGATION') {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}`, 'x-purpose': purpose },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('ships with the built client exactly the documents codegen lists, each under its SHA-256', () => {
    const persisted = JSON.parse(fs.readFileSync(persistedFile, 'utf8')) as Record<string, string>;
    expect(Object.keys(manifest).sort()).toEqual(Object.keys(persisted).map((h) => h.replace(/^sha256:/, '')).sort());
    for (const [hash, text] of Object.entries(manifest)) expect(sha256(text)).toBe(hash);
  });

  it('runs a browser session’s operation named by hash', async () => {
    const session = await idp.idTokenFor('serocu.analyst');
    const answer = await post(session, { extensions: { persistedQuery: { version: 1, sha256Hash: viewer.hash } } });
    expect(answer.status).toBe(200);
    expect(answer.body.data.viewer).toMatchObject({ username: 'serocu.analyst' });
  });

  it('refuses a browser session any other document, and an unknown hash', async () => {
    const session = await idp.idTokenFor('serocu.analyst');
    const own = await post(session, { query: '{ threats(first: 100) { edges { node { id name summary } } } }' });
    expect(own).toEqual({ status: 400, body: { errors: [expect.objectContaining({ extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' } })] } });
    const unknown = await post(session, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ viewer { id } }') } } });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const mismatched = await post(session, { query: '{ viewer { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: viewer.hash } } });
    expect(mismatched.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('holds over WebSocket too: a browser session runs the web client’s documents only, as its library prints them', async () => {
    const session = await idp.idTokenFor('serocu.analyst');
    const socket = await openSocket(app, 'serocu.analyst', 'ANALYSIS', session);
    try {
      // The web client's own query, as shipped and as re-printed by a GraphQL library.
      expect((await socket.run(viewer.text)).data?.viewer).toMatchObject({ username: 'serocu.analyst' });
      expect((await socket.run(print(parse(viewer.text)))).data?.viewer).toMatchObject({ username: 'serocu.analyst' });
      const other = await socket.run('{ threats(first: 100) { edges { node { id name summary } } } }');
      expect(other.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    } finally {
      await socket.close();
    }
    // A script's development token is not a browser session.
    const script = await openSocket(app, 'serocu.analyst');
    try {
      expect((await script.run('{ threats(first: 1) { totalCount } }')).errors).toBeUndefined();
    } finally {
      await script.close();
    }
  });

  it('lets scripts (an API key, a development token) send any document within the limits', async () => {
    const key = (await createApiKey(app.app.orm.em.getConnection().getKnex(), { organisationCode: 'SEROCU', name: 'trusted documents test' })).key;
    const byKey = await post(key, { query: '{ threats(first: 1) { totalCount } }' }, 'REPORTING');
    expect(byKey.status).toBe(200);
    expect(byKey.body.data.threats.totalCount).toEqual(expect.any(Number));
    const byDevToken = await post(await app.tokenFor('serocu.analyst'), { query: '{ viewer { username } }' });
    expect(byDevToken.body.data).toEqual({ viewer: { username: 'serocu.analyst' } });
  });

  it('never lets a client register a document under a hash (no automatic persisted queries)', async () => {
    const text = '{ viewer { username } }';
    const script = await app.tokenFor('serocu.analyst');
    await post(script, { query: text, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } } });
    const session = await idp.idTokenFor('serocu.analyst');
    const replay = await post(session, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(text) } } });
    expect(replay.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
