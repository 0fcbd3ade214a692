import type { Knex } from '@mikro-orm/postgresql';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ArgsType, Field, Int, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import { BadUserInputError } from './errors';

/** The most rows one page may ask for; above it the request is refused, not silently cut. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: `Rows after \`after\`; at most ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Rows before \`before\`; at most ${MAX_PAGE_SIZE}.` })
  last?: number | null;

  @Field(() => String, { nullable: true })
  before?: string | null;

  /**
   * Not an argument: set by server code that shows a list's count beside a few of its rows (the
   * header's search). totalCount then counts no further than this many rows plus one (that one
   * more means "more than countUpTo"), and is counted with the page, in the same message. An
   * exact count of a common word read and checked every matching row under the access rules.
   */
  countUpTo?: number;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted only when a client asks for it (a getter: GraphQL reads it only if selected). */
  readonly totalCount: number | Promise<number>;
}

/**
 * Makes `<Name>Connection` and `<Name>Edge` types for a node type (type-graphql's generic
 * types pattern): `@ObjectType() class ThreatConnection extends ConnectionType(Threat) {}`.
 */
export function ConnectionType<T extends object>(nodeType: ClassType<T>) {
  @ObjectType(`${nodeType.name}Edge`)
  class EdgeType {
    @Field(() => String) cursor!: string;
    @Field(() => nodeType) node!: T;
  }

  @ObjectType()
  abstract class ConnectionBase {
    @Field(() => [EdgeType]) edges!: EdgeType[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'Rows matching the filter, on all pages.' }) totalCount!: number;
  }
  return ConnectionBase;
}

/**
 * Cursors are opaque to clients. Inside: the row's offset in the ordered result and, when the
 * order allows it, the row's sort values, so that the next page starts right after that row
 * (a keyset) instead of skipping `offset` rows again: page 1,000 of an export costs what page 1 does.
 */
interface Cursor {
  offset: number;
  keys?: (string | null)[];
}

/**
 * The sort values are compared with the columns in SQL, so a client must not choose them: a
 * value of the wrong type (or with a NUL) made the statement fail (a 500 that showed its SQL).
 * They are signed with a key of this process; keys that do not verify (tampered, or from another
 * instance or before a restart) are dropped and the cursor's offset alone is used, as it was
 * before keysets: the same page, found by counting rows instead of seeking.
 */
const CURSOR_KEY = randomBytes(32);
const signatureOf = (offset: number, keys: string) => createHmac('sha256', CURSOR_KEY).update(`${offset}:${keys}`).digest('base64url').slice(0, 22);

function encodeCursor(cursor: Cursor): string {
  const encodedKeys = cursor.keys ? Buffer.from(JSON.stringify(cursor.keys)).toString('base64url') : '';
  const keys = cursor.keys ? `:${encodedKeys}:${signatureOf(cursor.offset, encodedKeys)}` : '';
  return Buffer.from(`o:${cursor.offset}${keys}`).toString('base64url');
}

function decodeCursor(cursor: string, field: string): Cursor {
  const match = /^o:(\d{1,9})(?::([A-Za-z0-9_-]{1,4000}):([A-Za-z0-9_-]{22}))?$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new BadUserInputError([{ field, message: 'is not a cursor from this list' }]);
  const offset = Number(match[1]);
  const keys = match[2] && signed(offset, match[2], match[3]) ? parseKeys(match[2]) : undefined;
  return { offset, keys: keys ?? undefined };
}

function signed(offset: number, encodedKeys: string, signature: string): boolean {
  const expected = Buffer.from(signatureOf(offset, encodedKeys));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function parseKeys(encoded: string): (string | null)[] | null {
  try {
    const keys: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString());
    return Array.isArray(keys) && keys.every((k) => k === null || typeof k === 'string') ? keys : null;
  } catch {
    return null;
  }
}

function checkSize(value: number | null | undefined, field: string): void {
  if (value == null) return;
  if (value < 0 || value > MAX_PAGE_SIZE) {
    throw new BadUserInputError([{ field, message: `must be between 0 and ${MAX_PAGE_SIZE}` }]);
  }
}

/** One ORDER BY term: a SQL expression (never client text) and a direction. */
export interface OrderTerm {
  column: string;
  direction: SortDirection;
}

/**
 * Runs a filtered query as one page of a Relay connection, in a single statement: the page's
 * keys in a subquery, the total in another, beside the rows. `order` must end in a unique column
 * so that pages are stable. `last` without `before` reads the end of the list.
 */
/**
 * What the caller knows of what will be asked of the page. `total`: totalCount is selected, so
 * it is counted in the same message as the page rather than once the page is back. `withNodes`:
 * run once the page's nodes are read, before the connection is returned, to fetch in one message
 * what its items' fields will need (prime the request's loaders: see threats/threat.prefetch.ts).
 */
export interface PageLookAhead<Node> {
  total?: boolean;
  withNodes?: (nodes: Node[]) => Promise<void>;
}

export async function paginate<Row, Node>(
  query: Knex.QueryBuilder,
  args: ConnectionArgs,
  order: OrderTerm[],
  toNode: (row: Row) => Node,
  lookAhead: PageLookAhead<Node> = {},
): Promise<Connection<Node>> {
  checkSize(args.first, 'first');
  checkSize(args.last, 'last');
  const after = args.after ? decodeCursor(args.after, 'after') : undefined;
  const beforeOffset = args.before ? decodeCursor(args.before, 'before').offset : undefined;
  const afterOffset = after?.offset ?? -1;

  let start = afterOffset + 1;
  let limit: number;
  let fromEnd = false;
  if (args.last != null && beforeOffset === undefined && args.first == null) {
    fromEnd = true;
    limit = args.last;
  } else {
    const end = beforeOffset ?? Number.MAX_SAFE_INTEGER;
    if (args.last != null) start = Math.max(start, end - args.last);
    limit = Math.min(args.first ?? (args.last != null ? args.last : DEFAULT_PAGE_SIZE), Math.max(0, end - start));
  }
  // Forward pages after a cursor that carries its row's sort values start from there.
  const withKeys = keysetUsable(order) && !fromEnd;
  const keyset = withKeys && after?.keys?.length === order.length && start === afterOffset + 1 ? afterKeys(order, after.keys) : undefined;

  const orderBy = (q: Knex.QueryBuilder) => {
    for (const term of order) {
      const direction = fromEnd ? (term.direction === SortDirection.ASC ? 'desc' : 'asc') : term.direction.toLowerCase();
      q.orderByRaw(`${term.column} ${direction}`);
    }
    return q;
  };
  // The page's keys first (the last order term is unique), over the filter and order alone: only
  // the few columns they need are read, from an index where there is one, and the scan stops
  // after the page. Then the page's rows by those keys, under the same filter. Asking for whole
  // rows at once let PostgreSQL choose to read and sort every matching row (a partner's threats
  // page: 12 ms of sequential scan and sort for 20 rows, against under 1 ms this way). One row
  // more than the page says whether there is a next page without counting.
  const key = order[order.length - 1].column;
  const pageKeysQuery = query.clone().clearSelect().select(query.client.raw(`${key} as "__key"`));
  if (keyset) pageKeysQuery.whereRaw(keyset.sql, keyset.bindings);
  const pageKeys = orderBy(pageKeysQuery)
    .limit(limit + 1)
    .offset(fromEnd || keyset ? 0 : start);
  const sortValues = withKeys ? order.map((term, i) => query.client.raw(`(${term.column})::text as "__o${i}"`)) : [];
  const ordered = orderBy(
    query
      .clone()
      .select(sortValues)
      .whereRaw(`${key} in (select "__key" from (?) as "page")`, [pageKeys]),
  );
  let total: Promise<number> | undefined;
  // A capped count cannot place a page read from the end: those count exactly.
  const countUpTo = fromEnd ? undefined : args.countUpTo;
  const totalCount = () => (total ??= countOnly(query, countUpTo));
  const pending = ordered.then((rows: (Row & Record<string, string | null>)[]) => rows);
  if (lookAhead.total || countUpTo !== undefined) totalCount().catch(() => undefined); // the totalCount field awaits it and sees any error
  const rows = await pending;
  const hasMore = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  if (fromEnd) {
    pageRows.reverse();
    start = Math.max(afterOffset + 1, (await totalCount()) - pageRows.length);
  }
  const cursorOf = (row: Record<string, string | null>, offset: number): string =>
    encodeCursor({ offset, keys: withKeys ? order.map((_, i) => row[`__o${i}`] ?? null) : undefined });
  const edges = pageRows
    .map((row, i) => ({ cursor: cursorOf(row, start + i), node: toNode(row) }))
    .filter((edge, i) => start + i > afterOffset);
  await lookAhead.withNodes?.(edges.map((e) => e.node));
  return {
    edges,
    get totalCount() {
      return totalCount();
    },
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: fromEnd ? start + edges.length < (await totalCount()) : hasMore,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/**
 * Rows strictly after `keys` in `order`, as SQL. PostgreSQL puts NULLs last ascending and first
 * descending; the comparisons follow that. Values are bound as text and take the column's type.
 */
function afterKeys(order: OrderTerm[], keys: (string | null)[]): { sql: string; bindings: (string | null)[] } {
  const bindings: (string | null)[] = [];
  const equal = (term: OrderTerm, key: string | null) => (key === null ? `(${term.column}) is null` : (bindings.push(key), `(${term.column}) = ?`));
  const beyond = (term: OrderTerm, key: string | null) => {
    const ascending = term.direction === SortDirection.ASC;
    if (key === null) return ascending ? 'false' : `(${term.column}) is not null`;
    bindings.push(key);
    return ascending ? `((${term.column}) > ? or (${term.column}) is null)` : `(${term.column}) < ?`;
  };
  const alternatives = order.map((term, i) => [...order.slice(0, i).map((t, j) => equal(t, keys[j])), beyond(term, keys[i])].join(' and '));
  // The same condition, plus a plain bound on the first sort column that an index can seek to
  // (an OR of alternatives alone would be checked row by row from the start of the list).
  const [first] = order;
  const seek =
    keys[0] === null
      ? ''
      : first.direction === SortDirection.ASC
        ? (bindings.unshift(keys[0]), `((${first.column}) >= ? or (${first.column}) is null) and `)
        : (bindings.unshift(keys[0]), `(${first.column}) <= ? and `);
  return { sql: `(${seek}(${alternatives.map((a) => `(${a})`).join(' or ')}))`, bindings };
}

/** Keysets need plain expressions (no bindings of their own) to repeat in the WHERE clause. */
function keysetUsable(order: OrderTerm[]): boolean {
  return order.every((term) => !term.column.includes('?'));
}

/** `select count(*)` over the query's rows, ignoring its columns and order. */
function totalOf(query: Knex.QueryBuilder): Knex.QueryBuilder {
  return query.clone().clearSelect().clearOrder().count({ count: '*' });
}

/**
 * The query's rows counted; with `upTo`, no further than upTo + 1 (the scan stops there).
 */
async function countOnly(query: Knex.QueryBuilder, upTo?: number): Promise<number> {
  const counted =
    upTo === undefined
      ? totalOf(query)
      : query.client.queryBuilder().count({ count: '*' }).from(query.clone().clearSelect().clearOrder().select(query.client.raw('1')).limit(upTo + 1).as('capped'));
  const [{ count }] = await counted;
  return Number(count);
}
