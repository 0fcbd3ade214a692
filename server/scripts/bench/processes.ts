/**
 * The two servers under test, each in its own child process so that neither shares an event
 * loop with autocannon (which runs in ours). Both are stopped on every way out: success, error
 * and Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/db/embedded-postgres';

export interface Child {
  name: string;
  url: string;
  process: ChildProcess;
}

const running = new Set<Child>();

/** Last lines a child wrote, for the error when it dies during start-up. */
function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

async function waitForReady(child: Child, readyPath: string, output: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited during start-up (${child.process.exitCode}):\n${output()}`);
    try {
      if ((await fetch(`${child.url}${readyPath}`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${child.name} was not ready within ${timeoutMs / 1000} s:\n${output()}`);
}

async function start(name: string, script: string, env: Record<string, string>, readyPath: string, logDir: string): Promise<Child> {
  const port = await freePort();
  // The flags `npm start` and the Dockerfile run the server with (both servers alike).
  const process_ = spawn(process.execPath, ['--max-semi-space-size=32', path.join(__dirname, script)], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Everything the child says goes to .data/bench/<name>.log, to explain failed requests afterwards.
  const logFile = fs.createWriteStream(path.join(logDir, `${script.replace(/.*\//, '').replace(/\.js$/, '')}.log`));
  process_.stdout.pipe(logFile);
  process_.stderr.pipe(logFile);
  const child: Child = { name, url: `http://127.0.0.1:${port}`, process: process_ };
  running.add(child);
  process_.once('exit', () => running.delete(child));
  await waitForReady(child, readyPath, collectOutput(process_));
  return child;
}

/** SOC Hub itself, built as `npm start` runs it, in production mode with development tokens on. */
export function startSocHub(databaseUrl: string, dataDir: string, poolMax: number): Promise<Child> {
  return start(
    'SOC Hub',
    '../../src/main.js',
    {
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      ALLOW_DEV_TOKENS: 'true',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DB_POOL_MAX: String(poolMax),
      SEED_DEMO_DATA: 'false',
      // One token makes every request: at 1,000 requests/s the per-caller limit would answer 429.
      RATE_LIMIT_PER_MINUTE: '0',
    },
    '/readyz',
    dataDir,
  );
}

/** The plain-SQL baseline (baseline-server.ts) with the same pool size. */
export function startBaseline(databaseUrl: string, poolMax: number, logDir: string): Promise<Child> {
  return start('baseline', 'baseline-server.js', { DATABASE_URL: databaseUrl, POOL_MAX: String(poolMax) }, '/ready', logDir);
}

/** SIGTERM, then SIGKILL after a grace period: a bench must never leave servers behind. */
function stop(child: Child): Promise<void> {
  return new Promise((resolve) => {
    if (child.process.exitCode !== null || child.process.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.process.kill('SIGKILL'), 5_000);
    child.process.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.process.kill('SIGTERM');
  });
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map(stop));
}
