import { createHash, randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../server/src/config';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { webClientOperation } from '../support/web-client-documents';
import { createTestApp, type TestApp } from '../support/test-app';

const VIEWER = '{ viewer { username organisation { code } } }';

async function signInMethods(app: TestApp) {
  const response = await fetch(`${app.url}/auth/config`);
  return { status: response.status, cacheControl: response.headers.get('cache-control'), body: (await response.json()) as any };
}

function configProblems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => p.variable).sort();
    throw err;
  }
  return [];
}

describe('GET /auth/config: how the web client signs in', () => {
  it('in development: the demo users, and no identity provider', async () => {
    const app = await createTestApp();
    try {
      const { status, cacheControl, body } = await signInMethods(app);
      expect(status).toBe(200);
      expect(cacheControl).toBe('no-store');
      expect(body.oidc).toBeNull();
      expect(body.development.users).toContainEqual({
        username: 'tvp.investigator',
        displayName: expect.any(String),
        roles: ['INVESTIGATOR'],
        organisation: { code: 'TVP', name: 'Thames Valley Police' },
        allowedPurposes: ['INVESTIGATION', 'SAFEGUARDING'],
      });
    } finally {
      await app.stop();
    }
  });

  it('in production: the identity provider, and no demo users anywhere', async () => {
    const app = await createTestApp({ env: { NODE_ENV: 'production', OIDC_ISSUER: 'https://login.example.invalid', OIDC_CLIENT_ID: 'soc-hub-web' } });
    try {
      const { status, body } = await signInMethods(app);
      expect(status).toBe(200);
      expect(body).toEqual({ development: null, oidc: { issuer: 'https://login.example.invalid', clientId: 'soc-hub-web', scope: 'openid profile' } });
      expect((await fetch(`${app.url}/auth/dev/users`)).status).not.toBe(200);
    } finally {
      await app.stop();
    }
  });

  it('offers both when development tokens are allowed beside a configured provider (a demonstration)', async () => {
    const app = await createTestApp({ env: { OIDC_ISSUER: 'https://login.example.invalid', OIDC_CLIENT_ID: 'soc-hub-web', OIDC_SCOPE: 'openid profile email' } });
    try {
      const { body } = await signInMethods(app);
      expect(body.oidc).toEqual({ issuer: 'https://login.example.invalid', clientId: 'soc-hub-web', scope: 'openid profile email' });
      expect(body.development.users.length).toBeGreaterThan(5);
    } finally {
      await app.stop();
    }
  });
});

describe('the ID token the web client obtains is one the server accepts', () => {
  let idp: TestOidcProvider;
  let app: TestApp;
  const redirectUri = 'http://127.0.0.1:9/sign-in/callback'; // never followed: the test reads the redirect

  beforeAll(async () => {
    idp = await startOidcProvider({ clientId: 'soc-hub-web' });
    idp.allowRedirectUri(redirectUri);
    app = await createTestApp({ env: { NODE_ENV: 'production', OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: 'soc-hub-web' } });
  });
  afterAll(async () => {
    await app?.stop();
    await idp?.stop();
  });

  /** The code flow as the browser runs it, by hand: authorize (redirect read, not followed), then the token endpoint. */
  async function codeFlow(username: string, verifierSent?: string) {
    idp.answerNextWith({ username });
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${idp.issuer}/authorize`);
    authorize.search = new URLSearchParams({
      client_id: 'soc-hub-web',
      response_type: 'code',
      redirect_uri: redirectUri,
      scope: 'openid profile',
      state: 's1',
      nonce: 'n1',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    const redirect = await fetch(authorize, { redirect: 'manual' });
    const code = new URL(redirect.headers.get('location')!).searchParams.get('code')!;
    const response = await fetch(`${idp.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: 'soc-hub-web', code_verifier: verifierSent ?? verifier }),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('is verified against the provider JWKS with the client id as audience, and names the user', async () => {
    const { status, body } = await codeFlow('tvp.investigator');
    expect(status).toBe(200);
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${body.id_token}` },
      // The web client's own operation, by hash: in production a browser session may send nothing else.
      body: JSON.stringify(webClientOperation('Viewer')),
    });
    expect(((await response.json()) as any).data.viewer).toMatchObject({ username: 'tvp.investigator', organisation: { code: 'TVP' } });
  });

  it('the test provider refuses a code exchanged without the right PKCE verifier', async () => {
    const { status, body } = await codeFlow('tvp.investigator', 'not-the-verifier-not-the-verifier-not-the-verifier');
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });
});

describe('OIDC configuration', () => {
  const production = { NODE_ENV: 'production' };

  it('needs the issuer and the client id in production without development tokens', () => {
    expect(configProblems(production)).toEqual(['OIDC_CLIENT_ID', 'OIDC_ISSUER']);
    expect(configProblems({ ...production, OIDC_ISSUER: 'https://login.example.police.uk' })).toEqual(['OIDC_CLIENT_ID']);
    expect(configProblems({ ...production, OIDC_CLIENT_ID: 'soc-hub' })).toEqual(['OIDC_ISSUER']);
    expect(configProblems({ ...production, OIDC_ISSUER: 'https://login.example.police.uk', OIDC_CLIENT_ID: 'soc-hub' })).toEqual([]);
  });

  it('says what is missing in words a person can act on', () => {
    expect(() => loadConfig({ ...production, OIDC_ISSUER: 'https://login.example.police.uk' })).toThrow(
      "OIDC_CLIENT_ID: expected the web client's client id at the identity provider when NODE_ENV=production",
    );
    expect(() => loadConfig({ OIDC_CLIENT_ID: 'soc-hub' })).toThrow('OIDC_ISSUER: expected the identity provider URL when OIDC_CLIENT_ID is set');
  });

  it('needs no provider in development, and accepts an issuer alone there (tokens for scripts, no web sign-in)', () => {
    expect(configProblems({})).toEqual([]);
    expect(loadConfig({ OIDC_ISSUER: 'https://login.example.police.uk' })).toMatchObject({ oidcClientId: undefined, oidcAudience: 'soc-hub' });
  });

  it('checks the audience the web client sends: the client id by default, and refuses another', () => {
    const both = { ...production, OIDC_ISSUER: 'https://login.example.police.uk', OIDC_CLIENT_ID: 'soc-hub-web' };
    expect(loadConfig(both)).toMatchObject({ oidcClientId: 'soc-hub-web', oidcAudience: 'soc-hub-web', oidcScope: 'openid profile' });
    expect(loadConfig({ ...both, OIDC_AUDIENCE: 'soc-hub-web' }).oidcAudience).toBe('soc-hub-web');
    expect(() => loadConfig({ ...both, OIDC_AUDIENCE: 'soc-hub' })).toThrow(/OIDC_AUDIENCE: expected unset or the same as OIDC_CLIENT_ID \("soc-hub-web"\)/);
  });

  it('refuses scopes without openid', () => {
    expect(() => loadConfig({ OIDC_SCOPE: 'profile email' })).toThrow(/OIDC_SCOPE: expected space-separated scopes including openid/);
  });
});
