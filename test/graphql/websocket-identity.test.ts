import WebSocket from 'ws';
import { loadOrCreateDevKeys, signDevToken } from '../../server/src/auth/dev-keys';
import { sql } from '../support/disruption-factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * An open WebSocket is held to who its user is now, not who they were when it connected: each
 * operation checks the caller again (4401 when the token expired or was revoked, 4403 when the
 * account changed), a token's expiry closes the socket by itself, and the transport keeps HTTP's
 * limits without letting one bad operation end the connection.
 */

/** A raw graphql-transport-ws connection: operations by id, and how the socket ended. */
class RawSocket {
  readonly messages: any[] = [];
  closeCode: number | undefined;
  private readonly socket: WebSocket;
  private waiters: (() => void)[] = [];

  private constructor(url: string) {
    this.socket = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    this.socket.on('message', (data) => this.arrived(JSON.parse(String(data))));
    this.socket.on('close', (code) => ((this.closeCode = code), this.wake()));
  }

  static async open(app: TestApp, token: string): Promise<RawSocket> {
    const raw = new RawSocket(app.url);
    await new Promise((resolve) => raw.socket.once('open', resolve));
    raw.socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, purpose: 'INVESTIGATION' } }));
    await raw.until(() => raw.messages.some((m) => m.type === 'connection_ack'), 'the acknowledgement');
    return raw;
  }

  private arrived(message: any) {
    this.messages.push(message);
    this.wake();
  }

  private wake() {
    this.waiters.splice(0).forEach((w) => w());
  }

  async until(done: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(this.messages)} close ${this.closeCode}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 100);
        this.waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  }

  send(value: unknown): void {
    this.socket.send(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** Runs one operation and returns its `next` payloads and `error` messages once it ends. */
  async run(id: string, query: string): Promise<{ next: any[]; error?: any[] }> {
    this.send({ id, type: 'subscribe', payload: { query } });
    const mine = () => this.messages.filter((m) => m.id === id);
    await this.until(() => mine().some((m) => m.type === 'complete' || m.type === 'error') || this.closeCode !== undefined, `operation ${id}`);
    return { next: mine().filter((m) => m.type === 'next').map((m) => m.payload), error: mine().find((m) => m.type === 'error')?.payload };
  }

  close(): void {
    this.socket.close();
  }
}

const VIEWER = '{ viewer { username clearance roles organisation { code } } }';

describe('a WebSocket session under the access model', () => {
  let app: TestApp;
  let users = 0;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  /** A user of their own for each test, since tests change accounts. */
  async function freshUser(): Promise<string> {
    const username = `ws.user${++users}`;
    await sql(
      app,
      `insert into app_user (username, display_name, organisation_id, roles, clearance)
       select ?, 'Sam Tester', id, '{ANALYST}', 'OFFICIAL_SENSITIVE' from organisation where code = 'TVP'`,
      [username],
    );
    return username;
  }

  it('answers operations while nothing has changed', async () => {
    const username = await freshUser();
    const socket = await RawSocket.open(app, await app.tokenFor(username));
    const answer = await socket.run('1', VIEWER);
    expect(answer.next[0].data.viewer).toEqual({ username, clearance: 'OFFICIAL_SENSITIVE', roles: ['ANALYST'], organisation: { code: 'TVP' } });
    socket.close();
  });

  it.each([
    ['roles removed', `update app_user set roles = '{}' where username = ?`],
    ['clearance lowered', `update app_user set clearance = 'OFFICIAL' where username = ?`],
    ['moved to another organisation', `update app_user set organisation_id = (select id from organisation where code = 'SURREY') where username = ?`],
    ['deactivated', `update app_user set active = false where username = ?`],
  ])('refuses the next operation and closes with 4403 when the account is %s', async (_change, update) => {
    const username = await freshUser();
    const socket = await RawSocket.open(app, await app.tokenFor(username));
    expect((await socket.run('1', VIEWER)).next).toHaveLength(1);
    await sql(app, update, [username]);
    const refused = await socket.run('2', VIEWER);
    expect(refused.next).toEqual([]);
    // Refused with its reason; a deactivation may instead close every socket of the user first.
    if (refused.error) expect(refused.error[0].extensions.code).toBe('UNAUTHENTICATED');
    await socket.until(() => socket.closeCode !== undefined, 'the socket to close');
    expect(socket.closeCode).toBe(4403);
  });

  it('closes with 4401 when its token expires, without waiting for an operation', async () => {
    const username = await freshUser();
    const keys = await loadOrCreateDevKeys(app.config.dataDir);
    // Long enough to open, be accepted and answer one operation first: with 2 s (1 to 2 s, as
    // expiry is counted in whole seconds) a loaded machine could see the token expire before that.
    const socket = await RawSocket.open(app, await signDevToken(keys, username, 6));
    expect((await socket.run('1', VIEWER)).next).toHaveLength(1);
    await socket.until(() => socket.closeCode !== undefined, 'the token to expire', 10_000);
    expect(socket.closeCode).toBe(4401);
  });

  it('fails a syntax error or an over-long document alone, and goes on answering on the same socket', async () => {
    const username = await freshUser();
    const socket = await RawSocket.open(app, await app.tokenFor(username));
    const syntax = await socket.run('1', '{ viewer { username ');
    expect(syntax.error?.[0]?.message).toMatch(/Syntax Error/);
    const long = await socket.run('2', `{ ${Array.from({ length: 600 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`);
    expect(long.error?.[0]?.message).toMatch(/more th.. 1000 tokens/);
    expect((await socket.run('3', VIEWER)).next[0].data.viewer.username).toBe(username);
    expect(socket.closeCode).toBeUndefined();
    socket.close();
  });

  it('refuses a message larger than HTTP accepts by closing the socket (1009), not by reading it', async () => {
    const username = await freshUser();
    const socket = await RawSocket.open(app, await app.tokenFor(username));
    socket.send({ id: '1', type: 'subscribe', payload: { query: `{ viewer { id } } # ${'x'.repeat(1024 * 1024)}` } });
    await socket.until(() => socket.closeCode !== undefined, 'the socket to close');
    expect(socket.closeCode).toBe(1009);
  });
});
