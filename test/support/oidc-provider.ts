import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';

/**
 * A minimal but real OpenID Connect provider over HTTP, standing in for the organisation's
 * identity provider (which is outside our system) in tests: discovery, an authorization endpoint
 * with no login form (it signs in whoever the test named), a token endpoint that checks the code,
 * the redirect URI and the PKCE verifier, and a JWKS. ID tokens are signed with ES256.
 * Public clients only (no client secret), as the web client is.
 */
export interface TestOidcProvider {
  /** The issuer identifier, e.g. http://127.0.0.1:41234 (what OIDC_ISSUER is set to). */
  readonly issuer: string;
  /** Accepts this redirect URI from now on (a real provider only redirects to registered ones). */
  allowRedirectUri(uri: string): void;
  /** How the next authorization request is answered (until changed: signs in as `serocu.analyst`). */
  answerNextWith(answer: AuthorizationAnswer): void;
  /** Codes exchanged at the token endpoint so far. */
  readonly tokensIssued: number;
  /** An ID token for `username`, as a completed sign-in of the web client would hold (for API tests). */
  idTokenFor(username: string): Promise<string>;
  stop(): Promise<void>;
}

export type AuthorizationAnswer =
  /**
   * Signs in as `username`. `state` replaces the client's state (a forged or tampered answer);
   * `codeExpired` issues a code already past its lifetime (a sign-in left too long).
   */
  | { username: string; state?: string; idTokenLifetimeSeconds?: number; codeExpired?: boolean }
  /** An authorization error response, e.g. `access_denied` when the person declines. */
  | { error: string; description?: string };

interface IssuedCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  username: string;
  idTokenLifetimeSeconds: number;
  expiresAtMs: number;
}

const CODE_LIFETIME_MS = 60_000;

export async function startOidcProvider(options: { clientId: string }): Promise<TestOidcProvider> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'test-idp-1', alg: 'ES256', use: 'sig' }] };
  const redirectUris = new Set<string>();
  const codes = new Map<string, IssuedCode>();
  let answer: AuthorizationAnswer = { username: 'serocu.analyst' };
  let tokensIssued = 0;
  let issuer = '';

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', issuer);
    // Browsers call discovery and the token endpoint from the web client's origin.
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-headers', 'content-type, accept, authorization, dpop');
      res.setHeader('access-control-allow-methods', 'GET, POST');
      return void res.writeHead(204).end();
    }
    if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') return json(res, 200, discovery());
    if (req.method === 'GET' && url.pathname === '/.well-known/jwks.json') return json(res, 200, jwks);
    if (req.method === 'GET' && url.pathname === '/authorize') return authorize(url, res);
    if (req.method === 'POST' && url.pathname === '/token') return token(new URLSearchParams(await body(req)), res);
    res.writeHead(404).end();
  }

  const discovery = () => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    response_types_supported: ['code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['ES256'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none'],
    scopes_supported: ['openid', 'profile'],
    authorization_response_iss_parameter_supported: true,
  });

  function authorize(url: URL, res: http.ServerResponse): void {
    const p = url.searchParams;
    const redirectUri = p.get('redirect_uri') ?? '';
    // Errors about the client or its redirect URI are shown here, never sent to an unknown address.
    if (p.get('client_id') !== options.clientId) return void res.writeHead(400).end('unknown client_id');
    if (!redirectUris.has(redirectUri)) return void res.writeHead(400).end('redirect_uri is not registered');
    const back = new URL(redirectUri);
    const state = p.get('state');
    const current = answer;
    const problem =
      p.get('response_type') !== 'code'
        ? 'unsupported_response_type'
        : !(p.get('scope') ?? '').split(' ').includes('openid')
          ? 'invalid_scope'
          : p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')
            ? 'invalid_request'
            : undefined;
    if (problem || 'error' in current) {
      back.searchParams.set('error', problem ?? (current as { error: string }).error);
      if (!problem && 'description' in current && current.description) back.searchParams.set('error_description', current.description);
    } else {
      const code = randomBytes(24).toString('base64url');
      codes.set(code, {
        clientId: options.clientId,
        redirectUri,
        codeChallenge: p.get('code_challenge')!,
        nonce: p.get('nonce') ?? undefined,
        username: current.username,
        idTokenLifetimeSeconds: current.idTokenLifetimeSeconds ?? 600,
        expiresAtMs: current.codeExpired ? Date.now() - 1 : Date.now() + CODE_LIFETIME_MS,
      });
      back.searchParams.set('code', code);
    }
    const echoedState = 'username' in current && current.state !== undefined ? current.state : state;
    if (echoedState !== null) back.searchParams.set('state', echoedState);
    back.searchParams.set('iss', issuer);
    res.writeHead(302, { location: back.href }).end();
  }

  async function token(p: URLSearchParams, res: http.ServerResponse): Promise<void> {
    const code = p.get('code') ?? '';
    const issued = codes.get(code);
    codes.delete(code); // single use, whatever happens next
    if (p.get('grant_type') !== 'authorization_code') return json(res, 400, { error: 'unsupported_grant_type' });
    if (!issued || issued.expiresAtMs < Date.now()) return json(res, 400, { error: 'invalid_grant', error_description: 'The code is unknown, used or expired.' });
    if (p.get('client_id') !== issued.clientId || p.get('redirect_uri') !== issued.redirectUri) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'The code was issued to another client or redirect URI.' });
    }
    const verifier = p.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== issued.codeChallenge) {
      return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed.' });
    }
    tokensIssued += 1;
    json(res, 200, {
      access_token: randomBytes(24).toString('base64url'),
      token_type: 'Bearer',
      expires_in: issued.idTokenLifetimeSeconds,
      scope: 'openid profile',
      id_token: await idToken(issued, privateKey),
    });
  }

  function idToken(issued: IssuedCode, key: KeyLike): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ preferred_username: issued.username, auth_time: now, ...(issued.nonce ? { nonce: issued.nonce } : {}) })
      .setProtectedHeader({ alg: 'ES256', kid: 'test-idp-1' })
      .setIssuer(issuer)
      .setAudience(issued.clientId)
      .setSubject(`sub-${issued.username}`)
      .setIssuedAt(now)
      .setExpirationTime(now + issued.idTokenLifetimeSeconds)
      .sign(key);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    allowRedirectUri: (uri) => void redirectUris.add(uri),
    answerNextWith: (next) => void (answer = next),
    get tokensIssued() {
      return tokensIssued;
    },
    idTokenFor: (username) =>
      idToken({ clientId: options.clientId, redirectUri: '', codeChallenge: '', nonce: undefined, username, idTokenLifetimeSeconds: 600, expiresAtMs: 0 }, privateKey),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: http.ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}

function body(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > 10_000) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
