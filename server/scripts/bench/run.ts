/**
 * `npm run bench [-- --duration 4 --warmup 2 --runs 3 --connections 10 --pool 10 --only threatsPage,viewer --fresh]`
 *
 * Loads the benchmark data set (once), starts SOC Hub and the plain-SQL baseline as child
 * processes, checks that both give the same answers, counts SQL statements per request, then
 * measures every scenario as a SEROCU and as a partner user and writes the report to
 * .data/bench/results-<time>.md and .data/bench/latest.md. Not a test: timings on a shared
 * machine are figures to read, never assertions.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadOrCreateDevKeys, signDevToken } from '../../src/auth/dev-keys';
import { compareAnswers } from './check';
import { BENCH_DATA_DIR, postgresVersion, prepareDatabase, rowCounts, type BenchDatabase } from './database';
import { BackendCpu } from './cpu';
import { comparePair, type LoadOptions, type Target } from './measure';
import { startBaseline, startSocHub, stopAll, type Child } from './processes';
import { renderReport, type ReportInput, type ScenarioResult } from './report';
import { BASELINE_USER_HEADER, BENCH_USERS, benchPurpose, SCENARIOS, type Fixtures, type Scenario } from './scenarios';
import { startInProcess, type RequestCost } from './statements';
import { steadyRateRun } from './steady-rate';

interface Options extends LoadOptions {
  poolMax: number;
  only: string[] | undefined;
  /** Drop soc_hub_bench and load it again (after a migration that was already applied changed). */
  fresh: boolean;
}

/**
 * Defaults keep the whole bench under 10 minutes on a 2-core machine, one-time seeding
 * included: 5 scenarios × 2 users × (2 × 2 s warm-up + 3 × 2 × 4 s) ≈ 5 minutes of load.
 */
function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '4' },
      warmup: { type: 'string', default: '2' },
      runs: { type: 'string', default: '3' },
      connections: { type: 'string', default: '10' },
      pool: { type: 'string', default: '10' },
      only: { type: 'string' },
      fresh: { type: 'boolean', default: false },
    },
  });
  const only = values.only?.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !SCENARIOS.some((s) => s.name === name));
  if (unknown?.length) throw new Error(`unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return {
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    runs: Number(values.runs),
    connections: Number(values.connections),
    poolMax: Number(values.pool),
    only,
    fresh: values.fresh,
  };
}

const log = (line: string) => console.error(line);

/** A threat every bench user may read (chosen under row-level security as each of them), for node(id). */
async function findFixtures(url: string): Promise<Fixtures> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    let visibleToAll: string[] | undefined;
    for (const u of BENCH_USERS) {
      await client.query('savepoint caller');
      await client.query(
        `select set_config('soc.user_id', u.id::text, true), set_config('soc.organisation_id', o.id::text, true),
            set_config('soc.is_law_enforcement', o.is_law_enforcement::text, true), set_config('soc.roles', u.roles::text, true),
            set_config('soc.clearance', u.clearance, true), set_config('role', 'soc_app', true)
          from app_user u join organisation o on o.id = u.organisation_id where u.username = $1`,
        [u.username],
      );
      const { rows } = await client.query<{ id: string }>('select id from soc_threat');
      const ids = new Set(rows.map((r) => r.id));
      visibleToAll = (visibleToAll ?? [...ids]).filter((id) => ids.has(id));
      await client.query('rollback to savepoint caller');
    }
    await client.query('rollback');
    const { rows } = await client.query<{ id: string }>('select id from soc_threat where id = any ($1::uuid[]) order by urn limit 1', [visibleToAll ?? []]);
    if (!rows.length) throw new Error('No threat is visible to every bench user: node(id) would measure "not found".');
    return { threatId: Buffer.from(`SocThreat:${rows[0].id}`).toString('base64url') };
  } finally {
    await client.end();
  }
}

/** Deletes the nominals the mutation scenario created, and their history, so runs start alike. */
async function removeCreatedNominals(url: string, name: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    const { rows } = await client.query<{ id: string }>('delete from nominal where name = $1 returning id', [name]);
    const ids = rows.map((r) => r.id);
    await client.query(`delete from record_version where record_type = 'Nominal' and record_id = any ($1::uuid[])`, [ids]);
    await client.query('commit');
    return ids.length;
  } finally {
    await client.end();
  }
}

interface Servers {
  ours: Child;
  baseline: Child;
  tokens: Map<string, string>;
  backends: BackendCpu;
}

function targetsFor(servers: Servers, scenario: Scenario, username: string, fixtures: Fixtures): { ours: Target; baseline: Target } {
  const variables = scenario.variables(fixtures);
  return {
    ours: {
      url: `${servers.ours.url}/graphql`,
      // A stated purpose: reading sensitive records without one is refused (and audited).
      headers: { authorization: `Bearer ${servers.tokens.get(username)}`, 'x-purpose': benchPurpose(username) },
      body: JSON.stringify({ query: scenario.document, variables }),
      pid: servers.ours.process.pid,
      backends: servers.backends,
    },
    baseline: {
      url: `${servers.baseline.url}/${scenario.name}`,
      headers: { [BASELINE_USER_HEADER]: username },
      body: JSON.stringify({ variables }),
      pid: servers.baseline.process.pid,
      backends: servers.backends,
    },
  };
}

/** Statements per request for every scenario and user, and the 5- vs 20-threat page comparison. */
async function countStatements(db: BenchDatabase, scenarios: Scenario[], fixtures: Fixtures, tokenFor: (u: string) => Promise<string>) {
  const app = await startInProcess(db.url, path.resolve(BENCH_DATA_DIR), tokenFor);
  try {
    const counts = new Map<string, RequestCost>();
    for (const s of scenarios) {
      for (const u of BENCH_USERS) {
        // A failing scenario is reported in its row (measureScenario finds the same error); the others still run.
        const n = await app.count(u.username, s.document!, s.variables(fixtures)).catch(() => undefined);
        if (n !== undefined) counts.set(`${s.name}/${u.username}`, n);
      }
    }
    const page = SCENARIOS.find((s) => s.name === 'threatsPage')!;
    const pageCost = scenarios.includes(page)
      ? {
          smallSize: 5,
          largeSize: 20,
          small: await app.count(BENCH_USERS[0].username, page.document!, { first: 5 }),
          large: await app.count(BENCH_USERS[0].username, page.document!, { first: 20 }),
        }
      : undefined;
    return { counts, pageCost };
  } finally {
    await app.stop();
  }
}

async function measureScenario(servers: Servers, s: Scenario, user: (typeof BENCH_USERS)[number], fixtures: Fixtures, o: Options, statements: Map<string, RequestCost>, notes: string[]): Promise<ScenarioResult> {
  const result: ScenarioResult = { scenario: s.name, title: s.title, user: `${user.label} (${user.username})`, maxP50Ms: s.targets?.maxP50Ms };
  if (!s.document) return result;
  const t = targetsFor(servers, s, user.username, fixtures);
  let difference: string | undefined;
  try {
    difference = await compareAnswers(t.ours, t.baseline, s.ignoreInComparison);
  } catch (err) {
    // Timing an error response would be meaningless: report the error instead of figures.
    log(`${s.name} as ${user.username} failed: ${(err as Error).message}`);
    return { ...result, error: (err as Error).message };
  }
  if (difference) notes.push(`${s.name} as ${user.username}: the baseline's answer differs at ${difference}`);
  log(`measuring ${s.name} as ${user.username}...`);
  // A latency target is about computing one answer, not about queueing behind nine others.
  const load = s.targets?.maxP50Ms ? { ...o, connections: 1 } : o;
  const figures = await comparePair(t.ours, t.baseline, load);
  return { ...result, ...figures, sameData: !difference, cost: statements.get(`${s.name}/${user.username}`), connections: load.connections };
}

/** p99 of the 20-threat page as the SEROCU user at half the throughput measured for it. */
async function halfLoad(servers: Servers, results: ScenarioResult[], fixtures: Fixtures, o: Options): Promise<ReportInput['halfLoad']> {
  const peak = results.find((r) => r.scenario === 'threatsPage' && r.user.startsWith('SEROCU'))?.ours?.throughput;
  if (!peak) return undefined;
  const rate = Math.max(1, Math.round(peak / 2));
  log(`measuring the threats page at half of peak (${rate} req/s)...`);
  const t = targetsFor(servers, SCENARIOS.find((s) => s.name === 'threatsPage')!, BENCH_USERS[0].username, fixtures);
  // Longer than a throughput run: a p99 needs enough samples to mean something. A short run at
  // the same rate first, thrown away, as the throughput runs' warm-up is.
  await steadyRateRun(t.ours, rate, Math.max(2, o.warmup));
  return { rate, figures: await steadyRateRun(t.ours, rate, Math.max(10, o.duration * 2)) };
}

function writeReport(markdown: string, startedAt: Date): string {
  fs.mkdirSync(BENCH_DATA_DIR, { recursive: true });
  const file = path.join(BENCH_DATA_DIR, `results-${startedAt.toISOString().replace(/[:.]/g, '-')}.md`);
  fs.writeFileSync(file, markdown);
  fs.writeFileSync(path.join(BENCH_DATA_DIR, 'latest.md'), markdown);
  return file;
}

async function bench(o: Options, cleanup: { db?: BenchDatabase }): Promise<void> {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const db = (cleanup.db = await prepareDatabase(log, o.fresh));
  const counts = await rowCounts(db.url);
  log(`rows: ${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  const fixtures = await findFixtures(db.url);
  const keys = await loadOrCreateDevKeys(path.resolve(BENCH_DATA_DIR));
  const tokenFor = (username: string) => signDevToken(keys, username);
  const selected = SCENARIOS.filter((s) => !o.only || o.only.includes(s.name));
  const measurable = selected.filter((s) => s.document);

  log('counting SQL statements per request (in-process)...');
  const statements = await countStatements(db, measurable, fixtures, tokenFor);

  log('starting SOC Hub and the baseline...');
  const [ours, baseline] = await Promise.all([startSocHub(db.url, path.resolve(BENCH_DATA_DIR), o.poolMax), startBaseline(db.url, o.poolMax, path.resolve(BENCH_DATA_DIR))]);
  const tokens = new Map(await Promise.all(BENCH_USERS.map(async (u) => [u.username, await tokenFor(u.username)] as const)));
  const backends = await BackendCpu.open(db.url);
  const servers: Servers = { ours, baseline, tokens, backends };

  const notes: string[] = [];
  const results: ScenarioResult[] = [];
  for (const s of selected) for (const u of BENCH_USERS) results.push(await measureScenario(servers, s, u, fixtures, o, statements.counts, notes));
  const half = await halfLoad(servers, results, fixtures, o);
  await stopAll();
  await backends.close();

  if (results.some((r) => r.sameData === false)) {
    notes.push('Where SOC Hub and the baseline answered differently (above), their ratio does not compare like with like: one of the two applies the access rules differently, which is a bug to find before reading the figure.');
  }
  for (const s of selected.filter((x) => x.createsNominalsNamed)) {
    notes.push(`Removed ${await removeCreatedNominals(db.url, s.createsNominalsNamed!)} nominals created by the ${s.name} scenario.`);
  }
  const report = renderReport({
    startedAt,
    elapsedSeconds: (Date.now() - startedAt.getTime()) / 1000,
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', node: process.version, postgres: await postgresVersion(db.url), loadBefore },
    options: o,
    rowCounts: counts,
    results,
    pageCost: statements.pageCost,
    halfLoad: half,
    notes,
  });
  console.log(report);
  log(`written to ${writeReport(report, startedAt)} and ${path.join(BENCH_DATA_DIR, 'latest.md')}`);
}

void (async () => {
  const cleanup: { db?: BenchDatabase } = {};
  const shutdown = async (code: number) => {
    await stopAll();
    await cleanup.db?.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(130));
  process.once('SIGTERM', () => void shutdown(143));
  try {
    await bench(parseOptions(), cleanup);
    await shutdown(0);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await shutdown(1);
  }
})();
