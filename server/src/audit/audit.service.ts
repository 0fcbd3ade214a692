import { chainAuditEvents } from './sequencer';
import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context';
import { ForbiddenError } from '../graphql/errors';
import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, type Connection } from '../graphql/connection';
import { BadUserInputError } from '../graphql/errors';
import { requireGlobalId, toGlobalId } from '../graphql/global-id';
import { Role, OrganisationType } from '../modules/identity/identity.enums';
import { asDate } from '../shared/sql';
import { AuditAction } from './audit.enums';
import type { AuditChainVerification, AuditEvent, AuditEventsArgs, AuditEventFilter } from './audit.types';

function requireAuditor(ctx: RequestContext): void {
  if (!ctx.viewer.roles.includes(Role.AUDITOR)) throw new ForbiddenError('Only auditors may read the audit trail.');
}

function mapEvent(row: Record<string, any>): AuditEvent {
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

/** Any record's global ID: the type inside only has to be one of ours. */
function requireRecordId(globalId: string): string {
  const [type] = Buffer.from(globalId, 'base64url').toString('utf8').split(':');
  return requireGlobalId(globalId, type || 'record', 'filter.recordId');
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
  const query = ctx.db.knex('audit_event as e').select('e.*');
  if (ctx.access.layers.application) scopeToCaller(query, ctx);
  applyFilter(query, args.filter);
  const page = await pageOfEvents(query, args);
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
  };
}
