import type { Column } from './documents';

/** Where a page's rows are in a result, and the connection around them if there is one. */
export interface Located {
  /** Response keys from `data` to the row objects (through `edges.node` for a connection). */
  readonly keys: readonly string[];
  readonly rows: readonly unknown[];
  readonly connection?: {
    readonly totalCount?: number;
    readonly hasNextPage?: boolean;
    readonly endCursor?: string | null;
  };
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function asConnection(value: Obj, keys: string[]): Located {
  const pageInfo = isObject(value.pageInfo) ? value.pageInfo : {};
  return {
    keys: [...keys, 'edges', 'node'],
    rows: (value.edges as unknown[]).map((e) => (isObject(e) ? e.node : null)),
    connection: {
      totalCount: typeof value.totalCount === 'number' ? value.totalCount : undefined,
      hasNextPage: typeof pageInfo.hasNextPage === 'boolean' ? pageInfo.hasNextPage : undefined,
      endCursor: typeof pageInfo.endCursor === 'string' ? pageInfo.endCursor : null,
    },
  };
}

/** The first list or connection in `value`, depth first in the order the query selected them. */
function firstRows(value: unknown, keys: string[]): Located | undefined {
  if (Array.isArray(value)) return { keys, rows: value };
  if (!isObject(value)) return undefined;
  if (Array.isArray(value.edges)) return asConnection(value, keys);
  for (const [key, child] of Object.entries(value)) {
    const found = firstRows(child, [...keys, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * The rows of a result: at `rowsPath` when the report names it, else the first list or
 * connection; a result with neither is one row (its first root field).
 */
export function locateRows(data: Obj, rowsPath: readonly string[] | undefined): Located {
  if (rowsPath) {
    // A connection may be named by itself or by its `edges.node`.
    if (rowsPath.slice(-2).join('.') === 'edges.node') rowsPath = rowsPath.slice(0, -2);
    let value: unknown = data;
    for (const key of rowsPath) value = isObject(value) ? value[key] : undefined;
    if (Array.isArray(value)) return { keys: rowsPath, rows: value };
    if (isObject(value) && Array.isArray(value.edges)) return asConnection(value, [...rowsPath]);
    if (isObject(value)) return { keys: rowsPath, rows: [value] };
    return { keys: rowsPath, rows: [] };
  }
  const found = firstRows(data, []);
  if (found) return found;
  const [first] = Object.keys(data);
  return { keys: first ? [first] : [], rows: first && data[first] != null ? [data[first]] : [] };
}

/** Every value at `path` under `value`, going through lists (so `contributors.code` gives each code). */
function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
  if (!path.length) return [value];
  return isObject(value) ? valuesAt(value[path[0]], path.slice(1)) : [];
}

/** One row as text cells, one per column: lists joined with "; ", missing and null as empty. */
export function cells(row: unknown, columns: readonly Column[]): string[] {
  return columns.map((c) => valuesAt(row, c.path).map((v) => (isObject(v) ? JSON.stringify(v) : String(v))).join('; '));
}
