import type { Knex } from '@mikro-orm/postgresql';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
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

/**
 * Event cursors are opaque: a position in the event log is the platform-wide count of changes,
 * and a cursor that showed it would tell every user how much the whole region records (two
 * cursors a day apart, the volume in between). A cursor is the position encrypted with the
 * server's cursor key (AES-256 over one 16-byte block: the position and a fixed check), so it
 * reveals nothing of the count, cannot be made up or moved on, and every instance sharing the
 * key (LIVE_CURSOR_KEY, or the key file in DATA_DIR) resumes any other's cursor exactly.
 */
const CHECK = Buffer.from('soc-ev2\0', 'utf8');

export class CursorCodec {
  private readonly key: Buffer;

  constructor(secret: Buffer | string) {
    this.key = createHash('sha256').update(secret).digest();
  }

  /** A secret from configuration, else the one kept in the data directory (made on first use, shared by instances using it). */
  static inDataDir(dataDir: string, secret: string | undefined): CursorCodec {
    if (secret) return new CursorCodec(secret);
    const file = path.join(dataDir, 'live-cursor.key');
    try {
      fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // kept from before, or another instance made it first
    }
    return new CursorCodec(fs.readFileSync(file, 'utf8').trim());
  }

  encode(seq: bigint): string {
    const block = Buffer.alloc(16);
    block.writeBigUInt64BE(seq, 0);
    CHECK.copy(block, 8);
    const cipher = createCipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
    return Buffer.concat([cipher.update(block), cipher.final()]).toString('base64url');
  }

  /** The position inside a cursor, or BAD_USER_INPUT on `after` for one this key did not make. */
  decode(cursor: string): bigint {
    const refused = () => new BadUserInputError([{ field: 'after', message: 'is not a cursor this server gave out' }]);
    const bytes = Buffer.from(cursor, 'base64url');
    if (bytes.length !== 16 || bytes.toString('base64url') !== cursor) throw refused();
    const decipher = createDecipheriv('aes-256-ecb', this.key, null).setAutoPadding(false);
    const block = Buffer.concat([decipher.update(bytes), decipher.final()]);
    if (!block.subarray(8).equals(CHECK)) throw refused();
    return block.readBigUInt64BE(0);
  }
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

  /**
   * Deletes entries older than `retentionMs` by the database's clock, which stamped them: an
   * instance whose own clock ran days ahead would otherwise prune what clients still resume from.
   */
  async prune(retentionMs: number): Promise<number> {
    return this.knex('live_event')
      .whereRaw('at < now() - make_interval(secs => ?)', [retentionMs / 1000])
      .delete();
  }
}
