import WebSocket from 'ws';
import { metrics } from '../../server/src/http/metrics';
import { createTestApp, type TestApp } from '../support/test-app';
import { expectData } from '../support/factories';
import { LiveSubscription } from '../support/live-client';

const SIMPLE = 'subscription ($after: String) { events(after: $after) { cursor type } }';

/** A raw graphql-transport-ws socket, acknowledged; resolves with it, or with the close code if refused. */
function connect(app: TestApp, token: string, options: WebSocket.ClientOptions = {}): Promise<{ socket: WebSocket; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', options);
    const closed = new Promise<number>((r) => socket.on('close', (code) => r(code)));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, purpose: 'INVESTIGATION' } })));
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve({ socket, closed });
    });
    socket.on('error', reject);
    void closed.then((code) => resolve({ socket, closed: Promise.resolve(code) }));
  });
}

function startSubscription(socket: WebSocket, id: string) {
  socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: SIMPLE } }));
}

async function liveSubscribers(): Promise<number> {
  return (await metrics.liveSubscribers.get()).values[0]?.value ?? 0;
}

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('live updates: protocol hygiene', () => {
  let app: TestApp;
  beforeAll(
    async () =>
      (app = await createTestApp({
        // The default keepalive here: with a short one, any socket of these tests was closed as
        // unresponsive whenever the test process stalled for a few hundred ms (a loaded machine).
        env: { LIVE_MAX_CONNECTIONS_PER_USER: '3', LIVE_MAX_OPERATIONS_PER_CONNECTION: '2', GRAPHQL_MAX_DEPTH: '8' },
      })),
  );
  afterAll(() => app.stop());

  it('closes a connection beyond the per-user cap with 4429, and counts again once one closes', async () => {
    const token = await app.tokenFor('hiow.analyst');
    const held = await Promise.all([connect(app, token), connect(app, token), connect(app, token)]);
    const fourth = await connect(app, token);
    expect(await fourth.closed).toBe(4429);
    held[0].socket.close();
    await held[0].closed;
    const again = await connect(app, token);
    expect(again.socket.readyState).toBe(WebSocket.OPEN);
    for (const c of [...held.slice(1), again]) c.socket.close();
  });

  it('closes a connection that starts more operations than the cap allows with 4429', async () => {
    const { socket, closed } = await connect(app, await app.tokenFor('tvp.investigator'));
    startSubscription(socket, 'one');
    startSubscription(socket, 'two');
    startSubscription(socket, 'three');
    expect(await closed).toBe(4429);
  });

  it('disposes subscriptions when their sockets close: none left behind', async () => {
    const before = await liveSubscribers();
    const tokens = await Promise.all(['serocu.analyst', 'serocu.lro', 'serocu.sro'].map((u) => app.tokenFor(u)));
    const sockets = await Promise.all(tokens.map((t) => connect(app, t)));
    sockets.forEach(({ socket }, i) => {
      startSubscription(socket, `a${i}`);
      startSubscription(socket, `b${i}`);
    });
    await eventually(async () => (await liveSubscribers()) === before + 6, 'six subscriptions');
    sockets.forEach(({ socket }) => socket.terminate());
    await eventually(async () => (await liveSubscribers()) === before, 'the subscriptions to be disposed');
  });

  it('a client completing a subscription disposes it too', async () => {
    const before = await liveSubscribers();
    const sub = new LiveSubscription(app.url, await app.tokenFor('serocu.auditor'), SIMPLE, {}, 'AUDIT');
    await eventually(async () => (await liveSubscribers()) === before + 1, 'the subscription');
    await sub.close();
    await eventually(async () => (await liveSubscribers()) === before, 'its disposal');
  });

  it('eventCursor is a cursor that subscriptions accept', async () => {
    const { eventCursor } = expectData(await app.gql('serocu.analyst', '{ eventCursor }'));
    expect(typeof eventCursor).toBe('string');
    const sub = new LiveSubscription(app.url, await app.tokenFor('serocu.analyst'), SIMPLE, { after: eventCursor });
    await new Promise((r) => setTimeout(r, 300));
    expect(sub.errors).toEqual([]);
    await sub.close();
  });

  it('applies the document limits over WebSocket too: a document nested too deep is refused before it runs', async () => {
    const deep = new LiveSubscription(
      app.url,
      await app.tokenFor('serocu.analyst'),
      'subscription { events { record { ... on SocThreat { plan { threat { plan { threat { plan { threat { plan { threat { name } } } } } } } } } } } }',
    );
    await deep.until(() => deep.errors.length > 0, 'a refusal');
    expect(JSON.stringify(deep.errors)).toMatch(/depth/i);
    await deep.close();
  });
});

describe('live updates: keepalive pings', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ env: { LIVE_KEEPALIVE_MS: '300' } })));
  afterAll(() => app.stop());

  it('pings: a socket that does not answer is closed, one that answers stays open', async () => {
    const silent = await connect(app, await app.tokenFor('sussex.investigator'), { autoPong: false });
    const polite = await connect(app, await app.tokenFor('surrey.investigator'));
    expect(await silent.closed).toBe(1006);
    expect(polite.socket.readyState).toBe(WebSocket.OPEN);
    polite.socket.close();
  });
});
