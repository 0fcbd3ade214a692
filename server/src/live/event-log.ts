import type { Knex } from '@mikro-orm/postgresql';
import { BadUserInputError, AppError } from '../graphql/errors';

/** One committed change, as the log holds it (read on the server's own connection, never a request's). */
export interface LogEntry {
  seq: bigint;
  recordType: string;
  recordId: string;
  action: 'CREATE' | 'UPDATE' | 'DELETE';
  changedFields: string[];
  /** The access columns' values before an update that changed them (database column names). */
  accessBefore: Record<string, unknown> | null;
  actorId: string | null;
  at: Date;
}

/** The log has been pruned past the client's cursor: it must query afresh, then subscribe without `after`. */
export class CursorExpiredError extends AppError {
  readonly code = 'CURSOR_EXPIRED';
  constructor() {
    super(
      'This cursor is older than the event log keeps (or from another database). Query the records again, then subscribe without `after`.',
      'CURSOR_EXPIRED',
      { field: 'after' },
    );
  }
}

const CURSOR_PREFIX = 'ev1:';

export function toCursor(seq: bigint): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`, 'utf8').toString('base64url');
}

/** The sequence number inside a cursor, or BAD_USER_INPUT on `after`. */
export function fromCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(CURSOR_PREFIX) || !/^\d{1,18}$/.test(text.slice(CURSOR_PREFIX.length))) {
    throw new BadUserInputError([{ field: 'after', message: 'is not a cursor this server gave out' }]);
  }
  return BigInt(text.slice(CURSOR_PREFIX.length));
}

function entryOf(row: Record<string, any>): LogEntry {
  return {
    seq: BigInt(row.seq),
    recordType: row.record_type,
    recordId: row.record_id,
    action: row.action,
    changedFields: (row.changed_fields as string[]).map(camelCase),
    accessBefore: row.access_before,
    actorId: row.actor_id,
    at: new Date(Number(row.at_ms)),
  };
}

/** Columns are snake_case; clients know fields by their GraphQL names. */
function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Reads the log on a privileged connection (the application role cannot). */
export class EventLog {
  constructor(private readonly knex: Knex) {}

  /** Up to `limit` entries after `afterSeq`, oldest first. */
  async readAfter(afterSeq: bigint, limit: number): Promise<LogEntry[]> {
    const rows = await this.knex('live_event').select('*', this.knex.raw('extract(epoch from at) * 1000 as at_ms')).where('seq', '>', afterSeq.toString()).orderBy('seq').limit(limit);
    return rows.map(entryOf);
  }

  /** The last number handed out (0 when none). */
  async head(): Promise<bigint> {
    const row = await this.knex('live_event_counter').first('last_seq');
    return BigInt(row?.last_seq ?? 0);
  }

  /** The oldest number still kept, or null when the log is empty. */
  async oldest(): Promise<bigint | null> {
    const row = await this.knex('live_event').min('seq as seq').first();
    return row?.seq == null ? null : BigInt(row.seq);
  }

  /** Checks a resume point: not in the future, and not pruned away. */
  async checkResumable(afterSeq: bigint, head: bigint): Promise<void> {
    if (afterSeq > head) throw new BadUserInputError([{ field: 'after', message: 'is ahead of the event log' }]);
    if (afterSeq === head) return;
    const oldest = await this.oldest();
    if (oldest === null || afterSeq < oldest - 1n) throw new CursorExpiredError();
  }

  /** Deletes entries older than `retentionMs`; returns how many. */
  async prune(retentionMs: number): Promise<number> {
    return this.knex('live_event')
      .where('at', '<', new Date(Date.now() - retentionMs))
      .delete();
  }
}
