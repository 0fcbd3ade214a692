/**
 * The benchmark's database: `soc_hub_bench` on DATABASE_URL's server, or on an embedded
 * PostgreSQL under .data/bench, migrated and loaded with the benchmark data set once.
 */
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { migrate, openOrm } from '../../src/db/orm';
import { seedDemoData } from '../../src/db/seed';
import { DEMO_SIZES } from '../../src/db/seed/demo/generate';

/** BENCH_DATABASE lets two checkouts with different migrations bench side by side. */
export const BENCH_DATABASE = process.env.BENCH_DATABASE || 'soc_hub_bench';
if (!/^[a-z_][a-z0-9_]*$/.test(BENCH_DATABASE)) throw new Error(`BENCH_DATABASE must be a plain lower-case name, not ${BENCH_DATABASE}.`);
export const BENCH_DATA_DIR = '.data/bench';

export interface BenchDatabase {
  /** Connection string of soc_hub_bench. */
  url: string;
  /** Stops the embedded PostgreSQL when we started it; nothing otherwise. */
  stop(): Promise<void>;
}

/** The tables whose sizes issue 8 names, in the order the report prints them. */
const COUNTED_TABLES = ['soc_threat', 'criminal_activity', 'disruption', 'safeguarding_referral', 'organisation'] as const;

/** Same server and credentials as `serverUrl`, another database. */
function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function createDatabaseIfMissing(serverUrl: string, fresh: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    if (fresh) await client.query(`drop database if exists ${BENCH_DATABASE} with (force)`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [BENCH_DATABASE]);
    if (!rowCount) await client.query(`create database ${BENCH_DATABASE}`);
  } finally {
    await client.end();
  }
}

/**
 * Migrates, then seeds unless the data set is already there: generating it takes minutes, so
 * every run after the first reuses it. seedDemoData itself also skips a database with threats,
 * but checking first saves opening the generator's transaction at all.
 */
async function migrateAndSeed(url: string, log: (line: string) => void): Promise<void> {
  const orm = await openOrm({ databaseUrl: url, poolMax: 4 });
  try {
    await migrate(orm);
    const knex = orm.em.getConnection().getKnex();
    const [{ count }] = await knex('soc_threat').count({ count: '*' });
    if (Number(count) >= DEMO_SIZES.bench.threats) return;
    if (Number(count) > 0) throw new Error(`${BENCH_DATABASE} holds ${count} threats, fewer than the data set; drop it and run again.`);
    log('loading the benchmark data set (once; about 1-2 minutes)...');
    const started = Date.now();
    await seedDemoData(orm.em.fork(), DEMO_SIZES.bench);
    log(`  loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    // Fresh tables have no planner statistics yet; without them the first plans are poor.
    await knex.raw('vacuum analyze');
  } finally {
    await orm.close(true);
  }
}

/** Row counts of the tables the data-set target names. */
export async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of COUNTED_TABLES) {
      counts[table] = Number((await client.query(`select count(*) from ${table}`)).rows[0].count);
    }
    return counts;
  } finally {
    await client.end();
  }
}

/** PostgreSQL's version string, for the machine section of the report. */
export async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('show server_version')).rows[0].server_version as string;
  } finally {
    await client.end();
  }
}

/** `fresh`: drop soc_hub_bench first, e.g. when a migration it already holds was edited since. */
export async function prepareDatabase(log: (line: string) => void, fresh = false): Promise<BenchDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    log(`no DATABASE_URL: starting embedded PostgreSQL under ${BENCH_DATA_DIR}`);
    embedded = await startEmbeddedPostgres({ baseDir: BENCH_DATA_DIR, onNotice: log });
    serverUrl = embedded.url;
  }
  try {
    await createDatabaseIfMissing(serverUrl, fresh);
    const url = withDatabase(serverUrl, BENCH_DATABASE);
    await migrateAndSeed(url, log);
    return { url, stop: async () => embedded?.stop() };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
