import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { LiveSubscription } from '../support/live-client';
import { loadOrCreateDevKeys, signDevToken, type DevKeys } from '../../server/src/auth/dev-keys';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/src/db/embedded-postgres';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { purposeFor } from '../support/purposes';

/**
 * Faults with real processes: the server as `npm start` runs it, the database's connections
 * killed under it, the database stopped and started again, the pool exhausted. The server must
 * stay up, answer with a clear retryable error meanwhile, recover by itself, and keep nothing
 * half-written.
 */

interface Answer {
  status: number;
  body: any;
}

async function post(server: ServerProcess, keys: DevKeys, as: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(`${server.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await signDevToken(keys, as)}`, 'x-purpose': purposeFor(as) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

const CREATE = 'mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id name } }';
const threatInput = (name: string) => ({
  name,
  summary: 'Fictional heroin supply line between Southampton and Portsmouth.',
  subjectType: 'ORGANISED_CRIME_GROUP',
  taskingLevel: 'FORCE',
  geographicScope: 'FORCE',
  identifiedOn: '2025-08-01',
  criminalActivities: [
    { category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Line phone run from Southampton.', firstIdentified: '2025-08-01' },
    { category: 'MONEY_LAUNDERING', subCategory: 'CASH_BUSINESSES', description: 'Proceeds washed through a nail bar.', firstIdentified: '2025-08-01' },
  ],
  access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
});

const errorCodes = (a: Answer) => (a.body.errors ?? []).map((e: any) => e.extensions?.code);

/** Every answer is either data or SERVICE_UNAVAILABLE (503): never a 500 or an unexpected error. */
function expectCleanAnswers(answers: Answer[]) {
  for (const a of answers) {
    if (a.body.errors) {
      if (a.status !== 503) console.log(JSON.stringify(a.body).slice(0, 1500));
      expect({ status: a.status, codes: errorCodes(a) }).toEqual({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
    } else {
      expect(a.status).toBe(200);
    }
  }
}

async function sql<T = any>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('database faults', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  let keys: DevKeys;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-faults-'));
    // DB_LOCK_TIMEOUT_MS 0: the pool test stalls requests behind a lock for as long as it needs them stalled.
    server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'fatal', DB_POOL_MAX: '4', DB_ACQUIRE_TIMEOUT_MS: '1500', DB_LOCK_TIMEOUT_MS: '0' });
    await server.ready();
    keys = await loadOrCreateDevKeys(dataDir);
    // ready() alone may wait 90 s for a start on a loaded machine; the hook's budget must be larger.
  }, 120_000);
  afterAll(async () => {
    server?.proc.kill('SIGKILL');
    await db?.drop();
  });

  it('connections killed mid-request: clean retryable errors, no half-written threat, and recovery without a restart', async () => {
    const lead = (await sql(db.url, `select id from organisation where code = 'HIOW'`))[0].id;
    const leadGlobal = Buffer.from(`Organisation:${lead}`).toString('base64url');
    const names = Array.from({ length: 40 }, (_, i) => `Operation Severed ${String(i).padStart(2, '0')}`);
    let killing = true;
    const killer = (async () => {
      while (killing) {
        await sql(db.url, `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and application_name <> 'soc-hub-live'`, [db.name]);
        await new Promise((r) => setTimeout(r, 15));
      }
    })();
    let answers: Answer[];
    try {
      answers = await Promise.all(names.map((name) => post(server, keys, 'hiow.analyst', CREATE, { input: { ...threatInput(name), leadOrganisationId: leadGlobal } })));
    } finally {
      // Stop killing connections even when the requests failed, or later tests inherit it.
      killing = false;
      await killer;
    }

    expectCleanAnswers(answers);
    const failed = answers.filter((a) => a.body.errors).length;
    expect(failed).toBeGreaterThan(0); // the fault really happened
    // Each threat is there whole (both activities) or not at all; every success was kept.
    const stored = await sql(db.url, `select t.name, count(a.id)::int as activities from soc_threat t left join criminal_activity a on a.threat_id = t.id where t.name like 'Operation Severed %' group by t.name`);
    for (const row of stored) expect(row.activities).toBe(2);
    const storedNames = new Set(stored.map((r) => r.name));
    for (const a of answers.filter((x) => !x.body.errors)) expect(storedNames.has(a.body.data.createThreat.name)).toBe(true);

    // Recovered, same process.
    expect(server.proc.exitCode).toBeNull();
    const after = await post(server, keys, 'hiow.analyst', '{ viewer { username } threats(first: 1) { totalCount } }');
    expect(after.body.data.viewer.username).toBe('hiow.analyst');
  }, 60_000);

  it('pool exhausted: requests beyond it fail within the acquire timeout with SERVICE_UNAVAILABLE, and throughput returns', async () => {
    // An administrator's lock stalls every request that reads threats while holding its connection.
    const blocker = new pg.Client({ connectionString: db.url });
    await blocker.connect();
    await blocker.query('begin; lock table soc_threat in access exclusive mode');
    const started = Date.now();
    const settled: { a: Answer; ms: number }[] = [];
    const stalled = Array.from({ length: 10 }, () =>
      post(server, keys, 'hiow.analyst', '{ threats(first: 5) { totalCount } }').then((a) => {
        const done = { a, ms: Date.now() - started };
        settled.push(done);
        return done;
      }),
    );
    // Four requests hold the pool's four connections, stalled; the other six cannot get one and
    // are refused within the acquire timeout (1.5 s), not queued for ever.
    while (settled.length < 6 && Date.now() - started < 20_000) await new Promise((r) => setTimeout(r, 50));
    const refusedWhileLocked = [...settled];
    await blocker.query('rollback');
    await blocker.end();
    const all = await Promise.all(stalled);
    expect(refusedWhileLocked).toHaveLength(6);
    for (const { a, ms } of refusedWhileLocked) {
      if (a.status !== 503) console.log(JSON.stringify(a.body).slice(0, 1500));
      expect({ status: a.status, codes: errorCodes(a) }).toEqual({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
      expect(ms).toBeLessThan(8_000);
    }
    // The stalled four complete once the lock goes.
    expect(all.filter(({ a }) => !a.body.errors)).toHaveLength(4);
    expectCleanAnswers(all.map(({ a }) => a));
    // Throughput returns: a burst now succeeds in full.
    const burst = await Promise.all(Array.from({ length: 12 }, () => post(server, keys, 'hiow.analyst', '{ threats(first: 5) { totalCount } }')));
    for (const a of burst) expect(a.body.errors).toBeUndefined();
  }, 60_000);
});

describe('database restart', () => {
  let pgBase: string;
  let embedded: EmbeddedPostgres;
  let port: number;
  let server: ServerProcess;
  let keys: DevKeys;

  beforeAll(async () => {
    pgBase = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-restart-pg-'));
    port = await freePort();
    embedded = await startEmbeddedPostgres({ baseDir: pgBase, port });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-restart-'));
    server = await spawnServer({ DATABASE_URL: embedded.url, DATA_DIR: dataDir, LOG_LEVEL: 'fatal', DB_ACQUIRE_TIMEOUT_MS: '2000', LIVE_POLL_MS: '500' });
    await server.ready(90_000);
    keys = await loadOrCreateDevKeys(dataDir);
  }, 120_000);
  afterAll(async () => {
    server?.proc.kill('SIGKILL');
    await embedded?.stop();
  });

  it('answers 503 SERVICE_UNAVAILABLE and not-ready while PostgreSQL is down, and recovers by itself when it is back', async () => {
    const ask = () => post(server, keys, 'tvp.investigator', '{ viewer { username } }');
    expect((await ask()).body.data.viewer.username).toBe('tvp.investigator');
    const { eventCursor } = (await post(server, keys, 'tvp.investigator', '{ eventCursor }')).body.data;
    const live = new LiveSubscription(server.url, await signDevToken(keys, 'tvp.investigator'), 'subscription ($after: String) { events(after: $after) { type record { ... on SocThreat { name } } } }', { after: eventCursor });
    const lead = Buffer.from(`Organisation:${(await sql(embedded.url, `select id from organisation where code = 'TVP'`))[0].id}`).toString('base64url');
    const createThreat = (name: string) => post(server, keys, 'tvp.investigator', CREATE, { input: { ...threatInput(name), leadOrganisationId: lead } });
    await createThreat('Operation Before Restart');
    await live.until(() => live.received.length > 0, 'the subscription to be live');

    await embedded.stop();
    const started = Date.now();
    const down = await ask();
    expect({ status: down.status, codes: errorCodes(down) }).toEqual({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
    expect(down.body.errors[0].extensions.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    embedded = await startEmbeddedPostgres({ baseDir: pgBase, port });
    let answer = await ask();
    for (let i = 0; i < 50 && answer.body.errors; i++) {
      await new Promise((r) => setTimeout(r, 200));
      answer = await ask();
    }
    expect(answer.body.data.viewer.username).toBe('tvp.investigator');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(server.proc.exitCode).toBeNull();

    // Live updates came back too: the listener reconnected and the subscription still delivers.
    const created = await createThreat('Operation After Restart');
    expect(created.body.errors).toBeUndefined();
    await live.until(() => live.received.some((m) => m.events.record?.name === 'Operation After Restart'), 'the event after the restart', 15_000);
    await live.close();
  }, 120_000);
});

describe('SIGTERM under load', () => {
  let db: TestDatabase;
  afterAll(async () => db?.drop());

  it('finishes every request it accepted, closes sockets with 1001, exits 0, and loses nothing', async () => {
    db = await createTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-sigterm-'));
    const server = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'fatal' });
    await server.ready();
    const keys = await loadOrCreateDevKeys(dataDir);
    const lead = Buffer.from(`Organisation:${(await sql(db.url, `select id from organisation where code = 'TVP'`))[0].id}`).toString('base64url');

    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const closeCode = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve) => {
      socket.on('open', async () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${await signDevToken(keys, 'tvp.investigator')}` } })));
      socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve());
    });

    // Eight clients creating threats back to back; SIGTERM arrives in the middle.
    const outcomes: { name: string; ok: boolean; status?: number; codes?: string[]; message?: string; refused?: boolean; error?: string }[] = [];
    let n = 0;
    let stop = false;
    const client = async () => {
      while (!stop) {
        const name = `Operation Drain ${String(n++).padStart(3, '0')}`;
        try {
          const a = await post(server, keys, 'tvp.investigator', CREATE, { input: { ...threatInput(name), leadOrganisationId: lead } });
          outcomes.push({ name, ok: !a.body.errors, status: a.status, codes: errorCodes(a), message: a.body.errors?.[0]?.message });
        } catch (err) {
          // Not accepted: the server had stopped listening, or closed an idle connection.
          outcomes.push({ name, ok: false, refused: true, error: `${(err as Error).message} ${(err as any).cause?.code ?? ''}` });
          stop = true;
        }
      }
    };
    const clients = Array.from({ length: 8 }, client);
    // In the middle: once the server has answered some (a fixed 800 ms could pass at load before it
    // had read a single request, and then nothing at all was answered), with the clients still sending.
    while (outcomes.length < 8 && !stop) await new Promise((r) => setTimeout(r, 20));
    server.proc.kill('SIGTERM');
    expect(await server.exited()).toBe(0);
    stop = true;
    await Promise.all(clients);

    expect(await closeCode).toBe(1001);
    const answered = outcomes.filter((o) => !o.refused);
    // Every request the server answered either succeeded, or was one it did not take: a request
    // read after SIGTERM on a connection already open (the client's keep-alive) is answered 503
    // SERVICE_UNAVAILABLE "stopping" without being run, so that a balancer replays it elsewhere
    // (src/http/drain.ts). None was cut off with any other error (CI met such a 503 once and the
    // test, then, called every answer but 200 a failure).
    const accepted = answered.filter((o) => o.status !== 503);
    const notRun = answered.filter((o) => o.status === 503);
    expect(accepted.length).toBeGreaterThan(0);
    for (const o of accepted) expect({ name: o.name, ok: o.ok, status: o.status }).toEqual({ name: o.name, ok: true, status: 200 });
    // The gate's answer, not a request started and then failed as the server stopped.
    for (const o of notRun) expect({ name: o.name, codes: o.codes, message: o.message }).toEqual({ name: o.name, codes: ['SERVICE_UNAVAILABLE'], message: 'The server is stopping. Try again.' });
    // Every accepted one was kept, and no refused one was run. A request whose connection was cut
    // as the server closed it may or may not have been (the client cannot tell, as with any
    // dropped connection), but nothing was kept that no client sent.
    const stored = (await sql(db.url, `select name from soc_threat where name like 'Operation Drain %'`)).map((r) => r.name);
    for (const o of accepted) expect(stored).toContain(o.name);
    for (const o of notRun) expect(stored).not.toContain(o.name);
    const sent = new Set(outcomes.map((o) => o.name));
    for (const name of stored) expect(sent.has(name)).toBe(true);
    // A new database and a server's start (ready() alone may wait 90 s on a loaded machine), then the load: at load 35 it ran past 60 s.
  }, 180_000);
});
