import * as oauth from 'oauth4webapi';
import type { Purpose } from '../../lib/client';
import type { OidcSettings } from '../../lib/session';

/**
 * Sign-in through the organisation's OpenID Connect provider: the authorization code flow with
 * PKCE, state and nonce, for a public client (no secret). oauth4webapi does the protocol work and
 * the checks on the provider's answers; this module keeps what must survive the round trip to the
 * provider, in this tab's sessionStorage, and turns failures into messages a person can act on.
 *
 * The token kept is the ID token: OpenID Connect guarantees it is a JWT signed by the issuer with
 * the client id as its audience, which is what the server verifies (OIDC_AUDIENCE = OIDC_CLIENT_ID).
 */

/** Where the provider sends the browser back; register `<origin>/sign-in/callback` at the provider. */
export const CALLBACK_PATH = '/sign-in/callback';
const PENDING_KEY = 'soc-hub.oidc-pending';

/** What a started sign-in needs when the provider sends the browser back. */
interface PendingSignIn {
  issuer: string;
  clientId: string;
  redirectUri: string;
  codeVerifier: string;
  state: string;
  nonce: string;
  purpose: Purpose;
  /** Path, query and fragment the user was at, to return to once signed in. */
  returnTo: string;
}

/** A sign-in that did not complete, with a message for the person. */
export class SignInError extends Error {}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * oauth4webapi refuses plain HTTP. A provider on the loopback interface (a developer's, or the
 * tests') is reachable from this machine only, so TLS would protect nothing there; anywhere
 * else HTTPS stays required.
 */
function requestOptions(issuer: URL): { [oauth.allowInsecureRequests]?: boolean } {
  return issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(issuer: URL): Promise<oauth.AuthorizationServer> {
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...requestOptions(issuer) });
  return oauth.processDiscoveryResponse(issuer, response);
}

/** Sends the browser to the provider's sign-in page; it comes back to {@link CALLBACK_PATH}. */
export async function beginOidcSignIn(settings: OidcSettings, purpose: Purpose): Promise<void> {
  const issuer = new URL(settings.issuer);
  let as: oauth.AuthorizationServer;
  try {
    as = await discover(issuer);
  } catch (err) {
    throw new SignInError(unreachableOr(err, "Your organisation's sign-in service is not set up as expected: tell your administrator."));
  }
  if (!as.authorization_endpoint) throw new SignInError("Your organisation's sign-in service does not offer a sign-in page: tell your administrator.");
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const pending: PendingSignIn = {
    issuer: settings.issuer,
    clientId: settings.clientId,
    redirectUri: new URL(CALLBACK_PATH, window.location.origin).href,
    codeVerifier,
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    purpose,
    returnTo: window.location.pathname === CALLBACK_PATH ? '/' : window.location.pathname + window.location.search + window.location.hash,
  };
  const url = new URL(as.authorization_endpoint);
  for (const [name, value] of Object.entries({
    client_id: pending.clientId,
    response_type: 'code',
    redirect_uri: pending.redirectUri,
    scope: settings.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  window.location.assign(url.href);
}

/** Whether this page load is the provider sending the browser back. */
export const isOidcCallback = () => window.location.pathname === CALLBACK_PATH;

/** Reads and forgets the started sign-in: each is answered once. */
function takePending(): PendingSignIn | null {
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    return stored ? (JSON.parse(stored) as PendingSignIn) : null;
  } catch {
    return null;
  }
}

let completing: Promise<{ token: string; purpose: Purpose }> | null = null;

/**
 * Completes the sign-in the provider answered at {@link CALLBACK_PATH}: checks its answer (state,
 * issuer), exchanges the code with the PKCE verifier, checks the ID token (issuer, audience,
 * nonce, expiry), and puts the address the user started from back in the address bar, so the
 * code never stays in it or in the history. Once per page load (React may run an effect twice).
 * @throws SignInError saying what went wrong.
 */
export function completeOidcSignIn(): Promise<{ token: string; purpose: Purpose }> {
  return (completing ??= exchange());
}

async function exchange(): Promise<{ token: string; purpose: Purpose }> {
  const answer = new URL(window.location.href);
  const pending = takePending();
  window.history.replaceState(null, '', pending?.returnTo ?? '/');
  if (!pending) throw new SignInError('This sign-in was not started in this tab, or has already been used: please sign in again.');
  const issuer = new URL(pending.issuer);
  const client: oauth.Client = { client_id: pending.clientId };
  let as: oauth.AuthorizationServer;
  let params: URLSearchParams;
  try {
    as = await discover(issuer);
    params = oauth.validateAuthResponse(as, client, answer, pending.state);
  } catch (err) {
    throw new SignInError(explainAnswerProblem(err));
  }
  try {
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, pending.redirectUri, pending.codeVerifier, requestOptions(issuer));
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
    return { token: result.id_token!, purpose: pending.purpose };
  } catch (err) {
    throw new SignInError(explainExchangeProblem(err));
  }
}

const AGAIN = 'please sign in again.';

/** The provider's answer in the address bar was an error, or not an answer to the sign-in this tab started. */
function explainAnswerProblem(err: unknown): string {
  if (err instanceof oauth.AuthorizationResponseError) {
    if (err.error === 'access_denied') return `Sign-in was cancelled or refused by your organisation's sign-in service${described(err.error_description)}.`;
    return `Your organisation's sign-in service could not sign you in (${err.error}${described(err.error_description, ': ')}): ${AGAIN}`;
  }
  if (err instanceof oauth.OperationProcessingError) {
    // A wrong state or issuer: the answer may be forged (a login injection); it is not used.
    return `The answer from the sign-in service did not match the sign-in started here, so it was not used: ${AGAIN}`;
  }
  return unreachableOr(err, `Sign-in could not be completed: ${AGAIN}`);
}

/** Exchanging the code failed, or the tokens did not pass the checks. */
function explainExchangeProblem(err: unknown): string {
  if (err instanceof oauth.ResponseBodyError && err.error === 'invalid_grant') {
    return `The sign-in expired or was already used before it could be completed: ${AGAIN}`;
  }
  if (err instanceof oauth.ResponseBodyError) return `Your organisation's sign-in service refused to complete the sign-in (${err.error}): ${AGAIN}`;
  if (err instanceof oauth.OperationProcessingError) return `The sign-in service's answer did not pass its checks (${err.message}): ${AGAIN}`;
  return unreachableOr(err, `Sign-in could not be completed: ${AGAIN}`);
}

/** fetch rejects with a TypeError when the network or CORS fails. */
function unreachableOr(err: unknown, otherwise: string): string {
  return err instanceof TypeError ? "Your organisation's sign-in service could not be reached: check your connection and try again." : otherwise;
}

const described = (description: string | undefined, separator = ': ') => (description ? `${separator}${description}` : '');
