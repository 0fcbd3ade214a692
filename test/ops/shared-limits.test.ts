import express from 'express';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import WebSocket from 'ws';
import { createApp, type App } from '../../server/src/app';
import { loadOrCreateDevKeys, signDevToken, type DevKeys } from '../../server/src/auth/dev-keys';
import { createTokenVerifier } from '../../server/src/auth/token-verifier';
import { loadConfig } from '../../server/src/config';
import { freePort } from '../../server/src/db/embedded-postgres';
import { openOrm } from '../../server/src/db/orm';
import { seedIdentity } from '../../server/src/db/seed';
import { perCallerRateLimit } from '../../server/src/http/rate-limit';
import { SharedLimits } from '../../server/src/limits/shared-limits';
import { createTestDatabase, queryDatabase, type TestDatabase } from '../support/database';
import { purposeFor } from '../support/purposes';

/**
 * Two instances of the server on one database, as behind the load balancer: the per-caller rate
 * limit and the per-user WebSocket cap hold for both together, not for each.
 */
describe('limits shared by the instances on one database', () => {
  let db: TestDatabase;
  let dataDir: string;
  let keys: DevKeys;
  let instances: App[];

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-shared-limits-'));
    const orm = await openOrm({ databaseUrl: db.url, poolMax: 2 });
    await seedIdentity(orm.em.fork());
    await orm.close(true);
    const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', RATE_LIMIT_PER_MINUTE: '6', LIVE_MAX_CONNECTIONS_PER_USER: '2' });
    instances = [await createApp(config, db.url), await createApp(config, db.url)];
    keys = await loadOrCreateDevKeys(dataDir);
  }, 60_000);
  afterAll(async () => {
    for (const app of instances ?? []) await app.stop();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function ask(app: App, as: string): Promise<number> {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signDevToken(keys, as)}`, 'x-purpose': purposeFor(as) },
      body: JSON.stringify({ query: '{ viewer { username } }' }),
    });
    await response.text();
    return response.status;
  }

  it('allows a caller the configured requests a minute across both instances, not that many on each', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push(await ask(instances[i % 2], 'serocu.analyst'));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    // Someone else's allowance is their own.
    expect(await ask(instances[1], 'tvp.investigator')).toBe(200);
  });

  it('counts exactly under a burst split between the instances', async () => {
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(instances[i % 2], 'surrey.investigator')));
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.filter((s) => s === 429)).toHaveLength(14);
  });

  /** Opens a WebSocket as `as` and resolves with its close code, or 'open' once the server accepted it. */
  function connect(app: App, token: string): Promise<{ socket: WebSocket; outcome: number | 'open' }> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${app.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, purpose: 'INVESTIGATION' } })));
      socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve({ socket, outcome: 'open' }));
      socket.on('close', (code) => resolve({ socket, outcome: code }));
      socket.on('error', reject);
    });
  }

  async function connectionsRecorded(userId: string): Promise<number> {
    return (await queryDatabase(db.url, `select coalesce(sum(connections), 0)::int as n from runtime.live_connection where user_id = $1`, [userId])).rows[0].n;
  }

  it('caps a user’s WebSocket connections across both instances (4429 beyond), and frees a place when one closes', async () => {
    const token = await signDevToken(keys, 'hiow.analyst');
    const first = await connect(instances[0], token);
    const second = await connect(instances[1], token);
    expect([first.outcome, second.outcome]).toEqual(['open', 'open']);
    expect((await connect(instances[0], token)).outcome).toBe(4429);
    expect((await connect(instances[1], token)).outcome).toBe(4429);

    const userId = await userIdOf('hiow.analyst');
    first.socket.close();
    // The instance writes the new count when the socket has closed; wait for it to be recorded.
    for (let n = await connectionsRecorded(userId); n !== 1; n = await connectionsRecorded(userId)) await new Promise((r) => setTimeout(r, 50));
    const third = await connect(instances[1], token);
    expect(third.outcome).toBe('open');
    second.socket.close();
    third.socket.close();
  });

  it('no longer counts the connections of an instance that stopped beating (killed) ten seconds on', async () => {
    const token = await signDevToken(keys, 'sussex.investigator');
    const userId = await userIdOf('sussex.investigator');
    // A killed instance's rows stay behind: one that beat 20 s ago and one that beat just now.
    await sql(`insert into runtime.live_instance (id, seen_at) values ('00000000-0000-4000-8000-000000000001', now() - interval '20 seconds'), ('00000000-0000-4000-8000-000000000002', now())`);
    await sql(`insert into runtime.live_connection (instance_id, user_id, connections) values ('00000000-0000-4000-8000-000000000001', $1, 2)`, [userId]);
    const opened = await connect(instances[0], token);
    expect(opened.outcome).toBe('open');
    opened.socket.close();
    // The same rows under an instance still beating count: the cap of 2 is reached.
    await sql(`update runtime.live_connection set instance_id = '00000000-0000-4000-8000-000000000002' where user_id = $1 and instance_id = '00000000-0000-4000-8000-000000000001'`, [userId]);
    // It beats now: its row was stamped when inserted, and a slow run may have taken the ten seconds since.
    await sql(`update runtime.live_instance set seen_at = now() where id = '00000000-0000-4000-8000-000000000002'`);
    expect((await connect(instances[0], token)).outcome).toBe(4429);
  });

  async function sql(text: string, params: unknown[] = []): Promise<void> {
    await queryDatabase(db.url, text, params);
  }

  async function userIdOf(username: string): Promise<string> {
    return (await queryDatabase(db.url, `select id from app_user where username = $1`, [username])).rows[0].id;
  }
});

/**
 * A burst is counted in a statement or two, however large: one statement per connection or
 * request, one after another on the limits' one connection, made the last of 1,000 wait past the
 * timeout (refused 1013 at load). Counted at pg's client, the only way out of SharedLimits.
 */
describe('a burst costs the limits a few statements, not one each', () => {
  let db: TestDatabase;
  let limits: SharedLimits;
  let sent: string[];
  let spy: jest.SpyInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    limits = new SharedLimits(db.url, 150, pino({ level: 'silent' }));
    await limits.start();
  });
  beforeEach(() => {
    sent = [];
    const query = pg.Client.prototype.query;
    spy = jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      if (typeof args[0] === 'string') sent.push(args[0]);
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as never);
  });
  afterEach(() => spy.mockRestore());
  afterAll(async () => {
    await limits?.stop();
    await db?.drop();
  });

  const naming = (table: string) => sent.filter((text) => text.includes(`insert into runtime.${table}`)).length;

  it('counts 300 connections opening at once in at most two statements, each told its place among its user’s', async () => {
    const users = ['user-a', 'user-b', 'user-c'];
    const totals = await Promise.all(Array.from({ length: 300 }, (_, i) => limits.openConnection(users[i % 3]).then((total) => [users[i % 3], total] as const)));
    expect(naming('live_connection')).toBeLessThanOrEqual(2);
    for (const user of users) {
      const places = totals.filter(([u]) => u === user).map(([, total]) => total).sort((a, b) => a - b);
      expect(places).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    }
    const { rows } = await queryDatabase(db.url, `select user_id, connections from runtime.live_connection where instance_id = $1 order by user_id`, [limits.instanceId]);
    expect(rows).toEqual(users.map((user_id) => ({ user_id, connections: 100 })));
  });

  it('reserves 300 requests at once in at most two statements, admitting exactly the allowance', async () => {
    // Counted by the database's minute: start well inside one, so the check below sees the same minute.
    const { rows } = await queryDatabase(db.url, `select (60 - extract(second from statement_timestamp()))::float8 as left_s`, []);
    if (rows[0].left_s < 15) await new Promise((r) => setTimeout(r, rows[0].left_s * 1000 + 500));
    const reservations = await Promise.all(Array.from({ length: 300 }, (_, i) => limits.reserve(i % 2 ? 'caller-a' : 'caller-b')));
    expect(naming('rate_limit')).toBeLessThanOrEqual(2);
    expect(reservations.filter((r) => r.allowed)).toHaveLength(300);
    const more = await Promise.all(Array.from({ length: 100 }, () => limits.reserve('caller-a')));
    expect(more.filter((r) => r.allowed)).toHaveLength(0);
  });
});

describe('when the database cannot count', () => {
  let server: http.Server;
  let url: string;
  let limits: SharedLimits;
  let keys: DevKeys;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-limits-down-'));
    keys = await loadOrCreateDevKeys(dataDir);
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
    // Nothing listens on this port: every attempt to count is refused, as when PostgreSQL is down.
    limits = new SharedLimits(`postgres://postgres@127.0.0.1:${await freePort()}/test`, 5, pino({ level: 'silent' }));
    const app = express();
    app.use('/graphql', perCallerRateLimit(limits, createTokenVerifier(config, keys)), (_req, res) => void res.json({ data: { passed: true } }));
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await limits.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses callers without a token (503, retryable, Retry-After) and lets signed-in users through', async () => {
    const anonymous = await fetch(url, { method: 'POST' });
    expect(anonymous.status).toBe(503);
    expect(anonymous.headers.get('retry-after')).toBe('5');
    expect(((await anonymous.json()) as any).errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', retryable: true });

    const forged = await fetch(url, { method: 'POST', headers: { authorization: 'Bearer not.a.token' } });
    expect(forged.status).toBe(503);

    const signedIn = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${await signDevToken(keys, 'serocu.analyst')}` } });
    expect(signedIn.status).toBe(200);
    expect(await signedIn.json()).toEqual({ data: { passed: true } });
  });
});
