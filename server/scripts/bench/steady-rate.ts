/**
 * Open-loop load at a steady rate: one request every 1/rate seconds, evenly spaced, whatever the
 * server's answers are doing, each timed from when it was due to be sent. autocannon's
 * `overallRate` cannot measure "p99 at half of peak": each connection sends its whole second's
 * quota back to back at the start of every second and then waits, so what it measures is a burst
 * of ten requests queueing behind each other once a second, not a server at half load. Timing
 * from the due time (not the actual send) keeps a stalled generator or server from hiding its
 * own delay (coordinated omission).
 */
import http from 'node:http';
import type { RunFigures, Target } from './measure';

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function post(agent: http.Agent, target: Target): Promise<number> {
  const url = new URL(target.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', ...target.headers } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(target.body);
  });
}

/** Sends `rate` requests per second for `durationS` seconds (keep-alive sockets, as many as are needed at once). */
export async function steadyRateRun(target: Target, rate: number, durationS: number): Promise<RunFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const intervalMs = 1000 / rate;
  const total = Math.round(rate * durationS);
  const latencies: number[] = [];
  let failures = 0;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    inFlight.push(
      post(agent, target).then(
        (status) => {
          if (status !== 200) failures++;
          latencies.push(performance.now() - due);
        },
        () => void failures++,
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { throughput: latencies.length / elapsedS, p50: percentile(latencies, 50), p99: percentile(latencies, 99), failures };
}
