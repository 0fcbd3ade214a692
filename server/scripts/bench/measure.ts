/**
 * Load generation with autocannon on loopback: a warm-up run that is thrown away (JIT, pools and
 * PostgreSQL's caches fill up), then several measured runs of which the median is reported,
 * alternating between SOC Hub and the baseline so that any drift in the machine's load hits
 * both alike.
 */
import autocannon from 'autocannon';
import { BackendCpu, processCpuMs } from './cpu';

export interface Target {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** The server's process, for its CPU per request (absent: not measured). */
  pid?: number;
  /** The backends of the benchmark database, for PostgreSQL's CPU per request. */
  backends?: BackendCpu;
}

export interface RunFigures {
  /** Mean requests per second over the run. */
  throughput: number;
  p50: number;
  p99: number;
  /** Non-2xx responses, connection errors and timeouts: a run with any is not trusted. */
  failures: number;
  /** The server process's CPU per request, ms (when its pid is known). */
  serverCpuMs?: number;
  /** PostgreSQL backends' CPU per request, ms (when measured). */
  databaseCpuMs?: number;
}

export interface LoadOptions {
  connections: number;
  duration: number;
  warmup: number;
  runs: number;
}

export async function loadRun(target: Target, connections: number, duration: number, overallRate?: number): Promise<RunFigures> {
  const serverBefore = target.pid ? processCpuMs(target.pid) : 0;
  const backendsBefore = await target.backends?.sample();
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    connections,
    duration,
    overallRate,
  });
  const requests = Math.max(1, result.requests.total);
  const backendsAfter = await target.backends?.sample();
  return {
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    serverCpuMs: target.pid ? (processCpuMs(target.pid) - serverBefore) / requests : undefined,
    databaseCpuMs: backendsBefore && backendsAfter ? BackendCpu.spent(backendsBefore, backendsAfter) / requests : undefined,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of each figure over the runs (each median taken on its own, as is usual). */
export function medianOf(runs: RunFigures[]): RunFigures {
  return {
    throughput: median(runs.map((r) => r.throughput)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
    serverCpuMs: runs.every((r) => r.serverCpuMs !== undefined) ? median(runs.map((r) => r.serverCpuMs!)) : undefined,
    databaseCpuMs: runs.every((r) => r.databaseCpuMs !== undefined) ? median(runs.map((r) => r.databaseCpuMs!)) : undefined,
  };
}

/** Warm-up for both, then `runs` measured rounds alternating ours and the baseline's. */
export async function comparePair(ours: Target, baseline: Target, o: LoadOptions): Promise<{ ours: RunFigures; baseline: RunFigures }> {
  await loadRun(ours, o.connections, o.warmup);
  await loadRun(baseline, o.connections, o.warmup);
  const oursRuns: RunFigures[] = [];
  const baselineRuns: RunFigures[] = [];
  for (let i = 0; i < o.runs; i++) {
    oursRuns.push(await loadRun(ours, o.connections, o.duration));
    baselineRuns.push(await loadRun(baseline, o.connections, o.duration));
  }
  return { ours: medianOf(oursRuns), baseline: medianOf(baselineRuns) };
}
