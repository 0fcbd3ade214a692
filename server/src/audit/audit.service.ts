import { chainAuditEvents } from './sequencer';
import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context';
import { ForbiddenError } from '../graphql/errors';
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, type Connection } from '../graphql/connection';
import { BadUserInputError } from '../graphql/errors';
import { fromGlobalId, requireGlobalId, toGlobalId } from '../graphql/global-id';
import { onlyReadable } from '../access/policy';
import { Role, OrganisationType } from '../modules/identity/identity.enums';
import { asDate, containsPattern } from '../shared/sql';
import { AuditAction } from './audit.enums';
import { withHeldSearchTexts } from './search-text';
import type { AuditChainVerification, AuditEvent, AuditEventsArgs, AuditEventFilter } from './audit.types';

export function requireAuditor(ctx: RequestContext): void {
  if (!ctx.viewer.roles.includes(Role.AUDITOR)) throw new ForbiddenError('Only auditors may read the audit trail.');
}

export function mapEvent(row: Record<string, any>): AuditEvent {
  const recordDbIds = (row.record_ids ?? []) as string[];
  return {
    id: String(row.id),
    at: asDate(row.at),
    userId: row.user_id,
    username: row.username,
    organisationId: row.organisation_id,
    operation: row.operation,
    action: row.action,
    recordType: row.record_type,
    recordDbIds,
    recordIds: recordDbIds.map((id) => toGlobalId(row.record_type ?? 'Record', id)),
    purpose: row.purpose,
    clientAddress: row.client_address,
    requestId: row.request_id,
    detail: row.detail,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Whose events the caller may read (the application's half; row-level security holds the same
 * rule): a regional unit's auditor, every organisation of its region; others, their own.
 */
function scopeToCaller(query: Knex.QueryBuilder, ctx: RequestContext): void {
  const own = ctx.viewer.organisation;
  if (own.type === OrganisationType.ROCU) {
    query.whereIn('e.organisation_id', ctx.db.knex('organisation').select('id').where({ region: own.region }));
  } else {
    query.where('e.organisation_id', own.id);
  }
}

/**
 * Operations the web client's audit search makes besides the search itself: reading the names of
 * the records on a page of events (each such read is audited, and would otherwise fill the first
 * page with the auditor's own reads). Hidden with the auditor's searches; shown when asked.
 */
const SEARCH_OPERATIONS = ['AuditRecordNames'];

/** The record behind a reference (threat URN, referral reference) the caller may read, or undefined. */
async function recordByReference(ctx: RequestContext, reference: string): Promise<string | undefined> {
  const scope = ctx.access;
  const { knex } = scope;
  const threat = await onlyReadable(knex('soc_threat as t').select('t.id').whereRaw('upper(t.urn) = upper(?)', [reference]), scope, 'THREAT', 't').first();
  if (threat) return threat.id;
  const referral = await onlyReadable(knex('safeguarding_referral as r').select('r.id').whereRaw('upper(r.reference) = upper(?)', [reference]), scope, 'REFERRAL', 'r').first();
  return referral?.id;
}

/**
 * The database id `filter.record` names: a global ID of ours, or the reference of a record the
 * caller may read (one they may not read is not found, as one that does not exist).
 */
async function recordOfFilter(ctx: RequestContext, text: string): Promise<string> {
  const given = text.trim();
  const parsed = fromGlobalId(given);
  if (parsed) return parsed.id;
  const found = given ? await recordByReference(ctx, given) : undefined;
  if (!found) {
    throw new BadUserInputError([
      { field: 'filter.record', message: `No threat or referral you can see has the reference "${given.slice(0, 60)}". Give a threat's URN (such as SE-2024-0042), a referral's reference, or a record's ID.` },
    ]);
  }
  return found;
}

/** The filters that need the database to understand (references), resolved before the query is built. */
export async function resolveFilter(ctx: RequestContext, filter: AuditEventFilter | null | undefined): Promise<ResolvedFilter> {
  return { ...(filter ?? {}), recordDbId: filter?.record ? await recordOfFilter(ctx, filter.record) : undefined };
}

export type ResolvedFilter = AuditEventFilter & { recordDbId?: string };

/** Narrows `query` (audit_event as e) to whose events the caller may read and to the filter. */
export function scopedEvents(ctx: RequestContext, filter: ResolvedFilter): Knex.QueryBuilder {
  const query = ctx.db.knex('audit_event as e').select('e.*');
  if (ctx.access.layers.application) scopeToCaller(query, ctx);
  applyFilter(query, filter);
  if (filter.user?.trim()) {
    const words = containsPattern(filter.user.trim());
    query.where((w) =>
      w.whereILike('e.username', words).orWhereIn('e.user_id', ctx.db.knex('app_user').select('id').whereILike('display_name', words)),
    );
  }
  if (filter.recordDbId) query.whereRaw('e.record_ids @> array[?]::uuid[]', [filter.recordDbId]);
  if (filter.hideOwnSearches) {
    query.whereNot((w) =>
      w.where('e.user_id', ctx.viewer.id).where((own) => own.whereIn('e.record_type', ['AuditEvent', 'AuditChain']).orWhereIn('e.operation', SEARCH_OPERATIONS)),
    );
  }
  return query;
}

function applyFilter(query: Knex.QueryBuilder, filter: AuditEventFilter | null | undefined): void {
  if (!filter) return;
  if (filter.userIds) query.whereIn('e.user_id', filter.userIds.map((g, i) => requireGlobalId(g, 'User', `filter.userIds[${i}]`)));
  if (filter.organisationIds) {
    query.whereIn('e.organisation_id', filter.organisationIds.map((g, i) => requireGlobalId(g, 'Organisation', `filter.organisationIds[${i}]`)));
  }
  if (filter.recordId) {
    const parsed = requireRecordId(filter.recordId);
    query.whereRaw('e.record_ids @> array[?]::uuid[]', [parsed]);
  }
  if (filter.purpose) query.whereIn('e.purpose', filter.purpose);
  if (filter.action) query.whereIn('e.action', filter.action);
  if (filter.from) query.where('e.at', '>=', filter.from);
  if (filter.to) query.where('e.at', '<', filter.to);
}

/** Any record's global ID: the type inside only has to be one of ours (never echoed: it may be garbled bytes). */
function requireRecordId(globalId: string): string {
  const parsed = fromGlobalId(globalId);
  if (!parsed) throw new BadUserInputError([{ field: 'filter.recordId', message: "is not a record's ID (to search by a threat's URN or a referral's reference, use filter.record)" }]);
  return parsed.id;
}

const encodeCursor = (id: string) => Buffer.from(`e:${id}`).toString('base64url');

function decodeCursor(cursor: string | null | undefined, field: string): string | undefined {
  if (cursor == null) return undefined;
  const match = /^e:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new BadUserInputError([{ field, message: 'is not a cursor from the audit trail' }]);
  return match[1];
}

function pageSize(value: number | null | undefined, field: string): number | undefined {
  if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) throw new BadUserInputError([{ field, message: `must be between 0 and ${MAX_PAGE_SIZE}` }]);
  return value ?? undefined;
}

/**
 * One page, newest first. Cursors hold event numbers, not offsets: the trail grows while an
 * auditor pages through it (reading it is itself recorded), and a page must not shift.
 */
async function pageOfEvents(query: Knex.QueryBuilder, args: AuditEventsArgs): Promise<Connection<AuditEvent>> {
  const first = pageSize(args.first, 'first');
  const last = pageSize(args.last, 'last');
  const after = decodeCursor(args.after, 'after');
  const before = decodeCursor(args.before, 'before');
  const backwards = last != null && first == null;
  const limit = (backwards ? last : first) ?? DEFAULT_PAGE_SIZE;
  const page = query.clone();
  if (after) page.where('e.id', '<', after);
  if (before) page.where('e.id', '>', before);
  const rows: Record<string, any>[] = await page.orderBy('e.id', backwards ? 'asc' : 'desc').limit(limit + 1);
  const more = rows.length > limit;
  const kept = rows.slice(0, limit);
  if (backwards) kept.reverse();
  const [{ count }] = await query.clone().clearSelect().count({ count: '*' });
  const edges = kept.map((row) => ({ cursor: encodeCursor(String(row.id)), node: mapEvent(row) }));
  return {
    edges,
    totalCount: Number(count),
    pageInfo: {
      hasNextPage: backwards ? before !== undefined : more,
      hasPreviousPage: backwards ? more : after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}

/** The audit trail, newest first, as far as the caller may see it; the reading itself is recorded. */
export async function auditEvents(ctx: RequestContext, args: AuditEventsArgs) {
  requireAuditor(ctx);
  const query = scopedEvents(ctx, await resolveFilter(ctx, args.filter));
  const page = await pageOfEvents(query, args);
  await withHeldSearchTexts(ctx.db.knex, page.edges.map((e) => e.node));
  ctx.audit.record(AuditAction.READ, 'AuditEvent', [], { eventIds: page.edges.map((e) => e.node.id) });
  return page;
}

/**
 * Recomputes the chain in the database (audit_verify_chain) over every event, whoever's, and
 * checks it against the heads this server published (audit/anchors.ts): a chain a database
 * superuser rewrote and recomputed is whole but no longer matches its anchors.
 */
export async function verifyAuditChain(ctx: RequestContext): Promise<AuditChainVerification> {
  requireAuditor(ctx);
  const owner = ctx.em.getConnection().getKnex();
  // What has committed is chained first (audit/sequencer.ts), so the check covers it; events
  // committing meanwhile are reported as the unchained tail.
  await chainAuditEvents(owner);
  const { rows } = await ctx.db.knex.raw('select valid, events_checked, first_broken_event_id, events_unchained from audit_verify_chain()');
  const [result] = rows as { valid: boolean; events_checked: string; first_broken_event_id: string | null; events_unchained: string }[];
  const anchors = ctx.auditAnchors ? await ctx.auditAnchors.verify(owner) : { anchorsChecked: 0, firstBrokenAnchorEventId: null };
  const valid = result.valid && anchors.firstBrokenAnchorEventId === null;
  ctx.audit.record(AuditAction.READ, 'AuditChain', [], { verified: valid });
  return {
    valid,
    eventsChecked: Number(result.events_checked),
    eventsUnchained: Number(result.events_unchained),
    firstBrokenEventId: result.first_broken_event_id === null ? null : String(result.first_broken_event_id),
    ...anchors,
    checkedAt: new Date(),
  };
}
