import DataLoader from 'dataloader';

/**
 * Request-scoped DataLoaders, created on first use. Nested fields load through these so a page
 * of 10 or of 100 records costs the same number of SQL statements. Never shared between
 * requests: each request's context has its own registry.
 */
export class Loaders {
  private readonly byName = new Map<string, DataLoader<any, any>>();

  /**
   * The loader called `name`, made with `batch` the first time. `batch` gets unique keys and
   * returns values in the same order (use {@link byKey} / {@link groupByKey}).
   */
  get<K, V>(name: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V> {
    let loader = this.byName.get(name);
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
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
