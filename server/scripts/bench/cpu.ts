/**
 * CPU spent per request, read from /proc (Linux): the server process's own time, and the time of
 * the PostgreSQL backends connected to the benchmark database (both servers' pools; the idle one's
 * backends cost nothing while the other is measured). Throughput on a shared 2-core machine moves
 * with whatever else runs; CPU per request is what the work itself costs.
 */
import fs from 'node:fs';
import pg from 'pg';

/** Clock ticks per second as /proc reports them (USER_HZ: 100 on Linux). */
const TICK_MS = 10;

/** utime + stime of a process in milliseconds, or 0 when it is gone. */
export function processCpuMs(pid: number): number {
  try {
    // The command name may contain spaces and parentheses: the fields start after the last ')'.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** Reads the CPU of the backends serving `databaseUrl`'s database (not this reader's own). */
export class BackendCpu {
  private constructor(private readonly client: pg.Client) {}

  static async open(databaseUrl: string): Promise<BackendCpu> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return new BackendCpu(client);
  }

  /** Per backend pid, its CPU so far in ms. */
  async sample(): Promise<Map<number, number>> {
    const { rows } = await this.client.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    return new Map(rows.map((r) => [r.pid, processCpuMs(r.pid)]));
  }

  /** CPU the backends spent between two samples (backends that came and went count from 0). */
  static spent(before: Map<number, number>, after: Map<number, number>): number {
    let total = 0;
    for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
    return total;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}
