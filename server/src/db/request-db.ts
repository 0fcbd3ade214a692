import type { Knex, MikroORM } from '@mikro-orm/postgresql';
import { startRoundTrip } from '../tracing';
import { BOTH_LAYERS, type AccessLayers } from '../access/layers';
import type { Caller } from '../access/caller';
import { executeText, PreparedStatements } from './prepared-statements';
import { sharedWhileUnderWay } from '../shared/shared-while-under-way';
import { isDatabaseUnavailable } from './unavailable';
import { announceQuery, interceptQueries, leaseConnection, parameterText, withPooledConnection, type LeasedConnection, type PgConnection } from './driver-internals';

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
  /** The caller the transaction's settings record (row-level security), for the request's ReadScope. */
  readonly caller: Caller;
  /** The enforcement layers on for this request. */
  readonly layers: AccessLayers;
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
   * From here to the end of the request, statements the connection has prepared
   * (prepared-statements.ts) run their generic plan instead of being planned again for their
   * values (`plan_cache_mode`, transaction-local). For statements whose planning costs more than
   * their running and whose best plan does not turn on their values: the header search's (under
   * row-level security every table a statement names brings its policies, and PostgreSQL kept
   * planning them anew). Plans decide speed only, never which rows are read. Costs no round trip
   * when the request has sent nothing yet (it joins the caller's settings).
   */
  preferGenericPlans(): Promise<void>;
  /**
   * From here to the end of the request, grouping is planned by hashing rather than by sorting
   * (`enable_sort` off, transaction-local: a sort the answer needs still happens). For figures
   * grouped over a large table under row-level security: PostgreSQL prices each policy's
   * subquery as if it ran for every row (see PLANNER_SETTINGS), so the scan's price swamps the
   * difference between grouping plans, which then look equal, and it kept the sorted one, sorting
   * 121,674 rows on disk to group them into 35 (disruptionStats). Plans decide speed only. Costs
   * no round trip when the request has sent nothing yet.
   */
  preferHashedGrouping(): Promise<void>;
  /**
   * Commits (or, if a statement failed, PostgreSQL rolls back) and returns the connection.
   * Idempotent. Rejects when the commit itself failed: nothing of the request was kept.
   * `withCommit`: one last write sent in the same message as COMMIT (the request's audit events),
   * saving its own round trip; if it fails, nothing is committed and this rejects.
   */
  finish(withCommit?: Statement): Promise<void>;
  /**
   * Sends `statement` as the transaction's last, with COMMIT in the same message, and resolves
   * with its result once both are done: a request whose whole answer is one statement (a
   * compiled `node(id)`) then costs one round trip. The request is finished by it: the lease ends
   * as the answer arrives, so any statement after it is refused (never run outside the
   * transaction, as the pool's owner), and `finish` answers with how it ended. When the statement
   * or the COMMIT fails nothing is kept (it is rolled back) and this rejects. Undefined, with
   * nothing sent, when the request cannot end so (already finishing or aborted, or a statement
   * that cannot share a message): send it as any other and finish as usual.
   */
  readThenCommit(statement: Statement): Promise<{ rows: Record<string, unknown>[] }> | undefined;
  /** Whether readThenCommit ended the request: its transaction is over, whatever `finish` is given. */
  readonly endedByLastRead: boolean;
  /**
   * Whether the remembered account this request runs as (AccountCache) is still active and
   * unchanged: the check went out with the transaction's first message, or goes out now, alone,
   * when nothing was sent. Always true for a request whose account was read afresh.
   */
  accountConfirmed(): Promise<boolean>;
  /** The check found the remembered account changed or deactivated: nothing of the request ran; answer it again. */
  readonly accountChanged: boolean;
  /** Its connection's queue, in words (ConnectionQueue.describe). */
  describe(): string;
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
 *
 * jit off: row-level security makes the planner cost a statement over a large table as if every
 * policy subquery ran per row, so whole-table figures (disruptionStats) cross jit_above_cost and
 * PostgreSQL compiled them on every call (476 ms of 2,306 ms for SEROCU's disruptionStats at load
 * average 13.6). Compiled code lives only as long as its statement, so it never paid back here.
 */
export const PLANNER_SETTINGS: readonly [string, string][] = [
  ['random_page_cost', '1.1'],
  ['jit', 'off'],
];

/**
 * How long a request's statements may run and wait, in milliseconds (0: no limit): Config's
 * requestTimeouts, set for each app's ORM by {@link limitRequests}. Without them a request whose
 * statement waited on a lock held by a stuck transaction waited with it for good, holding its
 * pooled connection, and so did every request behind it.
 */
export interface RequestTimeouts {
  /** A statement running (or waiting) longer is cancelled (57014). */
  readonly statementMs: number;
  /** A statement waiting this long for a lock is cancelled (55P03). */
  readonly lockMs: number;
  /** A transaction idle this long between its statements has its session ended by PostgreSQL, locks and all. */
  readonly idleInTransactionMs: number;
}

/** The settings that bound the requests opened on each ORM (limitRequests). */
const timeoutSettingsOf = new WeakMap<MikroORM, readonly [string, string][]>();

/** Bounds the statements of the requests opened on `orm` (transaction-local, with the caller's settings). */
export function limitRequests(orm: MikroORM, t: RequestTimeouts): void {
  timeoutSettingsOf.set(orm, [
    ['statement_timeout', String(t.statementMs)],
    ['lock_timeout', String(t.lockMs)],
    ['idle_in_transaction_session_timeout', String(t.idleInTransactionMs)],
  ]);
}

function timeoutSettings(orm: MikroORM): readonly [string, string][] {
  return timeoutSettingsOf.get(orm) ?? [];
}

/** The settings row-level security reads, as one SELECT of set_config calls (values as escaped literals). */
function callerSettingsSql(caller: Caller, rowLevelSecurity: boolean, literal: (value: string) => string, limits: readonly [string, string][] = []): string {
  const settings: [string, string][] = [
    ['soc.user_id', caller.userId],
    ['soc.organisation_id', caller.organisationId],
    ['soc.is_law_enforcement', String(caller.isLawEnforcement)],
    ['soc.roles', `{${caller.roles.join(',')}}`],
    ['soc.clearance', caller.clearance],
    ['role', rowLevelSecurity ? APPLICATION_ROLE : 'none'],
    ...PLANNER_SETTINGS,
    ...limits,
  ];
  return `select ${settings.map(([name, value]) => `set_config('${name}', ${literal(value)}, true)`).join(', ')}`;
}

type QueryCallback = (err: unknown, result?: unknown) => void;

/** The SQLSTATE of soc_refuse_changed_account (Migration20261206005800_account_check). */
export const ACCOUNT_CHANGED = 'SOCA1';

/** Whether `err` is the check's refusal of a remembered account that changed or was deactivated (AccountCheck). */
export function isAccountChanged(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === ACCOUNT_CHANGED;
}

/**
 * A request's check that the account it runs as, remembered from an earlier request
 * (AccountCache), is still active and unchanged. It goes first in the transaction's first
 * message, ahead of the caller's settings (`BEGIN; <check>; <settings>; <first statement>`), so
 * that when it fails nothing of the request is read or written: PostgreSQL runs a message's
 * statements in order and stops at the first error. A request that sends nothing (viewer) sends
 * it alone before answering.
 */
class AccountCheck {
  private ok: boolean | undefined;
  readonly outcome: Promise<boolean>;
  private settle!: (ok: boolean) => void;

  constructor(
    readonly statement: Statement,
    private readonly onChanged: () => void,
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
  }

  /**
   * The answer to the message that carried the check. Only the check's own error says the account
   * changed; any other error came from a statement after it (it ran first, and passed) or from the
   * connection, and the request fails on it as it would have without the check.
   */
  answered(err: unknown): void {
    if (this.ok !== undefined) return;
    this.ok = !isAccountChanged(err);
    if (!this.ok) this.onChanged();
    this.settle(this.ok);
  }

  /** The transaction ended with nothing sent (rolled back): nothing ran under the account, so nothing is left to check. */
  unneeded(): void {
    this.answered(null);
  }

  get changed(): boolean {
    return this.ok === false;
  }
}
/** Announces a statement the queue sends of its own accord (BEGIN's message, an account check), as knex announces its own. */
type Announce = (sql: string, bindings?: readonly unknown[]) => void;

interface WaitingQuery {
  config: { text: string; values?: unknown[] };
  callback: QueryCallback;
  /** The transaction's last statement: COMMIT goes in its message (ConnectionQueue.sendAndCommit). */
  commits?: true;
  /** Announces the statement as it goes out (sendAndCommit's, whose statement knex does not send). */
  announce?: () => void;
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
  return !q.commits && /^\s*select\b/i.test(q.config.text) && inlinable(q);
}

/** Whether `statement` can go in one message with others (inlinable): see RequestDb.readThenCommit. */
function sharesAMessage(statement: Statement): boolean {
  return inlinable({ config: { text: statement.sql, values: [...statement.bindings] }, callback: () => undefined });
}

/**
 * Why a request ended by its last read kept nothing (RequestDb.readThenCommit): the database
 * gone stays itself (the answer becomes a retryable SERVICE_UNAVAILABLE); any other failure was
 * the statement's own, already in the answer as its error, so it is the "transaction failed"
 * that graphql/commit-failure.ts leaves that answer standing for.
 */
function notKept(err: unknown): unknown {
  if (isDatabaseUnavailable(err)) return err;
  return Object.assign(new Error('The request\'s last statement failed: its transaction was rolled back, and nothing of it was kept'), { code: '25P02', cause: err });
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

/** A parameter as a literal: the text pg would send for it (parameterText), quoted, so PostgreSQL types it exactly as it types an untyped parameter. */
function literalOf(connection: PgConnection, value: unknown): string {
  const text = parameterText(value) as string | null;
  return text === null ? 'null' : connection.escapeLiteral(text);
}

/** The statement's text without the semicolon knex may end it with (dropped where statements are joined). */
function statementText(q: WaitingQuery): string {
  return q.config.text.replace(/;\s*$/, '');
}

/**
 * The statement for a simple-protocol message: `execute <name>(<literals>)` when the connection
 * has it prepared (prepared-statements.ts), else its text with each `$n` replaced by its value
 * as a literal.
 */
function inlined(connection: PgConnection, prepared: PreparedStatements, q: WaitingQuery): string {
  const text = statementText(q);
  const literals = (q.config.values ?? []).map((v) => literalOf(connection, v));
  const found = prepared.find(text);
  return (found && executeText(found, literals)) ?? text.replace(/\$(\d+)/g, (_, n: string) => literals[Number(n) - 1] ?? 'null');
}

/** `execute <name>(...)` for a statement the connection has prepared, if it is one (else its sighting is counted). */
function asExecute(connection: PgConnection, prepared: PreparedStatements, q: WaitingQuery): string | undefined {
  const found = prepared.find(statementText(q));
  return found && executeText(found, (q.config.values ?? []).map((v) => literalOf(connection, v)));
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
  private onBegin: Announce | undefined;
  /** The remembered account's check, to go with the deferred BEGIN (AccountCheck). */
  private pendingCheck: AccountCheck | undefined;
  /** The check in the message in flight: its answer settles it. */
  private checking: AccountCheck | undefined;

  private readonly query: (...args: unknown[]) => unknown;
  /** What this connection has prepared: statements that repeat are sent as `execute <name>(...)`. */
  private readonly prepared = new PreparedStatements();

  constructor(
    private readonly connection: PgConnection,
    query: (...args: unknown[]) => unknown,
  ) {
    const traced = tracedRoundTrips(query);
    // A prepared statement gone (26000: something deallocated it) is prepared again when next due.
    this.query = (...args) => {
      const callback = args[args.length - 1];
      if (typeof callback !== 'function') return traced(...args);
      args[args.length - 1] = (err: unknown, result: unknown) => {
        if ((err as { code?: string } | null)?.code === '26000') this.prepared.forget();
        // Settled before the statements' callbacks run: a request whose first read failed on the
        // check knows why by the time its resolver sees the error.
        const check = this.checking;
        this.checking = undefined;
        check?.answered(err);
        (callback as QueryCallback)(err, result);
      };
      return traced(...args);
    };
  }

  static of(connection: PgConnection): ConnectionQueue {
    let queue = queues.get(connection);
    if (!queue) {
      const send = interceptQueries(connection, (args) => queue!.enqueue(args));
      queue = new ConnectionQueue(connection, send);
      queues.set(connection, queue);
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
   * The transaction's BEGIN and the caller's settings (`settings`) go with the first statement
   * the request sends, and `check` (a remembered account's) ahead of the settings; `began` runs
   * with the text when they are sent.
   */
  deferBegin(settings: string, began: Announce, check?: AccountCheck): void {
    this.pendingBegin = settings;
    this.onBegin = began;
    this.pendingCheck = check;
  }

  /**
   * Settles `check`: at once if it went out with the transaction's first message (answered by
   * now, or with that answer), else sent now, alone and outside any transaction, when nothing
   * was sent in the transaction (viewer) and nothing is waiting to be.
   */
  confirmAccount(check: AccountCheck): Promise<boolean> {
    if (this.pendingCheck === check && !this.busy && !this.waiting.length) {
      this.pendingCheck = undefined; // a BEGIN sent after this goes without it
      this.busy = true;
      this.sendCheck(check, this.onBegin, (err) => {
        // The check did not run (the connection failed): the COMMIT owes it still, and fails with
        // the connection; the request goes on as it would have without the check.
        if (err && !isAccountChanged(err)) {
          if (this.pendingBegin !== undefined) this.pendingCheck = check;
          check.unneeded();
        }
        this.busy = false;
        this.scheduleSend();
        this.scheduleIdle();
      });
    }
    return check.outcome;
  }

  /**
   * Sends `check` alone (outside a transaction, after preparing what is due), announced through
   * `announce`; `then` gets its error, if any. Only a pass or the check's own refusal settles it.
   */
  private sendCheck(check: AccountCheck, announce: Announce | undefined, then: (err: unknown) => void): void {
    const config = { text: check.statement.sql, values: [...check.statement.bindings] };
    announce?.(check.statement.sql, check.statement.bindings);
    this.prepareDue(() =>
      this.query(inlined(this.connection, this.prepared, { config, callback: () => undefined }), (err: unknown) => {
        if (!err || isAccountChanged(err)) check.answered(err);
        then(err);
      }),
    );
  }

  /**
   * Sends `statement` alone, outside any transaction (the sign-in's account lookup, before the
   * request's BEGIN), as `execute` once it is prepared, after preparing whatever is due.
   */
  sendOutsideTransaction(statement: Statement, callback: QueryCallback): void {
    this.prepareDue(() => this.query(inlined(this.connection, this.prepared, { config: { text: statement.sql, values: [...statement.bindings] }, callback }), callback));
  }

  /**
   * Prepares the statements due (prepared-statements.ts), each alone in its message, then runs
   * `then`. Only outside a transaction: a PREPARE that fails there aborts nothing.
   */
  private prepareDue(then: () => void): void {
    const due = this.prepared.next();
    if (!due) return then();
    this.query(`prepare ${due.name} as ${due.text}`, (err: unknown) => {
      this.prepared.settle(due, !err);
      this.prepareDue(then);
    });
  }

  /**
   * Adds `set_config(name, value, true)` to the deferred BEGIN's settings, if it has not been sent
   * (`call`: the call, already quoted). False when the transaction has begun: send it as a statement.
   */
  addToPendingSettings(call: string): boolean {
    if (this.pendingBegin === undefined) return false;
    // The settings are one SELECT of set_config calls (callerSettingsSql): one more column keeps
    // the message's results as DEFERRED_BEGIN_STATEMENTS counts them.
    this.pendingBegin = `${this.pendingBegin}, ${call}`;
    return true;
  }

  /**
   * The lease of this connection is over: statements the request still had waiting are refused,
   * and a deferred BEGIN never sent (nothing ran) is dropped, with its account check. Left here,
   * the BEGIN would go out ahead of whatever next borrows the
   * connection outside a request (knex's own statements: the audit sequencer, a migration, a
   * test's update), opening a transaction nobody ends.
   */
  endLease(): void {
    // Statements still waiting were queued behind the request's COMMIT (an operation's resolvers
    // can outlive its answer: graphql-js stops waiting for the other fields once one fails). Sent
    // now they would run outside any transaction, as the pool's owner, on the connection the next
    // request borrows, and keep it busy under that request. They fail as a statement the ended
    // lease refuses does (driver-internals.ts).
    for (const late of this.waiting.splice(0)) late.callback(new Error(`Transaction query already complete: the request this statement belongs to has ended (${late.config.text.slice(0, 60)})`));
    if (this.pendingBegin === undefined) return;
    this.pendingBegin = undefined;
    this.onBegin = undefined;
    this.pendingCheck?.unneeded();
    this.pendingCheck = undefined;
  }

  /** What the queue is doing, in words: for saying what a request that has run long waits on (http/in-flight.ts). */
  describe(): string {
    const parts = [this.pendingBegin === undefined ? 'transaction begun' : 'transaction not begun', this.busy ? 'a message in flight' : 'nothing in flight'];
    if (this.waiting.length) parts.push(`${this.waiting.length} statement(s) waiting`);
    if (this.idleWork.length) parts.push(`${this.idleWork.length} batch(es) waiting for the connection to be idle`);
    if (this.pendingCheck || this.checking) parts.push('account check not answered');
    return parts.join(', ');
  }

  /** Whether the deferred BEGIN has been sent (the transaction exists on the server). */
  get begun(): boolean {
    return this.pendingBegin === undefined;
  }

  /**
   * Takes the deferred BEGIN for the message about to be sent: `begin; [<account check>;]
   * <settings>`, and how many statements (results) that is.
   */
  private takeBegin(): { sql: string; statements: number } | undefined {
    const settings = this.pendingBegin;
    if (settings === undefined) return undefined;
    const check = this.pendingCheck;
    this.pendingBegin = undefined;
    this.pendingCheck = undefined;
    this.checking = check;
    const checkText = check && inlined(this.connection, this.prepared, { config: { text: check.statement.sql, values: [...check.statement.bindings] }, callback: () => undefined });
    const sql = checkText ? `begin; ${checkText};\n${settings}` : `begin; ${settings}`;
    this.onBegin?.(sql);
    this.onBegin = undefined;
    sharedRoundTrips += 1; // it shares the message of the statement it precedes
    return { sql, statements: checkText ? 3 : 2 };
  }

  /** Sends `statement` in the same message as the next COMMIT, ahead of it. */
  attachToCommit(statement: Statement): void {
    this.beforeCommit = { text: statement.sql, values: [...statement.bindings] };
  }

  /**
   * Queues `statement` as the transaction's last: it goes with COMMIT in one message (after the
   * deferred BEGIN, if nothing was sent yet), and `callback` gets its result only once the COMMIT
   * succeeded. Only for a statement that can share a message (sharesAMessage).
   */
  sendAndCommit(statement: Statement, announce: () => void, callback: QueryCallback): void {
    this.waiting.push({ config: { text: statement.sql, values: [...statement.bindings] }, callback, commits: true, announce });
    if (!this.busy && this.waiting.length === 1) this.send();
    else this.scheduleSend();
  }

  /**
   * `[BEGIN; settings;] statement; COMMIT` as one simple-protocol message. When the statement
   * fails PostgreSQL skips the COMMIT, leaving the transaction open and failed: it is rolled back
   * before the statement's caller hears of it, as sendWithCommit does.
   */
  private sendLast(last: WaitingQuery, answer: (deliver: () => void) => void): void {
    const begin = this.takeBegin();
    const skip = begin?.statements ?? 0;
    last.announce?.();
    sharedRoundTrips += 1; // the COMMIT rides with the statement
    const text = `${begin === undefined ? '' : `${begin.sql};\n`}${inlined(this.connection, this.prepared, last)};\ncommit`;
    this.query(text, (err: unknown, results?: unknown[]) => {
      const failure = err ?? rolledBackCommit(results?.[results.length - 1]);
      if (!failure) return answer(() => last.callback(null, results![skip]));
      this.query('rollback', () => answer(() => last.callback(failure)));
    });
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
    const text = `${begin === undefined ? '' : `${begin.sql};\n`}${inlined(this.connection, this.prepared, { config: write, callback: () => undefined })};\n${commit.config.text}`;
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
    if (this.pendingBegin !== undefined && this.prepared.hasDue()) {
      // Still outside the request's transaction: the moment to prepare what has repeated.
      this.prepareDue(() => {
        this.busy = false;
        this.send();
      });
      return;
    }
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
      // Nothing was sent in this transaction: there is nothing on the server to end. A COMMIT
      // still owes a remembered account its check (whoever did not ask for it first).
      const check = this.pendingCheck;
      const announce = this.onBegin;
      this.pendingBegin = undefined;
      this.pendingCheck = undefined;
      this.onBegin = undefined;
      sharedRoundTrips += 1; // knex counted it as a statement; it takes no round trip
      const command = isCommit(batch[0]) ? 'COMMIT' : 'ROLLBACK';
      const ended = () => batch[0].callback(null, { command, rows: [], rowCount: null, fields: [] });
      if (!check || command === 'ROLLBACK') {
        check?.unneeded();
        answer(ended);
        return;
      }
      this.sendCheck(check, announce, (err) => answer(() => (err ? batch[0].callback(err) : ended())));
      return;
    }
    if (batch[0].commits) {
      this.sendLast(batch[0], answer);
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
      this.query(begin.sql, (err: unknown) => {
        if (err) return answer(() => batch.forEach((q) => q.callback(err)));
        this.busy = false;
        this.waiting.unshift(...batch);
        this.send();
      });
      return;
    }
    const begin = this.takeBegin();
    if (begin !== undefined) {
      const skip = begin.statements;
      this.query(`${begin.sql};\n${batch.map((q) => inlined(this.connection, this.prepared, q)).join(';\n')}`, (err: unknown, results: unknown[]) =>
        answer(() => batch.forEach((q, i) => (err ? q.callback(err) : q.callback(null, results[skip + i])))),
      );
      return;
    }
    if (batch.length === 1) {
      // A prepared statement goes as `execute`; any other as it came (pg sends its parameters).
      const execute = inlinable(batch[0]) ? asExecute(this.connection, this.prepared, batch[0]) : undefined;
      this.query(execute ?? batch[0].config, (err: unknown, result: unknown) => answer(() => batch[0].callback(err ?? commitThatRolledBack(batch[0], result), result)));
      return;
    }
    this.query(batch.map((q) => inlined(this.connection, this.prepared, q)).join(';\n'), (err: unknown, results: unknown[]) =>
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

function commitThatRolledBack(q: WaitingQuery, result: unknown): Error | null {
  return isCommit(q) ? rolledBackCommit(result) : null;
}

/** The error for a COMMIT's `result` that says ROLLBACK (see commitThatRolledBack), else null. */
function rolledBackCommit(result: unknown): Error | null {
  if ((result as { command?: string } | undefined)?.command !== 'ROLLBACK') return null;
  return Object.assign(new Error('COMMIT found the transaction already failed: PostgreSQL rolled it back, and nothing of it was kept'), { code: '25P02' });
}

const queues = new WeakMap<object, ConnectionQueue>();

/**
 * Leases a pooled connection for the request and defers its transaction's BEGIN, to be sent with
 * the request's first statement, in the same message, with the caller's settings:
 * `BEGIN; SELECT set_config(...); <statement>` (the connection queue prefixes it). A request that
 * sends nothing after signing in (`viewer`) opens no transaction at all, and its COMMIT is
 * answered without a round trip. The request's query builder is the lease's
 * (driver-internals.ts, leaseConnection), which sends no BEGIN or COMMIT of its own.
 *
 * `lookup`: a statement run at once, before the transaction (the sign-in's account lookup, as
 * the owner: it reads the account whatever the row-level security of the caller it finds);
 * `settings` then gets its rows. Resolves with those rows. `check`: a remembered account's
 * check, sent with BEGIN ahead of the settings, as the owner too (AccountCheck). When the lookup
 * fails the connection goes back to the pool and this rejects.
 */
async function beginAs(
  knex: Knex,
  settings: (rows: Record<string, unknown>[], literal: (value: string) => string) => string,
  lookup?: Statement,
  check?: AccountCheck,
): Promise<{ lease: LeasedConnection; queue: ConnectionQueue; rows: Record<string, unknown>[] }> {
  const lease = await leaseConnection(knex);
  const { connection } = lease;
  const queue = ConnectionQueue.of(connection);
  const literal = (value: string) => connection.escapeLiteral(value);
  const defer = (rows: Record<string, unknown>[]) =>
    // Announced like any knex query, so that statement counts (the bench, tests) include it.
    queue.deferBegin(settings(rows, literal), (text, bindings) => announceQuery(knex, text, bindings), check);
  if (!lookup) {
    defer([]);
    return { lease, queue, rows: [] };
  }
  announceQuery(knex, lookup.sql, lookup.bindings);
  try {
    const rows = await new Promise<Record<string, unknown>[]>((found, failed) =>
      queue.sendOutsideTransaction(lookup, (err: unknown, result?: unknown) => (err ? failed(err) : found((result as { rows?: Record<string, unknown>[] } | undefined)?.rows ?? []))),
    );
    defer(rows);
    return { lease, queue, rows };
  } catch (err) {
    await releaseLease(lease, queue);
    throw err;
  }
}

/** Gives the request's connection back to the pool, its queue left with nothing of the request. */
async function releaseLease(lease: LeasedConnection, queue: ConnectionQueue): Promise<void> {
  queue.endLease();
  await lease.release();
}

/**
 * Opens the request's transaction, the caller recorded in the same round trip as BEGIN. With the
 * database layer off, it skips the switch to the application role (the connecting user, a
 * superuser here, then bypasses the policies): only tests do that, to prove the application's
 * own policy denies without the database's help.
 */
export async function openRequestDb(orm: MikroORM, caller: Caller, layers: AccessLayers = BOTH_LAYERS): Promise<RequestDb> {
  const { lease, queue } = await beginAs(orm.em.getConnection().getKnex(), (_rows, literal) => callerSettingsSql(caller, layers.database, literal, timeoutSettings(orm)));
  return requestDb(lease, queue, caller, layers);
}

/** An account's row as the sign-in lookup reads it: the user's columns, and their organisation's prefixed `organisation_` (its id is the user's organisation_id). */
export type AccountRow = Record<string, unknown> & { id: string; active: boolean };

const ORGANISATION_COLUMNS = ['code', 'name', 'type', 'region', 'is_law_enforcement'];

/**
 * An account's version: the row versions (`xmin`, the transaction that wrote each row's current
 * version) of the user and of their organisation, so that any change to either, whatever wrote
 * it, makes another version. An optimistic lock's token, as many ORMs use `xmin`.
 */
const ACCOUNT_VERSION = `u.xmin::text || '/' || o.xmin::text`;

/** The sign-in's account lookup: the user's row, their organisation's columns and the account's version (one text for every user, so that it is prepared once per connection). */
const ACCOUNT_SQL = `select u.*, ${ORGANISATION_COLUMNS.map((c) => `o.${c} as organisation_${c}`).join(', ')}, ${ACCOUNT_VERSION} as account_version from app_user u join organisation o on o.id = u.organisation_id where u.username = $1`;

/**
 * An account's row as the sign-in lookup reads it, outside any request (a WebSocket's
 * connection_init, and its re-checks), as the owner (the account whatever the row-level security
 * of the caller it finds). Lookups of one username at the same time are one lookup
 * (sharedWhileUnderWay): when a control room's thousand clients reconnect at once, a few people's
 * accounts were read a thousand times over a pool of ten connections, and the last waited past
 * the pool's acquire timeout (refused 1013, "try again later").
 */
export function lookUpAccount(orm: MikroORM, username: string): Promise<AccountRow | undefined> {
  return accountLookupsOf(orm)(username);
}

/**
 * An account's row by the user's id, as lookUpAccount reads it by username: for the live hub, told
 * that an account changed. On a pooled connection directly, as housekeeping: not a request's
 * statement, so not in the statement counts of the requests it happens to run beside (read through
 * the entity manager, it was counted in one of test/auth/tokens.test.ts's at load).
 */
export async function lookUpAccountById(orm: MikroORM, userId: string): Promise<AccountRow | undefined> {
  const { rows } = await withPooledConnection(orm.em.getConnection().getKnex(), (c) => c.query<AccountRow>(ACCOUNT_BY_ID_SQL, [userId]));
  return rows[0];
}

const ACCOUNT_BY_ID_SQL = ACCOUNT_SQL.replace('where u.username = $1', 'where u.id = $1');

const accountLookups = new WeakMap<MikroORM, (username: string) => Promise<AccountRow | undefined>>();

function accountLookupsOf(orm: MikroORM): (username: string) => Promise<AccountRow | undefined> {
  let lookUp = accountLookups.get(orm);
  if (!lookUp) {
    lookUp = sharedWhileUnderWay((username) => withPooledConnection(orm.em.getConnection().getKnex(), (c) => c.query<AccountRow>(ACCOUNT_SQL, [username])).then((r) => r.rows[0]));
    accountLookups.set(orm, lookUp);
  }
  return lookUp;
}

/**
 * A remembered account's check (AccountCheck): nothing when the account is still active at the
 * version remembered; else soc_refuse_changed_account fails the statement, and with it the
 * message and the transaction (Migration20261206005800_account_check).
 */
const ACCOUNT_CHECK_SQL = `select soc_refuse_changed_account($1) where not exists (select from app_user u join organisation o on o.id = u.organisation_id where u.username = $1 and u.active and ${ACCOUNT_VERSION} = $2)`;

/** How many accounts a server remembers (the oldest forgotten first). */
const REMEMBERED_ACCOUNTS = 10_000;

/**
 * Accounts read by earlier requests, by username (the token's subject), with their version: a
 * request by a remembered account does not look it up again (a round trip of its own, before
 * BEGIN), but checks it in its transaction's first message instead (AccountCheck). An account
 * changed or deactivated since fails that check before anything of the request runs: the server
 * forgets it and answers the request again from a fresh lookup (http/graphql-handler.ts), so the
 * request is refused, or served, exactly as it would have been without the cache. One per server
 * and database; only active accounts are remembered.
 */
export class AccountCache {
  private readonly accounts = new Map<string, AccountRow>();

  recall(username: string): AccountRow | undefined {
    return this.accounts.get(username);
  }

  remember(username: string, account: AccountRow): void {
    if (!account.active) return;
    this.accounts.delete(username); // to the back of the queue
    if (this.accounts.size >= REMEMBERED_ACCOUNTS) this.accounts.delete(this.accounts.keys().next().value!);
    this.accounts.set(username, account);
  }

  /** Forgets `account` (not a newer one another request has remembered since). */
  forget(username: string, account: AccountRow): void {
    if (this.accounts.get(username) === account) this.accounts.delete(username);
  }
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
 *
 * With `accounts`, an account remembered there is not looked up: its check goes with BEGIN
 * instead (AccountCache), and whoever gets the row must ask `db.accountConfirmed()` before
 * answering (`db.accountChanged`: answer the request again, from a fresh lookup).
 */
export async function openRequestDbAs(
  orm: MikroORM,
  username: string,
  layers: AccessLayers = BOTH_LAYERS,
  accounts?: AccountCache,
): Promise<{ db: RequestDb; account: AccountRow } | undefined> {
  const remembered = accounts?.recall(username);
  if (remembered) return openAsRemembered(orm, username, remembered, layers, () => accounts!.forget(username, remembered));
  const { lease, queue, rows } = await beginAs(
    orm.em.getConnection().getKnex(),
    // No account: the transaction is rolled back before anything is sent in it.
    (found, literal) => (found[0] ? callerSettingsSql(callerOf(found[0] as AccountRow), layers.database, literal, timeoutSettings(orm)) : 'select 1'),
    { sql: ACCOUNT_SQL, bindings: [username] },
  );
  const account = rows[0] as AccountRow | undefined;
  if (!account) {
    // Nothing was sent in the transaction: its ROLLBACK is answered without a round trip.
    await lease.knex.raw('ROLLBACK;').catch(() => undefined);
    await releaseLease(lease, queue);
    return undefined;
  }
  accounts?.remember(username, account);
  return { db: requestDb(lease, queue, callerOf(account), layers), account };
}

/** The transaction of a request by a remembered account: no lookup; the account's check goes with BEGIN. */
async function openAsRemembered(orm: MikroORM, username: string, account: AccountRow, layers: AccessLayers, forget: () => void): Promise<{ db: RequestDb; account: AccountRow }> {
  const caller = callerOf(account);
  const check = new AccountCheck({ sql: ACCOUNT_CHECK_SQL, bindings: [username, account.account_version] }, forget);
  const { lease, queue } = await beginAs(orm.em.getConnection().getKnex(), (_rows, literal) => callerSettingsSql(caller, layers.database, literal, timeoutSettings(orm)), undefined, check);
  return { db: requestDb(lease, queue, caller, layers, check), account };
}

function requestDb(lease: LeasedConnection, queue: ConnectionQueue, caller: Caller, layers: AccessLayers, check?: AccountCheck): RequestDb {
  const trx = lease.knex;
  let finishing: Promise<void> | undefined;
  let aborted = false;
  let endedByLastRead = false;
  /** Ends the transaction with `statement` (COMMIT or ROLLBACK), sent through the request's knex so that it is counted as knex's own were. */
  const end = (statement: 'COMMIT;' | 'ROLLBACK;') => trx.raw(statement);
  /** A transaction-local planner setting: with the caller's settings if the transaction has not begun, else a statement of its own. */
  const plannerSetting = async (name: string, value: string) => {
    const call = `set_config('${name}', '${value}', true)`;
    if (!queue.addToPendingSettings(call)) await trx.raw(`select ${call}`);
  };
  return {
    knex: trx,
    caller,
    layers,
    accountConfirmed: () => (check ? queue.confirmAccount(check) : Promise.resolve(true)),
    get accountChanged() {
      return check?.changed ?? false;
    },
    whenIdle: (work) => queue.whenIdle(work),
    describe: () => (finishing ? `finishing; ${queue.describe()}` : queue.describe()),
    abort: () => void (aborted = true),
    preferGenericPlans: () => plannerSetting('plan_cache_mode', 'force_generic_plan'),
    preferHashedGrouping: () => plannerSetting('enable_sort', 'off'),
    transaction: (work) => trx.transaction(work),
    get endedByLastRead() {
      return endedByLastRead;
    },
    readThenCommit(statement) {
      if (finishing || aborted || !sharesAMessage(statement)) return undefined;
      endedByLastRead = true;
      let ended!: (how: Promise<void>) => void;
      finishing = new Promise<void>((resolve) => (ended = resolve));
      finishing.catch(() => undefined); // finish() hands it on; the read's own caller hears of a failure
      // Announced as they go out (after the BEGIN, if it goes with them), as knex announces its own.
      const announce = () => {
        announceQuery(trx, statement.sql, statement.bindings);
        announceQuery(trx, 'COMMIT;');
      };
      return new Promise((resolve, reject) =>
        queue.sendAndCommit(statement, announce, (err, result) => {
          // The lease ends before anyone hears the answer: nothing may run after the COMMIT.
          ended(releaseLease(lease, queue).then(() => (err ? Promise.reject(notKept(err)) : undefined)));
          if (err) reject(err);
          else resolve(result as { rows: Record<string, unknown>[] });
        }),
      );
    },
    finish(withCommit) {
      finishing ??= (async () => {
        try {
          if (aborted) return void (await end('ROLLBACK;').catch(() => undefined));
          try {
            if (withCommit) {
              queue.attachToCommit(withCommit);
              announceQuery(trx, withCommit.sql, withCommit.bindings);
            }
            await end('COMMIT;');
          } catch (err) {
            // Not committed (the connection died, a write sent with it or a deferred check
            // failed): the caller must not report success, and the connection must not go back
            // to the pool inside a failed transaction.
            await end('ROLLBACK;').catch(() => undefined);
            throw err;
          }
        } finally {
          await releaseLease(lease, queue);
        }
      })();
      return finishing;
    },
  };
}
