import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { queryWithin, withPooledConnection } from '../../db/driver-internals';

/** Lapses announced per call: a long-stopped platform catches up in a few short transactions. */
const BATCH = 100;

/**
 * Announces on the live event log each agreement whose end date has come (see
 * Migration20261205003800_agreement_lapses): one UPDATE event per lapse, whichever instance gets
 * there first, so a partner's open screens are checked again as after a suspension. An agreement
 * lapses at 00:00 on its `expiresOn` by the database's calendar (`current_date`), the moment the
 * access rules stop honouring it. Runs as the database owner, on a pooled connection directly
 * (housekeeping, not a request's statement: see audit/sequencer.ts), bounded in time (queryWithin).
 */
export async function announceAgreementLapses(owner: Knex, timeoutMs?: number): Promise<number> {
  return withPooledConnection(owner, async (connection) => {
    let total = 0;
    for (;;) {
      const rows = await queryWithin<{ announced: number }>(connection, `select agreement_lapses_announce(${BATCH}) as announced`, timeoutMs);
      const announced = Number(rows[0].announced);
      total += announced;
      if (announced < BATCH) return total;
    }
  });
}

/** Looks for lapses every `intervalMs` (AGREEMENT_LAPSE_CHECK_MS) until stopped. */
export function startAgreementLapseWatch(owner: Knex, intervalMs: number, log: Logger): { stop(): Promise<void>; checkNow(): Promise<number> } {
  let running: Promise<number> | undefined;
  const checkNow = (): Promise<number> =>
    (running ??= announceAgreementLapses(owner)
      .then((n) => {
        if (n) log.info({ announced: n }, 'sharing agreements lapsed by date; partners told');
        return n;
      })
      .catch((err) => {
        log.warn({ err }, 'lapsed sharing agreements could not be announced yet (the next check tries again)');
        return 0;
      })
      .finally(() => (running = undefined)));
  const timer = setInterval(() => void checkNow(), intervalMs);
  timer.unref();
  return {
    checkNow,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
