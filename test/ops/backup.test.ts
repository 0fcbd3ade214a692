import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { createApp } from '../../server/src/app';
import { createApiKey } from '../../server/src/auth/api-keys';
import { loadConfig } from '../../server/src/config';
import { adminQuery, createTestDatabase, type TestDatabase } from '../support/database';
import { expectData } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * `npm run db:backup` / `db:restore` (server/scripts/backup.ts) through the compiled command,
 * as an operator runs them: a database with demo data, audit events, an API key and live events
 * is backed up, restored into an empty database, and found whole and working.
 */
const SCRIPT = path.resolve(__dirname, '../../dist/server/scripts/backup.js');

function command(args: string[], databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], {
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every table's row count and a digest of its rows, from the database at `url`. */
async function contents(url: string): Promise<Record<string, { rows: number; digest: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = (await client.query(`select tablename from pg_tables where schemaname = 'public' and tablename <> 'schema_migration' order by 1`)).rows;
    const out: Record<string, { rows: number; digest: string }> = {};
    for (const { tablename } of tables) {
      const { rows } = await client.query(`select count(*)::int as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${tablename}" t`);
      out[tablename] = rows[0];
    }
    return out;
  } finally {
    await client.end();
  }
}

let source: TestApp;
let key: string;
let tmp: string;
let target: TestDatabase;

beforeAll(async () => {
  source = await createTestApp({ seed: 'demo' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hub-backup-'));
  key = (await createApiKey(source.app.orm.em.getConnection().getKnex(), { organisationCode: 'SEROCU', name: 'backup test' })).key;
  // Sensitive reads and a change: audit events, history and a live event beyond the seed's.
  expectData(await source.gql('serocu.analyst', '{ threats(first: 5) { edges { node { id name } } } }'));
  expectData(await source.gql('serocu.analyst', 'mutation { createNominal(input: { name: "Backup Testperson", access: { protectiveMarking: OFFICIAL_SENSITIVE, sharing: REGIONAL_LAW_ENFORCEMENT } }) { id } }'));
  target = await createTestDatabase({ empty: true });
}, 120_000);
afterAll(async () => {
  await source?.stop();
  await target?.drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('backup and restore', () => {
  it('restores every record, the audit chain, API keys and live cursors into an empty database', async () => {
    const file = path.join(tmp, 'soc-hub.json.gz');
    const backup = await command(['backup', '--out', file], source.db.url);
    expect(backup).toMatchObject({ code: 0, stdout: `${file}\n` });
    expect(fs.existsSync(`${file}.part`)).toBe(false);
    const before = await contents(source.db.url);
    expect(before.audit_event.rows).toBeGreaterThan(0);
    expect(before.live_event.rows).toBeGreaterThan(0);
    expect(before.api_key.rows).toBe(1);

    const restore = await command(['restore', file], target.url);
    expect(restore.stderr).toMatch(/restored/);
    expect(restore.code).toBe(0);
    expect(await contents(target.url)).toEqual(before);

    // The restored database serves: the chain verifies, the key works, the live log goes on from where it was.
    // The same data directory, so the same development signing key: the source's tokens work.
    const restored = await createApp(loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: source.config.dataDir, SEED_DEMO_DATA: 'false' }), target.url);
    try {
      const ask = async (credential: string, query: string, purpose = 'AUDIT') => {
        const response = await fetch(`${restored.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}`, 'x-purpose': purpose },
          body: JSON.stringify({ query }),
        });
        return response.json() as Promise<any>;
      };
      const sourceCursor = expectData(await source.gql('serocu.analyst', '{ eventCursor }')).eventCursor;
      expect(expectData(await ask(key, '{ eventCursor threats(first: 1) { totalCount } }', 'REPORTING'))).toEqual({
        eventCursor: sourceCursor,
        threats: { totalCount: expect.any(Number) },
      });
      const auditorToken = await source.tokenFor('serocu.auditor');
      const chain = expectData(await ask(auditorToken, '{ verifyAuditChain { valid eventsChecked } }'));
      expect(chain.verifyAuditChain).toEqual({ valid: true, eventsChecked: expect.any(Number) });
      expect(chain.verifyAuditChain.eventsChecked).toBeGreaterThanOrEqual(before.audit_event.rows);
    } finally {
      await restored.stop();
    }
  });

  it('refuses to restore into a database that is not empty, changing nothing', async () => {
    const file = path.join(tmp, 'again.json.gz');
    expect((await command(['backup', '--out', file], source.db.url)).code).toBe(0);
    const before = await contents(source.db.url);
    const refused = await command(['restore', file], source.db.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/error: The database is not empty \(it holds \d+ tables.*\): restore into a new, empty database\./);
    expect(await contents(source.db.url)).toEqual(before);
  });

  it('refuses a file that is not a backup', async () => {
    const file = path.join(tmp, 'not-a-backup.json.gz');
    fs.writeFileSync(file, zlib.gzipSync('{"hello":"world"}\n'));
    const scratch = await createTestDatabase({ empty: true });
    try {
      const refused = await command(['restore', file], scratch.url);
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/is not a SOC Hub backup/) });
      const tables = await adminQuery(`select 1`); // the maintenance connection still answers
      expect(tables.rowCount).toBe(1);
      expect(Object.keys(await contents(scratch.url))).toEqual([]); // nothing was migrated into it
    } finally {
      await scratch.drop();
    }
  });
});
