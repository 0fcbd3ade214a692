import type { Knex } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';

/**
 * The keys a batch reads by: a list (a loader's batch) or a subquery yielding them (a page's
 * keys, to read what the page will need in the same round trip as the page: see
 * graphql/look-ahead.ts).
 */
export type KeySet = readonly string[] | Knex.QueryBuilder;

/** For knex's whereIn, which takes either. */
export function keysOf(keys: KeySet): string[] | Knex.QueryBuilder {
  return keys as string[] | Knex.QueryBuilder;
}

/** How a request's loaders send their batches: given the dispatch, run it when the time is right. */
export type BatchSchedule = (dispatch: () => void) => void;

/**
 * By default, after everything the current event-loop turn set off, not at the end of the
 * current promise job (DataLoader's own default): a field resolved a few awaits deeper than its
 * siblings then joins their batch instead of costing a statement of its own. Requests pass
 * their database's `whenIdle` (db/request-db.ts), which also waits for the request's queries in
 * flight, so that what one answer sets off is one batch however that answer arrived.
 */
const afterThisTurn: BatchSchedule = (dispatch) => void setImmediate(dispatch);

/**
 * Request-scoped DataLoaders, created on first use. Nested fields load through these so a page
 * of 10 or of 100 records costs the same number of SQL statements. Never shared between
 * requests: each request's context has its own registry.
 */
export class Loaders {
  private readonly byName = new Map<string, DataLoader<any, any>>();

  constructor(private readonly schedule: BatchSchedule = afterThisTurn) {}

  /**
   * The loader called `name`, made with `batch` the first time. `batch` gets unique keys and
   * returns values in the same order (use {@link byKey} / {@link groupByKey}).
   */
  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let loader = this.byName.get(name);
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000, batchScheduleFn: this.schedule });
      this.byName.set(name, loader);
    }
    return loader as DataLoader<K, V>;
  }
}

/** Orders rows to match keys: one row (or null) per key. */
export function byKey<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): (R | null)[] {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
}

/** Groups rows under their keys: a list (possibly empty) per key, in row order. */
export function groupByKey<K, R>(keys: readonly K[], rows: R[], keyOf: (row: R) => K): R[][] {
  const map = new Map<K, R[]>(keys.map((k) => [k, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((k) => map.get(k)!);
}
