import type { Knex } from '@mikro-orm/postgresql';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/**
 * Anchors for the audit chain. The chain (Migration20261125001000_audit) proves that no event was
 * changed or removed by anyone who cannot also recompute every hash after it; a database
 * superuser can. So the server publishes the chain's head (last event id and hash) every few
 * minutes and at shutdown where the database cannot reach: a line in the log and a line in a
 * file beside the server, each signed with a key the database never sees. Verification checks
 * each anchored event still has the hash it had: a recomputed chain no longer matches its anchors.
 */
export interface AuditAnchor {
  at: string;
  lastEventId: string;
  lastHash: string;
  signature: string;
}

export interface AnchorCheck {
  anchorsChecked: number;
  /** The first anchored event whose hash is no longer the anchored one (or that is gone), or whose anchor's signature fails. */
  firstBrokenAnchorEventId: string | null;
}

export class AuditAnchors {
  private lastPublished: string | null = null;

  constructor(
    private readonly file: string,
    private readonly key: Buffer,
    private readonly log: Logger,
  ) {}

  /**
   * The anchors of a server whose local state is in `dataDir`, one file per database (the URL
   * without its credentials names it), signed with `key` or a key kept there (made on first use).
   */
  static inDataDir(dataDir: string, databaseUrl: string, key: string | undefined, log: Logger): AuditAnchors {
    fs.mkdirSync(dataDir, { recursive: true });
    const url = new URL(databaseUrl);
    const database = createHash('sha256').update(`${url.host}${url.pathname}`).digest('hex').slice(0, 16);
    return new AuditAnchors(path.join(dataDir, `audit-anchors.${database}.jsonl`), key ? Buffer.from(key, 'utf8') : localKey(dataDir), log);
  }

  /** Reads the chain's head (as the database owner: the head is nobody else's to read) and publishes it if it moved. */
  async publish(owner: Knex): Promise<AuditAnchor | null> {
    const head = await owner('audit_chain_head').first('last_id', 'last_hash');
    if (!head?.last_id) return null;
    const lastEventId = String(head.last_id);
    if (lastEventId === this.lastPublished) return null;
    const at = new Date().toISOString();
    const anchor: AuditAnchor = { at, lastEventId, lastHash: head.last_hash, signature: this.sign(at, lastEventId, head.last_hash) };
    await fs.promises.appendFile(this.file, `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
    this.log.info({ auditAnchor: anchor }, 'audit chain anchored');
    this.lastPublished = lastEventId;
    return anchor;
  }

  /** Checks every anchor published here against the events as they are now. */
  async verify(owner: Knex): Promise<AnchorCheck> {
    const anchors = this.read();
    if (!anchors.length) return { anchorsChecked: 0, firstBrokenAnchorEventId: null };
    const rows: { id: string; hash: string }[] = await owner('audit_event')
      .select(owner.raw('id::text as id'), 'hash')
      .whereIn('id', [...new Set(anchors.map((a) => a.lastEventId))]);
    const hashes = new Map(rows.map((r) => [r.id, r.hash]));
    const broken = anchors.find((a) => !this.signedHere(a) || hashes.get(a.lastEventId) !== a.lastHash);
    return { anchorsChecked: anchors.length, firstBrokenAnchorEventId: broken?.lastEventId ?? null };
  }

  private read(): AuditAnchor[] {
    if (!fs.existsSync(this.file)) return [];
    return fs
      .readFileSync(this.file, 'utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as AuditAnchor);
  }

  private sign(at: string, lastEventId: string, lastHash: string): string {
    return createHmac('sha256', this.key).update(`${at}|${lastEventId}|${lastHash}`).digest('base64url');
  }

  private signedHere(a: AuditAnchor): boolean {
    const expected = Buffer.from(this.sign(a.at, a.lastEventId, a.lastHash));
    const given = Buffer.from(String(a.signature));
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** The anchor-signing key kept in the data directory (readable by the server's user only). */
function localKey(dataDir: string): Buffer {
  const file = path.join(dataDir, 'audit-anchor.key');
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err; // kept from before, or another instance made it first
  }
  return Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'utf8');
}
