import { withPooledConnection } from '../../server/src/db/driver-internals';
import { webClientOperation } from '../support/web-client-documents';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEV_AUDIENCE, DEV_ISSUER, loadOrCreateDevKeys, signDevToken } from '../../server/src/auth/dev-keys';
import { createTestApp, type TestApp } from '../support/test-app';
import { statementsSentDuring } from '../support/statements';

const VIEWER = '{ viewer { username displayName roles clearance active organisation { code name type isLawEnforcement } } }';

/** As the web client asks for the viewer: its own operation, by hash, all a browser session may send in production. */
const asWebClient = (app: TestApp, token: string) => postWithToken(app, token, `Bearer ${token}`, webClientOperation('Viewer'));

async function postWithToken(app: TestApp, token: string | undefined, header = `Bearer ${token}`, body: Record<string, unknown> = { query: VIEWER }) {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined ? { authorization: header } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

function expectUnauthenticated(result: { status: number; body: any }, message?: RegExp) {
  expect(result.status).toBe(401);
  expect(result.body.data).toBeUndefined();
  expect(result.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  if (message) expect(result.body.errors[0].message).toMatch(message);
}

describe('development tokens', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  it('viewer answers for each kind of demo user', async () => {
    const analyst = await app.gql('serocu.analyst', VIEWER);
    expect(analyst.status).toBe(200);
    expect(analyst.data.viewer).toEqual({
      username: 'serocu.analyst',
      displayName: 'Priya Fenwick',
      roles: ['ANALYST', 'THREAT_ASSESSOR'],
      clearance: 'OFFICIAL_SENSITIVE',
      active: true,
      organisation: { code: 'SEROCU', name: 'South East Regional Organised Crime Unit', type: 'ROCU', isLawEnforcement: true },
    });
    const mash = await app.gql('oxon.mash', VIEWER);
    expect(mash.data.viewer).toMatchObject({
      username: 'oxon.mash',
      roles: ['PARTNER_CONTRIBUTOR', 'SAFEGUARDING_PRACTITIONER'],
      clearance: 'OFFICIAL',
      organisation: { code: 'OXON_CS', type: 'LOCAL_AUTHORITY_CHILDRENS_SERVICES', isLawEnforcement: false },
    });
  });

  it('refuses a request with no token with HTTP 401', async () => {
    expectUnauthenticated(await postWithToken(app, undefined), /Sign in first/);
  });

  it('refuses a header that is not a bearer token', async () => {
    expectUnauthenticated(await postWithToken(app, 'x', 'Basic dXNlcjpwYXNz'));
  });

  it('refuses garbage in place of a JWT', async () => {
    expectUnauthenticated(await postWithToken(app, 'not.a.jwt'), /not a valid JWT/);
  });

  it('refuses an expired token', async () => {
    const keys = await loadOrCreateDevKeys(app.config.dataDir);
    const expired = await new SignJWT({ preferred_username: 'serocu.analyst' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(keys.privateKey);
    expectUnauthenticated(await postWithToken(app, expired), /expired/);
  });

  it('refuses a token once it expires, though it was accepted (and remembered as verified) before', async () => {
    const keys = await loadOrCreateDevKeys(app.config.dataDir);
    // Long enough for the two requests that must be accepted: with +2 (1 to 2 s left, whole
    // seconds) a first request slowed by a loaded machine met an expired token.
    const expiresAt = Math.floor(Date.now() / 1000) + 6;
    const shortLived = await new SignJWT({ preferred_username: 'serocu.analyst' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(keys.privateKey);
    expect((await postWithToken(app, shortLived)).status).toBe(200);
    expect((await postWithToken(app, shortLived)).status).toBe(200);
    await new Promise((r) => setTimeout(r, expiresAt * 1000 - Date.now() + 50));
    expectUnauthenticated(await postWithToken(app, shortLived), /expired/);
  });

  it('refuses a token signed with another key (forged)', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ preferred_username: 'serocu.admin' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    expectUnauthenticated(await postWithToken(app, forged), /could not be verified/);
  });

  it('refuses an unsigned token (alg none)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ iss: DEV_ISSUER, aud: DEV_AUDIENCE, preferred_username: 'serocu.admin', exp: 9_999_999_999 }),
    ).toString('base64url');
    expectUnauthenticated(await postWithToken(app, `${header}.${payload}.`));
  });

  it('refuses a properly signed token that never expires (no exp claim)', async () => {
    const keys = await loadOrCreateDevKeys(app.config.dataDir);
    const forever = await new SignJWT({ preferred_username: 'serocu.admin' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(DEV_ISSUER)
      .setAudience(DEV_AUDIENCE)
      .setIssuedAt()
      .sign(keys.privateKey);
    expectUnauthenticated(await postWithToken(app, forever), /no expiry time/);
  });

  it('refuses a valid token for a user the platform does not know', async () => {
    expectUnauthenticated(await postWithToken(app, await app.tokenFor('nobody.here')), /no active SOC Hub account/);
  });

  it('refuses a deactivated user at once, without a restart, in the same words as an unknown one', async () => {
    const token = await app.tokenFor('sussex.investigator');
    expect((await postWithToken(app, token)).status).toBe(200);
    await app.app.orm.em.getConnection().execute(`update app_user set active = false where username = 'sussex.investigator'`);
    const deactivated = await postWithToken(app, token);
    expectUnauthenticated(deactivated, /no active SOC Hub account/);
    expect(deactivated.body).toEqual((await postWithToken(app, await app.tokenFor('nobody.there'))).body);
  });

  it('looks the account up and opens no transaction for a request that needs nothing else: a viewer query is one round trip', async () => {
    const token = await app.tokenFor('surrey.investigator');
    /** What a viewer request sends: statements, their bindings, and the round trips they took. */
    const viewerSends = async () => {
      const { result, sql: sent, bindings, roundTrips } = await statementsSentDuring(app, () => postWithToken(app, token));
      expect(result.body.data.viewer.organisation.code).toBe('SURREY');
      return { sent, bindings, roundTrips };
    };
    // The first request by the account looks it up...
    const first = await viewerSends();
    expect(first.sent).toHaveLength(2);
    expect(first.sent[0]).toMatch(/^select u\.\*.* from app_user u join organisation o .*where u\.username = \$1$/s);
    expect(first.bindings[0]).toEqual(['surrey.investigator']);
    expect(first.sent[1]).toMatch(/^commit/i); // knex's, answered without a round trip: no transaction was opened
    expect(first.roundTrips).toBe(1);
    // ...later ones check the remembered account instead (db/request-db.ts, AccountCache): still one round trip.
    const later = await viewerSends();
    expect(later.sent).toHaveLength(2);
    expect(later.sent[0]).toMatch(/^select soc_refuse_changed_account\(\$1\) where not exists \(.*u\.username = \$1 and u\.active/s);
    expect(later.bindings[0]).toEqual(['surrey.investigator', expect.stringMatching(/^\d+\/\d+$/)]);
    expect(later.sent[1]).toMatch(/^commit/i);
    expect(later.roundTrips).toBe(1);
  });

  it('an unknown or deactivated account leaves no transaction open: a burst of refusals does not exhaust the pool', async () => {
    const unknown = await app.tokenFor('nobody.else');
    const results = await Promise.all(Array.from({ length: 40 }, () => postWithToken(app, unknown)));
    results.forEach((r) => expectUnauthenticated(r, /no active SOC Hub account/));
    expect((await app.gql('serocu.analyst', VIEWER)).status).toBe(200);
    const pool = (app.app.orm.em.getConnection().getKnex().client as any).pool;
    // The server's own background jobs (the audit sequencer every 250 ms, agreement lapses) borrow
    // a connection for a moment, so one may be in use at any instant; a refusal that left its
    // transaction open would hold one for good. So: every connection is free at some moment.
    for (const deadline = Date.now() + 10_000; pool.numUsed() > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    expect(pool.numUsed()).toBe(0);
  });

  it("leaves nothing of a refused request on its connection: a statement of knex's own there afterwards runs in no transaction", async () => {
    // The server's own jobs quiet, and one of the pool's two connections held here, so that the
    // refused request and the statements after it all go on the other.
    const quiet = await createTestApp({ env: { DB_POOL_MAX: '2', AUDIT_CHAIN_INTERVAL_MS: '60000', AGREEMENT_LAPSE_CHECK_MS: '3600000' } });
    try {
      const knex = quiet.app.orm.em.getConnection().getKnex();
      await withPooledConnection(knex, async () => {
        expectUnauthenticated(await postWithToken(quiet, await quiet.tokenFor('nobody.at.all')), /no active SOC Hub account/);
        // A refusal that left its deferred BEGIN queued on the connection sent it ahead of this,
        // opening a transaction nobody ended (the server's jobs, a test's update, ran inside it).
        await knex.raw("select set_config('soc.probe', 'left over', true)");
        const { rows } = await knex.raw("select current_setting('soc.probe', true) as probe");
        expect(rows[0].probe ?? '').toBe('');
      });
    } finally {
      await quiet.stop();
    }
  });

  it('signs development tokens through the dev sign-in endpoint for active users only', async () => {
    const users = (await (await fetch(`${app.url}/auth/dev/users`)).json()) as any[];
    expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(['serocu.analyst', 'oxon.mash', 'hmrc.officer']));
    expect(users.find((u) => u.username === 'tvp.investigator')).toMatchObject({ organisation: { code: 'TVP' }, roles: ['INVESTIGATOR'] });
    const ok = await fetch(`${app.url}/auth/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"hiow.analyst"}' });
    const { token } = (await ok.json()) as { token: string };
    expect((await postWithToken(app, token)).body.data.viewer.username).toBe('hiow.analyst');
    const unknown = await fetch(`${app.url}/auth/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"nobody"}' });
    expect(unknown.status).toBe(404);
  });
});

describe('production mode', () => {
  it('refuses development tokens and hides the dev sign-in', async () => {
    const app = await createTestApp({ env: { NODE_ENV: 'production', OIDC_ISSUER: 'https://login.invalid', OIDC_CLIENT_ID: 'soc-hub' } });
    try {
      const keys = await loadOrCreateDevKeys(app.config.dataDir);
      const result = await postWithToken(app, await signDevToken(keys, 'serocu.analyst'));
      expectUnauthenticated(result, /not issued by an identity provider this server trusts/);
      expect(JSON.stringify(result.body)).not.toContain('stacktrace');
      expect((await fetch(`${app.url}/auth/dev/users`)).status).not.toBe(200);
    } finally {
      await app.stop();
    }
  });

  it('accepts development tokens when ALLOW_DEV_TOKENS=true is set explicitly', async () => {
    const app = await createTestApp({ env: { NODE_ENV: 'production', ALLOW_DEV_TOKENS: 'true' } });
    try {
      expect((await app.gql('serocu.admin', VIEWER)).data.viewer.username).toBe('serocu.admin');
    } finally {
      await app.stop();
    }
  });
});

describe('OIDC tokens', () => {
  // A stand-in identity provider: a real HTTP server publishing a JWKS, as a force's IdP would.
  let idp: http.Server;
  let issuer: string;
  let signingKey: KeyLike;
  let app: TestApp;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    signingKey = privateKey;
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }] };
    idp = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify(jwks)));
    await new Promise<void>((r) => idp.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
    app = await createTestApp({ env: { NODE_ENV: 'production', OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'soc-hub' } });
  });
  afterAll(async () => {
    await app.stop();
    idp.closeAllConnections();
    idp.close();
  });

  const idpToken = (claims: Record<string, unknown>, audience = 'soc-hub') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'idp-1' }).setIssuer(issuer).setAudience(audience).setExpirationTime('5m').sign(signingKey);

  it('accepts a token from the configured issuer, checked against its JWKS', async () => {
    const result = await asWebClient(app, await idpToken({ preferred_username: 'tvp.investigator' }));
    expect(result.status).toBe(200);
    expect(result.body.data.viewer).toMatchObject({ username: 'tvp.investigator', organisation: { code: 'TVP' } });
  });

  it('refuses a token for another audience', async () => {
    expectUnauthenticated(await asWebClient(app, await idpToken({ preferred_username: 'tvp.investigator' }, 'other-app')));
  });

  it('refuses a token without a username claim', async () => {
    expectUnauthenticated(await asWebClient(app, await idpToken({ sub: 'abc' })), /names no user/);
  });
});
