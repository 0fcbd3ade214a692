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
  transaction(container: (trx: Knex.Transaction) => void, config: object): KnexTransactionInternals;
  emit(event: 'query', query: { sql: string; bindings: readonly unknown[]; method: 'raw' }): void;
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
  pool?: PoolCounts;
}

/** knex's transaction object (lib/execution/transaction.js and dialects/postgres/execution/pg-transaction.js). */
interface KnexTransactionInternals {
  begin(connection: PgConnection): Promise<unknown>;
  catch(onRejected: (err: unknown) => void): unknown;
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

/**
 * A knex transaction whose BEGIN is ours to send: `begin` replaces knex's own step, which sends
 * `BEGIN;` (Transaction_PG.begin). knex calls it once a pooled connection has been acquired,
 * always after this synchronous code (lib/execution/transaction.js, `_onAcquire`), with that
 * connection; the transaction's statements then go on that connection. Made as
 * `knex.transaction()` without a handler makes it (lib/knex-builder/make-knex.js: userParams,
 * doNotRejectOnRollback), with a handler that hands out the transaction object and leaves commit
 * and rollback to the caller. Rejects when `begin` fails (the connection goes back to the pool).
 */
export function transactionWithOwnBegin(knex: Knex, begin: (connection: PgConnection) => Promise<unknown>): Promise<Knex.Transaction> {
  return new Promise((resolve, reject) => {
    const transaction = internalsOf(knex).transaction(resolve, { userParams: {}, doNotRejectOnRollback: true });
    transaction.begin = begin;
    transaction.catch(reject);
  });
}

/**
 * Settles when the transaction has ended, rejecting when its COMMIT failed: knex's `commit()`
 * resolves even then (a connection killed at that moment, a deferred check), and only the
 * transaction's `executionPromise` rejects (lib/execution/transaction.js, `_onAcquire`).
 */
export function transactionOutcome(trx: Knex.Transaction): Promise<unknown> {
  return trx.executionPromise;
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
