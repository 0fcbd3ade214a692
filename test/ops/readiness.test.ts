import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createTestDatabase, waitUntilBlockedOnLock, type TestDatabase } from '../support/database';
import { spawnServer } from '../support/server-process';
import { createTestApp } from '../support/test-app';

/**
 * The status of GET url, 'refused' when nothing listens, or 'no answer' when the connection was
 * taken but no answer came in time (a loaded machine, never what a probe should count as dead).
 */
const probe = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(15_000) }).then(
    (r) => r.status,
    (err: Error) => (err.name === 'TimeoutError' ? ('no answer' as const) : ('refused' as const)),
  );

describe('readiness during start-up', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hub-ready-'));
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('is alive but not ready while it migrates and loads data, then ready', async () => {
    // Demo data on an empty database makes start-up long enough to watch.
    const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, SEED_DEMO_DATA: 'true', LOG_LEVEL: 'info' });
    try {
      // The state only moves forward (not listening, starting, ready), so a sample whose readiness
      // said "starting" both before and after the other probes saw them all while starting.
      // (Reading readiness only once let the port open, or the start-up finish, between probes.)
      const seen: { before: number | string; ready: number | string; alive: number | string; graphql: number | string; body?: unknown }[] = [];
      const deadline = Date.now() + 90_000;
      while (Date.now() < deadline) {
        const before = await probe(`${server.url}/readyz`);
        const graphql = await probe(`${server.url}/graphql`);
        const alive = await probe(`${server.url}/healthz`);
        const readyz = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
        const ready = readyz?.status ?? 'refused';
        const body = await readyz?.json().catch(() => undefined);
        seen.push({ before, ready, alive, graphql, body });
        if (ready === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen[seen.length - 1].ready).toBe(200);
      const starting = seen.filter((s) => s.before === 503 && s.ready === 503);
      expect(starting.length).toBeGreaterThan(0);
      // While starting: the process says it is alive, not ready, and turns work away with a 503.
      for (const s of starting) expect(s).toEqual({ before: 503, ready: 503, alive: 200, graphql: 503, body: { status: 'starting' } });
      // Once the port is open it never refuses a connection: a load balancer's probe never finds it dead.
      const firstListening = seen.findIndex((s) => s.before !== 'refused');
      expect(seen.slice(firstListening + 1).filter((s) => [s.before, s.ready, s.alive, s.graphql].includes('refused'))).toEqual([]);
      // By the first 200 the migrations had all been applied and the data loaded.
      expect(server.output()).toMatch(/applied migrations/);
      expect(server.output()).toMatch(/loaded demo data/);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('select count(*)::int as n from schema_migration');
      await client.end();
      expect(rows[0].n).toBeGreaterThan(5);
    } finally {
      server.proc.kill('SIGTERM');
      await server.exited();
    }
  }, 120_000);
});

describe('readiness during shutdown', () => {
  it('stops taking new work at once while a request in flight completes', async () => {
    const app = await createTestApp();
    const locker = new pg.Client({ connectionString: app.db.url });
    await locker.connect();
    try {
      // Hold a lock so that one request is still running when the server is told to stop.
      await locker.query('begin');
      await locker.query('lock table soc_threat in access exclusive mode');
      const inFlight = app.gql('serocu.analyst', '{ threats(first: 1) { totalCount } }');
      // In flight means waiting on the lock in PostgreSQL. (A fixed 300 ms was not always enough at
      // load: the request had not been read yet when the stop began, and was answered 503.)
      await waitUntilBlockedOnLock(app.db.url, 'soc_threat');
      expect(await probe(`${app.url}/readyz`)).toBe(200);

      const stopped = app.app.stop();
      await new Promise((r) => setTimeout(r, 100));
      // Draining: new connections are refused (503 on a connection already open).
      expect([503, 'refused']).toContain(await probe(`${app.url}/readyz`));
      expect([503, 'refused']).toContain(await probe(`${app.url}/graphql`));

      await locker.query('commit');
      const answer = await inFlight;
      expect(answer.status).toBe(200);
      expect(answer.data).toEqual({ threats: { totalCount: 0 } });
      await stopped;
    } finally {
      await locker.end();
      await app.stop();
    }
  });

  it('behind a balancer, keeps listening while stopping and answers new requests 503 without running them, then refuses connections', async () => {
    const app = await createTestApp({ env: { SHUTDOWN_IDLE_CONNECTION_MS: '3000' } });
    const post = () =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ query: '{ viewer { username } }' }),
      }).then(
        async (r) => ({ status: r.status, body: await r.json() }),
        () => 'refused' as const,
      );
    const stopped = app.app.stop();
    try {
      // Not refused: a connection refused is safe for a balancer to retry, but one waiting in the
      // accept queue when the server stops listening is reset after its request was sent.
      expect(await post()).toEqual({
        status: 503,
        body: { errors: [{ message: 'The server is stopping. Try again.', extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } }] },
      });
      // Once no connection has arrived for a while, it stops listening.
      let answer = await post();
      while (answer !== 'refused') {
        expect(answer).toMatchObject({ status: 503 });
        await new Promise((r) => setTimeout(r, 1500));
        answer = await post();
      }
    } finally {
      await stopped;
    }
  });
});
