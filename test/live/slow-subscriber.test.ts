import WebSocket from 'ws';
import { metrics } from '../../server/src/http/metrics';
import { WS_CLOSE_FELL_BEHIND } from '../../server/src/live/websocket';
import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';

/**
 * A client that stops reading its subscription (a frozen tab, a dead network path that still
 * ACKs) must not make the server hold its results without bound, nor slow anyone else: its
 * results queue up to LIVE_MAX_QUEUED_RESULTS, then its connection is dropped with 4413 and the
 * other subscribers carry on, every event once and in order.
 */
const QUEUED = 3;
const SUMMARY = 'x'.repeat(7_900);
/** Each event to the slow client carries the summary 100 times (800 kB), so the kernel's buffers fill in a few events. */
const WIDE = `subscription ($ids: [ID!]) { events(recordIds: $ids) { cursor record { ... on SocThreat { ${Array.from({ length: 100 }, (_, i) => `s${i}: summary`).join(' ')} } } } }`;
const NARROW = 'subscription ($ids: [ID!]) { events(recordIds: $ids) { cursor type } }';

interface Client {
  socket: WebSocket;
  closed: Promise<number>;
  cursors: string[];
}

function connect(app: TestApp, token: string, query: string, ids: string[]): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const client: Client = { socket, closed: new Promise((r) => socket.on('close', (code) => r(code))), cursors: [] };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, purpose: 'ANALYSIS' } })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: 'live', type: 'subscribe', payload: { query, variables: { ids } } }));
        resolve(client);
      }
      if (message.type === 'next') client.cursors.push(message.payload.data.events.cursor);
    });
    socket.on('error', reject);
  });
}

async function liveSubscribers(): Promise<number> {
  return (await metrics.liveSubscribers.get()).values[0]?.value ?? 0;
}

async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('live updates: a subscriber that stops reading', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ env: { LIVE_MAX_QUEUED_RESULTS: String(QUEUED), GRAPHQL_MAX_ALIASES: '120' } })));
  afterAll(() => app.stop());

  it('is dropped with 4413 once its queue passes the bound, while another subscriber gets every event once', async () => {
    const threat = await createThreat(app, 'serocu.analyst', { summary: SUMMARY });
    const token = await app.tokenFor('serocu.analyst');
    const before = await liveSubscribers();
    const slow = await connect(app, token, WIDE, [threat.id]);
    const steady = await connect(app, token, NARROW, [threat.id]);
    await eventually(async () => (await liveSubscribers()) === before + 2, 'both subscriptions');
    slow.socket.pause(); // stops reading: what the server sends piles up in the kernel, then in its queue

    let version = threat.version;
    let updates = 0;
    while ((await liveSubscribers()) === before + 2) {
      if (updates === 200) throw new Error('the slow subscriber was never dropped');
      const result = await app.gql('serocu.analyst', 'mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { version } }', {
        input: { id: threat.id, expectedVersion: version, summary: `${SUMMARY}${updates}` },
      });
      version = expectData(result).updateThreat.version;
      updates++;
      // Let the hub deliver before the next change, so the drop is seen as soon as it happens.
      await eventually(() => steady.cursors.length === updates, `event ${updates} to the steady subscriber`);
    }
    // The bound held: the slow socket took at most what the kernel would hold plus QUEUED results.
    expect(updates).toBeGreaterThan(QUEUED);
    expect(await liveSubscribers()).toBe(before + 1);

    slow.socket.resume(); // it reads what was in flight, then the close frame
    expect(await slow.closed).toBe(WS_CLOSE_FELL_BEHIND);
    expect(slow.cursors.length).toBeLessThan(updates);

    // The other subscriber was not held up: every event once, and it still receives.
    const result = await app.gql('serocu.analyst', 'mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { version } }', {
      input: { id: threat.id, expectedVersion: version, summary: 'After the drop.' },
    });
    expectData(result);
    await eventually(() => steady.cursors.length === updates + 1, 'the event after the drop');
    expect(new Set(steady.cursors).size).toBe(updates + 1);
    expect(steady.socket.readyState).toBe(WebSocket.OPEN);
    steady.socket.close();
    await steady.closed;
  });
});
