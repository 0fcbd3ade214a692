import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

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
 * Without `PORT` in `env` the server takes a port the system chooses (PORT=0) and this resolves
 * once it is listening, with its URL: a port found free here and handed to the process could be
 * taken by another process before the server bound it (it was, by a run beside this one: EADDRINUSE).
 */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (out += c));
  const exit = new Promise<number | string>((resolve) => proc.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  let ended = false;
  void exit.then(() => (ended = true));
  const port = env.PORT && env.PORT !== '0' ? Number(env.PORT) : await listeningPort(proc, () => out, exit);
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

/** The port the server says it listens on (main.ts prints it as soon as the port is open, whatever LOG_LEVEL says). */
async function listeningPort(proc: ChildProcess, output: () => string, exit: Promise<unknown>, timeoutMs = 90_000): Promise<number> {
  const found = () => {
    const port = /^SOC Hub is listening on port (\d+);/m.exec(output())?.[1];
    return port === undefined ? undefined : Number(port);
  };
  let exited = false;
  void exit.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const port = found();
    if (port !== undefined) return port;
    if (exited) throw new Error(`server exited before it was listening:\n${output()}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server not listening after ${timeoutMs} ms:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
