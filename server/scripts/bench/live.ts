/**
 * `npm run bench:live [-- --levels 100,1000,2000 --rate 20 --seconds 10]`
 *
 * Live updates under load (issue 5): two SOC Hub instances on one database, subscribers spread
 * over both, a steady stream of threats created through both, each threat named to one of eight
 * police organisations or kept to its owner, so each subscriber may see about a tenth of them.
 * Reports commit-to-receipt delay (p50/p99), events lost, events delivered to someone not
 * entitled, and server memory per idle connection, for each number of subscribers. Figures to
 * read, never assertions: written to .data/bench/live.md.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fork } from 'node:child_process';
import { createClient, type Client } from 'graphql-ws';
import pg from 'pg';
import WebSocket from 'ws';
import { loadOrCreateDevKeys, signDevToken, type DevKeys } from '../../src/auth/dev-keys';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { migrate, openOrm } from '../../src/db/orm';
import { seedDemoData } from '../../src/db/seed';
import { BENCH_DATA_DIR } from './database';
import { startSocHub, stopAll, type Child } from './processes';

const TARGET_ORGS = ['HIOW', 'SURREY', 'SUSSEX', 'TVP', 'NCA', 'HMRC', 'HOIE', 'BORDER_FORCE'];
/** Share of created threats kept to their owner (seen by no subscriber): with 8 orgs, each sees ~1/10. */
const OWNER_ONLY_SHARE = 0.2;

interface Delivery {
  subscriberOrg: string;
  recordId: string;
  delayMs: number;
}

interface LevelResult {
  subscribers: number;
  created: number;
  expected: number;
  delivered: number;
  lost: number;
  unentitled: number;
  duplicates: number;
  p50: number;
  p99: number;
  kbPerConnection: number;
}

function options() {
  const { values } = parseArgs({
    options: { levels: { type: 'string', default: '100,1000,2000' }, rate: { type: 'string', default: '20' }, seconds: { type: 'string', default: '10' } },
  });
  return { levels: values.levels!.split(',').map(Number), rate: Number(values.rate), seconds: Number(values.seconds) };
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

function rssKb(child: Child): number {
  const status = fs.readFileSync(`/proc/${child.process.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]);
}

/** One bench user per target organisation (fictional), created once. */
async function ensureUsers(url: string): Promise<Map<string, string>> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const users = new Map<string, string>();
    for (const code of TARGET_ORGS) {
      const username = `bench.live.${code.toLowerCase()}`;
      await db.query(
        `insert into app_user (username, display_name, organisation_id, roles, clearance)
         select $1, $2, id, '{INVESTIGATOR}', 'OFFICIAL_SENSITIVE' from organisation where code = $3
         on conflict (username) do nothing`,
        [username, `Bench Subscriber ${code}`, code],
      );
      users.set(code, username);
    }
    return users;
  } finally {
    await db.end();
  }
}

class Api {
  private readonly orgIds = new Map<string, string>();
  constructor(
    private readonly keys: DevKeys,
    private readonly servers: Child[],
  ) {}

  async gql(server: Child, username: string, query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signDevToken(this.keys, username)}`, 'x-purpose': username === 'serocu.admin' ? 'AUDIT' : 'INVESTIGATION' }, // an admin may state AUDIT only
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  async loadOrgIds(): Promise<void> {
    const data = await this.gql(this.servers[0], 'serocu.admin', '{ organisations(first: 100) { edges { node { id code } } } }');
    for (const { node } of data.organisations.edges) this.orgIds.set(node.code, node.id);
  }

  /** A threat owned by SEROCU, named to `target` (or kept to SEROCU when null). */
  async createThreat(server: Child, n: number, target: string | null): Promise<string> {
    const access = target
      ? { protectiveMarking: 'OFFICIAL', sharing: 'NAMED_ORGANISATIONS', sharedWithIds: [this.orgIds.get(target)] }
      : { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' };
    const data = await this.gql(server, 'serocu.analyst', 'mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }', {
      input: {
        name: `Operation Bench ${n}`,
        summary: 'Benchmark threat: fictional cannabis cultivation network.',
        subjectType: 'ORGANISED_CRIME_GROUP',
        leadOrganisationId: this.orgIds.get('SEROCU'),
        taskingLevel: 'REGIONAL',
        geographicScope: 'REGIONAL',
        identifiedOn: '2025-10-01',
        criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'CULTIVATION', description: 'Cannabis farms in rented houses.', firstIdentified: '2025-10-01' }],
        access,
      },
    });
    return data.createThreat.id;
  }
}

/** `count` subscribers over both servers, users round-robin over the target organisations. */
async function connectSubscribers(servers: Child[], keys: DevKeys, users: Map<string, string>, count: number, after: string, onEvent: (d: Delivery) => void) {
  const clients: Client[] = [];
  const orgs = [...users.keys()];
  let acked = 0;
  for (let i = 0; i < count; i++) {
    const org = orgs[i % orgs.length];
    const token = await signDevToken(keys, users.get(org)!);
    const client = createClient({
      url: `${servers[i % servers.length].url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}`, purpose: 'INVESTIGATION' },
      retryAttempts: 0,
      lazy: false,
      on: { connected: () => void acked++ },
    });
    client.subscribe(
      { query: 'subscription ($after: String) { events(after: $after, types: [CREATED]) { cursor recordId at } }', variables: after ? { after } : {} },
      {
        next: (value: any) => onEvent({ subscriberOrg: org, recordId: value.data.events.recordId, delayMs: Date.now() - Date.parse(value.data.events.at) }),
        error: (err) => console.error('subscription error', err),
        complete: () => undefined,
      },
    );
    clients.push(client);
  }
  const deadline = Date.now() + 60_000;
  while (acked < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return clients;
}

interface Memory {
  rss: number;
  heapUsed: number;
}

/**
 * Memory per idle subscribed connection, garbage collected before each reading: one SOC Hub
 * instance (memory-server.ts, with --expose-gc), warmed up, then `count` connections each
 * holding one subscription.
 */
async function idleConnectionMemory(databaseUrl: string, dataDir: string, keys: DevKeys, users: Map<string, string>, count: number) {
  const child = fork(path.join(__dirname, 'memory-server.js'), [], {
    execArgv: ['--expose-gc'],
    env: { ...process.env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', NODE_ENV: 'production', ALLOW_DEV_TOKENS: 'true' },
  });
  try {
    const { url } = await new Promise<{ url: string }>((resolve) => child.once('message', resolve as never));
    const server = { name: 'memory', url, process: child } as Child;
    const measure = () => new Promise<Memory>((resolve) => (child.once('message', resolve as never), child.send('measure')));
    const warmUp = await connectSubscribers([server], keys, users, 50, '', () => undefined);
    await Promise.all(warmUp.map((c) => c.dispose()));
    await new Promise((r) => setTimeout(r, 1_000));
    const before = await measure();
    const clients = await connectSubscribers([server], keys, users, count, '', () => undefined);
    await new Promise((r) => setTimeout(r, 1_000));
    const after = await measure();
    await Promise.all(clients.map((c) => c.dispose()));
    return { heapKb: (after.heapUsed - before.heapUsed) / count / 1024, rssKb: (after.rss - before.rss) / count / 1024 };
  } finally {
    child.kill('SIGKILL');
  }
}

async function runLevel(servers: Child[], api: Api, keys: DevKeys, users: Map<string, string>, subscribers: number, rate: number, seconds: number): Promise<LevelResult> {
  const { eventCursor } = await api.gql(servers[0], 'serocu.analyst', '{ eventCursor }');
  await new Promise((r) => setTimeout(r, 1_000));
  const rssBefore = servers.map(rssKb);
  const deliveries: Delivery[] = [];
  const clients = await connectSubscribers(servers, keys, users, subscribers, eventCursor, (d) => deliveries.push(d));
  await new Promise((r) => setTimeout(r, 2_000));
  const rssAfter = servers.map(rssKb);
  const kbPerConnection = rssAfter.reduce((sum, kb, i) => sum + kb - rssBefore[i], 0) / subscribers;

  // The stream: `rate` creations a second for `seconds`, alternating between the instances.
  const created: { id: string; target: string | null }[] = [];
  const inFlight: Promise<void>[] = [];
  const total = rate * seconds;
  for (let n = 0; n < total; n++) {
    const target = Math.random() < OWNER_ONLY_SHARE ? null : TARGET_ORGS[n % TARGET_ORGS.length];
    inFlight.push(api.createThreat(servers[n % servers.length], n, target).then((id) => void created.push({ id, target })));
    await new Promise((r) => setTimeout(r, 1000 / rate));
  }
  await Promise.all(inFlight);
  await new Promise((r) => setTimeout(r, 3_000));
  await Promise.all(clients.map((c) => c.dispose()));

  const perOrg = new Map<string, number>();
  for (let i = 0; i < subscribers; i++) perOrg.set(TARGET_ORGS[i % TARGET_ORGS.length], (perOrg.get(TARGET_ORGS[i % TARGET_ORGS.length]) ?? 0) + 1);
  const targetOf = new Map(created.map((c) => [c.id, c.target]));
  const ours = deliveries.filter((d) => targetOf.has(d.recordId));
  const expected = created.reduce((sum, c) => sum + (c.target ? perOrg.get(c.target)! : 0), 0);
  const entitled = ours.filter((d) => targetOf.get(d.recordId) === d.subscriberOrg);
  const delays = entitled.map((d) => d.delayMs).sort((a, b) => a - b);
  return {
    subscribers,
    created: created.length,
    expected,
    delivered: entitled.length,
    lost: Math.max(0, expected - entitled.length),
    unentitled: ours.length - entitled.length,
    duplicates: Math.max(0, entitled.length - expected),
    p50: percentile(delays, 50),
    p99: percentile(delays, 99),
    kbPerConnection,
  };
}

function render(results: LevelResult[], rate: number, seconds: number, memory: { count: number; heapKb: number; rssKb: number }): string {
  const rows = results.map(
    (r) =>
      `| ${r.subscribers} | ${r.created} | ${r.expected} | ${r.delivered} | ${r.lost} | ${r.unentitled} | ${r.duplicates} | ${r.p50.toFixed(0)} ms | ${r.p99.toFixed(0)} ms | ${r.kbPerConnection.toFixed(1)} KB |`,
  );
  return [
    `# Live updates benchmark (${new Date().toISOString()})`,
    '',
    `Two SOC Hub instances on one PostgreSQL; subscribers split evenly between them; ${rate} threats created per second for ${seconds} s, alternating instances;`,
    `each threat named to one of ${TARGET_ORGS.length} police organisations (or, ${OWNER_ONLY_SHARE * 100}% of them, kept to SEROCU), so each subscriber may see about a tenth.`,
    'Delay: from the commit time recorded in the event log to receipt by the benchmark client (same machine clock).',
    'Memory column: growth of the two servers\' resident memory after connecting the subscribers, divided by their number, without a garbage collection (an upper bound; the figure below collects first).',
    '',
    '| subscribers | created | deliveries due | delivered | lost | to someone not entitled | duplicates | delay p50 | delay p99 | RSS growth per connection (no GC) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Memory per idle connection with one subscription, garbage collected before each reading (${memory.count} connections to one instance): ` +
      `${memory.heapKb.toFixed(1)} KB of JavaScript heap, ${memory.rssKb.toFixed(1)} KB of resident memory.`,
    '',
    'Targets (2-core machine): p99 under 100 ms at 2,000 subscribers; under 50 KB per idle connection; 0 lost; 0 to someone not entitled.',
    '',
  ].join('\n');
}

const LIVE_DATABASE = 'soc_hub_bench_live';

/**
 * Its own database with the demo data set (the organisations and users are what matter here),
 * on DATABASE_URL's server or an embedded PostgreSQL under .data/bench-live, so it never
 * competes with the read benchmark's database.
 */
async function prepareLiveDatabase(log: (line: string) => void): Promise<{ url: string; stop(): Promise<void> }> {
  let embedded: EmbeddedPostgres | undefined;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    log('no DATABASE_URL: starting embedded PostgreSQL under .data/bench-live');
    embedded = await startEmbeddedPostgres({ baseDir: '.data/bench-live' });
    serverUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${LIVE_DATABASE} with (force)`);
  await admin.query(`create database ${LIVE_DATABASE}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${LIVE_DATABASE}`;
  const orm = await openOrm({ databaseUrl: url.toString(), poolMax: 4 });
  try {
    await migrate(orm);
    await seedDemoData(orm.em.fork());
  } finally {
    await orm.close(true);
  }
  return { url: url.toString(), stop: async () => embedded?.stop() };
}

async function main(): Promise<void> {
  const { levels, rate, seconds } = options();
  const log = (line: string) => console.log(line);
  const database = await prepareLiveDatabase(log);
  const dataDir = path.resolve(BENCH_DATA_DIR, 'live-server');
  fs.mkdirSync(dataDir, { recursive: true });
  process.env.LIVE_MAX_CONNECTIONS_PER_USER = '5000';
  process.env.RATE_LIMIT_PER_MINUTE = '1000000';
  try {
    const users = await ensureUsers(database.url);
    const servers = [await startSocHub(database.url, dataDir, 10), await startSocHub(database.url, dataDir, 10)];
    const keys = await loadOrCreateDevKeys(dataDir);
    const api = new Api(keys, servers);
    await api.loadOrgIds();
    const results: LevelResult[] = [];
    for (const level of levels) {
      log(`${level} subscribers...`);
      const result = await runLevel(servers, api, keys, users, level, rate, seconds);
      log(`  ${JSON.stringify(result)}`);
      results.push(result);
    }
    log('memory per idle connection...');
    const memory = { count: 1000, ...(await idleConnectionMemory(database.url, dataDir, keys, users, 1000)) };
    const report = render(results, rate, seconds, memory);
    fs.writeFileSync(path.join(BENCH_DATA_DIR, 'live.md'), report);
    console.log(`\n${report}\nwritten to ${path.join(BENCH_DATA_DIR, 'live.md')}`);
  } finally {
    await stopAll();
    await database.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
