import { knex, type Knex } from '@mikro-orm/postgresql';
import { databaseNow } from '../db/clock';
import { lookUpAccountById } from '../db/request-db';
import { userFromAccount } from '../auth/authenticate';
import { inSpan } from '../tracing';
import { execute, GraphQLError, Kind, print, type DocumentNode, type ExecutionResult, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { AuditCollector, isSensitive, writeAuditEvents, type Purpose } from '../audit';
import { PurposeRequiredError } from '../audit/purpose';
import { allowedPurposes } from '../access/purpose-roles';
import { withheldFields } from '../access/redaction';
import type { AuditEventRow } from '../audit/audit.collector';
import { forOperation, type ContextDeps, type RequestContext } from '../graphql/context';
import type { NodeFetchers } from '../graphql/node';
import { toGlobalId } from '../graphql/global-id';
import type { LiveConfig } from '../config';
import { User } from '../modules/identity/user.entity';
import { Doorbell } from './doorbell';
import { CursorCodec, EventLog, type LogEntry } from './event-log';
import { LiveEvent, LiveEventType } from './live.types';
import { kindOf, Subscriber, type EventFilter, type Selection } from './subscriber';
import { checkEveryKindLoadable, keyOf, loadVisible, visibleBefore } from './visibility';
import { metrics } from '../http/metrics';

/** Log entries read per round trip. */
const PAGE = 500;
/** Users whose deliveries are prepared at once (each holds one pooled connection meanwhile). */
const PARALLEL_USERS = 4;
/** Consecutive failed deliveries after which a subscription is ended (the client resumes with its cursor). */
const MAX_DELIVERY_FAILURES = 3;
/** Seen records are re-checked this often, so an agreement that lapses by date withdraws them. */
const RECHECK_MS = 60_000;

export interface SubscribeRequest {
  viewer: User;
  purpose: Purpose | null;
  clientAddress: string | null;
  /** Whether the subscriber's connection has gone (checked before each delivery). */
  gone: () => boolean;
  /** Drops the subscriber's connection when it stops reading (its results past LIVE_MAX_QUEUED_RESULTS). */
  fellBehind: () => void;
  filter: EventFilter;
  /** Resume point (a sequence number), or undefined for "from now". */
  after: bigint | undefined;
  info: GraphQLResolveInfo;
}

/** What the hub tells the WebSocket layer. */
export interface HubEvents {
  userDeactivated(userId: string): void;
}

/**
 * One per server instance: reads the event log when the doorbell rings and hands each new event
 * to each of this instance's subscribers that may see it, re-authorised as that subscriber (the
 * same fetchers, policy and row-level security as queries). All reading and dispatching runs
 * one task at a time, in log order, so every subscriber gets events in order, each once.
 */
export class LiveHub {
  private readonly subscribers = new Set<Subscriber>();
  private readonly log: EventLog;
  private readonly doorbell: Doorbell;
  private head = 0n;
  private tail: Promise<void> = Promise.resolve();
  private pumpQueued = false;
  /** Subscriptions waiting to be registered, with their resume points (registerWaiting). */
  private registering: { subscriber: Subscriber; after: bigint | undefined }[] = [];
  private timers: NodeJS.Timeout[] = [];
  private readonly schema: GraphQLSchema;

  constructor(
    private readonly deps: ContextDeps,
    private readonly fetchers: NodeFetchers,
    schema: GraphQLSchema,
    databaseUrl: string,
    private readonly config: LiveConfig,
    private readonly events: HubEvents,
  ) {
    this.schema = schema;
    checkEveryKindLoadable(fetchers);
    // Its own small pool, so that reading the log neither competes with requests for connections
    // (it keeps working when their pool is exhausted) nor shows up in a request's statements.
    this.privileged = knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 2 } });
    this.log = new EventLog(this.privileged);
    this.doorbell = new Doorbell(databaseUrl, { ring: () => this.ring(), userChanged: (id) => this.userChanged(id) }, deps.log, config.pollMs);
  }

  private readonly privileged: Knex;

  /** The opaque cursors this hub gives out and reads back (event-log.ts). */
  get cursors(): CursorCodec {
    if (!this.deps.cursors) throw new Error('live updates need a cursor key (ContextDeps.cursors)');
    return this.deps.cursors;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  async start(): Promise<void> {
    this.head = await this.log.head();
    await this.doorbell.start();
    const every = (ms: number, task: () => Promise<unknown>) => {
      const t = setInterval(() => void this.serially(task), ms);
      t.unref();
      this.timers.push(t);
    };
    every(RECHECK_MS, async () => {
      for (const s of this.subscribers) if (s.gone()) s.detach();
      await this.recheckSeen([...this.subscribers]);
    });
    every(10 * 60_000, () => this.log.prune(this.config.retentionHours * 3_600_000));
  }

  async stop(): Promise<void> {
    this.timers.forEach(clearInterval);
    await this.doorbell.stop();
    for (const s of [...this.subscribers, ...this.registering.map((r) => r.subscriber)]) s.detach();
    await this.tail;
    await this.privileged.destroy();
  }

  /**
   * Registers a subscription. A resume point is checked first (ahead of the log, or pruned
   * away, is an error now rather than a silent gap); the subscriber then catches up from it.
   */
  async subscribe(request: SubscribeRequest): Promise<Subscriber> {
    if (request.after !== undefined) await this.log.checkResumable(request.after, await this.log.head());
    const subscriber = new Subscriber(request.viewer, request.purpose, request.clientAddress, request.gone, request.filter, selectionOf(request.info), (s) => {
      if (this.subscribers.delete(s)) metrics.liveSubscribers.dec();
    }, { max: this.config.maxQueuedResults, fellBehind: request.fellBehind });
    this.registering.push({ subscriber, after: request.after });
    if (this.registering.length === 1) void this.serially(() => this.registerWaiting());
    return subscriber;
  }

  /**
   * Registers every subscription waiting to be, together: a burst (a control room's clients
   * reconnecting at once) costs one transaction per user, not one per subscription. One by one,
   * 1,000 subscriptions held the hub, and every delivery behind them, for over a minute at load.
   */
  private async registerWaiting(): Promise<void> {
    const batch = this.registering.splice(0).filter(({ subscriber }) => {
      if (subscriber.closed || subscriber.gone()) subscriber.detach();
      return !subscriber.closed;
    });
    for (const { subscriber, after } of batch) subscriber.position = after ?? this.head;
    await this.markFollowed(batch.map(({ subscriber }) => subscriber));
    for (const { subscriber } of batch) {
      if (subscriber.closed) continue; // closed while its records were checked
      this.subscribers.add(subscriber);
      metrics.liveSubscribers.inc();
    }
    for (const { subscriber } of batch) await this.catchUp(subscriber);
  }

  /**
   * The records a subscription names that its subscriber can read now count as shown to it: if
   * they later leave the subscriber's reach (an agreement suspended), WITHDRAWN says so, though
   * no event about them had been sent. Those it cannot read are not marked, so nothing is said of
   * them. Read once per user for all of the user's subscriptions.
   */
  private async markFollowed(subscribers: Subscriber[]): Promise<void> {
    for (const group of byUser(subscribers.filter((s) => s.filter.followed?.length))) {
      try {
        const ctx = await forOperation(this.deps, group[0].viewer, undefined, {});
        try {
          const followed = new Map(group.flatMap((s) => s.filter.followed!).map((f) => [keyOf(f.recordType, f.recordId), f]));
          const visible = await loadVisible(ctx, this.fetchers, [...followed.values()] as LogEntry[]);
          for (const s of group) for (const key of s.filter.followed!.map((f) => keyOf(f.recordType, f.recordId))) if (visible.has(key)) s.markSeen(key);
        } finally {
          await ctx.db.finish();
        }
      } catch (err) {
        // The subscriptions still start: their records count as shown once an event about them is sent.
        this.deps.log.warn({ err }, 'followed records could not be checked at subscription');
      }
    }
  }

  /** A notification, a reconnect or the poll: read what is new (coalesced: one pump queued at a time). */
  ring(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    void this.serially(async () => {
      this.pumpQueued = false;
      await this.pump();
    });
  }

  private serially(task: () => Promise<unknown>): Promise<void> {
    const run = this.tail.then(task).then(
      () => undefined,
      (err) => this.deps.log.error({ err }, 'live update task failed'),
    );
    this.tail = run;
    return run;
  }

  private async pump(): Promise<void> {
    // Anyone left behind by a failed delivery is brought up to the head first.
    for (const subscriber of [...this.subscribers]) if (subscriber.position < this.head) await this.catchUp(subscriber);
    for (;;) {
      const entries = await this.log.readAfter(this.head, PAGE);
      if (!entries.length) return;
      // The head moves only once every subscriber has them: after a failure (the database went
      // away) the next ring reads the same entries again, and those already delivered are skipped.
      await this.dispatch(entries, [...this.subscribers]);
      this.head = entries[entries.length - 1].seq;
      if (entries.some((e) => e.recordType === 'InformationSharingAgreement')) await this.recheckSeen([...this.subscribers]);
    }
  }

  /** Brings one subscriber from its resume point up to where the others are. */
  private async catchUp(subscriber: Subscriber): Promise<void> {
    while (!subscriber.closed && subscriber.position < this.head) {
      const entries = (await this.log.readAfter(subscriber.position, PAGE)).filter((e) => e.seq <= this.head);
      if (!entries.length) break;
      await this.dispatch(entries, [subscriber]);
    }
  }

  /** Hands `entries` to `subscribers`, one group per user, each group in its user's transaction. */
  private async dispatch(entries: LogEntry[], subscribers: Subscriber[]): Promise<void> {
    return inSpan('live delivery', { 'soc_hub.live.events': entries.length, 'soc_hub.live.subscribers': subscribers.length }, () => this.dispatchNow(entries, subscribers));
  }

  private async dispatchNow(entries: LogEntry[], subscribers: Subscriber[]): Promise<void> {
    for (const s of subscribers) if (s.gone()) s.detach();
    const groups = byUser(subscribers.filter((s) => !s.closed));
    let failed = false;
    for (let i = 0; i < groups.length; i += PARALLEL_USERS) {
      const chunk = groups.slice(i, i + PARALLEL_USERS);
      const results = await Promise.allSettled(chunk.map((group) => this.deliverToUser(group, entries)));
      results.forEach((result, j) => {
        if (result.status === 'rejected') failed = this.deliveryFailed(chunk[j], result.reason) || failed;
      });
    }
    if (failed) throw new Error('live events could not be delivered to every subscriber; will retry');
  }

  /**
   * A user's delivery failed. Their subscriptions stay where they were, to be retried; one that
   * keeps failing is ended with an error (the client resumes from its cursor), so that it cannot
   * hold everyone else back. Returns whether any of them is still waiting for a retry.
   */
  private deliveryFailed(group: Subscriber[], reason: unknown): boolean {
    this.deps.log.warn({ err: reason }, 'live event delivery failed');
    let retrying = false;
    for (const subscriber of group) {
      if (++subscriber.failures < MAX_DELIVERY_FAILURES) {
        retrying = true;
        continue;
      }
      subscriber.push({ errors: [new GraphQLError('Live updates failed for this subscription. Resubscribe with your last cursor.', { extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } })] });
      subscriber.detach();
    }
    return retrying;
  }

  private async deliverToUser(group: Subscriber[], entries: LogEntry[]): Promise<void> {
    const wanted = entries.filter((e) => group.some((s) => e.seq > s.position && s.wants(e)));
    const delivered = () => {
      const last = entries[entries.length - 1].seq;
      for (const s of group) {
        if (s.position < last) s.position = last;
        s.failures = 0;
      }
    };
    if (!wanted.length) return delivered();
    const ctx = await forOperation(this.deps, group[0].viewer, undefined, {});
    const auditRows: AuditEventRow[] = [];
    try {
      const visible = await loadVisible(ctx, this.fetchers, wanted);
      const before = await visibleBefore(ctx, this.privileged, wanted);
      // Subscriptions of one user with the same selection get the same answer to the same event:
      // run it once, and give each subscription the answer and its own audit rows.
      const answers = new Map<string, { result: ExecutionResult; auditRows: AuditEventRow[] }>();
      for (const subscriber of group) {
        for (const [index, entry] of wanted.entries()) {
          if (entry.seq <= subscriber.position || !subscriber.wants(entry)) continue;
          const record = visible.get(keyOf(entry.recordType, entry.recordId)) ?? null;
          if (record && !subscriber.purpose && isSensitive(record as Parameters<typeof isSensitive>[0])) {
            // No stated purpose: refused, and told nothing of the record (not even which one changed).
            if (subscriber.wantsKind(kindOf(entry))) subscriber.push({ errors: [new PurposeRequiredError(entry.recordType, allowedPurposes(subscriber.viewer.roles))] });
            continue;
          }
          const event = this.decide(ctx, subscriber, entry, record, before.has(index));
          if (!event) continue;
          const key = `${subscriber.selection.key}|${subscriber.purpose}|${entry.seq}|${event.type}`;
          let answer = answers.get(key);
          if (!answer) {
            const subCtx = this.contextFor(ctx, subscriber);
            const result = await execute({ schema: this.schema, ...subscriber.selection, rootValue: event, contextValue: subCtx });
            answer = { result, auditRows: subCtx.audit.drain() };
            answers.set(key, answer);
            auditRows.push(...answer.auditRows);
          } else {
            auditRows.push(...answer.auditRows.map((row) => ({ ...row, client_address: subscriber.clientAddress })));
          }
          subscriber.push(answer.result);
          metrics.eventLagSeconds.observe((databaseNow() - entry.at.getTime()) / 1000); // both by the database's clock
        }
      }
      await writeAuditEvents(ctx, this.deps.orm, [], auditRows);
      delivered();
    } finally {
      await ctx.db.finish();
    }
  }

  /**
   * What this subscriber is told about this entry, if anything: nothing of a change only to
   * fields withheld from them, and of the changed fields only those they are shown.
   */
  private decide(ctx: RequestContext, subscriber: Subscriber, entry: LogEntry, record: object | null, couldSeeBefore: boolean): LiveEvent | null {
    const key = keyOf(entry.recordType, entry.recordId);
    if (record) {
      const kind = kindOf(entry);
      subscriber.markSeen(key);
      if (!subscriber.wantsKind(kind)) return null;
      const changedFields = shownFields(ctx, entry, record);
      if (entry.action === 'UPDATE' && entry.changedFields.length && !changedFields.length) return null;
      return eventOf(this.cursors, { ...entry, changedFields }, kind, record);
    }
    if (subscriber.hasSeen(key) || couldSeeBefore) {
      subscriber.forget(key);
      return eventOf(this.cursors, entry, entry.action === 'DELETE' ? LiveEventType.DELETED : LiveEventType.WITHDRAWN, null);
    }
    return null;
  }

  /** Each subscriber's own view of the shared transaction: its own purpose and audit trail. */
  private contextFor(shared: RequestContext, subscriber: Subscriber): RequestContext {
    const viewer = subscriber.viewer;
    return {
      ...shared,
      purpose: subscriber.purpose,
      access: { ...shared.access, purpose: subscriber.purpose },
      audit: new AuditCollector({
        userId: viewer.id,
        username: viewer.username,
        organisationId: viewer.organisation.id,
        purpose: subscriber.purpose,
        clientAddress: subscriber.clientAddress,
        requestId: shared.requestId,
      }),
    };
  }

  /**
   * Re-checks the records each subscriber has been shown and sends WITHDRAWN for those now out
   * of its reach: an agreement suspended or lapsed, or the user's roles or clearance changed.
   */
  private async recheckSeen(subscribers: Subscriber[]): Promise<void> {
    for (const group of byUser(subscribers.filter((s) => !s.closed && s.hasSeenAny))) {
      const ctx = await forOperation(this.deps, group[0].viewer, undefined, {});
      try {
        // What any of the user's subscriptions has been shown, read once (once per subscription,
        // 1,000 of a control room's took the hub from its deliveries for over a minute at load).
        const lost = new Map((await this.lostRecords(ctx, [...new Set(group.flatMap((s) => s.seenRecords()))])).map((r) => [keyOf(r.recordType, r.recordId), r]));
        for (const subscriber of group) {
          for (const key of subscriber.seenRecords()) {
            const record = lost.get(key);
            if (!record) continue;
            subscriber.forget(key);
            const withdrawn = eventOf(this.cursors, { ...record, seq: subscriber.position, action: 'UPDATE', changedFields: [], accessBefore: null, actorId: null, at: new Date(databaseNow()) }, LiveEventType.WITHDRAWN, null);
            subscriber.push(await execute({ schema: this.schema, ...subscriber.selection, rootValue: withdrawn, contextValue: this.contextFor(ctx, subscriber) }));
          }
        }
      } finally {
        await ctx.db.finish();
      }
    }
  }

  /** Of the records behind `keys` (`type:id`), those the context's caller can no longer read. */
  private async lostRecords(ctx: RequestContext, keys: string[]): Promise<{ recordType: string; recordId: string }[]> {
    const records = keys.map((key) => ({ recordType: key.slice(0, key.indexOf(':')), recordId: key.slice(key.indexOf(':') + 1) }));
    const stillVisible = await loadVisible(ctx, this.fetchers, records as LogEntry[]);
    return records.filter((r) => !stillVisible.has(keyOf(r.recordType, r.recordId)));
  }

  /** A user's account changed: close their sockets if deactivated, else refresh who they are and re-check. */
  private userChanged(userId: string): void {
    void this.serially(async () => {
      const row = await lookUpAccountById(this.deps.orm, userId);
      const user = row && userFromAccount(row);
      const theirs = [...this.subscribers].filter((s) => s.viewer.id === userId);
      if (!user || !user.active) {
        theirs.forEach((s) => s.detach());
        this.events.userDeactivated(userId);
        return;
      }
      theirs.forEach((s) => (s.viewer = user));
      await this.recheckSeen(theirs);
    });
  }
}

/** The entry's changed fields less those withheld from the caller (access/redaction.ts). */
function shownFields(ctx: RequestContext, entry: LogEntry, record: object): string[] {
  const withheld = new Set(withheldFields(ctx, entry.recordType, record as { owningOrganisationId?: string }).map((w) => w.field));
  return withheld.size ? entry.changedFields.filter((f) => !withheld.has(f)) : entry.changedFields;
}

/** Subscribers grouped by their user (one transaction and one access check per group). */
function byUser(subscribers: Subscriber[]): Subscriber[][] {
  const groups = new Map<string, Subscriber[]>();
  for (const s of subscribers) {
    const group = groups.get(s.viewer.id);
    if (group) group.push(s);
    else groups.set(s.viewer.id, [s]);
  }
  return [...groups.values()];
}

function eventOf(cursors: CursorCodec, entry: LogEntry, type: LiveEventType, record: object | null): LiveEvent {
  return Object.assign(new LiveEvent(), {
    cursor: cursors.encode(entry.seq),
    type,
    recordType: entry.recordType,
    recordId: toGlobalId(entry.recordType, entry.recordId),
    record,
    changedFields: type === LiveEventType.WITHDRAWN ? [] : entry.changedFields,
    at: entry.at,
    actorId: type === LiveEventType.WITHDRAWN ? null : entry.actorId,
  });
}

/** The subscriber's operation as a document of its own, to run once per event. */
function selectionOf(info: GraphQLResolveInfo): Selection {
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [info.operation, ...Object.values(info.fragments)] };
  const operationName = info.operation.name?.value;
  return { document, variableValues: info.variableValues, operationName, key: JSON.stringify([print(document), info.variableValues, operationName]) };
}
