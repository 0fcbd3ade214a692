import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/project-root';
import { freePort } from '../../src/db/embedded-postgres';

/**
 * nginx from the machine's packages (Debian's `nginx`), running the project's own
 * deploy/nginx.conf (the file docker-compose.yml mounts) with only what a machine without
 * containers must change: the replicas' addresses (compose's app1:4000, app2:4000) and the
 * port it listens on. Everything else (WebSocket upgrades, timeouts, request ids, retries) is
 * the deployed configuration itself.
 */
export interface RunningNginx {
  readonly url: string;
  readonly port: number;
  readonly proc: ChildProcess;
  /** What nginx wrote to its error log. */
  errors(): string;
  stop(): Promise<void>;
}

export const NGINX_BINARY = process.env.NGINX_BINARY ?? '/usr/sbin/nginx';

/** deploy/nginx.conf with the replicas at `upstreams` (host:port) and listening on `port`. */
export function nginxConfig(upstreams: readonly string[], port: number): string {
  const deployed = fs.readFileSync(path.join(projectRoot(), 'deploy', 'nginx.conf'), 'utf8');
  const servers = /^(\s*)server app\d+:4000( [^;]*);\n/gm;
  const indent = servers.exec(deployed)?.[1] ?? '    ';
  const options = deployed.match(/server app\d+:4000( [^;]*);/)?.[1] ?? '';
  let replaced = false;
  const config = deployed
    .replace(servers, () => {
      if (replaced) return '';
      replaced = true;
      return upstreams.map((u) => `${indent}server ${u}${options};\n`).join('');
    })
    .replace(/^(\s*)listen 8080( [^;]*)?;/m, `$1listen 127.0.0.1:${port}$2;`);
  if (!replaced || !config.includes(`listen 127.0.0.1:${port}`)) throw new Error('deploy/nginx.conf no longer has the upstream servers and listen line this expects');
  return config;
}

/** Starts nginx in front of `upstreams`, in a directory of its own, in the foreground. */
export async function startNginx(upstreams: readonly string[], listenPort?: number): Promise<RunningNginx> {
  if (!fs.existsSync(NGINX_BINARY)) throw new Error(`nginx is not installed (${NGINX_BINARY}): apt-get install nginx, as .ci/run does, or set NGINX_BINARY`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hub-nginx-'));
  const port = listenPort ?? (await freePort());
  fs.writeFileSync(path.join(dir, 'nginx.conf'), nginxConfig(upstreams, port));
  const errorLog = path.join(dir, 'error.log');
  const proc = spawn(NGINX_BINARY, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', `daemon off; pid ${dir}/nginx.pid; error_log ${errorLog} warn;`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (c) => (stderr += c));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
    const up = await fetch(`${url}/lb-health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`nginx did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    proc,
    errors: () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '') + stderr,
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((resolve) => proc.once('exit', resolve));
        proc.kill('SIGQUIT'); // graceful: finish requests, then exit
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
