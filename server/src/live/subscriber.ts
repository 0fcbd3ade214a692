import type { DocumentNode, ExecutionResult } from 'graphql';
import type { Purpose } from '../audit';
import type { User } from '../modules/identity/user.entity';
import type { LogEntry } from './event-log';
import { LiveEventType } from './live.types';

/** What a subscriber asked for. Empty sets mean "everything". */
export interface EventFilter {
  types: Set<LiveEventType> | null;
  recordTypes: Set<string> | null;
  /** Database ids. */
  recordIds: Set<string> | null;
  /**
   * The records named by ID (recordIds, threatChanged(id)...), with their types: followed from
   * the start, so one the subscriber could read when subscribing and later may not (an agreement
   * suspended) is announced as WITHDRAWN, though no event about it had been sent yet.
   */
  followed?: { recordType: string; recordId: string }[];
}

/** How to run the subscriber's own selection over one event (its document, as the client sent it). */
export interface Selection {
  document: DocumentNode;
  variableValues: Record<string, unknown>;
  operationName: string | undefined;
  /** Same key, same document, variables and operation: the same answer for the same user and event. */
  key: string;
}

/** A subscriber's records seen on this connection are bounded, so an idle socket stays small. */
const MAX_SEEN = 5_000;
/** What happens when a subscriber's socket does not read (config's LIVE_MAX_QUEUED_RESULTS). */
export interface Backlog {
  /** Results that may wait for the socket; one more and the subscriber has fallen behind. */
  max: number;
  /** Drops the connection (the socket is the slow part, not this one subscription). */
  fellBehind: () => void;
}

let nextId = 1;

/**
 * One subscription: who asked (the viewer is refreshed when their account changes), what they
 * asked for, the last log position they have been given, and the records they have been shown
 * (so a record leaving their reach is announced once, as WITHDRAWN). Results are handed to
 * graphql-ws through an async iterator; `return()` (socket closed, client completed) detaches.
 */
export class Subscriber implements AsyncIterableIterator<ExecutionResult> {
  readonly id = nextId++;
  position = 0n;
  /** Deliveries that failed in a row (the database unavailable, say). */
  failures = 0;
  private readonly seen = new Set<string>();
  private readonly buffer: ExecutionResult[] = [];
  private waiting: ((r: IteratorResult<ExecutionResult>) => void) | undefined;
  private done = false;

  constructor(
    public viewer: User,
    readonly purpose: Purpose | null,
    readonly clientAddress: string | null,
    readonly gone: () => boolean,
    readonly filter: EventFilter,
    readonly selection: Selection,
    private readonly onDetach: (s: Subscriber) => void,
    private readonly backlog: Backlog,
  ) {}

  get closed(): boolean {
    return this.done;
  }

  /** Whether events about this record are wanted at all (before access, and before the kind is known). */
  wants(entry: LogEntry): boolean {
    const { recordTypes, recordIds } = this.filter;
    return (!recordTypes || recordTypes.has(entry.recordType)) && (!recordIds || recordIds.has(entry.recordId));
  }

  /** WITHDRAWN is always wanted: a client showing the record must learn it is gone. */
  wantsKind(kind: LiveEventType): boolean {
    return kind === LiveEventType.WITHDRAWN || !this.filter.types || this.filter.types.has(kind);
  }

  hasSeen(recordId: string): boolean {
    return this.seen.has(recordId);
  }

  get hasSeenAny(): boolean {
    return this.seen.size > 0;
  }

  seenRecords(): string[] {
    return [...this.seen];
  }

  markSeen(recordId: string): void {
    if (this.seen.has(recordId)) return;
    if (this.seen.size >= MAX_SEEN) this.seen.delete(this.seen.values().next().value!);
    this.seen.add(recordId);
  }

  forget(recordId: string): void {
    this.seen.delete(recordId);
  }

  push(result: ExecutionResult): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: result, done: false });
      return;
    }
    if (this.buffer.length >= this.backlog.max) {
      // graphql-ws waits for each frame to reach the kernel before taking the next result, so a
      // client that stops reading leaves its results here: bounded, then the connection is dropped
      // (the client reconnects and resumes from its last cursor; nothing is lost).
      this.buffer.length = 0;
      this.detach();
      this.backlog.fellBehind();
      return;
    }
    this.buffer.push(result);
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    const value = this.buffer.shift();
    if (value) return Promise.resolve({ value, done: false });
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<ExecutionResult>> {
    this.buffer.length = 0;
    this.detach();
    return Promise.resolve({ value: undefined, done: true });
  }

  /** Stops the subscription; anything still buffered is delivered first. */
  detach(): void {
    if (this.done) return;
    this.done = true;
    this.onDetach(this);
    if (this.waiting && !this.buffer.length) {
      this.waiting({ value: undefined, done: true });
      this.waiting = undefined;
    }
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/** The kind of event a log entry is before access is considered. */
export function kindOf(entry: LogEntry): LiveEventType {
  if (entry.action === 'CREATE') return LiveEventType.CREATED;
  if (entry.action === 'DELETE') return LiveEventType.DELETED;
  return LiveEventType.UPDATED;
}
