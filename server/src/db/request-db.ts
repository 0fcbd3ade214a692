import type { Knex, MikroORM } from '@mikro-orm/postgresql';
import { startRoundTrip } from '../tracing';
import { BOTH_LAYERS, type AccessLayers } from '../access/layers';
import { bindCaller } from '../access/policy';

/** Who is asking, as the database's row-level security policies need to know. */
export interface Caller {
  userId: string;
  organisationId: string;
  isLawEnforcement: boolean;
  roles: string[];
  clearance: string;
}

/** A statement with its parameters as pg takes them (`$1`, `$2`, ...; knex's toSQL().toNative()). */
export interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

/** The role requests run as: no BYPASSRLS, owns no table (created by the access migration). */
export const APPLICATION_ROLE = 'soc_app';

/**
 * A request's door to the database. Everything a request reads or writes runs in one
 * transaction that first records the caller with `set_config(..., true)` and switches to the
 * application role, so PostgreSQL's row-level security applies to every statement, and the
 * settings, being transaction-local, never outlive the request on a pooled connection.
 */
export interface RequestDb {
  /** Query builder bound to the request's transaction. */
  readonly knex: Knex;
  /** Runs `work` as one unit inside the request (a savepoint): it all happens or none of it. */
  transaction<T>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /**
   * Runs `work` once the request's connection has nothing waiting or in flight (the request's
   * DataLoaders dispatch this way, so that loads set off together are batched together).
   */
  whenIdle(work: () => void): void;
  /** Makes `finish` roll back instead of commit: the request's changes must not stand (see app.ts). */
  abort(): void;
  /**
   * Commits (or, if a statement failed, PostgreSQL rolls back) and returns the connection.
   * Idempotent. Rejects when the commit itself failed: nothing of the request was kept.
   * `withCommit`: one last write sent in the same message as COMMIT (the request's audit events),
   * saving its own round trip; if it fails, nothing is committed and this rejects.
   */
  finish(withCommit?: Statement): Promise<void>;
}

/**
 * Planner settings for every request's transaction, set with the caller's. random_page_cost 1.1
 * (PostgreSQL's default of 4 prices a disk seek; the working set here is in memory, as it is on
 * any server sized for it): with 4, the row-level security check of a child table (a plan's
 * objectives, actions, partners: "its plan is readable") was planned as a scan of every readable
 * plan into a hash, 1.2 ms for 20 plans' rows, three times per page; with 1.1 it looks up the
 * rows' own plans, 0.5 ms, while whole-table aggregates keep their hashed plans. Measured per
 * statement as the SEROCU user on the benchmark data (disruptionStats, planStats and threatStats
 * unchanged within noise). The bench baseline runs with the same settings.
 */
export const PLANNER_SETTINGS: readonly [string, string][] = [['random_page_cost', '1.1']];

/** The settings row-level security reads, as one SELECT of set_config calls (values as escaped literals). */
function callerSettingsSql(caller: Caller, rowLevelSecurity: boolean, literal: (value: string) => string): string {
  const settings: [string, string][] = [
    ['soc.user_id', caller.userId],
    ['soc.organisation_id', caller.organisationId],
    ['soc.is_law_enforcement', String(caller.isLawEnforcement)],
    ['soc.roles', `{${caller.roles.join(',')}}`],
    ['soc.clearance', caller.clearance],
    ['role', rowLevelSecurity ? APPLICATION_ROLE : 'none'],
    ...PLANNER_SETTINGS,
  ];
  return `select ${settings.map(([name, value]) => `set_config('${name}', ${literal(value)}, true)`).join(', ')}`;
}

/** pg's conversion of a parameter to the text it sends (not in its type declarations). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue(value: unknown): string | Buffer | null };

/** The parts of a pg client this module uses. */
interface PgClient {
  query(...args: unknown[]): unknown;
  escapeLiteral(value: string): string;
}

type QueryCallback = (err: unknown, result?: unknown) => void;
interface WaitingQuery {
  config: { text: string; values?: unknown[] };
  callback: QueryCallback;
}

let sharedRoundTrips = 0;

/**
 * Statements that went out in the same message as another one, so far: statements issued minus
 * this is the round trips they took (the bench reports both per request).
 */
export function statementsSharingRoundTrips(): number {
  return sharedRoundTrips;
}

/**
 * A plain single SELECT whose parameters can be written as literals: nothing but text and
 * values, no binary values, and no `$` inside a quoted literal or a dollar-quoted body, where
 * replacing `$n` would change the statement.
 */
function batchable(q: WaitingQuery): boolean {
  return /^\s*select\b/i.test(q.config.text) && inlinable(q);
}

/**
 * A single statement whose parameters can be written as literals (see batchable), so that it can
 * share a simple-protocol message: a SELECT with other reads, any statement with a deferred BEGIN.
 */
function inlinable(q: WaitingQuery): boolean {
  const { text, values = [], ...other } = q.config;
  return (
    Object.keys(other).length === 0 &&
    // One statement: knex ends its own (`SAVEPOINT trx1;`) with a semicolon, dropped when inlined.
    !text.replace(/;\s*$/, '').includes(';') &&
    !text.includes('$$') &&
    !dollarInQuotedLiteral(text) &&
    values.every((v) => !Buffer.isBuffer(v))
  );
}

/**
 * Whether a `$` stands inside a single-quoted literal (`''` inside one is a quote, not its end).
 * A pattern matching `'…$…'` also matched from the end of one literal to the start of the next,
 * across the parameters between them: every statement with two literals and a parameter between
 * them (a partner's page, with its sharing-agreement rule) went to PostgreSQL on its own.
 */
function dollarInQuotedLiteral(text: string): boolean {
  let quoted = false;
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    else if (ch === '$' && quoted) return true;
  }
  return false;
}

/**
 * The statement with each `$n` replaced by its value as a literal: the text pg would send for it
 * (prepareValue), quoted, so PostgreSQL types it exactly as it types an untyped parameter.
 */
function withLiterals(connection: PgClient, q: WaitingQuery): string {
  const values = q.config.values ?? [];
  return q.config.text.replace(/;\s*$/, '').replace(/\$(\d+)/g, (_, n: string) => {
    const value = prepareValue(values[Number(n) - 1]) as string | null;
    return value === null ? 'null' : connection.escapeLiteral(value);
  });
}

/** `query` with a span around each message that is answered through a callback (tracing.ts), when tracing is on. */
function tracedRoundTrips(query: (...args: unknown[]) => unknown): (...args: unknown[]) => unknown {
  return (...args) => {
    const callback = args[args.length - 1];
    const end = typeof callback === 'function' ? startRoundTrip() : undefined;
    if (!end) return query(...args);
    args[args.length - 1] = (err: unknown, result: unknown) => {
      end(!!err);
      (callback as QueryCallback)(err, result);
    };
    return query(...args);
  };
}

/**
 * A pooled connection's queue: its callback-style queries (knex's) go out one message at a time,
 * and reads waiting together go out as one message. A request's DataLoaders start their batches
 * in the same tick, all on the request's one connection: pg would queue them itself, but
 * deprecates being asked to (it goes away in pg 9), and each would still cost a round trip of
 * its own, the largest cost per statement on a busy machine (profiles: a third of the server's
 * CPU in socket writes). So queries wait here until the current one is answered, and consecutive
 * SELECTs that are waiting go out together as one simple-protocol message, each answered with its
 * own result. One that fails fails the others with it, as it would abort the transaction anyway;
 * writes and everything else go out alone, unchanged. Installed once per connection, for its
 * lifetime.
 */
class ConnectionQueue {
  private readonly waiting: WaitingQuery[] = [];
  private readonly idleWork: (() => void)[] = [];
  private busy = false;
  private sendScheduled = false;
  private idleScheduled = false;
  private beforeCommit: WaitingQuery['config'] | undefined;
  /**
   * `BEGIN; <caller's settings>` not sent yet: it goes in the same message as the request's first
   * statement, and a request that needs no statement after signing in (viewer) never opens a
   * transaction at all: its COMMIT is answered here. See {@link deferBegin}.
   */
  private pendingBegin: string | undefined;
  private onBegin: (() => void) | undefined;

  private readonly query: (...args: unknown[]) => unknown;

  constructor(
    private readonly connection: PgClient,
    query: (...args: unknown[]) => unknown,
  ) {
    this.query = tracedRoundTrips(query);
  }

  static of(connection: PgClient): ConnectionQueue {
    let queue = queues.get(connection);
    if (!queue) {
      queue = new ConnectionQueue(connection, connection.query.bind(connection));
      queues.set(connection, queue);
      connection.query = (...args: unknown[]) => queue!.enqueue(args);
    }
    return queue;
  }

  /**
   * Runs `work` once nothing is waiting or in flight on this connection, after the promise jobs
   * of the current event-loop turn. DataLoaders dispatch this way (graphql/loaders.ts): every
   * load set off by the answers of one message joins one batch, whatever the sizes of those
   * answers and however they arrived, so a request's statements do not depend on timing.
   */
  whenIdle(work: () => void): void {
    this.idleWork.push(work);
    this.scheduleIdle();
  }

  /**
   * The transaction's BEGIN and the caller's settings (`sql`) go with the first statement the
   * request sends; `began` runs when they are sent.
   */
  deferBegin(settings: string, began: () => void): void {
    this.pendingBegin = `begin; ${settings}`;
    this.onBegin = began;
  }

  /** Whether the deferred BEGIN has been sent (the transaction exists on the server). */
  get begun(): boolean {
    return this.pendingBegin === undefined;
  }

  /** Takes the deferred BEGIN for the message about to be sent. */
  private takeBegin(): string | undefined {
    const sql = this.pendingBegin;
    if (sql === undefined) return undefined;
    this.pendingBegin = undefined;
    this.onBegin?.();
    this.onBegin = undefined;
    sharedRoundTrips += 1; // it shares the message of the statement it precedes
    return sql;
  }

  /** Sends `statement` in the same message as the next COMMIT, ahead of it. */
  attachToCommit(statement: Statement): void {
    this.beforeCommit = { text: statement.sql, values: [...statement.bindings] };
  }

  private enqueue(args: unknown[]): unknown {
    const [config, callback] = args;
    if (args.length !== 2 || typeof callback !== 'function' || !config || typeof config !== 'object' || typeof (config as WaitingQuery['config']).text !== 'string') {
      return this.query(...args);
    }
    const waiting = { config: config as WaitingQuery['config'], callback: callback as QueryCallback };
    this.waiting.push(waiting);
    // A write or COMMIT goes at once when nothing is ahead of it: it is never sent with others,
    // and waiting a turn would only hold its locks longer (the audit chain's, above all).
    if (!this.busy && this.waiting.length === 1 && !batchable(waiting)) this.send();
    else this.scheduleSend();
    return undefined;
  }

  // After the current turn's promise jobs, so that every loader started in it has queued its statement.
  private scheduleSend(): void {
    if (this.sendScheduled || this.busy || !this.waiting.length) return;
    this.sendScheduled = true;
    setImmediate(() => this.send());
  }

  /**
   * `write; COMMIT` as one simple-protocol message. When the write fails PostgreSQL skips the
   * COMMIT and the transaction stays open and failed: the COMMIT's caller gets the error (and
   * rolls back), so a failed write never commits what came before it.
   */
  private sendWithCommit(commit: WaitingQuery, write: WaitingQuery['config'], answer: (deliver: () => void) => void): void {
    this.beforeCommit = undefined;
    sharedRoundTrips += 1;
    const begin = this.takeBegin();
    const text = `${begin === undefined ? '' : `${begin};\n`}${withLiterals(this.connection, { config: write, callback: () => undefined })};\n${commit.config.text}`;
    this.query(text, (err: unknown, results?: unknown[]) => {
      const committed = results?.[results.length - 1];
      const failure = err ?? commitThatRolledBack(commit, committed);
      if (!failure) return answer(() => commit.callback(null, committed));
      // knex takes a failed COMMIT as the end of the transaction and hands the connection back to
      // the pool: it must not go back inside the failed transaction the skipped COMMIT left open.
      this.query('rollback', () => answer(() => commit.callback(failure)));
    });
  }

  private scheduleIdle(): void {
    if (this.idleScheduled || !this.idleWork.length) return;
    this.idleScheduled = true;
    setImmediate(() => {
      this.idleScheduled = false;
      if (this.busy || this.waiting.length) return; // answered later; the answer schedules this again
      for (const work of this.idleWork.splice(0)) work();
    });
  }

  private send(): void {
    this.sendScheduled = false;
    if (this.busy || !this.waiting.length) return;
    this.busy = true;
    const batch = [this.waiting.shift()!];
    if (batchable(batch[0])) while (this.waiting.length && batchable(this.waiting[0])) batch.push(this.waiting.shift()!);
    const answer = (deliver: () => void) => {
      this.busy = false;
      try {
        deliver();
      } finally {
        this.scheduleSend();
        this.scheduleIdle();
      }
    };
    sharedRoundTrips += batch.length - 1;
    if (this.pendingBegin !== undefined && batch.length === 1 && !this.beforeCommit && isEnd(batch[0])) {
      // Nothing was sent in this transaction: there is nothing on the server to end.
      this.pendingBegin = undefined;
      this.onBegin = undefined;
      sharedRoundTrips += 1; // knex counted it as a statement; it takes no round trip
      const command = isCommit(batch[0]) ? 'COMMIT' : 'ROLLBACK';
      answer(() => batch[0].callback(null, { command, rows: [], rowCount: null, fields: [] }));
      return;
    }
    if (batch.length === 1 && this.beforeCommit && isCommit(batch[0])) {
      this.sendWithCommit(batch[0], this.beforeCommit, answer);
      return;
    }
    if (this.pendingBegin !== undefined && !batchable(batch[0]) && !(batch.length === 1 && inlinable(batch[0]))) {
      // A statement that must keep its parameters (binary values) or holds several statements
      // (knex's `SAVEPOINT x;`) goes as it is: the BEGIN goes first, alone.
      const begin = this.takeBegin()!;
      sharedRoundTrips -= 1;
      this.query(begin, (err: unknown) => {
        if (err) return answer(() => batch.forEach((q) => q.callback(err)));
        this.busy = false;
        this.waiting.unshift(...batch);
        this.send();
      });
      return;
    }
    const begin = this.takeBegin();
    if (begin !== undefined) {
      const skip = DEFERRED_BEGIN_STATEMENTS;
      this.query(`${begin};\n${batch.map((q) => withLiterals(this.connection, q)).join(';\n')}`, (err: unknown, results: unknown[]) =>
        answer(() => batch.forEach((q, i) => (err ? q.callback(err) : q.callback(null, results[skip + i])))),
      );
      return;
    }
    if (batch.length === 1) {
      this.query(batch[0].config, (err: unknown, result: unknown) => answer(() => batch[0].callback(err ?? commitThatRolledBack(batch[0], result), result)));
      return;
    }
    this.query(batch.map((q) => withLiterals(this.connection, q)).join(';\n'), (err: unknown, results: unknown[]) =>
      answer(() => batch.forEach((q, i) => (err ? q.callback(err) : q.callback(null, results[i])))),
    );
  }
}

/**
 * PostgreSQL answers COMMIT of a transaction in which a statement failed with ROLLBACK, and no
 * error: pg and knex take that for a successful commit. It happens when code catches a failed
 * statement and carries on (the audit writer does, to write its events on their own), and would
 * report as done a request none of which was kept. Made an error here, once for every path.
 */
function isCommit(q: WaitingQuery): boolean {
  return /^\s*commit\b/i.test(q.config.text);
}

function isEnd(q: WaitingQuery): boolean {
  return /^\s*(commit|rollback)\b/i.test(q.config.text);
}

/** A deferred BEGIN is `begin; select set_config(...)`: two results ahead of the statements it precedes. */
const DEFERRED_BEGIN_STATEMENTS = 2;

function commitThatRolledBack(q: WaitingQuery, result: unknown): Error | null {
  if (!isCommit(q) || (result as { command?: string } | undefined)?.command !== 'ROLLBACK') return null;
  return Object.assign(new Error('COMMIT found the transaction already failed: PostgreSQL rolled it back, and nothing of it was kept'), { code: '25P02' });
}

const queues = new WeakMap<object, ConnectionQueue>();

/** knex's transaction object, as far as this module reaches inside it (knex 3, lib/execution/transaction.js). */
interface KnexTransactionInternals {
  begin(connection: PgClient): Promise<unknown>;
  catch(onRejected: (err: unknown) => void): unknown;
}

/**
 * Starts a knex transaction whose BEGIN is sent with the request's first statement, in the same
 * message, with the caller's settings: `BEGIN; SELECT set_config(...); <statement>` (the
 * connection queue prefixes it). A request that sends nothing after signing in (`viewer`) opens
 * no transaction, and its COMMIT is answered without a round trip. knex has no option for this,
 * so the transaction's begin step is replaced before it runs (it runs once a pooled connection
 * has been acquired, always after this synchronous code).
 *
 * `lookup`: a statement run at once, before the transaction (the sign-in's account lookup, as
 * the owner: it reads the account whatever the row-level security of the caller it finds);
 * `settings` then gets its rows. Resolves with those rows.
 */
function beginAs(
  knex: Knex,
  settings: (rows: Record<string, unknown>[], literal: (value: string) => string) => string,
  lookup?: (literal: (value: string) => string) => string,
): Promise<{ trx: Knex.Transaction; queue: ConnectionQueue; rows: Record<string, unknown>[] }> {
  const client = knex.client as unknown as {
    transaction(container: unknown, config: object): KnexTransactionInternals;
    emit(event: 'query', query: object): void;
  };
  // Announced like any knex query, so that statement counts (the bench, tests) include it.
  const announce = (sql: string) => client.emit('query', { sql, bindings: [], method: 'raw' });
  return new Promise((resolve, reject) => {
    // As knex.transaction() does without a handler: the handler is `resolve`, which hands out the
    // transaction object and leaves commit and rollback to us.
    let queue: ConnectionQueue;
    let rows: Record<string, unknown>[] = [];
    const transaction = client.transaction((trx: Knex.Transaction) => resolve({ trx, queue, rows }), { userParams: {}, doNotRejectOnRollback: true });
    transaction.begin = (connection) => {
      queue = ConnectionQueue.of(connection);
      const literal = (value: string) => connection.escapeLiteral(value);
      const defer = () => {
        const sql = settings(rows, literal);
        queue.deferBegin(sql, () => announce(`begin; ${sql}`));
      };
      if (!lookup) return Promise.resolve(defer());
      const sql = lookup(literal);
      announce(sql);
      return new Promise((began, failed) =>
        connection.query(sql, (err: unknown, result?: { rows: Record<string, unknown>[] }) => {
          if (err) return failed(err);
          rows = result?.rows ?? [];
          defer();
          began(undefined);
        }),
      );
    };
    transaction.catch(reject);
  });
}

/**
 * Opens the request's transaction, the caller recorded in the same round trip as BEGIN. With the
 * database layer off, it skips the switch to the application role (the connecting user, a
 * superuser here, then bypasses the policies): only tests do that, to prove the application's
 * own policy denies without the database's help.
 */
export async function openRequestDb(orm: MikroORM, caller: Caller, layers: AccessLayers = BOTH_LAYERS): Promise<RequestDb> {
  const { trx, queue } = await beginAs(orm.em.getConnection().getKnex(), (_rows, literal) => callerSettingsSql(caller, layers.database, literal));
  return requestDb(trx, queue, caller, layers);
}

/** An account's row as the sign-in lookup reads it: the user's columns, and their organisation's prefixed `organisation_` (its id is the user's organisation_id). */
export type AccountRow = Record<string, unknown> & { id: string; active: boolean };

const ORGANISATION_COLUMNS = ['code', 'name', 'type', 'region', 'is_law_enforcement'];

/** The sign-in's account lookup: the user's row and their organisation's columns. */
function accountSql(username: string, literal: (value: string) => string): string {
  const organisation = ORGANISATION_COLUMNS.map((c) => `o.${c} as organisation_${c}`).join(', ');
  return `select u.*, ${organisation} from app_user u join organisation o on o.id = u.organisation_id where u.username = ${literal(username)}`;
}

/** The caller an account row describes, as the access rules see them. */
function callerOf(account: AccountRow): Caller {
  return {
    userId: account.id,
    organisationId: account.organisation_id as string,
    isLawEnforcement: account.organisation_is_law_enforcement as boolean,
    roles: account.roles as string[],
    clearance: account.clearance as string,
  };
}

/**
 * Opens the transaction of a request by the user signed in as `username`: the account lookup on
 * the request's own connection (one round trip), then BEGIN and the caller's settings with the
 * request's first statement (beginAs), so `viewer`, which needs nothing more, costs one round
 * trip in all. Resolves with the account row, or with none when
 * there is no such user (the transaction already rolled back). Whoever gets a row decides
 * whether it may act (active, not a service account) and must finish the RequestDb either way.
 */
export async function openRequestDbAs(orm: MikroORM, username: string, layers: AccessLayers = BOTH_LAYERS): Promise<{ db: RequestDb; account: AccountRow } | undefined> {
  const { trx, queue, rows } = await beginAs(
    orm.em.getConnection().getKnex(),
    // No account: the transaction is rolled back before anything is sent in it.
    (found, literal) => (found[0] ? callerSettingsSql(callerOf(found[0] as AccountRow), layers.database, literal) : 'select 1'),
    (literal) => accountSql(username, literal),
  );
  const account = rows[0] as AccountRow | undefined;
  if (!account) {
    await trx.rollback().catch(() => undefined);
    return undefined;
  }
  return { db: requestDb(trx, queue, callerOf(account), layers), account };
}

/** Announces a statement sent outside knex like any knex query, so that statement counts (the bench, tests) include it. */
function announce(knex: Knex, statement: Statement): void {
  (knex.client as unknown as { emit(event: 'query', query: object): void }).emit('query', { sql: statement.sql, bindings: statement.bindings, method: 'raw' });
}

function requestDb(trx: Knex.Transaction, queue: ConnectionQueue, caller: Caller, layers: AccessLayers): RequestDb {
  // The application's policy finds the caller from the query builder it is handed.
  bindCaller(trx, { caller, layers });
  let finishing: Promise<void> | undefined;
  let aborted = false;
  return {
    knex: trx,
    whenIdle: (work) => queue.whenIdle(work),
    abort: () => void (aborted = true),
    transaction: (work) =>
      trx.transaction((savepoint) => {
        bindCaller(savepoint, { caller, layers });
        return work(savepoint);
      }),
    finish(withCommit) {
      finishing ??= (async () => {
        if (aborted) return void (await trx.rollback().catch(() => undefined));
        try {
          if (withCommit) {
            queue.attachToCommit(withCommit);
            announce(trx, withCommit);
          }
          await trx.commit();
          // knex's commit() resolves even when COMMIT failed (a connection killed at that moment):
          // the failure only rejects the transaction's executionPromise.
          await trx.executionPromise;
        } catch (err) {
          // Not committed (the connection died, or a deferred check failed): the caller must not
          // report success.
          await trx.rollback().catch(() => undefined);
          throw err;
        }
      })();
      return finishing;
    },
  };
}
