import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import { observeDatabaseTime } from '../db/clock';

/**
 * Limits counted in PostgreSQL, so that N instances on one database allow a caller the
 * configured rate and a user the configured connections, not N times them (tables in the
 * `runtime` schema, migration ..._shared_limits).
 *
 * Request counts: every request reserves one hit of its caller's allowance for the current minute
 * of the database's clock (one clock for every instance). Reservations are batched like a group
 * commit: while one batch's statement is in flight, the requests that arrive wait and go together
 * in the next one, so a request costs at most one round trip (usually shared), never a pooled
 * connection, and the count is exact: a batch adds its hits and reads the total in one upsert,
 * and admits only the hits that fit under the limit.
 *
 * Connections: each instance writes how many WebSocket connections each user holds on it, and a
 * connection is admitted when the sum over live instances is within the cap (connections opening
 * together are counted in one statement, like reservations). Instances beat every
 * HEARTBEAT_MS; one not seen for STALE_AFTER_S (killed) no longer counts. Two connections opening
 * at the same instant on two instances can both be admitted (each statement sees the other's
 * only once committed): the cap can be passed by at most one per instance, briefly.
 *
 * Everything goes through one connection of its own, outside the request pool: a pool busy with
 * requests does not delay the limits, and the limits never take a request's connection.
 */
export interface Reservation {
  allowed: boolean;
  /** Seconds until the current minute (by the database's clock) ends. */
  retryAfterSeconds: number;
}

/** The database could not be asked; the caller decides whether to let the request through. */
export class LimitsUnavailableError extends Error {
  constructor(cause: unknown) {
    super('The shared limits could not be read from the database', { cause });
  }
}

const WINDOW_S = 60;
/** How long to wait for PostgreSQL before treating it as unreachable. */
const TIMEOUT_MS = 5_000;
const HEARTBEAT_MS = 2_000;
const STALE_AFTER_S = 10;

/** Adds each caller's hits to this minute's count; returns it with the previous minute's and how far into this minute it is. */
const RESERVE = `
  with clock as (select extract(epoch from statement_timestamp())::float8 as t)
  insert into runtime.rate_limit as r (minute, caller, hits)
  select floor(clock.t / $3)::bigint, c.caller, c.hits from clock, unnest($1::text[], $2::int[]) as c(caller, hits)
  on conflict (minute, caller) do update set hits = r.hits + excluded.hits
  returning r.caller, r.hits, r.minute::float8 as minute,
    coalesce((select p.hits from runtime.rate_limit p where p.minute = r.minute - 1 and p.caller = r.caller), 0) as previous,
    (select (t - floor(t / $3) * $3) / $3 from clock) as elapsed`;

/** Writes this instance's connections of each user; returns each user's connections on the other live instances. */
const OPEN_CONNECTIONS = `
  with here as (
    insert into runtime.live_connection (instance_id, user_id, connections)
    select $1, u.user_id, u.connections from unnest($2::text[], $3::int[]) as u(user_id, connections)
    on conflict (user_id, instance_id) do update set connections = excluded.connections
  )
  select u.user_id, coalesce((select sum(c.connections) from runtime.live_connection c join runtime.live_instance i on i.id = c.instance_id
    where c.user_id = u.user_id and c.instance_id <> $1 and i.seen_at > statement_timestamp() - make_interval(secs => $4)), 0)::int as elsewhere
  from unnest($2::text[]) as u(user_id)`;

const SET_CONNECTIONS = `
  insert into runtime.live_connection (instance_id, user_id, connections) values ($1, $2, $3)
  on conflict (user_id, instance_id) do update set connections = excluded.connections`;

/** This instance is alive; instances gone for long are forgotten; and the database's time (db/clock.ts). */
const HEARTBEAT = `
  with beat as (
    insert into runtime.live_instance (id, seen_at) values ($1, statement_timestamp())
    on conflict (id) do update set seen_at = excluded.seen_at
  ), gone as (
    delete from runtime.live_instance where seen_at < statement_timestamp() - make_interval(secs => $2 * 6) returning id
  ), forgotten as (
    delete from runtime.live_connection where instance_id in (select id from gone)
  )
  select (extract(epoch from clock_timestamp()) * 1000)::float8 as now_ms`;

interface Waiting {
  caller: string;
  resolve: (r: Reservation) => void;
  reject: (err: Error) => void;
}

/** A connection being counted: its user, and which of the user's connections here it is. */
interface Opening {
  userId: string;
  mine: number;
  resolve: (total: number) => void;
  reject: (err: Error) => void;
}

/**
 * A group commit: what arrives while a batch is in flight waits and goes with the next batch, so
 * a burst costs a few statements however large it is. `run` settles every item of its batch.
 */
class GroupCommit<T> {
  private waiting: T[] = [];
  private running = false;

  constructor(private readonly run: (batch: T[]) => Promise<void>) {}

  add(item: T): void {
    this.waiting.push(item);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting.length) await this.run(this.waiting.splice(0));
    this.running = false;
  }
}

export class SharedLimits {
  readonly instanceId = randomUUID();
  private client: pg.Client | undefined;
  private connecting: Promise<pg.Client> | undefined;
  private readonly reservations = new GroupCommit<Waiting>((batch) => this.reserveTogether(batch));
  private readonly openings = new GroupCommit<Opening>((batch) => this.countTogether(batch));
  private minute = -1;
  /** This instance's WebSocket connections per user: the truth its rows are rewritten from. */
  private readonly connections = new Map<string, number>();
  /** A write failed since the last heartbeat: rewrite every row of this instance. */
  private resync = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private down = false;

  constructor(
    private readonly databaseUrl: string,
    readonly perMinute: number,
    private readonly log: Logger,
  ) {}

  /** Registers this instance and starts its heartbeat. */
  async start(): Promise<void> {
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Reserves one hit of `caller`'s allowance for this minute; rejects with LimitsUnavailableError. */
  reserve(caller: string): Promise<Reservation> {
    return new Promise((resolve, reject) => {
      this.reservations.add({ caller, resolve, reject });
    });
  }

  /**
   * Counts one more connection of `userId` here and resolves with the user's connections on all
   * live instances, this one included. On refusal (or failure) call {@link closeConnection}.
   */
  openConnection(userId: string): Promise<number> {
    const mine = (this.connections.get(userId) ?? 0) + 1;
    this.connections.set(userId, mine);
    return new Promise((resolve, reject) => {
      this.openings.add({ userId, mine, resolve, reject });
    });
  }

  closeConnection(userId: string): void {
    const mine = (this.connections.get(userId) ?? 1) - 1;
    if (mine > 0) this.connections.set(userId, mine);
    else this.connections.delete(userId);
    void this.query(SET_CONNECTIONS, [this.instanceId, userId, mine]).catch(() => undefined);
  }

  async stop(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.query(`delete from runtime.live_instance where id = $1`, [this.instanceId]).catch(() => undefined);
    await this.query(`delete from runtime.live_connection where instance_id = $1`, [this.instanceId]).catch(() => undefined);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async reserveTogether(batch: Waiting[]): Promise<void> {
    try {
      this.settle(batch, await this.reserveBatch(batch));
    } catch (err) {
      const unavailable = new LimitsUnavailableError(err);
      for (const w of batch) w.reject(unavailable);
    }
  }

  private async reserveBatch(batch: Waiting[]) {
    const hits = new Map<string, number>();
    for (const w of batch) hits.set(w.caller, (hits.get(w.caller) ?? 0) + 1);
    // One order for every instance's batches, so two upserts never wait on each other's rows crosswise.
    const callers = [...hits.keys()].sort();
    const { rows } = await this.query(RESERVE, [callers, callers.map((c) => hits.get(c)), WINDOW_S]);
    const minute = rows[0].minute as number;
    if (minute !== this.minute) {
      this.minute = minute;
      void this.query(`delete from runtime.rate_limit where minute < $1`, [minute - 1]).catch(() => undefined);
    }
    const elapsed = rows[0].elapsed as number;
    // A sliding minute: the previous minute's hits count for the part of it still inside the last
    // 60 seconds. So a caller who spent the allowance just before a minute began does not get a
    // fresh one at once, and the count does not depend on where minutes fall.
    const before = (r: { caller: string; hits: number; previous: number }) => r.previous * (1 - elapsed) + r.hits - hits.get(r.caller)!;
    // How many of this batch's hits fit under the limit, per caller (the total includes them).
    const fitting = new Map<string, number>(rows.map((r) => [r.caller as string, Math.max(0, Math.floor(this.perMinute - before(r)))]));
    return { fitting, retryAfterSeconds: Math.max(1, Math.ceil((1 - elapsed) * WINDOW_S)) };
  }

  /**
   * Counts connections opened together in one statement, as reservations are batched: a burst
   * (a control room reconnecting at once) took one round trip per connection, one after another
   * on the one connection, and at load the last of 1,000 waited past the timeout and was refused
   * 1013 (test/live/connection-burst.test.ts). Each user's row is written with what this instance
   * holds when the statement is sent; each connection's total is its place among the user's
   * connections here plus those on the other instances.
   */
  private async countTogether(batch: Opening[]): Promise<void> {
    const users = [...new Set(batch.map((o) => o.userId))].sort();
    try {
      const { rows } = await this.query(OPEN_CONNECTIONS, [this.instanceId, users, users.map((u) => this.connections.get(u) ?? 0), STALE_AFTER_S]);
      const elsewhere = new Map(rows.map((r) => [r.user_id as string, r.elsewhere as number]));
      for (const o of batch) o.resolve(o.mine + (elsewhere.get(o.userId) ?? 0));
    } catch (err) {
      for (const o of batch) o.reject(err as Error);
    }
  }

  /** Admits the batch's requests in arrival order while they fit. */
  private settle(batch: Waiting[], { fitting, retryAfterSeconds }: { fitting: Map<string, number>; retryAfterSeconds: number }): void {
    for (const w of batch) {
      const left = fitting.get(w.caller) ?? 0;
      fitting.set(w.caller, left - 1);
      w.resolve({ allowed: left > 0, retryAfterSeconds });
    }
  }

  private async beat(): Promise<void> {
    try {
      const sentAt = Date.now();
      const { rows } = await this.query(HEARTBEAT, [this.instanceId, STALE_AFTER_S]);
      observeDatabaseTime(rows[0].now_ms, sentAt, Date.now());
      if (this.resync) {
        this.resync = false;
        for (const [userId, mine] of this.connections) await this.query(SET_CONNECTIONS, [this.instanceId, userId, mine]);
      }
    } catch {
      // query() has logged it; the next beat tries again.
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    this.connecting ??= (async () => {
      const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'soc-hub-limits', connectionTimeoutMillis: TIMEOUT_MS, query_timeout: TIMEOUT_MS });
      client.on('error', () => this.drop(client));
      try {
        await client.connect();
      } catch (err) {
        void client.end().catch(() => undefined);
        throw err;
      }
      this.client = client;
      return client;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private drop(client: pg.Client): void {
    if (this.client === client) this.client = undefined;
    void client.end().catch(() => undefined);
  }

  /** The statements, one after the other on the one connection (pg's own queueing is deprecated). */
  private tail: Promise<unknown> = Promise.resolve();

  private query(text: string, params: unknown[]): Promise<pg.QueryResult> {
    const result = this.tail.then(() => this.run(text, params));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async run(text: string, params: unknown[]): Promise<pg.QueryResult> {
    let client: pg.Client | undefined;
    try {
      client = await this.connection();
      const result = await client.query(text, params);
      if (this.down) this.log.info('the shared limits are counted in the database again');
      this.down = false;
      return result;
    } catch (err) {
      // Whatever went wrong, the next statement starts on a fresh connection; rows written from
      // memory again at the next heartbeat.
      if (client) this.drop(client);
      this.resync = true;
      if (!this.down) this.log.warn({ err }, 'the shared limits cannot be counted in the database: anonymous callers are refused, signed-in users let through');
      this.down = true;
      throw err;
    }
  }
}
