import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { waitUntilBlockedOnLock } from '../support/database';
import { createTestApp, type TestApp } from '../support/test-app';

/** Opens a raw socket, sends connection_init, and reports how the server answered. */
function connectRaw(app: TestApp, payload: unknown): Promise<{ ack: boolean; closeCode?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') {
        socket.close();
        resolve({ ack: true });
      }
    });
    socket.on('close', (code) => resolve({ ack: false, closeCode: code }));
  });
}

describe('GraphQL over WebSocket (graphql-ws)', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  // graphql-ws's default (3 s) refused clients of a burst whose connection_init a busy instance
  // had not read in time (server/src/live/websocket.ts, CONNECTION_INIT_WAIT_MS).
  it('waits up to ten seconds for connection_init, then closes a socket that never sent one (4408)', async () => {
    const token = await app.tokenFor('surrey.investigator');
    const late = await new Promise<{ ack: boolean; closeCode?: number }>((resolve) => {
      const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      socket.on('open', () => setTimeout(() => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })), 4_000));
      socket.on('message', (data) => {
        if (JSON.parse(String(data)).type === 'connection_ack') {
          socket.close();
          resolve({ ack: true });
        }
      });
      socket.on('close', (code) => resolve({ ack: false, closeCode: code }));
    });
    expect(late).toEqual({ ack: true });
    const silent = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const opened = await new Promise<number>((resolve) => silent.on('open', () => resolve(Date.now())));
    const closed = await new Promise<{ code: number; at: number }>((resolve) => silent.on('close', (code) => resolve({ code, at: Date.now() })));
    expect(closed.code).toBe(4408);
    expect(closed.at - opened).toBeGreaterThanOrEqual(9_000);
  }, 60_000);

  it('runs an operation for a client authenticated in connection_init', async () => {
    const token = await app.tokenFor('surrey.investigator');
    const client = createClient({ url: `${app.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    try {
      const result = await new Promise<any>((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query: '{ viewer { username organisation { code } } }' }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
      expect(result.data.viewer).toEqual({ username: 'surrey.investigator', organisation: { code: 'SURREY' } });
    } finally {
      await client.dispose();
    }
  });

  it('closes with 4401 when connection_init has no token', async () => {
    expect(await connectRaw(app, {})).toEqual({ ack: false, closeCode: 4401 });
  });

  it('closes with 4401 for a forged or unknown-user token', async () => {
    expect(await connectRaw(app, { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' })).toEqual({ ack: false, closeCode: 4401 });
    expect(await connectRaw(app, { authorization: `Bearer ${await app.tokenFor('ghost.user')}` })).toEqual({ ack: false, closeCode: 4401 });
  });

  it('acknowledges a valid token', async () => {
    expect(await connectRaw(app, { authorization: `Bearer ${await app.tokenFor('serocu.analyst')}` })).toEqual({ ack: true });
  });
});

describe('graceful shutdown', () => {
  it('closes open WebSockets with 1001 and stops answering HTTP', async () => {
    const app = await createTestApp();
    const token = await app.tokenFor('serocu.analyst');
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    await new Promise<void>((resolve) => {
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      socket.on('message', () => resolve());
    });
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await app.stop();
    expect(await closed).toBe(1001);
    await expect(fetch(`${app.url}/healthz`)).rejects.toThrow();
  });

  it('lets an in-flight HTTP request finish while draining', async () => {
    const app = await createTestApp();
    const token = await app.tokenFor('serocu.analyst');
    // Another session locks the users table, so the request is held inside the database
    // (authenticating) when stop() begins; it is released only after stopping has started.
    const locker = new pg.Client({ connectionString: app.db.url });
    await locker.connect();
    await locker.query('begin; lock table app_user in access exclusive mode');
    const request = fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { username } }' }),
    });
    await waitUntilBlockedOnLock(app.db.url, 'app_user');
    const stopping = app.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 200));
    expect(stopped).toBe(false);
    await locker.query('commit');
    await locker.end();
    const response = await request;
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).data.viewer.username).toBe('serocu.analyst');
    await stopping;
  });
});
