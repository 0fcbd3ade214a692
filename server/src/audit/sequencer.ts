import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { queryWithin, withPooledConnection } from '../db/driver-internals';

/**
 * Links committed audit events into the hash chain (the database's audit_chain_extend(), see
 * Migration20261205003000_audit_sequencer). Requests insert their events unchained, in their own
 * transaction, so nothing is read without its event and no request waits for a platform-wide
 * lock; every instance runs this on a timer, and the database puts concurrent calls in one line,
 * so any instance may chain and none chains an event twice. Runs as the database owner: the
 * chain is nobody else's to extend.
 */
export async function chainAuditEvents(owner: Knex, timeoutMs?: number): Promise<number> {
  // On a pooled connection directly, not through knex's query builder: it is housekeeping, not a
  // request's statement, and must not show in the statement counts (the bench, tests) of requests
  // it happens to run beside. Bounded in time (queryWithin), as a request's statements are.
  return withPooledConnection(owner, async (connection) => {
    let total = 0;
    // Batches keep each transaction (and the lock) short when a long tail has built up.
    for (;;) {
      const rows = await queryWithin<{ chained: number }>(connection, `select audit_chain_extend(${BATCH}) as chained`, timeoutMs);
      const chained = Number(rows[0].chained);
      total += chained;
      if (chained < BATCH) return total;
    }
  });
}

const BATCH = 5000;

/** Chains on a timer until stopped; `stop()` chains once more, so an instance's last events are linked before it goes. */
export function startAuditSequencer(owner: Knex, intervalMs: number, log: Logger): { stop(): Promise<void>; chainNow(): Promise<number> } {
  let running: Promise<number> | undefined;
  const chainNow = (): Promise<number> =>
    (running ??= chainAuditEvents(owner)
      .catch((err) => {
        log.warn({ err }, 'audit events could not be chained yet (they stay, unchained, until the next attempt)');
        return 0;
      })
      .finally(() => (running = undefined)));
  const timer = setInterval(() => void chainNow(), intervalMs);
  timer.unref();
  return {
    chainNow,
    async stop() {
      clearInterval(timer);
      await running;
      await chainNow();
    },
  };
}
