import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { loadOrCreateDevKeys, signDevToken } from '../server/src/auth/dev-keys';
import { createTestDatabase, type TestDatabase } from './support/database';
import { spawnServer } from './support/server-process';

async function viewerOf(url: string, token: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ viewer { username organisation { code } } }' }),
  });
  return ((await response.json()) as any).data?.viewer;
}

async function count(dbUrl: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    return Number((await client.query(sql)).rows[0].count);
  } finally {
    await client.end();
  }
}

describe('start-up with DATABASE_URL', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hub-start-'));
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('on an empty database: migrates, loads demo data, serves, and stops cleanly on SIGTERM', async () => {
    const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir });
    await server.ready();
    expect(server.output()).toContain('SOC Hub is running at');
    expect(server.output()).toContain('npm run token -- serocu.analyst');
    expect(await count(db.url, 'select count(*) from organisation')).toBeGreaterThanOrEqual(9);
    expect(await count(db.url, 'select count(*) from app_user')).toBe(13);

    const token = await signDevToken(await loadOrCreateDevKeys(dataDir), 'oxon.mash');
    expect(await viewerOf(server.url, token)).toEqual({ username: 'oxon.mash', organisation: { code: 'OXON_CS' } });
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });

    // An open WebSocket is told the server is going away (1001), then the process exits 0.
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise<void>((resolve) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.on('message', () => resolve());
    });
    const closeCode = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    server.proc.kill('SIGTERM');
    expect(await server.exited()).toBe(0);
    expect(await closeCode).toBe(1001);
    expect(server.output()).toContain('stopped cleanly');
  }, 150_000);

  it('on the existing database: applies nothing twice and does not seed again', async () => {
    await count(db.url, `update app_user set display_name = 'Changed Name' where username = 'hmrc.officer' returning 1`).catch(() => 0);
    const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir });
    await server.ready();
    expect(server.output()).not.toContain('applied migrations');
    expect(server.output()).not.toContain('loaded demo data');
    expect(await count(db.url, 'select count(*) from app_user')).toBe(13);
    expect(await count(db.url, `select count(*) from app_user where display_name = 'Changed Name'`)).toBe(1);
    server.proc.kill('SIGINT');
    expect(await server.exited()).toBe(0);
  }, 150_000);

  it('loads no demo data in production', async () => {
    const empty = await createTestDatabase({ empty: true });
    try {
      const server = await spawnServer({ DATABASE_URL: empty.url, DATA_DIR: dataDir, NODE_ENV: 'production', ALLOW_DEV_TOKENS: 'true' });
      await server.ready();
      expect(await count(empty.url, 'select count(*) from app_user')).toBe(0);
      server.proc.kill('SIGTERM');
      expect(await server.exited()).toBe(0);
    } finally {
      await empty.drop();
    }
  }, 150_000);

  it('two instances starting at once on one empty database migrate and seed exactly once', async () => {
    const shared = await createTestDatabase({ empty: true });
    try {
      const [a, b] = await Promise.all([
        spawnServer({ DATABASE_URL: shared.url, DATA_DIR: dataDir }),
        spawnServer({ DATABASE_URL: shared.url, DATA_DIR: dataDir }),
      ]);
      await Promise.all([a.ready(), b.ready()]);
      expect(await count(shared.url, 'select count(*) from app_user')).toBe(13);
      expect(await count(shared.url, 'select count(*) from schema_migration')).toBeGreaterThan(0);
      a.proc.kill('SIGTERM');
      b.proc.kill('SIGTERM');
      expect(await Promise.all([a.exited(), b.exited()])).toEqual([0, 0]);
    } finally {
      await shared.drop();
    }
  }, 150_000);
});

// Each test waits for servers to start (ready() allows 90 s each, which a loaded machine can
// need: migrations, demo data, and for these initdb), so its own limit covers those waits.
describe('start-up with the embedded PostgreSQL (no DATABASE_URL)', () => {
  let tempDir: string;
  let dataDir: string;
  beforeAll(() => {
    // Under a private (0700) folder, as a checkout in someone's home might be: when the tests
    // run as root, PostgreSQL runs as `postgres` and must still reach its data.
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hub-embedded-'));
    fs.mkdirSync(path.join(tempDir, 'private'), { mode: 0o700 });
    dataDir = path.join(tempDir, 'private', 'data');
  });
  afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));

  it('creates the cluster under DATA_DIR, keeps its data across restarts, and stops it on SIGINT', async () => {
    const first = await spawnServer({ DATA_DIR: dataDir });
    await first.ready(90_000);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
    const postgresPid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    const token = await signDevToken(await loadOrCreateDevKeys(dataDir), 'serocu.lro');
    expect(await viewerOf(first.url, token)).toEqual({ username: 'serocu.lro', organisation: { code: 'SEROCU' } });

    first.proc.kill('SIGINT');
    expect(await first.exited()).toBe(0);
    expect(fs.existsSync(pidFile)).toBe(false);
    expect(() => process.kill(postgresPid, 0)).toThrow();

    const second = await spawnServer({ DATA_DIR: dataDir });
    await second.ready(90_000);
    expect(second.output()).not.toContain('loaded demo data');
    expect(await viewerOf(second.url, token)).toEqual({ username: 'serocu.lro', organisation: { code: 'SEROCU' } });
    second.proc.kill('SIGTERM');
    expect(await second.exited()).toBe(0);
  }, 240_000);

  it('recovers from a killed run whose PostgreSQL was left behind', async () => {
    const crashed = await spawnServer({ DATA_DIR: dataDir });
    await crashed.ready(90_000);
    crashed.proc.kill('SIGKILL');
    await crashed.exited();
    // PostgreSQL runs in its own session, so it outlives the killed server; the next start stops it.
    const next = await spawnServer({ DATA_DIR: dataDir });
    await next.ready(90_000);
    next.proc.kill('SIGTERM');
    expect(await next.exited()).toBe(0);
  }, 240_000);
});
