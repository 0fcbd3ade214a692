import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../server/src/db/embedded-postgres';

const MAIN = path.resolve(__dirname, '../../dist/server/src/main.js');

export interface ServerProcess {
  readonly proc: ChildProcess;
  readonly url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when /readyz answers 200; rejects if the process exits first or time runs out. */
  ready(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal name) once the process has ended. */
  exited(): Promise<number | string>;
}

/**
 * The compiled server (`npm test` builds it first) as a real child process, the way `npm start`
 * runs it. The environment is exactly `env` plus PATH/HOME, so nothing leaks in from the shell.
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const proc = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (out += c));
  const exit = new Promise<number | string>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let ended = false;
  void exit.then(() => (ended = true));
  const url = `http://127.0.0.1:${port}`;

  return {
    proc,
    url,
    output: () => out,
    exited: () => exit,
    // A start on a loaded machine (load average 30: migrations, demo data) has taken over 45 s.
    async ready(timeoutMs = 90_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (ended) throw new Error(`server exited before it was ready:\n${out}`);
        const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
        if (ok) return;
        await new Promise((r) => setTimeout(r, 150));
      }
      proc.kill('SIGKILL');
      throw new Error(`server not ready after ${timeoutMs} ms:\n${out}`);
    },
  };
}
