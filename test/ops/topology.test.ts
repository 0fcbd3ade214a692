import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys, signDevToken, type DevKeys } from '../../server/src/auth/dev-keys';
import { startNginx, type RunningNginx } from '../../server/scripts/topology/nginx';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { EVENT_FIELDS, LiveSubscription } from '../support/live-client';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { purposeFor } from '../support/purposes';

/**
 * The platform as it is deployed (docker-compose.yml), run for real without containers: one
 * PostgreSQL, two server processes, and Debian's nginx with the project's own
 * deploy/nginx.conf in front of them. Everything goes through nginx, as clients' traffic does.
 */
const EVENTS = `subscription ($after: String, $types: [EventType!]) { events(after: $after, types: $types) { ${EVENT_FIELDS} } }`;

describe('two replicas behind nginx (deploy/nginx.conf)', () => {
  let db: TestDatabase;
  let dataDir: string;
  let keys: DevKeys;
  let replicas: ServerProcess[];
  let nginx: RunningNginx;
  const open: LiveSubscription[] = [];
  const env = () => ({ DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'info', LIVE_POLL_MS: '1000', TRUST_PROXY: '1', SHUTDOWN_IDLE_CONNECTION_MS: '5000' });

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-topology-'));
    replicas = [];
    for (let i = 0; i < 2; i++) {
      const replica = await spawnServer(env());
      await replica.ready();
      replicas.push(replica);
    }
    keys = await loadOrCreateDevKeys(dataDir);
    nginx = await startNginx(replicas.map((r) => new URL(r.url).host));
  }, 180_000);
  afterEach(async () => void (await Promise.all(open.splice(0).map((s) => s.close()))));
  // A test that kills or stops a replica leaves it dead; it is replaced before the next test,
  // whether that test passed or not, so that one failure is reported as itself and does not leave
  // the next test with a single replica (or none) and a timeout.
  beforeEach(async () => {
    for (let i = 0; i < replicas.length; i++) if (!alive(replicas[i])) replicas[i] = await restart(replicas[i]);
  }, 120_000);
  afterAll(async () => {
    await nginx?.stop();
    for (const r of replicas ?? []) r.proc.kill('SIGKILL');
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const token = (username: string) => signDevToken(keys, username);

  async function viaNginx(as: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const response = await fetch(`${nginx.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(as)}`, 'x-purpose': purposeFor(as), ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body = response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { errors: [text.slice(0, 60)] };
    // nginx's error log says why it answered a 5xx itself (which replica, which failure).
    const why = response.status >= 500 ? `\nnginx: ${nginx.errors().trim().split('\n').slice(-3).join('\n')}` : '';
    if (response.status !== 200 || body.errors) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body.errors)}${why}`);
    return { data: body.data, requestId: response.headers.get('x-request-id') };
  }

  let surreyId: string;
  async function createThreat(name: string) {
    surreyId ??= (await viaNginx('serocu.admin', '{ organisations(first: 100) { edges { node { id code } } } }')).data.organisations.edges.find((e: any) => e.node.code === 'SURREY').node.id;
    await viaNginx('serocu.analyst', 'mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }', {
      input: {
        name,
        summary: 'Cocaine supply into Guildford run from a car wash.',
        subjectType: 'ORGANISED_CRIME_GROUP',
        leadOrganisationId: surreyId,
        taskingLevel: 'FORCE',
        geographicScope: 'REGIONAL',
        identifiedOn: '2025-09-01',
        criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'WHOLESALE_SUPPLY', description: 'Kilo-level cocaine supply.', firstIdentified: '2025-09-01' }],
        access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
      },
    });
  }

  /** Open subscriptions on a replica, from its metrics (loopback may read them). */
  async function subscribersOn(replica: ServerProcess): Promise<number> {
    const text = await fetch(`${replica.url}/metrics`).then((r) => r.text());
    return Number(/^soc_hub_live_subscribers (\d+)/m.exec(text)?.[1] ?? 0);
  }

  it('passes queries to both replicas with the client’s request id, and serves no metrics', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `topology-${i}`);
    for (const id of ids) {
      const { data, requestId } = await viaNginx('serocu.analyst', '{ viewer { username } }', {}, { 'x-request-id': id });
      expect({ data, requestId }).toEqual({ data: { viewer: { username: 'serocu.analyst' } }, requestId: id });
    }
    // Round robin: each replica logged some of them.
    for (const replica of replicas) expect(ids.some((id) => replica.output().includes(id))).toBe(true);
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
  });

  it('keeps a subscription through nginx whole when the replica holding it is killed: the client reconnects through nginx and resumes, nothing lost or duplicated', async () => {
    const names: string[] = [];
    const create = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const name = `Operation Larch ${String(names.length + 1).padStart(3, '0')}`;
        await createThreat(name);
        names.push(name);
      }
    };
    const { data } = await viaNginx('surrey.investigator', '{ eventCursor }');
    const first = new LiveSubscription(nginx.url, await token('surrey.investigator'), EVENTS, { after: data.eventCursor, types: ['CREATED'] });
    open.push(first);
    await create(3);
    await first.take(3);

    const counts = await Promise.all(replicas.map(subscribersOn));
    const holder = replicas[counts.indexOf(1)];
    expect(counts.sort()).toEqual([0, 1]);
    holder.proc.kill('SIGKILL');
    // Dead, not dying: the socket drops while the kernel is still closing the killed process's
    // other sockets, and a POST nginx writes into one of those meanwhile is reset after it was
    // sent, which nginx rightly does not retry (it may have run): a 502 (this test's flake on a
    // loaded machine). Once the process has exited, every connection to it is refused or
    // closed, and nginx tries the survivor.
    await holder.exited();
    await first.until(() => first.closeCode !== undefined, 'the socket to drop');
    await create(3); // through nginx, to the survivor, while no one is subscribed

    const seen = first.received.map((m) => m.events);
    const resumed = new LiveSubscription(nginx.url, await token('surrey.investigator'), EVENTS, { after: seen[seen.length - 1].cursor, types: ['CREATED'] });
    open.push(resumed);
    await create(2);
    const all = () => [...seen, ...resumed.received.map((m) => m.events)];
    await resumed.until(() => all().length >= names.length, 'every event');
    expect(all().map((e) => e.record.name)).toEqual(names);
    expect(new Set(all().map((e) => e.cursor)).size).toBe(names.length);
  }, 90_000);

  it('loses no request when a replica is stopped (SIGTERM) under load: nginx sends new requests to the other', async () => {
    let running = true;
    const failures: string[] = [];
    let answered = 0;
    const loop = async () => {
      while (running) {
        try {
          await viaNginx('serocu.analyst', '{ viewer { username } threats(first: 5) { totalCount } }');
          answered++;
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const loops = Array.from({ length: 8 }, loop);
    // Waiting for answers stops at the first failure, so a failure is reported, not a timeout.
    const answers = async (n: number) => {
      while (answered < n && failures.length === 0) await new Promise((r) => setTimeout(r, 20));
    };
    await answers(50);
    const stopping = replicas[1];
    stopping.proc.kill('SIGTERM');
    expect(await stopping.exited()).toBe(0);
    await answers(answered + 100);
    running = false;
    await Promise.all(loops);
    expect(failures).toEqual([]);
    // Stopping, it kept listening and answered new requests 503 without running them, and nginx
    // sent those to the other replica (had it stopped listening at once, the connections waiting
    // in its accept queue would have been reset after nginx had sent their requests: 502s).
    expect(stopping.output()).toMatch(/"route":"\/graphql","status":503/);
  }, 90_000);

  function alive(replica: ServerProcess): boolean {
    return !replica.proc.killed && replica.proc.exitCode === null && replica.proc.signalCode === null;
  }

  /** A replacement for a dead replica (nginx knows it by its port, so it takes the dead one's port). */
  async function restart(dead: ServerProcess): Promise<ServerProcess> {
    await dead.exited();
    const replica = await spawnServer({ ...env(), PORT: new URL(dead.url).port });
    await replica.ready();
    // nginx counts the dead replica's failures against its address for fail_timeout (10 s) and
    // sends it nothing until then: the next test starts once both replicas take requests again.
    const sent: string[] = [];
    while (!sent.some((id) => replica.output().includes(`"${id}"`))) {
      const id = `back-${replica.proc.pid}-${sent.length}`;
      sent.push(id);
      await viaNginx('serocu.analyst', '{ viewer { username } }', {}, { 'x-request-id': id });
      await new Promise((r) => setTimeout(r, 100));
    }
    return replica;
  }
});
