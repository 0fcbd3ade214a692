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
   * more means "more than countUpTo"), and is counted with the page, in the same statement
   * (`cappedPage`: the page is then ordered among the rows counted). An exact count of a common
   * word read and checked every matching row under the access rules.
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

/** A client's ordering: one of a list's order fields and a direction. */
export interface RequestedOrder<Field extends string> {
  field: Field;
  direction: SortDirection;
}

/**
 * A list's order terms: the orderings asked for, or `fallback` when none is, each field's column
 * from `columns` (so no client text reaches the SQL), then `tieBreaker` (the record's unique id)
 * ascending, which {@link paginate} needs for stable pages.
 */
export function orderTerms<Field extends string>(
  requested: readonly RequestedOrder<Field>[] | null | undefined,
  fallback: RequestedOrder<Field>,
  columns: Record<Field, string>,
  tieBreaker: string,
): OrderTerm[] {
  const asked = requested?.length ? requested : [fallback];
  return [...asked.map((o) => ({ column: columns[o.field], direction: o.direction })), { column: tieBreaker, direction: SortDirection.ASC }];
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
  // A capped count cannot place a page read from the end: those count exactly.
  if (args.countUpTo !== undefined && !fromEnd) return cappedPage(query, args.countUpTo, start, limit, order, toNode, lookAhead);
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
  // after the page. Then the page's rows by those keys (rowsOfPage). Asking for whole
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
  const ordered = orderBy(rowsOfPage(query, key, pageKeys).select(sortValues));
  let total: Promise<number> | undefined;
  const totalCount = () => (total ??= countOnly(query));
  const pending = ordered.then((rows: (Row & Record<string, string | null>)[]) => rows);
  if (lookAhead.total) totalCount().catch(() => undefined); // the totalCount field awaits it and sees any error
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
    .map((row, i) => lazyEdge(toNode(row), () => cursorOf(row, start + i)))
    .filter((_edge, i) => start + i > afterOffset);
  await lookAhead.withNodes?.(edges.map((e) => e.node));
  const hasNextPage = fromEnd ? start + edges.length < (await totalCount()) : hasMore;
  return {
    edges,
    get totalCount() {
      return totalCount();
    },
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges[edges.length - 1]?.cursor ?? null;
      },
    },
  };
}

/**
 * The rows whose keys are the page's, in the same statement. A list that reads one table reads
 * them by key alone: the keys were chosen under the whole filter, the application's access policy
 * included, in this statement (so from the same snapshot), and row-level security judges these
 * rows as it judges every read. Asked again here, the filter's policy was planned and run twice:
 * a partner's page of people looked up every referral it is party to once more (about 30 of its
 * 220 ms). A list that joins another table keeps its filter, which may be what picks one joined
 * row per key.
 */
function rowsOfPage(query: Knex.QueryBuilder, key: string, pageKeys: Knex.QueryBuilder): Knex.QueryBuilder {
  const rows = query.clone();
  if (readsOneTable(query)) rows.clearWhere();
  return rows.whereRaw(`${key} in (select "__key" from (?) as "page")`, [pageKeys]);
}

/** Whether a query reads one table, one row per row of it (no join, grouping or union). */
function readsOneTable(query: Knex.QueryBuilder): boolean {
  const statements = (query as unknown as { _statements: { grouping: string }[] })._statements;
  return !statements.some((s) => ['join', 'group', 'having', 'union'].includes(s.grouping));
}

/**
 * An edge whose cursor is made only when it is read: GraphQL reads it only if the document
 * selects it, and most pages (the threats list's, the bench's) do not. Each cursor costs an HMAC,
 * JSON and two base64 encodings; made for every edge of every page, that was 1% of the server's
 * CPU under the bench.
 */
function lazyEdge<Node>(node: Node, makeCursor: () => string): Edge<Node> {
  let cursor: string | undefined;
  return {
    node,
    get cursor() {
      return (cursor ??= makeCursor());
    },
  };
}

/**
 * A page with a count capped at `upTo` (the header's search), in one statement: the first upTo + 1
 * rows the filter finds, unordered so that the scan stops there, counted by a window over them;
 * the page is then the first of those few in the list's order. Run as the page's keys, then its
 * rows, then a separate count, PostgreSQL planned the filter three times (under row-level security
 * each plan of a search's union cost more than running it) and sorted every match of a common
 * word. So where more than `upTo` rows match, the page is ordered among the rows counted, not
 * among all: the count says there are more, and more words find them. Cursors carry offsets only
 * (the rows counted are not the same from one statement to the next, so no keyset can follow on).
 */
async function cappedPage<Row, Node>(
  query: Knex.QueryBuilder,
  upTo: number,
  start: number,
  limit: number,
  order: OrderTerm[],
  toNode: (row: Row) => Node,
  lookAhead: PageLookAhead<Node>,
): Promise<Connection<Node>> {
  const raw = (sql: string) => query.client.raw(sql);
  const sortColumns = order.map((term, i) => raw(`${term.column} as "__s${i}"`));
  const capped = query.clone().clearOrder().select(sortColumns).limit(upTo + 1);
  const rows: (Row & { __total: string })[] = await query.client
    .queryBuilder()
    .select('*', raw('count(*) over () as "__total"'))
    .from(capped.as('capped'))
    .orderByRaw(order.map((term, i) => `"__s${i}" ${term.direction.toLowerCase()}`).join(', '))
    .limit(limit + 1)
    .offset(start);
  // No row on the page: nothing was found, or the page starts beyond what was counted.
  const total = rows.length ? Number(rows[0].__total) : start === 0 ? 0 : await countOnly(query, upTo);
  const pageRows = rows.slice(0, limit);
  const edges = pageRows.map((row, i) => ({ cursor: encodeCursor({ offset: start + i }), node: toNode(row) }));
  await lookAhead.withNodes?.(edges.map((e) => e.node));
  return {
    edges,
    totalCount: total,
    pageInfo: {
      hasPreviousPage: start > 0,
      hasNextPage: rows.length > limit,
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

/**
 * The page size of a list's first page (`first` alone, or no page argument), or undefined for
 * any other page (a cursor, `last`, a capped count): only first pages are read for many parents
 * at once ({@link firstPagesPerParent}); the others go through {@link paginate}. Sizes are
 * checked as paginate checks them.
 */
export function firstPageSize(args: ConnectionArgs): number | undefined {
  checkSize(args.first, 'first');
  checkSize(args.last, 'last');
  if (args.after || args.before || args.last != null || args.countUpTo !== undefined) return undefined;
  return args.first ?? DEFAULT_PAGE_SIZE;
}

/** A list narrowed to one parent, whose id is the SQL expression `parent` (a uuid). */
export type ParentList = (parent: string) => Knex.QueryBuilder;

/**
 * The first page (`size` rows) of a list under each of many parents, in one statement: a page of
 * threats each showing its intelligence costs one statement, not one per threat. `listOf` is run
 * once per parent id (a lateral join over the ids), ordered and cut as {@link paginate} orders
 * and cuts a first page, with the same cursors, so that a client pages on through paginate.
 * `totalOf` gives a parent's count when totalCount is read (a loader over {@link countsPerParent}).
 * Resolves with one connection per parent id, in their order.
 */
export async function firstPagesPerParent<Row, Node>(
  knex: Knex,
  parentIds: readonly string[],
  listOf: ParentList,
  size: number,
  order: OrderTerm[],
  toNode: (row: Row) => Node,
  totalOf: (parentId: string) => Promise<number>,
): Promise<Connection<Node>[]> {
  const withKeys = keysetUsable(order);
  const orderSql = order.map((term) => `${term.column} ${term.direction.toLowerCase()}`).join(', ');
  const page = listOf('parent.id')
    .select(withKeys ? order.map((term, i) => knex.raw(`(${term.column})::text as "__o${i}"`)) : [])
    .select(knex.raw(`row_number() over (order by ${orderSql}) as "__rank"`))
    .orderByRaw(orderSql)
    .limit(size + 1);
  const { rows } = (await knex.raw(
    `select parent.id as "__parent", page.* from unnest(?::uuid[]) with ordinality as parent(id, n) cross join lateral (?) as page order by parent.n, page."__rank"`,
    [`{${parentIds.join(',')}}`, page],
  )) as { rows: (Row & Record<string, string | null> & { __parent: string })[] };
  const rowsOf = new Map<string, typeof rows>(parentIds.map((id) => [id, []]));
  for (const row of rows) rowsOf.get(row.__parent)!.push(row);
  return parentIds.map((parentId) => {
    const all = rowsOf.get(parentId)!;
    const edges = all
      .slice(0, size)
      .map((row, i) => lazyEdge(toNode(row), () => encodeCursor({ offset: i, keys: withKeys ? order.map((_, k) => row[`__o${k}`] ?? null) : undefined })));
    return {
      edges,
      get totalCount() {
        return totalOf(parentId);
      },
      pageInfo: {
        hasPreviousPage: false,
        hasNextPage: all.length > size,
        get startCursor() {
          return edges[0]?.cursor ?? null;
        },
        get endCursor() {
          return edges[edges.length - 1]?.cursor ?? null;
        },
      },
    };
  });
}

/** How many rows a list has under each of many parents (see {@link firstPagesPerParent}), in one statement, in the ids' order. */
export async function countsPerParent(knex: Knex, parentIds: readonly string[], listOf: ParentList): Promise<number[]> {
  const list = listOf('parent.id').clearSelect().clearOrder().select(knex.raw('1'));
  const { rows } = (await knex.raw(`select parent.id as "__parent", (select count(*) from (?) as list) as "__count" from unnest(?::uuid[]) as parent(id)`, [
    list,
    `{${parentIds.join(',')}}`,
  ])) as { rows: { __parent: string; __count: string }[] };
  const counts = new Map(rows.map((r) => [r.__parent, Number(r.__count)]));
  return parentIds.map((id) => counts.get(id) ?? 0);
}
