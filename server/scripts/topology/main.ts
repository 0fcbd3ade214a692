/**
 * `npm run topology`: the deployment of docker-compose.yml without containers, for trying it
 * out and for what test/ops/topology.test.ts checks: PostgreSQL (DATABASE_URL, or an embedded
 * one under DATA_DIR), two server processes on loopback ports, and nginx running the project's
 * deploy/nginx.conf in front of them on TOPOLOGY_PORT (default 4000). Ctrl-C stops them all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { freePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { startNginx } from './nginx';

const MAIN = path.resolve(__dirname, '../../src/main.js');

async function startReplica(name: string, env: Record<string, string>): Promise<{ proc: ChildProcess; host: string }> {
  const port = await freePort();
  const proc = spawn(process.execPath, ['--max-semi-space-size=32', MAIN], { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    if (proc.exitCode !== null) throw new Error(`${name} exited with ${proc.exitCode}`);
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return { proc, host: `127.0.0.1:${port}` };
  }
  throw new Error(`${name} was not ready within two minutes`);
}

void (async () => {
  const config = loadConfig();
  let embedded: EmbeddedPostgres | undefined;
  const databaseUrl = config.databaseUrl ?? (embedded = await startEmbeddedPostgres({ baseDir: config.dataDir })).url;
  const env = { DATABASE_URL: databaseUrl, DATA_DIR: config.dataDir, TRUST_PROXY: '1', SHUTDOWN_IDLE_CONNECTION_MS: '5000' };
  // One after the other: the first migrates (and seeds an empty database), the second finds it done.
  const replicas = [await startReplica('app1', env), await startReplica('app2', env)];
  const nginx = await startNginx(replicas.map((r) => r.host), Number(process.env.TOPOLOGY_PORT ?? 4000));
  console.log(`SOC Hub at ${nginx.url}: nginx (deploy/nginx.conf) in front of ${replicas.map((r) => r.host).join(' and ')}. Ctrl-C stops everything.`);
  const stop = async () => {
    await nginx.stop();
    await Promise.all(replicas.map((r) => new Promise((resolve) => (r.proc.exitCode !== null ? resolve(null) : (r.proc.once('exit', resolve), r.proc.kill('SIGTERM'))))));
    await embedded?.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
