import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { adminQuery } from './database';
import { createTestApp, type TestApp } from './test-app';

/** Debian's Chromium (apt-get install chromium); CHROMIUM_PATH overrides it. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = fs.existsSync(chromiumPath);

if (!hasChromium && process.env.CI) {
  throw new Error(`Browser tests need Chromium at ${chromiumPath} in CI (apt-get install chromium).`);
}

/** `describe` when Chromium is installed; otherwise the block is skipped with a clear message (never in CI). */
export const describeInBrowser: jest.Describe = hasChromium
  ? describe
  : (((name: string, fn: () => void) => {
      // eslint-disable-next-line no-console
      console.warn(`Skipping browser tests "${name}": no Chromium at ${chromiumPath}. Install Debian's chromium package to run them.`);
      return describe.skip(`${name} (skipped: no Chromium at ${chromiumPath})`, fn);
    }) as unknown as jest.Describe);

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far on the page. */
  consoleErrors: string[];
  /** What the page did and when, to say what a slow wait was waiting for (see slowPageReport). */
  timeline: PageTimeline;
}

/**
 * The page's requests and its main frame's loads, with when each happened. A wait that times out
 * on a loaded machine says only what it waited for; this says whether the server had not answered
 * (a request still pending), or had and the page had not got on with it.
 */
export class PageTimeline {
  private readonly start = performance.now();
  private readonly sent = new Map<Request, number>();
  readonly events: string[] = [];
  /** The longest a request took, or has been waiting. */
  longestRequestMs = 0;

  constructor(page: Page) {
    page.on('request', (request) => {
      this.sent.set(request, performance.now());
      this.note(`sent ${request.method()} ${this.path(request)}`);
    });
    const answered = (how: string) => (request: Request) => {
      const at = this.sent.get(request);
      if (at === undefined) return;
      this.sent.delete(request);
      this.longestRequestMs = Math.max(this.longestRequestMs, performance.now() - at);
      this.note(`${how} ${request.method()} ${this.path(request)} after ${Math.round(performance.now() - at)} ms`);
    };
    page.on('requestfinished', answered('finished'));
    page.on('requestfailed', answered('failed'));
    page.on('domcontentloaded', () => this.note('main frame: DOMContentLoaded'));
    page.on('load', () => this.note('main frame: load'));
  }

  /** The requests not answered yet, each with how long it has waited. */
  pending(): string[] {
    const now = performance.now();
    return [...this.sent].map(([request, at]) => {
      this.longestRequestMs = Math.max(this.longestRequestMs, now - at);
      return `${request.method()} ${this.path(request)}, waiting ${Math.round(now - at)} ms`;
    });
  }

  private note(what: string): void {
    this.events.push(`${Math.round(performance.now() - this.start)} ms: ${what}`);
  }

  /** The request's path, and for a GraphQL POST its operation's name: which of the page's reads it was. */
  private path(request: Request): string {
    const url = new URL(request.url());
    return url.pathname + url.search + (request.method() === 'POST' ? operationNameOf(request) : '');
  }
}

function operationNameOf(request: Request): string {
  try {
    const name = (request.postDataJSON() as { operationName?: unknown } | null)?.operationName;
    return typeof name === 'string' ? ` ${name}` : '';
  } catch {
    return '';
  }
}

/** A fresh context and page at the app's URL, recording every console error. */
export async function openPage(browser: Browser, baseURL: string): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()));
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  const timeline = new PageTimeline(page);
  // How long an action or wait may take before the test fails: these waits are for correctness
  // (the element appears, or never does), not speed, which the bench measures. CI runs two browser
  // workers beside the rest of the suite on two cores, and at load 30 Chromium drew the main
  // menu's link stable only after 10 s once; 30 s stays well inside jest's limit per test (jest.config.js).
  page.setDefaultTimeout(30_000);
  return { page, context, consoleErrors, timeline };
}

/** Signs in through the development sign-in page, by clicking the user's button. */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: new RegExp(`\\b${username.replace(/\./g, '\\.')}\\b`) }).click();
  await page.getByTestId('signed-in').waitFor();
}

const screenshotDir = path.join(__dirname, '..', '..', 'test-results', 'screenshots');

/**
 * Saves a full-page screenshot under test-results/screenshots/ (git-ignored) for people to look at.
 *
 * Chromium takes a full-page screenshot by resizing the view, and afterwards the page's scroll
 * position (what Playwright measures to aim a click) can differ from the one the next input event
 * is handled at: on a page long enough to be scrolled, the first mousedown snapped the page back
 * by a hundred pixels or so, mouseup landed on another element, and the click (so a form's
 * submission) was silently lost. Scrolling back to where the page was, through a position it is
 * not at, puts both in step again.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const [x, y] = await page.evaluate(() => [(globalThis as any).scrollX, (globalThis as any).scrollY] as [number, number]);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
  await page.evaluate(([x, y]) => {
    const w = globalThis as any;
    w.scrollTo(x, y === 0 ? 1 : y - 1);
    w.scrollTo(x, y);
  }, [x, y] as [number, number]);
}

/**
 * How long this jest worker's event loop was held up at worst during a test. The worker serves
 * the app and drives Chromium, so a stall here delays both the answers and the waits.
 */
const workerStall = monitorEventLoopDelay({ resolution: 20 });
workerStall.enable();

/**
 * The longest garbage collection pause in this worker during a test, and its heap: whether a stall
 * was the worker collecting a heap grown over the files before (a browser test once waited 40 s
 * for an answer PostgreSQL had already sent, the worker held up to 15 s at a time).
 */
const collections = { longestMs: 0 };
const collectionWatch = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.longestMs = Math.max(collections.longestMs, entry.duration);
});
collectionWatch.observe({ entryTypes: ['gc'] });
const heapMb = () => Math.round(process.memoryUsage().heapUsed / 2 ** 20);

/** Beyond these, a browser test's afterEach prints what its page did (the waits' own limit is 30 s). */
const SLOW_REQUEST_MS = 10_000;
const SLOW_WORKER_MS = 5_000;

/**
 * What the page did, when a request took long or the worker stalled; otherwise undefined. With a
 * request still pending, what the server says it is answering (and at what stage) and what the
 * app's database sessions were doing then: a request waiting on a lock or a statement shows in
 * both, one the server lost track of in neither.
 */
async function slowPageReport(timeline: PageTimeline, stall: ReturnType<typeof monitorEventLoopDelay>, app: TestApp): Promise<string | undefined> {
  const pending = timeline.pending();
  const stallMs = stall.max / 1e6;
  if (timeline.longestRequestMs < SLOW_REQUEST_MS && stallMs < SLOW_WORKER_MS) return undefined;
  return [
    `slow browser test "${expect.getState().currentTestName}": longest request ${Math.round(timeline.longestRequestMs)} ms, worker event loop held up to ${Math.round(stallMs)} ms, longest garbage collection ${Math.round(collections.longestMs)} ms, heap ${heapMb()} MB`,
    ...(pending.length
      ? [
          'still pending:',
          ...pending.map((p) => `  ${p}`),
          'what the server is answering:',
          ...app.app.requestsInFlight().map((r) => `  ${r}`),
          'the database sessions not idle:',
          ...(await busySessions(app.db.name)).map((s) => `  ${s}`),
        ]
      : ['nothing pending']),
    'what the page did:',
    ...timeline.events.map((e) => `  ${e}`),
  ].join('\n');
}

/** The database's sessions that are not idle: what each runs or waits on, for how long, and who blocks it. */
async function busySessions(database: string): Promise<string[]> {
  try {
    const { rows } = await adminQuery(
      `select pid, application_name, state, wait_event_type, wait_event, pg_blocking_pids(pid) as blocked_by,
         round(extract(epoch from clock_timestamp() - xact_start) * 1000) as xact_ms, left(query, 300) as query
       from pg_stat_activity where datname = $1 and state <> 'idle' and pid <> pg_backend_pid() order by xact_start`,
      [database],
    );
    if (!rows.length) return ['none'];
    return rows.map((r) => `${r.pid} ${r.application_name || '-'} ${r.state}${r.wait_event ? ` waiting on ${r.wait_event_type}/${r.wait_event}` : ''}${r.blocked_by.length ? ` blocked by ${r.blocked_by.join(',')}` : ''}, transaction ${r.xact_ms ?? '-'} ms: ${String(r.query).replace(/\s+/g, ' ')}`);
  } catch (err) {
    return [`could not be read: ${(err as Error).message}`];
  }
}

export interface BrowserSession {
  readonly app: TestApp;
  readonly browser: Browser;
  /** This test's page; a fresh context for every test, checked for console errors after it. */
  readonly watched: WatchedPage;
}

/**
 * Registers the hooks every browser test file needs: a demo-data app and Chromium for the file,
 * a fresh page for each test, and a failure if the page logged a console error. `env` configures
 * the app as the environment would.
 */
export function useBrowserSession(options: { env?: Record<string, string> } = {}): BrowserSession {
  const session = {} as { app: TestApp; browser: Browser; watched: WatchedPage };
  beforeAll(async () => {
    [session.app, session.browser] = await Promise.all([createTestApp({ seed: 'demo', env: options.env }), launchBrowser()]);
  });
  afterAll(async () => {
    collectionWatch.disconnect();
    await session.browser?.close();
    await session.app?.stop();
  });
  beforeEach(async () => {
    workerStall.reset();
    collections.longestMs = 0;
    session.watched = await openPage(session.browser, session.app.url);
  });
  afterEach(async () => {
    const slow = await slowPageReport(session.watched.timeline, workerStall, session.app);
    // eslint-disable-next-line no-console
    if (slow) console.warn(slow);
    expect(session.watched.consoleErrors).toEqual([]);
    await session.watched.context.close();
  });
  return session;
}
