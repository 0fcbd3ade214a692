import type { Knex } from '@mikro-orm/postgresql';

/**
 * Every place SOC Hub reaches inside its PostgreSQL driver (pg) or its query builder (knex), past
 * their documented APIs, is here and nowhere else. request-db.ts builds the request's transaction
 * on these (a deferred BEGIN, reads batched into one message, the audit events sent with COMMIT);
 * the audit sequencer and the agreement lapses borrow a pooled connection; the metrics read the
 * pool's counts.
 *
 * Each was written against the versions below, reading the source files named at each function.
 * test/db/driver-internals.test.ts fails when an installed version differs, naming this file, and
 * checks on a real connection that each internal still exists and behaves as assumed. On an
 * upgrade: re-read those source files in the new version, adjust here, then update the versions.
 */
export const DRIVER_VERSIONS = { pg: '8.20.0', knex: '3.2.10' } as const;

/** A pg client (a pooled connection, as knex hands it out), as far as SOC Hub uses it. */
export interface PgConnection {
  query(...args: unknown[]): unknown;
  /** pg's public quoting of a literal ('...' or E'...'). */
  escapeLiteral(value: string): string;
}

/**
 * The text pg sends for a parameter value (dates in its ISO form, arrays as `{...}`, objects as
 * JSON; null stays null, a Buffer stays binary): pg/lib/utils.js `prepareValue`, which pg does not
 * declare in its types. Used to write a parameter as a literal that PostgreSQL types exactly as
 * it types the untyped parameter, so that statements can share a simple-protocol message.
 */
export function parameterText(value: unknown): string | Buffer | null {
  return prepareValue(value);
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): string | Buffer | null };

/**
 * Routes every later call of `connection.query` through `intercept`, for the connection's
 * lifetime, and returns the original `query` (bound) for the interceptor to send with. knex
 * (lib/dialects/postgres/index.js, `_query`) calls `connection.query({ text, values }, callback)`
 * on the connection it acquired, so this sees each of its statements in that form; pg's own
 * `query(text, callback)` answers a text of several statements with an array of results, one per
 * statement, which is what lets statements share a message.
 */
export function interceptQueries(connection: PgConnection, intercept: (args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  const original = connection.query.bind(connection) as (...args: unknown[]) => unknown;
  connection.query = (...args: unknown[]) => intercept(args);
  return original;
}

/** knex's client, as far as this file reaches inside it (lib/client.js). */
interface KnexClientInternals {
  transacting?: boolean;
  query(connection: PgConnection, query: unknown): Promise<unknown>;
  stream(...args: unknown[]): Promise<unknown>;
  emit(event: 'query', query: { sql: string; bindings: readonly unknown[]; method: 'raw' }): void;
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
  pool?: PoolCounts;
}

function internalsOf(knex: Knex): KnexClientInternals {
  return knex.client as unknown as KnexClientInternals;
}

/**
 * Announces a statement sent outside knex's query builder as knex announces its own (its `query`
 * event), so that whoever counts statements (the bench, tests) counts it too.
 */
export function announceQuery(knex: Knex, sql: string, bindings: readonly unknown[] = []): void {
  internalsOf(knex).emit('query', { sql, bindings, method: 'raw' });
}

/** knex's make-knex (lib/knex-builder/make-knex.js), from the copy of knex MikroORM loads. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const makeKnex = require(require.resolve('knex/lib/knex-builder/make-knex', { paths: [require.resolve('@mikro-orm/knex')] })) as (client: object) => Knex;

/** The knex events a client emits, forwarded from a connection's client to the pool's (as knex's makeTxClient forwards them). */
const KNEX_EVENTS = ['start', 'query', 'query-error', 'query-response'] as const;

/** A client and knex bound to one pooled connection, made once for the connection's lifetime. */
interface BoundKnex {
  client: KnexClientInternals & { lease?: Lease };
  knex: Knex & { context: object };
}

const boundKnexes = new WeakMap<PgConnection, BoundKnex>();

/**
 * A client bound to `connection` as knex binds a transaction's (lib/execution/transaction.js,
 * makeTxClient: a client of the same prototype and settings, `transacting`, acquiring always
 * this connection and never releasing it, its events forwarded to the pool's client), and knex
 * made on it (make-knex.js). Unlike a transaction's, it outlives one request: each request's
 * knex is a thin child of it (leaseConnection), so a request does not pay for making knex.
 */
function boundKnexOf(knex: Knex, connection: PgConnection): BoundKnex {
  let bound = boundKnexes.get(connection);
  if (bound) return bound;
  const pool = internalsOf(knex) as KnexClientInternals & Record<string, unknown>;
  const client = Object.create(Object.getPrototypeOf(pool)) as BoundKnex['client'] & Record<string, unknown> & EventEmitterLike;
  for (const key of ['version', 'config', 'driver', 'connectionSettings', 'valueForUndefined', 'logger']) client[key] = pool[key];
  client.transacting = true;
  for (const event of KNEX_EVENTS) client.on(event, (...args: unknown[]) => (pool as unknown as EventEmitterLike).emit(event, ...args));
  client.acquireConnection = () => Promise.resolve(connection);
  client.releaseConnection = () => Promise.resolve();
  const query = client.query as (this: BoundKnex['client'], conn: PgConnection, q: unknown) => Promise<unknown>;
  // Every statement of the query builder goes through here (lib/client.js, query; runner.js).
  client.query = function (this: BoundKnex['client'], conn: PgConnection, q: unknown) {
    if (!this.lease || this.lease.ended) return Promise.reject(new Error(`Transaction query already complete: the request this statement belongs to has ended (${statementStart(q)})`));
    return query.call(this, conn, q);
  };
  client.stream = () => Promise.reject(new Error('Streaming is not used on a request\'s connection'));
  bound = { client, knex: makeKnex(client) as BoundKnex['knex'] };
  boundKnexes.set(connection, bound);
  return bound;
}

interface EventEmitterLike {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): boolean;
}

/** The first words of a statement, to name it in a refusal. */
function statementStart(q: unknown): string {
  const sql = typeof q === 'string' ? q : (q as { sql?: unknown } | null)?.sql;
  return typeof sql === 'string' ? sql.slice(0, 60) : 'a statement';
}

/** One request's use of a pooled connection; once ended, statements of its knex are refused. */
interface Lease {
  ended: boolean;
}

/** A connection of knex's pool, held for one request. */
export interface LeasedConnection {
  readonly connection: PgConnection;
  /**
   * Query builder on the connection, for this lease only: it sends no BEGIN or COMMIT of its own
   * (whoever holds the lease does), its `transaction()` makes savepoints (knex's nested
   * transactions, one after another as knex orders a transaction's children), and once the
   * lease has ended every statement it or its savepoints would send is refused: a statement
   * set off by a request that has finished must never run in the next request's transaction on
   * the same connection.
   */
  readonly knex: Knex.Transaction;
  /** Ends the lease and gives the connection back to the pool. Idempotent. */
  release(): Promise<void>;
}

/**
 * Acquires a connection of knex's pool for one request. What a knex transaction gave each
 * request (a connection held to the end, a query builder bound to it, savepoints, refusal of
 * statements after the end) without making knex anew for every request, which was the largest
 * single cost of a small request in knex (makeKnex: 4-5% of the server's CPU under `viewer` load).
 * The request's knex is a function whose prototype is the connection's knex and whose context
 * (where knex's methods find their client) is its own, with a client of its own that knows the
 * lease (make-knex.js: each method calls `this.context[m]`, and the context `this.client`).
 */
export async function leaseConnection(knex: Knex): Promise<LeasedConnection> {
  const pool = internalsOf(knex);
  const connection = await pool.acquireConnection();
  const bound = boundKnexOf(knex, connection);
  const lease: Lease = { ended: false };
  const client = Object.create(bound.client) as BoundKnex['client'];
  client.lease = lease;
  const context = Object.create(bound.knex.context) as Record<string, unknown>;
  context.client = client;
  context.userParams = {};
  // knex's parent for the savepoints (lib/execution/transaction.js reads these three): its
  // children run one after another, and end with it.
  const outer = { _lastChild: Promise.resolve() as Promise<unknown>, isCompleted: () => lease.ended, transactor: undefined as unknown };
  context.transaction = function (this: { _transaction(c: unknown, o: object, outer: object): unknown }, container: unknown, options?: object) {
    return this._transaction(container, { userParams: {}, doNotRejectOnRollback: true, ...options }, outer);
  };
  const requestKnex = function (table?: string, options?: unknown) {
    const builder = (requestKnex.context as { queryBuilder(): Knex.QueryBuilder }).queryBuilder();
    return table ? (builder as unknown as { table(t: string, o: unknown): Knex.QueryBuilder }).table(table, options) : builder;
  } as unknown as Knex.Transaction & { context: object };
  Object.setPrototypeOf(requestKnex, bound.knex);
  requestKnex.context = context;
  outer.transactor = requestKnex;
  let released: Promise<void> | undefined;
  return {
    connection,
    knex: requestKnex,
    release: () =>
      (released ??= (async () => {
        lease.ended = true;
        await pool.releaseConnection(connection);
      })()),
  };
}

/**
 * Runs `work` on a connection of knex's pool, outside its query builder (no `query` event: the
 * statements of housekeeping must not show in the statement counts of the requests beside it),
 * and gives the connection back. knex's `acquireConnection`/`releaseConnection` (lib/client.js).
 */
export async function withPooledConnection<T>(knex: Knex, work: (connection: PooledConnection) => Promise<T>): Promise<T> {
  const client = internalsOf(knex);
  const connection = await client.acquireConnection();
  try {
    return await work(connection as unknown as PooledConnection);
  } finally {
    await client.releaseConnection(connection);
  }
}

/**
 * Housekeeping's statements (the audit sequencer, agreement lapses) run on pooled connections
 * outside any request, so no request's timeouts bound them: one blocked on a lock would hold its
 * connection, and the instance's shutdown that waits for it, for as long as the lock is held.
 */
export const HOUSEKEEPING_STATEMENT_TIMEOUT_MS = 60_000;

/**
 * Runs `sql` (one statement, no parameters) on `connection` in a transaction of its own, in one
 * message, its statement_timeout (local to that transaction) `timeoutMs`: what does not finish
 * in time is cancelled and rolled back, and this rejects (SQLSTATE 57014).
 */
export async function queryWithin<Row>(connection: PooledConnection, sql: string, timeoutMs = HOUSEKEEPING_STATEMENT_TIMEOUT_MS): Promise<Row[]> {
  try {
    const results = (await connection.query(`begin; set local statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}; ${sql}; commit`)) as unknown as { rows: Row[] }[];
    return results[2].rows;
  } catch (err) {
    // The failed statement left the transaction open (its COMMIT was skipped): ended before the connection goes back.
    await connection.query('rollback').catch(() => undefined);
    throw err;
  }
}

/** A pooled pg connection's promise-returning `query` (pg's public API). */
export interface PooledConnection {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
}

/** The counts of knex's pool (a tarn Pool, `client.pool`) that the pool gauge reads. */
export interface PoolCounts {
  numUsed(): number;
  numFree(): number;
  numPendingAcquires(): number;
  numPendingCreates(): number;
}

/** knex's pool, for its counts; undefined before the first connection is asked for or after it is destroyed. */
export function poolOf(knex: Knex): PoolCounts | undefined {
  return internalsOf(knex).pool;
}
