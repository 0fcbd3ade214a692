import { createHash, randomBytes } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { RequestContext } from '../graphql/context';
import type { AuditEvent } from './audit.types';

/**
 * The free text of an exported audit search, held apart from the trail and purged after a time
 * (docs/access.md, "Audit"). An auditor's `user` (words of a person's name) and `record` (a
 * reference, or whatever was typed) may be personal data about whoever was looked for; the trail
 * is append-only and chained, so what is written into it stays for ever. The EXPORT event keeps
 * the rest of the filter and, for each of these fields, when its text is held until and a salted
 * digest of it: while the text is held, the digest shows it is the very text searched (a changed
 * one is not shown); once it is purged, with its salt, the digest confirms no guess.
 */

/** The filter's fields that take free text. */
const FREE_TEXT_FIELDS = ['user', 'record'] as const;

/**
 * How long the text is held: 90 days, a quarter, time for the regional auditor's review of who
 * searched the trail for what and why, after which the export's purpose is spent; the event
 * itself (who exported, when, under which purpose, which other filters) is kept with the trail.
 */
export const SEARCH_TEXT_HELD_DAYS = 90;

/** How often each instance purges what is past its time (any instance may; each row goes once). */
const PURGE_EVERY_MS = 10 * 60_000;

/** What the event records in place of a free-text field's value. */
export interface HeldText {
  heldUntil: string;
  digest: string;
  /** The text, added when the event is read while it is held. */
  text?: string;
}

const digestOf = (salt: string, text: string) => createHash('sha256').update(`${salt}\u0000${text}`).digest('hex');

/** A filter as typed: each name with its values (a query string's, or a list of one). */
export type TypedFilter = Record<string, string[]>;

/**
 * The filter as its EXPORT event records it: the fields given (the other fields are checked
 * before an export is made: enum values, dates, IDs), each free-text field replaced by a HeldText
 * whose text is written to audit_search_text in the request's transaction, with the event.
 */
export async function heldFilter(ctx: RequestContext, typed: TypedFilter): Promise<Record<string, unknown>> {
  const given: Record<string, unknown> = Object.fromEntries(Object.entries(typed).filter(([, values]) => values.length).map(([name, values]) => [name, values.length === 1 ? values[0] : values]));
  const texts = Object.fromEntries(FREE_TEXT_FIELDS.filter((f) => typeof given[f] === 'string').map((f) => [f, given[f] as string]));
  if (!Object.keys(texts).length) return given;
  const salt = randomBytes(16).toString('hex');
  const [row] = await ctx.db
    .knex('audit_search_text')
    .insert({
      request_id: ctx.requestId,
      user_id: ctx.viewer.id,
      organisation_id: ctx.viewer.organisation.id,
      texts,
      salt,
      held_until: ctx.db.knex.raw(`current_date + ?::int`, [SEARCH_TEXT_HELD_DAYS]),
    })
    .returning(ctx.db.knex.raw(`to_char(held_until, 'YYYY-MM-DD') as held_until`));
  for (const [field, text] of Object.entries(texts)) given[field] = { heldUntil: row.held_until, digest: digestOf(salt, text) } satisfies HeldText;
  return given;
}

const isHeldText = (value: unknown): value is HeldText => typeof value === 'object' && value !== null && typeof (value as HeldText).digest === 'string';

/**
 * Puts the texts still held back into the export events among `events` (as `text` beside the
 * digest), read as the events are (the caller's reach over the trail), and only where the digest
 * the event recorded matches.
 */
export async function withHeldSearchTexts(knex: Knex, events: AuditEvent[]): Promise<void> {
  const exports = events.filter((e) => e.action === 'EXPORT' && e.recordType === 'AuditEvent' && Array.isArray((e.detail as { filters?: unknown })?.filters));
  if (!exports.length) return;
  const rows: { request_id: string; user_id: string; texts: Record<string, string>; salt: string }[] = await knex('audit_search_text')
    .whereIn('request_id', [...new Set(exports.map((e) => e.requestId))])
    .select('request_id', 'user_id', 'texts', 'salt');
  for (const event of exports) {
    const own = rows.filter((r) => r.request_id === event.requestId && r.user_id === event.userId);
    const detail = event.detail as { filters: Record<string, unknown>[] };
    event.detail = { ...detail, filters: detail.filters.map((filter) => withTexts(filter, own)) };
  }
}

function withTexts(filter: Record<string, unknown>, rows: { texts: Record<string, string>; salt: string }[]): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(filter).map(([field, value]) => {
      if (!isHeldText(value)) return [field, value];
      const held = rows.find((r) => typeof r.texts[field] === 'string' && digestOf(r.salt, r.texts[field]) === value.digest);
      return [field, held ? { ...value, text: held.texts[field] } : value];
    }),
  );
}

/** Deletes the texts whose time has passed (by the database's date), as the connecting user. */
export async function purgeSearchTexts(owner: Knex): Promise<number> {
  return owner('audit_search_text').whereRaw('held_until < current_date').delete();
}

/** Purges now and every PURGE_EVERY_MS, until stopped. */
export function startSearchTextPurge(owner: Knex, log: Logger): { stop(): void } {
  const purge = () => void purgeSearchTexts(owner).catch((err) => log.warn({ err }, 'held audit search texts could not be purged'));
  purge();
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
