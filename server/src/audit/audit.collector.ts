import { AuditAction, type Purpose } from './audit.enums';

/** Who made the request, and from where: the same on every event of one request. */
export interface AuditOrigin {
  userId: string;
  username: string;
  organisationId: string;
  purpose: Purpose | null;
  clientAddress: string | null;
  requestId: string;
}

/** One row for audit_event; the database adds id, at and the hashes. */
export interface AuditEventRow {
  user_id: string;
  username: string;
  organisation_id: string;
  operation: string | null;
  action: AuditAction;
  record_type: string | null;
  record_ids: string[];
  purpose: Purpose | null;
  client_address: string | null;
  request_id: string;
  detail: Record<string, unknown[]>;
}

interface Pending {
  action: AuditAction;
  recordType: string | null;
  ids: Set<string>;
  detail: Map<string, Map<string, unknown>>;
}

/** Why something was refused, as kept in a DENIED event's detail. */
export interface Refusal {
  code: string;
  field: string;
  message?: string;
}

/**
 * Collects a request's audit events as it runs: one event per (action, record type) holding
 * every id, so reading a page of 100 sensitive threats is one READ event, not 100. The events
 * are written in the request's transaction when it finishes (see writeAuditEvents).
 */
export class AuditCollector {
  private operation: string | null = null;
  private readonly pending = new Map<string, Pending>();
  /** `recordType:id` of READs a statement wrote itself (readWritten): not written again. */
  private readonly readsWritten = new Set<string>();

  constructor(readonly origin: AuditOrigin) {}

  get purpose(): Purpose | null {
    return this.origin.purpose;
  }

  /** The GraphQL operation's name, as the client called it, once known. */
  get operationName(): string | null {
    return this.operation;
  }

  /** The GraphQL operation's name, as the client called it (the first one seen). */
  setOperation(name: string | null | undefined): void {
    if (this.operation === null && name) this.operation = name;
  }

  /** Sensitive records were read. */
  read(recordType: string, ids: Iterable<string>): void {
    const unwritten = [...ids].filter((id) => !this.readsWritten.has(`${recordType}:${id}`));
    if (unwritten.length) this.record(AuditAction.READ, recordType, unwritten);
  }

  /**
   * The statement that read these records wrote their READ event itself, in the request's
   * transaction, as this collector would have (a compiled node(id) that ends its request:
   * graphql/node.ts): reading them is not recorded again.
   */
  readWritten(recordType: string, ids: Iterable<string>): void {
    for (const id of ids) this.readsWritten.add(`${recordType}:${id}`);
  }

  /** Whether any event is waiting to be written. */
  get isEmpty(): boolean {
    return this.pending.size === 0;
  }

  /** A mutation created, changed or removed a record. */
  changed(action: AuditAction.CREATE | AuditAction.UPDATE | AuditAction.DELETE | AuditAction.EXPORT, recordType: string | null, ids: Iterable<string>, mutation: string): void {
    this.record(action, recordType, ids, { mutations: mutation });
  }

  /** Something was refused; `ids` are the records asked for, when known. */
  denied(recordType: string | null, ids: Iterable<string>, refusal: Refusal): void {
    this.record(AuditAction.DENIED, recordType, ids, { refusals: refusal });
  }

  /** Records left the platform (a report or export); `format` says how. */
  exported(recordType: string, ids: Iterable<string>, format: string): void {
    this.record(AuditAction.EXPORT, recordType, ids, { formats: format });
  }

  /** Adds to the request's event for (action, record type), creating it on first use. */
  record(action: AuditAction, recordType: string | null, ids: Iterable<string>, detail: Record<string, unknown> = {}): void {
    const key = `${action}:${recordType ?? ''}`;
    let event = this.pending.get(key);
    if (!event) {
      event = { action, recordType, ids: new Set(), detail: new Map() };
      this.pending.set(key, event);
    }
    for (const id of ids) event.ids.add(id);
    for (const [name, value] of Object.entries(detail)) {
      const values = event.detail.get(name) ?? new Map<string, unknown>();
      values.set(JSON.stringify(value), value);
      event.detail.set(name, values);
    }
  }

  /** The collected events as rows, emptying the collector (so finishing twice writes once). */
  drain(): AuditEventRow[] {
    const rows = [...this.pending.values()].map((e) => ({
      user_id: this.origin.userId,
      username: this.origin.username,
      organisation_id: this.origin.organisationId,
      operation: this.operation,
      action: e.action,
      record_type: e.recordType,
      record_ids: [...e.ids],
      purpose: this.origin.purpose,
      client_address: this.origin.clientAddress,
      request_id: this.origin.requestId,
      detail: Object.fromEntries([...e.detail].map(([name, values]) => [name, [...values.values()]])),
    }));
    this.pending.clear();
    return rows;
  }
}
