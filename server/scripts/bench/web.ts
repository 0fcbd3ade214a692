/**
 * `npm run bench:web [-- --runs 5]`: what a person waits for in the web client, on the
 * benchmark's data (5,000 threats; `npm run bench` loads it once). SOC Hub runs as `npm start`
 * runs it (production mode, the built client; development sign-in on), and Debian's Chromium
 * (playwright-core) signs in as serocu.analyst and, each run:
 *
 * - loads the threat list (`/threats`) and the plans register (`/plans`) afresh and times, from
 *   the navigation's start, until the first row of data is on screen (target: within 1 s);
 * - loads the home page afresh and times its assessment worklist's request (target: 300 ms);
 * - types a threat's name into the header's search box and times, from the last keystroke, until
 *   that threat is offered (target: within 300 ms of the query going out; the box waits 200 ms
 *   for typing to settle before it asks, so the figure is printed with and without that wait).
 *
 * Medians and worst of the runs go to the terminal and .data/bench/web.md. Timings in browser
 * tests would fail on a loaded machine; here they are figures, printed beside their targets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { BENCH_DATA_DIR, prepareDatabase } from './database';
import { startSocHub, stopAll } from './processes';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The search box's wait for typing to settle (client/web/src/features/search/HeaderSearch.tsx). */
const SEARCH_SETTLE_MS = 200;
const log = (line: string) => console.error(`[bench:web] ${line}`);

function runsOption(): number {
  const i = process.argv.indexOf('--runs');
  const runs = i >= 0 ? Number(process.argv[i + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) throw new Error('--runs takes a whole number from 1 to 100');
  return runs;
}

async function signIn(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Purpose of your work').selectOption({ label: 'Analysis' });
  await page.getByRole('button', { name: /\bserocu\.analyst\b/ }).click();
  await page.getByTestId('signed-in').waitFor();
}

/** Loads `url` afresh; ms from the navigation's start until `selector` matches. */
async function timeToData(page: Page, url: string, selector: string): Promise<number> {
  await page.goto(url);
  await page.locator(selector).first().waitFor();
  return page.evaluate(() => (globalThis as any).performance.now() as number);
}

/**
 * Types `name` into the header's search box once the home page has its own data (its worklist
 * queries, run beside the search, made it a figure of the home page, not of the search); ms
 * from the last keystroke until an option naming it is on screen. Both moments are stamped in
 * the page (the keydown, and the first animation frame after the option appears): a locator's
 * waitFor, timed from outside, polls at 0, 20, 50, 100, 100 then every 500 ms, so a result
 * shown 400 ms after the keystroke was reported at about 800 (answers sent back at +300-380 ms
 * were "shown" at +810-860 ms).
 */
async function timeToSearchResult(page: Page, name: string): Promise<{ shown: number; request: number }> {
  await page.goto('/');
  await page.waitForLoadState('networkidle');
  const box = page.getByRole('combobox', { name: /Find threats, people, plans/ });
  await box.fill(name.slice(0, -1));
  await page.evaluate((wanted) => {
    const g = globalThis as any;
    const doc = g.document;
    g.__typedAt = 0;
    g.__shownAt = 0;
    doc.addEventListener('keydown', () => (g.__typedAt = g.performance.now()), { once: true, capture: true });
    const shown = () => {
      const list = doc.querySelector('[role="listbox"][aria-label="Search results"]');
      return !!list && !list.hidden && [...list.querySelectorAll('[role="option"]')].some((o: any) => o.textContent.includes(wanted));
    };
    const observer = new g.MutationObserver(() => {
      if (!g.__typedAt || !shown()) return;
      observer.disconnect();
      g.requestAnimationFrame(() => (g.__shownAt = g.performance.now()));
    });
    observer.observe(doc.body, { subtree: true, childList: true, attributes: true, characterData: true });
  }, name);
  const answered = requestTime(page, 'FindAnything');
  await box.press(name.slice(-1));
  await page.waitForFunction(() => (globalThis as any).__shownAt > 0);
  const shown = await page.evaluate(() => (globalThis as any).__shownAt - (globalThis as any).__typedAt);
  return { shown, request: await answered };
}

/** Resolves with the time the next request of `operation` took, from sending to the whole answer (the server's time plus the local round trip). */
async function requestTime(page: Page, operation: string): Promise<number> {
  const finished = await page.waitForEvent('requestfinished', { predicate: (r) => r.postData()?.includes(`"operationName":"${operation}"`) ?? false });
  const timing = finished.timing();
  return timing.responseEnd - timing.requestStart;
}

/**
 * Loads the home page afresh as serocu.analyst (a threat assessor: the assessment worklist) and
 * returns the time its WorklistAssessments request took, from sending to the whole answer
 * (the server's time plus the local round trip); it took 1-1.7 s on this data before issue 14.
 */
async function timeHomeWorklist(page: Page): Promise<number> {
  const answered = requestTime(page, 'WorklistAssessments');
  await page.goto('/');
  const took = await answered;
  await page.getByTestId('work-decide').locator('[aria-busy="true"]').waitFor({ state: 'detached' });
  return took;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const figure = (values: number[]) => `median ${Math.round(median(values))} ms, worst ${Math.round(Math.max(...values))} ms`;
const verdict = (value: number, target: number) => (value <= target ? 'met' : '**not met**');

async function main(): Promise<void> {
  const runs = runsOption();
  const loadBefore = os.loadavg();
  const db = await prepareDatabase(log);
  const dataDir = path.resolve(BENCH_DATA_DIR);
  // On DATABASE_URL's server nothing else creates it, and the server's log is written there.
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    log('starting SOC Hub (production mode, built client)...');
    const server = await startSocHub(db.url, dataDir, 10);
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const page = await (await browser.newContext({ baseURL: server.url })).newPage();
      await signIn(page);
      const lists: number[] = [];
      const plans: number[] = [];
      const searches: number[] = [];
      const searchRequests: number[] = [];
      const worklists: number[] = [];
      let searched: string | undefined;
      for (let i = 0; i < runs; i++) {
        log(`run ${i + 1} of ${runs}...`);
        lists.push(await timeToData(page, '/threats', 'table.list tbody tr'));
        // A threat's name from the list just shown: the search must find it.
        searched ??= ((await page.locator('table.list tbody tr td a').first().textContent()) ?? '').trim();
        plans.push(await timeToData(page, '/plans', 'table.list tbody tr'));
        worklists.push(await timeHomeWorklist(page));
        const search = await timeToSearchResult(page, searched);
        searches.push(search.shown);
        searchRequests.push(search.request);
      }
      const report = [
        `# Web client timings, ${new Date().toISOString()}`,
        '',
        `Machine: ${os.cpus().length} CPUs, load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} after; ${runs} runs, serocu.analyst, benchmark data.`,
        '',
        '| What | Figure | Target | |',
        '|---|---|---|---|',
        `| threat list, navigation to first row | ${figure(lists)} | ≤ 1,000 ms | ${verdict(median(lists), 1000)} |`,
        `| plans register, navigation to first row | ${figure(plans)} | ≤ 1,000 ms | ${verdict(median(plans), 1000)} |`,
        `| home page, its assessment worklist (WorklistAssessments) request to answer | ${figure(worklists)} | ≤ 300 ms | ${verdict(median(worklists), 300)} |`,
        `| header search "${searched}", last keystroke to result shown | ${figure(searches)} | | |`,
        `| the same less the box's ${SEARCH_SETTLE_MS} ms settling wait (query to result) | ${figure(searches.map((s) => s - SEARCH_SETTLE_MS))} | ≤ 300 ms | ${verdict(median(searches) - SEARCH_SETTLE_MS, 300)} |`,
        `| of which its FindAnything request, sending to answer | ${figure(searchRequests)} | | |`,
        '',
      ].join('\n');
      console.log(report);
      fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
      fs.writeFileSync(path.join(BENCH_DATA_DIR, 'web.md'), report);
    } finally {
      await browser.close();
    }
  } finally {
    await stopAll();
    await db.stop();
  }
}

main().catch(async (err) => {
  console.error(err instanceof Error ? err.message : err);
  await stopAll();
  process.exit(1);
});
