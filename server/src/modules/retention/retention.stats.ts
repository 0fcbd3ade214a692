import type { RequestContext } from '../../graphql/context';
import { onlyReadable } from '../../access/policy';
import { isAlwaysSensitive } from '../../audit/audit.middleware';
import { Problems } from '../../shared/validation';
import { auditAggregate } from '../reporting/reporting.audit';
import { checkRange } from '../reporting/reporting.shared';
import { KIND_OF_TYPE } from './retention.enums';
import type { DisposedType, RetainedType } from './retention-periods';
import { RETAINED_TABLES, ofOrganisationsReviewedBy } from './retention.repository';
import type { RetentionStats, RetentionStatsArgs, RetentionStatsRow } from './retention.stats.types';

type Period = { from: string | null; to: string | null };

/** SQL for `column` (a date) within the period, both ends included, open-ended where not given, with its bindings. */
function inPeriod(column: string, { from, to }: Period): [string, (string | null)[]] {
  return [`(?::date is null or ${column} >= ?::date) and (?::date is null or ${column} <= ?::date)`, [from, from, to, to]];
}

/** Each retained kind's records, counted: overdue, due in the period, and how many of those counted are sensitive. */
async function dueCounts(ctx: RequestContext, period: Period) {
  const scope = ctx.access;
  const { knex } = scope;
  const queries = (Object.keys(RETAINED_TABLES) as RetainedType[]).map((type) => {
    const { table, category } = RETAINED_TABLES[type];
    const overdue = 'rec.next_review_on < current_date';
    const [due, bindings] = inPeriod('rec.next_review_on', period);
    const q = onlyReadable(knex(`${table} as rec`), scope, category, 'rec')
      .select(knex.raw('?::text as record_type', [type]), 'rec.owning_organisation_id as organisation_id')
      .select(knex.raw(`count(*) filter (where ${overdue})::int as overdue`))
      .select(knex.raw(`count(*) filter (where ${due})::int as due_in_period`, bindings))
      // As the audit middleware judges a record read: referrals and intelligence always, others by marking.
      .select(knex.raw(`count(*) filter (where ${isAlwaysSensitive(type) ? 'true' : "rec.protective_marking <> 'OFFICIAL'"} and (${overdue} or ${due}))::int as sensitive`, bindings))
      .groupBy('rec.owning_organisation_id');
    return ofOrganisationsReviewedBy(ctx, q, 'rec.owning_organisation_id');
  });
  const rows: Record<string, any>[] = [];
  for (const q of queries) rows.push(...(await q)); // one after another: one connection per request
  return rows;
}

/**
 * Retention reviews in figures (the `retention-reviews` report): for the caller's organisation's
 * records (a regional unit's auditor: the region's), by kind and owner, the reviews overdue and
 * falling due in the period (among the records the caller may read), the decisions to keep made
 * in it, the disposals in it, and the tombstones kept (row-level security lets the owner's people
 * and auditors read decisions and tombstones). Counts only: no record is named. Audited as a
 * statistic over the sensitive records whose reviews it counted.
 */
export async function retentionStats(ctx: RequestContext, args: RetentionStatsArgs): Promise<RetentionStats> {
  const { knex } = ctx.db;
  const period = { from: args.filter?.from ?? null, to: args.filter?.to ?? null };
  const p = new Problems('');
  checkRange(period.from, period.to, p);
  p.throwIfAny();

  const due = await dueCounts(ctx, period);
  const retained: Record<string, any>[] = await ofOrganisationsReviewedBy(ctx, knex('retention_review as rr'), 'rr.organisation_id')
    .select('rr.record_type', 'rr.organisation_id', knex.raw('count(*)::int as retained'))
    .whereRaw(...inPeriod(`(rr.reviewed_at at time zone 'UTC')::date`, period))
    .groupBy('rr.record_type', 'rr.organisation_id');
  const [disposedInPeriod, bindings] = inPeriod('d.disposed_on', period);
  const tombstones: Record<string, any>[] = await ofOrganisationsReviewedBy(ctx, knex('disposed_record as d'), 'd.organisation_id')
    .select('d.record_type', 'd.organisation_id', knex.raw('count(*)::int as tombstones'), knex.raw(`count(*) filter (where ${disposedInPeriod})::int as disposed`, bindings))
    .groupBy('d.record_type', 'd.organisation_id');
  auditAggregate(ctx, 'RetentionReview', 'retentionStats', due.reduce((n, r) => n + r.sensitive, 0));

  const rows = new Map<string, RetentionStatsRow>();
  const rowOf = (type: DisposedType, organisationId: string) => {
    const key = `${organisationId}|${type}`;
    if (!rows.has(key)) rows.set(key, { organisationId, kind: KIND_OF_TYPE[type], overdue: 0, dueInPeriod: 0, retained: 0, disposed: 0, tombstones: 0 });
    return rows.get(key)!;
  };
  for (const r of due) Object.assign(rowOf(r.record_type, r.organisation_id), { overdue: r.overdue, dueInPeriod: r.due_in_period });
  for (const r of retained) rowOf(r.record_type, r.organisation_id).retained = r.retained;
  for (const r of tombstones) Object.assign(rowOf(r.record_type, r.organisation_id), { tombstones: r.tombstones, disposed: r.disposed });
  const kindOrder = Object.values(KIND_OF_TYPE);
  return {
    rows: [...rows.values()]
      .filter((r) => r.overdue + r.dueInPeriod + r.retained + r.disposed + r.tombstones > 0)
      .sort((a, b) => a.organisationId.localeCompare(b.organisationId) || kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind)),
  };
}
