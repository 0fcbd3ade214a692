/**
 * `npm run -s build:server && node dist/server/scripts/report-memory-check.js [--rows 100000]`:
 * shows that a long CSV export streams, by measuring the report CLI's peak memory (RSS).
 *
 * Needs DATABASE_URL (a PostgreSQL server where it may create a database). It builds a database
 * `soc_report_memcheck` holding the organisations, the demo users and `--rows` disruptions
 * visible to SEROCU (kept between runs; `--fresh` rebuilds it), starts the compiled server on it
 * as a separate process, creates a SEROCU API key, and runs `npm run report -- disruptions-export
 * --format csv --out <file>` twice: for a tenth of the rows, then for all of them. The peak RSS
 * of each CLI process (VmHWM from /proc, sampled every 20 ms; Linux only) is printed: flat
 * memory means about the same figure for both.
 */
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApiKey } from '../src/auth/api-keys';
import { loadOrCreateDevKeys, signDevToken } from '../src/auth/dev-keys';
import { loadConfig } from '../src/config';
import { freePort } from '../src/db/embedded-postgres';
import { migrate, openOrm } from '../src/db/orm';
import { seedIdentity } from '../src/db/seed';
import { projectRoot } from '../src/project-root';

const DATABASE = 'soc_report_memcheck';

async function ensureDatabase(serverUrl: string, fresh: boolean): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    if (fresh) await admin.query(`drop database if exists ${DATABASE} with (force)`);
    const exists = await admin.query('select 1 from pg_database where datname = $1', [DATABASE]);
    if (!exists.rowCount) await admin.query(`create database ${DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

function startServer(databaseUrl: string, port: number, dataDir: string) {
  const proc = spawn(process.execPath, [path.join(projectRoot(), 'dist/server/src/main.js')], {
    env: { PATH: process.env.PATH!, HOME: os.homedir(), DATABASE_URL: databaseUrl, PORT: String(port), DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return proc;
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not become ready');
}

async function gql(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' }, // an investigator's (server/src/access/purpose-roles.ts)
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Peak RSS of a process in MiB, from /proc/<pid>/status VmHWM (kB). */
function peakRss(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1]);
    return kb ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the report CLI and returns its peak RSS and how long it took. */
function measuredExport(args: string[]): Promise<{ peakMiB: number; seconds: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const proc = spawn(process.execPath, [path.join(projectRoot(), 'dist/server/scripts/report/main.js'), ...args], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, peakRss(proc.pid!) ?? 0)), 20);
    proc.on('error', reject);
    proc.on('exit', (code) => {
      clearInterval(timer);
      resolve({ peakMiB: peak, seconds: (Date.now() - started) / 1000, code });
    });
  });
}

void (async () => {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, fresh: { type: 'boolean', default: false } } });
  const rows = Number(values.rows);
  const config = loadConfig();
  if (!config.databaseUrl) throw new Error('DATABASE_URL is required (a PostgreSQL server where a database may be created)');
  const databaseUrl = await ensureDatabase(config.databaseUrl, values.fresh!);

  const orm = await openOrm({ databaseUrl, poolMax: 2 });
  const knex = orm.em.getConnection().getKnex();
  await migrate(orm);
  await seedIdentity(orm.em.fork());

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-memcheck-'));
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const server = startServer(databaseUrl, port, dataDir);
  try {
    await waitReady(url);
    const [{ n }] = (await knex.raw('select count(*)::int as n from disruption')).rows;
    if (n < rows) {
      console.error(`loading ${rows - n} disruptions...`);
      const token = await signDevToken(await loadOrCreateDevKeys(dataDir), 'tvp.investigator');
      const orgs = await gql(url, token, '{ organisations(first: 100) { edges { node { id code } } } }');
      const tvp = orgs.organisations.edges.find((e: any) => e.node.code === 'TVP').node.id;
      const threat = await gql(url, token, 'mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }', {
        input: {
          name: 'Operation Memory',
          subjectType: 'ORGANISED_CRIME_GROUP',
          leadOrganisationId: tvp,
          taskingLevel: 'FORCE',
          geographicScope: 'REGIONAL',
          identifiedOn: '2024-01-01',
          criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply.', firstIdentified: '2024-01-01' }],
          access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
        },
      });
      const threatId = Buffer.from(threat.createThreat.id, 'base64url').toString('utf8').split(':')[1];
      await knex.raw(
        `insert into disruption (threat_id, date, claiming_organisation_id, strand, level, tactic, description, impact_narrative,
            evidence_refs, status, submitted_at, decided_by, decision, level_agreed, strand_agreed, decided_at,
            owning_organisation_id, protective_marking, sharing, created_by, updated_by)
         select ?, date '2024-04-01' + (i % 700), o.id, 'PURSUE', 'MODERATE', 'CRIME', 'Disruption number ' || i || ' of a long export',
            'The line stopped running for a while; phones and cash seized, number ' || i, array['REF-' || i], 'VALIDATED', now(), v.id,
            'VALIDATED', 'MINOR', 'PURSUE', now(), o.id, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', u.id, u.id
           from generate_series(1, ?) i, organisation o, app_user u, app_user v
          where o.code = 'TVP' and u.username = 'tvp.investigator' and v.username = 'serocu.validator'`,
        [threatId, rows - n],
      );
    }
    const { key } = await createApiKey(knex, { organisationCode: 'SEROCU', name: 'memory check' });
    const out = path.join(dataDir, 'export.csv');
    const common = ['disruptions-export', '--format', 'csv', '--out', out, '--url', url, '--key', key];
    // A tenth of the rows: the first 70 of 700 days.
    const small = await measuredExport([...common, '--to', '2024-06-09']);
    const smallRows = fs.readFileSync(out, 'utf8').split('\n').length - 2;
    const large = await measuredExport(common);
    const largeRows = (fs.readFileSync(out, 'utf8').match(/\n/g)?.length ?? 1) - 1;
    const size = (fs.statSync(out).size / 1024 / 1024).toFixed(1);
    console.log(`\nreport CLI peak RSS (VmHWM), disruptions-export as CSV:`);
    console.log(`  ${smallRows.toLocaleString('en-GB').padStart(9)} rows: ${small.peakMiB.toFixed(1)} MiB in ${small.seconds.toFixed(1)} s (exit ${small.code})`);
    console.log(`  ${largeRows.toLocaleString('en-GB').padStart(9)} rows: ${large.peakMiB.toFixed(1)} MiB in ${large.seconds.toFixed(1)} s (exit ${large.code}; file ${size} MiB)`);
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await orm.close(true);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
