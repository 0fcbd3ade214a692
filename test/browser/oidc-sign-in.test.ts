import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { describeInBrowser, launchBrowser, openPage, screenshot, type WatchedPage } from '../support/browser';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc-provider';
import { createTestApp, type TestApp } from '../support/test-app';

const CLIENT_ID = 'soc-hub-web';
const ORGANISATION_SIGN_IN = "Sign in with your organisation's account";

/**
 * Production sign-in in Chromium: a server in production mode (no development tokens) whose
 * identity provider is the test provider, standing in for the organisation's.
 */
describeInBrowser('web client: sign-in through the organisation identity provider (OIDC)', () => {
  let idp: TestOidcProvider;
  let app: TestApp;
  let browser: Browser;
  let watched: WatchedPage;

  beforeAll(async () => {
    idp = await startOidcProvider({ clientId: CLIENT_ID });
    [app, browser] = await Promise.all([
      createTestApp({ env: { NODE_ENV: 'production', ALLOW_DEV_TOKENS: 'false', OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: CLIENT_ID } }),
      launchBrowser(),
    ]);
    idp.allowRedirectUri(`${app.url}/sign-in/callback`);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await idp?.stop();
  });
  beforeEach(async () => {
    watched = await openPage(browser, app.url);
  });
  afterEach(async () => {
    expect(watched.consoleErrors).toEqual([]);
    await watched.context.close();
  });

  /** States a purpose on the sign-in page at `path`, then goes to the provider (which answers at once). */
  async function signInThroughProvider(page: Page, path: string, purpose = 'Analysis'): Promise<void> {
    await page.goto(path);
    const button = page.getByRole('button', { name: ORGANISATION_SIGN_IN });
    await button.waitFor();
    expect(await button.isDisabled()).toBe(true); // the purpose comes first, as in development
    await page.getByLabel('Purpose of your work').selectOption({ label: purpose });
    await button.click();
  }

  /** What the tab keeps: the token, the stated purpose, and a started OIDC sign-in. */
  const stored = (page: Page) =>
    page.evaluate(() => {
      const storage = (globalThis as any).sessionStorage; // runs in the page; the tests' types have no DOM
      return { token: storage.getItem('soc-hub.token'), purpose: storage.getItem('soc-hub.purpose'), pending: storage.getItem('soc-hub.oidc-pending') };
    });

  it('signs in through the redirect and returns to the page the user asked for, as that user', async () => {
    const { page } = watched;
    idp.answerNextWith({ username: 'tvp.investigator' });
    await page.goto('/');
    expect(await page.getByText('Development sign-in').count()).toBe(0); // no demo users in production
    await signInThroughProvider(page, '/threats?sort=NAME', 'Investigation'); // one an investigator may state

    await page.getByTestId('signed-in').waitFor();
    expect(await page.getByTestId('signed-in').textContent()).toMatch(/· TVP$/);
    await page.getByRole('heading', { name: 'Threats', level: 1 }).waitFor();
    const url = new URL(page.url());
    expect(url.pathname + url.search).toBe('/threats?sort=NAME'); // and no code or state left in the address
    const { token, purpose, pending } = await stored(page);
    expect({ purpose, pending }).toEqual({ purpose: 'INVESTIGATION', pending: null });
    // The token kept is the provider's ID token: for this client, naming the user.
    const claims = JSON.parse(Buffer.from(token!.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({ iss: idp.issuer, aud: CLIENT_ID, preferred_username: 'tvp.investigator' });
    await screenshot(page, 'oidc-signed-in');

    // Live updates work for a production browser session: its subscription is one of the web
    // client's trusted documents. A threat recorded meanwhile (by a colleague, in SQL here)
    // appears in the list without a reload.
    const db = new pg.Client({ connectionString: app.db.url });
    await db.connect();
    try {
      await db.query(`begin; select set_config('soc.user_id', (select id::text from app_user where username = 'surrey.investigator'), true)`);
      await db.query(`insert into soc_threat (urn, name, subject_type, lead_organisation_id, tasking_level, geographic_scope, identified_on,
          owning_organisation_id, protective_marking, sharing, created_by, updated_by)
        select 'SE-2026-LIVEPROD', 'Operation Production Live', 'ORGANISED_CRIME_GROUP', o.id, 'FORCE', 'FORCE', current_date,
          o.id, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', u.id, u.id
          from organisation o, app_user u where o.code = 'SURREY' and u.username = 'surrey.investigator'`);
      await db.query('commit');
    } finally {
      await db.end();
    }
    await page.getByRole('link', { name: 'Operation Production Live' }).waitFor({ timeout: 10_000 });
  });

  it('shows the provider refusing the sign-in on the sign-in page, signed out', async () => {
    const { page } = watched;
    idp.answerNextWith({ error: 'access_denied', description: 'The user declined' });
    await signInThroughProvider(page, '/referrals');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe("Sign-in was cancelled or refused by your organisation's sign-in service: The user declined.");
    expect(new URL(page.url()).pathname).toBe('/referrals');
    expect(await stored(page)).toEqual({ token: null, purpose: null, pending: null });
    // The user can try again from here.
    await page.getByRole('button', { name: ORGANISATION_SIGN_IN }).waitFor();
    await screenshot(page, 'oidc-refused');
  });

  it('refuses an answer whose state does not match the sign-in this tab started, without exchanging its code', async () => {
    const { page } = watched;
    const exchanged = idp.tokensIssued;
    idp.answerNextWith({ username: 'serocu.admin', state: 'tampered-state' });
    await signInThroughProvider(page, '/');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^The answer from the sign-in service did not match the sign-in started here, so it was not used/);
    expect(await stored(page)).toEqual({ token: null, purpose: null, pending: null });
    expect(idp.tokensIssued).toBe(exchanged);
    expect(await page.getByTestId('signed-in').count()).toBe(0);
  });

  it('explains a sign-in that expired at the provider before its code was exchanged', async () => {
    const { page, consoleErrors } = watched;
    idp.answerNextWith({ username: 'tvp.investigator', codeExpired: true });
    await signInThroughProvider(page, '/');

    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('The sign-in expired or was already used before it could be completed: please sign in again.');
    expect(await stored(page)).toEqual({ token: null, purpose: null, pending: null });
    // The browser reports the token endpoint's 400 answer itself; nothing else may be logged.
    expect(consoleErrors.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 400 (Bad Request)']);
  });

  it('refuses a callback this tab did not start (a forged link)', async () => {
    const { page } = watched;
    await page.goto(`/sign-in/callback?code=stolen&state=whatever&iss=${encodeURIComponent(idp.issuer)}`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/^This sign-in was not started in this tab/);
    expect(new URL(page.url()).pathname).toBe('/');
    expect((await stored(page)).token).toBeNull();
  });

  it('returns to the sign-in page with a notice once the ID token has expired', async () => {
    const { page, consoleErrors } = watched;
    // Long enough for the sign-in to finish first: the token is issued at the code exchange, and
    // with 5 s (4 to 5, in whole seconds) a loaded machine could still be loading the home page
    // when it expired, so the test never saw the user signed in.
    idp.answerNextWith({ username: 'hiow.analyst', idTokenLifetimeSeconds: 15 });
    await signInThroughProvider(page, '/');
    await page.getByTestId('signed-in').waitFor();
    const { token } = await stored(page);
    const expiresAtMs = JSON.parse(Buffer.from(token!.split('.')[1], 'base64url').toString()).exp * 1000;
    // Nothing to do but wait: at the token's expiry the server closes the live connection (4401)
    // and the client returns to the sign-in page by itself, before the user tries anything.
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: Math.max(0, expiresAtMs - Date.now()) + 10_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAtMs - 1000);
    expect(await alert.textContent()).toBe('Your session has ended: please sign in again.');
    await page.getByRole('button', { name: ORGANISATION_SIGN_IN }).waitFor();
    expect((await stored(page)).token).toBeNull();
    // The browser reports the API's 401 answers itself; nothing else may be logged.
    expect(consoleErrors.splice(0).filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
