import { CursorCodec } from '../../server/src/live/event-log';
import { createThreat, expectData } from '../support/factories';
import { cursorNow, EVENT_FIELDS, LiveSubscription } from '../support/live-client';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Event cursors are opaque (server/src/live/event-log.ts): a cursor used to be the event log's
 * position in base64, the platform-wide count of changes, so any user could read how much the
 * whole region records between two cursors. Now the position is encrypted with the server's
 * cursor key: cursors show no count, cannot be made up or moved on, and still resume exactly.
 */
const EVENTS = `subscription ($after: String) { events(after: $after, types: [CREATED]) { ${EVENT_FIELDS} } }`;

let app: TestApp;
const open: LiveSubscription[] = [];
beforeAll(async () => (app = await createTestApp()));
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
afterAll(() => app.stop());

/** The log's real position, read as the database owner (what a cursor must not show). */
const headNow = async () => BigInt((await app.app.orm.em.getConnection().execute('select live_event_head() as head'))[0].head);

function subscribe(after: string, as = 'surrey.investigator', on: TestApp = app) {
  return on.tokenFor(as).then((token) => {
    const s = new LiveSubscription(on.url, token, EVENTS, { after });
    open.push(s);
    return s;
  });
}

async function refusal(s: LiveSubscription) {
  await s.until(() => s.errors.length > 0, 'an error');
  return (s.errors[0] as any).extensions;
}

describe('event cursors', () => {
  it('do not show the position, nor how many events lie between two of them', async () => {
    const positions: bigint[] = [];
    const cursors: string[] = [];
    for (const changes of [0, 1, 7]) {
      for (let i = 0; i < changes; i++) await createThreat(app, 'serocu.analyst', { name: `Operation Count ${changes}.${i}` });
      positions.push(await headNow());
      cursors.push(await cursorNow(app));
    }
    expect(positions[2] - positions[1]).toBeGreaterThan(positions[1] - positions[0]); // the counts differ...
    for (const [i, cursor] of cursors.entries()) {
      const bytes = Buffer.from(cursor, 'base64url');
      // ...but each cursor is 16 bytes whatever the count, not holding the position as a number. (Not
      // checked as text: a one-digit position's character is in 16 random bytes one time in 16.)
      expect(bytes).toHaveLength(16);
      for (let offset = 0; offset <= 8; offset++) expect(bytes.readBigUInt64BE(offset)).not.toBe(positions[i]);
      for (let offset = 0; offset <= 8; offset++) expect(bytes.readBigUInt64LE(offset)).not.toBe(positions[i]);
    }
    // Nothing in two cursors tells one change from seven: they share no more than chance would.
    const differing = (a: string, b: string) => [...Buffer.from(a, 'base64url')].reduce((n, byte, k) => n + Number(byte !== Buffer.from(b, 'base64url')[k]), 0);
    expect(differing(cursors[0], cursors[1])).toBeGreaterThan(8);
    expect(differing(cursors[1], cursors[2])).toBeGreaterThan(8);
  });

  it('resume exactly after the change they were given at', async () => {
    const from = await cursorNow(app);
    await createThreat(app, 'serocu.analyst', { name: 'Operation Resume One' });
    await createThreat(app, 'serocu.analyst', { name: 'Operation Resume Two' });
    const resumed = await subscribe(from);
    await resumed.take(2);
    expect(resumed.received.map((m) => m.events.record.name)).toEqual(['Operation Resume One', 'Operation Resume Two']);
    // The event's own cursor resumes after it: only the second comes again.
    const again = await subscribe(resumed.received[0].events.cursor);
    await again.take(1);
    expect(again.received.map((m) => m.events.record.name)).toEqual(['Operation Resume Two']);
  });

  it('refuse a cursor altered, made up from a position, or made with another key', async () => {
    const real = Buffer.from(await cursorNow(app), 'base64url');
    const altered = Buffer.from(real);
    altered[3] ^= 1;
    const position = await headNow();
    const madeUp = Buffer.from(`ev1:${position}`).toString('base64url'); // the old, readable form
    for (const cursor of [altered.toString('base64url'), madeUp, `${real.toString('base64url')}A`]) {
      expect(await refusal(await subscribe(cursor))).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'after' }] });
    }
    // Another server with another key (another DATA_DIR, no LIVE_CURSOR_KEY) does not read this one's cursors...
    const other = await createTestApp();
    try {
      expect(await refusal(await subscribe(real.toString('base64url'), 'surrey.investigator', other))).toMatchObject({ code: 'BAD_USER_INPUT' });
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await other.stop();
    }
  });

  it('are read by every instance given the same key (LIVE_CURSOR_KEY; multi-instance.test.ts resumes across processes sharing DATA_DIR)', () => {
    const key = 'a-shared-cursor-key-of-at-least-32-characters';
    const [a, b] = [new CursorCodec(key), new CursorCodec(key)];
    for (const position of [0n, 1n, 2n, 123_456_789n, 2n ** 62n]) expect(b.decode(a.encode(position))).toBe(position);
    expect(() => new CursorCodec(`${key}!`).decode(a.encode(5n))).toThrow('is not a cursor this server gave out');
  });
});
