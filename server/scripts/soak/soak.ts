/**
 * A soak: two server processes on one database under mixed traffic for some minutes, one of them
 * restarted (SIGTERM, then started again) halfway. Reads as several users, writes, subscriptions
 * that stay for the whole run (resuming from their cursor when their instance goes) and others
 * that join and leave. What it measures: requests, errors by code, live events lost or
 * duplicated (must be 0), p99 latency per minute, and each instance's heap and RSS slope after
 * warm-up. `npm run soak -- --minutes N` prints it; test/ops/soak.test.ts runs a short one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadOrCreateDevKeys, signDevToken, type DevKeys } from '../../src/auth/dev-keys';
import { freePort } from '../../src/db/embedded-postgres';
import { projectRoot } from '../../src/project-root';

export interface SoakOptions {
  databaseUrl: string;
  dataDir: string;
  minutes: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SoakReport {
  minutes: number;
  requests: number;
  /** Failed requests by HTTP status and GraphQL code (e.g. "503 SERVICE_UNAVAILABLE"), or network error code. */
  errors: Record<string, number>;
  writesAcknowledged: number;
  events: { delivered: number; lost: number; duplicated: number; transientSubscriptions: number; transientDuplicated: number };
  /** p99 latency (ms) of the requests of each minute. */
  p99PerMinute: number[];
  /** Per instance: slope after warm-up in MB per minute, from its own /metrics. */
  memory: { instance: string; heapMbPerMinute: number; rssMbPerMinute: number; samples: number }[];
  restarts: number;
}

const READERS = ['serocu.analyst', 'tvp.investigator', 'surrey.investigator', 'hiow.analyst'];
const WRITER = 'serocu.analyst';
/** Sees every threat the writer creates (regional law-enforcement sharing). */
const WATCHER = 'surrey.investigator';
const READS = ['{ viewer { username organisation { code } } }', '{ threats(first: 20) { totalCount edges { node { id name priority } } } }', '{ eventCursor }'];
const EVENTS = `subscription ($after: String) { events(after: $after, types: [CREATED]) { cursor recordType record { ... on SocThreat { name } } } }`;
const CREATE = 'mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }';

interface Instance {
  name: string;
  port: number;
  url: string;
  proc: ChildProcess;
  alive: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startInstance(name: string, port: number, env: Record<string, string>): Promise<Instance> {
  const main = path.join(projectRoot(), 'dist/server/src/main.js');
  // SOAK_NODE_OPTIONS reaches the instances, e.g. --heapsnapshot-signal=SIGUSR2 to compare heaps early and late.
  const nodeOptions = (process.env.SOAK_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const proc = spawn(process.execPath, [...nodeOptions, main], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: process.env.SOAK_INSTANCE_DIR ?? process.cwd(),
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(200)) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return { name, port, url, proc, alive: true };
  }
  proc.kill('SIGKILL');
  throw new Error(`${name} was not ready within three minutes`);
}

async function stopInstance(instance: Instance): Promise<void> {
  instance.alive = false;
  if (instance.proc.exitCode !== null) return;
  const exited = new Promise((r) => instance.proc.once('exit', r));
  instance.proc.kill('SIGTERM');
  await exited;
}

/** What the traffic recorded. */
class Tally {
  requests = 0;
  readonly errors: Record<string, number> = {};
  /** [minute since start, latency ms] */
  readonly latencies: number[][] = [];
  constructor(private readonly startedAt: number) {}
  ok(ms: number): void {
    this.requests++;
    (this.latencies[Math.floor((Date.now() - this.startedAt) / 60_000)] ??= []).push(ms);
  }
  error(code: string): void {
    this.requests++;
    this.errors[code] = (this.errors[code] ?? 0) + 1;
  }
}

/**
 * Sends one operation to a live instance, as a load balancer would: an instance refusing the
 * connection (stopped) is skipped, which is safe because nothing was sent.
 */
async function send(instances: Instance[], next: () => number, token: string, query: string, variables: Record<string, unknown>, tally: Tally): Promise<any> {
  for (let attempt = 0; attempt < instances.length * 2; attempt++) {
    const instance = instances[next() % instances.length];
    if (!instance.alive) continue;
    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(`${instance.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' },
        body: JSON.stringify({ query, variables }),
      });
    } catch (err) {
      const code = ((err as { cause?: { code?: string } }).cause?.code ?? 'NETWORK') as string;
      if (code === 'ECONNREFUSED') continue;
      tally.error(code);
      return undefined;
    }
    const body = (await response.json().catch(() => ({}))) as { data?: any; errors?: { extensions?: { code?: string } }[] };
    if (response.status !== 200 || body.errors) {
      tally.error(`${response.status} ${body.errors?.[0]?.extensions?.code ?? ''}`.trim());
      return undefined;
    }
    tally.ok(performance.now() - started);
    return body.data;
  }
  tally.error('NO_INSTANCE');
  return undefined;
}

/**
 * A subscription for the whole run: when its socket goes (its instance stopping), it subscribes
 * again on a live instance from the last cursor it received, as the web client does.
 */
class LastingSubscription {
  readonly names: string[] = [];
  private cursor: string;
  private client: Client | undefined;
  private closed = false;
  private generation = 0;

  constructor(
    private readonly instances: Instance[],
    private readonly token: string,
    after: string,
    private readonly pick: () => number,
  ) {
    this.cursor = after;
    this.open();
  }

  private open(): void {
    if (this.closed) return;
    const live = this.instances.filter((i) => i.alive);
    const instance = live[this.pick() % Math.max(1, live.length)];
    if (!instance) return void setTimeout(() => this.open(), 200);
    const generation = ++this.generation;
    const again = () => {
      // Once per socket: its close, error and completion all call this.
      if (generation !== this.generation || this.closed) return;
      this.generation++;
      // dispose() rejects with the close event when the socket never connected (e.g. refused).
      void Promise.resolve(this.client?.dispose()).catch(() => undefined);
      setTimeout(() => this.open(), 100);
    };
    this.client = createClient({
      url: `${instance.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.token}`, purpose: 'INVESTIGATION' },
      retryAttempts: 0,
      on: { closed: again },
    });
    this.client.subscribe(
      { query: EVENTS, variables: { after: this.cursor } },
      {
        next: (value) => {
          const event = (value.data as any)?.events;
          if (!event) return;
          this.cursor = event.cursor;
          this.names.push(event.record?.name);
        },
        error: again,
        complete: again,
      },
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.dispose();
  }
}

/** A subscription that joins for a few seconds and leaves; what it saw must hold no duplicate. */
async function transientSubscription(instance: Instance, token: string, after: string, ms: number): Promise<string[]> {
  const seen: string[] = [];
  const client = createClient({ url: `${instance.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}`, purpose: 'INVESTIGATION' }, retryAttempts: 0 });
  client.subscribe({ query: EVENTS, variables: { after } }, { next: (v) => seen.push((v.data as any)?.events?.cursor), error: () => undefined, complete: () => undefined });
  await sleep(ms);
  // dispose() rejects with the close event when the socket never connected: the server closes
  // one that has not said connection_init in time (4408), which a starved client may not have.
  // It then saw nothing, so it holds no duplicate.
  await Promise.resolve(client.dispose()).catch(() => undefined);
  return seen;
}

async function memoryOf(instance: Instance): Promise<{ heap: number; rss: number } | undefined> {
  const text = await fetch(`${instance.url}/metrics`).then((r) => r.text(), () => '');
  const value = (name: string) => Number(new RegExp(`^${name} ([0-9.e+]+)`, 'm').exec(text)?.[1]);
  const heap = value('soc_hub_nodejs_heap_size_used_bytes');
  const rss = value('soc_hub_process_resident_memory_bytes');
  return Number.isFinite(heap) && Number.isFinite(rss) ? { heap, rss } : undefined;
}

/** Least-squares slope of (minutes, bytes) in MB per minute. */
function slope(points: [number, number][]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, p) => s + p[0], 0) / n;
  const my = points.reduce((s, p) => s + p[1], 0) / n;
  const sxx = points.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0);
  return sxx ? sxy / sxx / 1024 / 1024 : 0;
}

const p99 = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]) : 0;
};

function threatInput(name: string, leadOrganisationId: string) {
  return {
    name,
    summary: 'Soak test: cocaine supply into Guildford run from a car wash.',
    subjectType: 'ORGANISED_CRIME_GROUP',
    leadOrganisationId,
    taskingLevel: 'FORCE',
    geographicScope: 'REGIONAL',
    identifiedOn: '2025-09-01',
    criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'WHOLESALE_SUPPLY', description: 'Kilo-level cocaine supply.', firstIdentified: '2025-09-01' }],
    access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
  };
}

export async function runSoak({ databaseUrl, dataDir, minutes, log = () => undefined }: SoakOptions): Promise<SoakReport> {
  const env = { DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LIVE_POLL_MS: '1000' };
  // One after the other: the first migrates (and seeds an empty database).
  const instances = [await startInstance('app1', await freePort(), env)];
  instances.push(await startInstance('app2', await freePort(), env));
  const keys: DevKeys = await loadOrCreateDevKeys(dataDir);
  const tokens = new Map<string, string>();
  for (const user of new Set([...READERS, WRITER, WATCHER])) tokens.set(user, await signDevToken(keys, user));
  let turn = 0;
  const next = () => turn++;
  const startedAt = Date.now();
  const tally = new Tally(startedAt);
  const runMs = minutes * 60_000;
  const running = () => Date.now() - startedAt < runMs;

  const orgs = await send(instances, next, tokens.get(WRITER)!, '{ organisations(first: 100) { edges { node { id code } } } }', {}, tally);
  const leadOrganisationId = orgs.organisations.edges.find((e: any) => e.node.code === 'SURREY').node.id;
  const start = (await send(instances, next, tokens.get(WATCHER)!, '{ eventCursor }', {}, tally)).eventCursor as string;
  const lasting = [0, 1].map((i) => new LastingSubscription(instances, tokens.get(WATCHER)!, start, () => i + turn));

  const acknowledged: string[] = [];
  let written = 0;
  const writer = async () => {
    while (running()) {
      const name = `Operation Soak ${process.pid}-${++written}`;
      if (await send(instances, next, tokens.get(WRITER)!, CREATE, { input: threatInput(name, leadOrganisationId) }, tally)) acknowledged.push(name);
      await sleep(100);
    }
  };
  const reader = async (user: string) => {
    for (let i = 0; running(); i++) await send(instances, next, tokens.get(user)!, READS[i % READS.length], {}, tally);
  };
  let transientSubscriptions = 0;
  let transientDuplicated = 0;
  const churn = async () => {
    while (running()) {
      const live = instances.filter((i) => i.alive);
      const cursor = await send(instances, next, tokens.get(WATCHER)!, '{ eventCursor }', {}, tally);
      if (!live.length || !cursor) continue;
      const seen = await transientSubscription(live[turn % live.length], tokens.get(WATCHER)!, cursor.eventCursor, 1000 + (turn % 4) * 500);
      transientSubscriptions++;
      transientDuplicated += seen.length - new Set(seen).size;
    }
  };
  const samples = new Map<string, [number, number, number][]>();
  const sampler = async () => {
    while (running()) {
      for (const instance of instances.filter((i) => i.alive)) {
        const memory = await memoryOf(instance);
        const key = `${instance.name} (pid ${instance.proc.pid})`;
        if (memory) (samples.get(key) ?? samples.set(key, []).get(key)!).push([(Date.now() - startedAt) / 60_000, memory.heap, memory.rss]);
      }
      await sleep(2000);
    }
  };
  let restarts = 0;
  const restarter = async () => {
    while (running() && Date.now() - startedAt < runMs / 2) await sleep(200);
    if (!running()) return;
    const [, second] = instances;
    log(`restarting ${second.name} (SIGTERM, then a new process on port ${second.port})`);
    await stopInstance(second);
    instances[1] = await startInstance(second.name, second.port, env);
    restarts++;
    log(`${second.name} is back`);
  };
  const progress = setInterval(() => log(`${Math.round((Date.now() - startedAt) / 1000)} s: ${tally.requests} requests, ${acknowledged.length} writes, errors ${JSON.stringify(tally.errors)}`), 15_000);

  await Promise.all([writer(), ...READERS.map(reader), churn(), churn(), sampler(), restarter()]);
  clearInterval(progress);

  // Every acknowledged write must reach both lasting subscriptions: wait for them (delivery may
  // trail the last write), then compare.
  const complete = (s: LastingSubscription) => {
    const names = new Set(s.names);
    return acknowledged.every((n) => names.has(n));
  };
  for (const deadline = Date.now() + 60_000; Date.now() < deadline && !lasting.every(complete); ) await sleep(200);
  await Promise.all(lasting.map((s) => s.close()));
  let lost = 0;
  let duplicated = 0;
  let delivered = 0;
  for (const s of lasting) {
    delivered += s.names.length;
    const names = new Set(s.names);
    lost += acknowledged.filter((n) => !names.has(n)).length;
    duplicated += s.names.length - new Set(s.names).size;
  }
  for (const instance of instances) await stopInstance(instance);

  const memory = [...samples].map(([instance, points]) => {
    // Warm-up: the first third of each process's samples.
    const steady = points.slice(Math.floor(points.length / 3));
    return {
      instance,
      heapMbPerMinute: Number(slope(steady.map((p) => [p[0], p[1]])).toFixed(2)),
      rssMbPerMinute: Number(slope(steady.map((p) => [p[0], p[2]])).toFixed(2)),
      samples: points.length,
    };
  });
  return {
    minutes,
    requests: tally.requests,
    errors: tally.errors,
    writesAcknowledged: acknowledged.length,
    events: { delivered, lost, duplicated, transientSubscriptions, transientDuplicated },
    p99PerMinute: tally.latencies.map((l) => p99(l ?? [])),
    memory,
    restarts,
  };
}
