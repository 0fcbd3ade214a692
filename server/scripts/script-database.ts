import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../src/config';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';

/** The database a command works on, and how to let it go when done. */
export interface ScriptDatabase {
  url: string;
  /** Stops the embedded PostgreSQL when the command started it (never one `npm start` runs). */
  release(): Promise<void>;
}

/** The embedded database `npm start` is running under `dataDir`, if it is. */
function runningEmbeddedUrl(dataDir: string): string | undefined {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return undefined;
  // postmaster.pid: pid, data directory, start time, port, ...
  const [pid, , , port] = fs.readFileSync(pidFile, 'utf8').split('\n');
  try {
    process.kill(Number(pid), 0);
  } catch {
    return undefined;
  }
  const password = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${Number(port)}/postgres`;
}

/**
 * DATABASE_URL, or the embedded database under DATA_DIR: the running one if `npm start` is up,
 * else one started for the command (and stopped by `release`).
 */
export async function scriptDatabase(config: Config): Promise<ScriptDatabase> {
  const url = config.databaseUrl ?? runningEmbeddedUrl(config.dataDir);
  if (url) return { url, release: async () => undefined };
  const embedded = await startEmbeddedPostgres({ baseDir: config.dataDir });
  return { url: embedded.url, release: () => embedded.stop() };
}
