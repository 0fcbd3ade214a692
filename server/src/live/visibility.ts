import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context';
import type { NodeFetchers } from '../graphql/node';
import type { LogEntry } from './event-log';
import { RECORD_KINDS, recordKindOfType, type RecordKind } from '../access/catalogue';

/**
 * How a subscriber is told that a change took a record of a kind out of their reach (WITHDRAWN),
 * decided from the access catalogue for every kind:
 * - BY_ACCESS_BEFORE: marking and sharing alone decide the caller's reach, so the values before
 *   the change say whether the caller could see it before (and WITHDRAWN goes to those who could);
 * - BY_WHAT_WAS_SHOWN: other columns decide (referrals: their parties; for partners, nominals
 *   through referrals and disruptions through claims), so only the subscriber's own memory of
 *   what it was shown can yield a WITHDRAWN.
 */
export type WithdrawalJudgement = 'BY_ACCESS_BEFORE' | 'BY_WHAT_WAS_SHOWN';

export function withdrawalJudgedBy(kind: RecordKind, isLawEnforcement: boolean): WithdrawalJudgement {
  return kind.reachBySharing && (isLawEnforcement || kind.partnerReachBySharing) ? 'BY_ACCESS_BEFORE' : 'BY_WHAT_WAS_SHOWN';
}

/**
 * Throws unless every catalogued record kind can be loaded as the caller sees it (a node
 * fetcher): a kind without one would silently never be delivered, nor withdrawn. The hub checks
 * at start.
 */
export function checkEveryKindLoadable(fetchers: NodeFetchers): void {
  const missing = RECORD_KINDS.filter((k) => !Object.hasOwn(fetchers, k.typename)).map((k) => k.typename);
  if (missing.length) throw new Error(`Live updates cannot tell who may see ${missing.join(', ')}: no node fetcher (each feature module's nodes)`);
}

/** The record kind, when marking and sharing before a change say whether this caller could see it. */
function judgedByAccessBefore(recordType: string, isLawEnforcement: boolean): RecordKind | undefined {
  const kind = recordKindOfType(recordType);
  return kind && withdrawalJudgedBy(kind, isLawEnforcement) === 'BY_ACCESS_BEFORE' ? kind : undefined;
}

/** `type:id` */
export const keyOf = (recordType: string, recordId: string) => `${recordType}:${recordId}`;

/**
 * The records the context's caller may read now, loaded through the same fetchers as `node(id)`
 * (the application's policy inside the caller's transaction, where row-level security applies).
 * The objects are what a query would return, redacted the same way.
 */
export async function loadVisible(ctx: RequestContext, fetchers: NodeFetchers, entries: LogEntry[]): Promise<Map<string, object>> {
  const idsByType = new Map<string, Set<string>>();
  for (const e of entries) if (fetchers[e.recordType]) idsByType.set(e.recordType, (idsByType.get(e.recordType) ?? new Set()).add(e.recordId));
  const visible = new Map<string, object>();
  for (const [type, idSet] of idsByType) {
    const ids = [...idSet];
    const rows = await fetchers[type](ctx, ids);
    rows.forEach((row, i) => row && visible.set(keyOf(type, ids[i]), row));
  }
  return visible;
}

/**
 * Of the entries that changed a record's marking or sharing, those whose record the caller could
 * read before the change, judged by the database's own rule (soc_can_read) in the caller's
 * transaction. The record's other access columns are read on the server's own connection,
 * because the caller may no longer see the row.
 */
export async function visibleBefore(ctx: RequestContext, privileged: Knex, entries: LogEntry[]): Promise<Set<number>> {
  const candidates = entries
    .map((entry, index) => ({ entry, index, shared: judgedByAccessBefore(entry.recordType, ctx.access.caller.isLawEnforcement) }))
    .filter((c): c is { entry: LogEntry; index: number; shared: RecordKind } => !!c.entry.accessBefore && !!c.shared);
  const result = new Set<number>();
  for (const { entry, index, shared } of candidates) {
    const now = await privileged(shared.table).first('owning_organisation_id', 'protective_marking', 'sharing', 'shared_with').where('id', entry.recordId);
    if (!now) continue;
    const before = { ...now, ...entry.accessBefore };
    const { rows } = await ctx.db.knex.raw('select soc_can_read(?, ?::uuid, ?, ?, ?::uuid[]) as readable', [
      shared.category,
      before.owning_organisation_id,
      before.protective_marking,
      before.sharing,
      `{${(before.shared_with as string[]).join(',')}}`,
    ]);
    if (rows[0]?.readable) result.add(index);
  }
  return result;
}
