import type { RequestContext } from '../../graphql/context';
import { Problems } from '../../shared/validation';
import { auditAggregate, sensitiveCountSql } from '../reporting/reporting.audit';
import { checkRange } from '../reporting/reporting.shared';
import { ON_TIME_SQL, requestQuery } from './analytical-request.repository';
import type { AnalyticalRequestStats, AnalyticalRequestStatsArgs } from './analytical-request.stats.types';

/** The UTC calendar day a request was made: the period filter and the months both use it. */
const MADE_ON = `(ar.created_at at time zone 'UTC')::date`;
const OPEN = `ar.status in ('REQUESTED', 'ACCEPTED', 'IN_PROGRESS')`;

/** The demand counts, as SQL over requests aliased `ar` (delivered on time: ON_TIME_SQL; overdue by the database's clock). */
const COUNTS = [
  'count(*)::int as requested',
  `count(*) filter (where ar.status = 'DELIVERED')::int as delivered`,
  `count(*) filter (where ar.status = 'DELIVERED' and ${ON_TIME_SQL})::int as delivered_on_time`,
  `count(*) filter (where ar.status = 'DECLINED')::int as declined`,
  `count(*) filter (where ar.decline_reason = 'LACK_OF_CAPACITY')::int as declined_for_lack_of_capacity`,
  `count(*) filter (where ${OPEN})::int as open`,
  `count(*) filter (where ${OPEN} and ar.due_on < current_date)::int as overdue`,
];

const counts = (r: Record<string, any>) => ({
  requested: r.requested ?? 0,
  delivered: r.delivered ?? 0,
  deliveredOnTime: r.delivered_on_time ?? 0,
  declined: r.declined ?? 0,
  declinedForLackOfCapacity: r.declined_for_lack_of_capacity ?? 0,
  open: r.open ?? 0,
  overdue: r.overdue ?? 0,
});

/**
 * Demand against capacity (issue 19; the inspection's first finding): requests by month, delivered
 * on time, declined for lack of capacity, and each analyst's workload, counted in the database over
 * the requests the caller may read (the list's query: a force counts its own, the regional unit
 * the region's). Audited as a statistic over the sensitive requests it counted.
 */
export async function analyticalRequestStats(ctx: RequestContext, args: AnalyticalRequestStatsArgs): Promise<AnalyticalRequestStats> {
  const { knex } = ctx.db;
  const f = args.filter ?? {};
  const p = new Problems('');
  checkRange(f.from, f.to, p);
  p.throwIfAny();
  const selection = () => {
    const q = requestQuery(ctx.access).clearSelect();
    if (f.from) q.whereRaw(`${MADE_ON} >= ?`, [f.from]);
    if (f.to) q.whereRaw(`${MADE_ON} <= ?`, [f.to]);
    return q;
  };
  const [totals] = await selection().select(knex.raw(COUNTS.join(', ')), knex.raw(`${sensitiveCountSql('ar')} as sensitive`));
  auditAggregate(ctx, 'AnalyticalRequest', 'analyticalRequestStats', totals.sensitive);
  const month = `to_char(${MADE_ON}, 'YYYY-MM')`;
  const months = await selection().select(knex.raw(`${month} as month`), knex.raw(COUNTS.join(', '))).groupByRaw(month).orderByRaw(month);
  const workload = await selection()
    .select('ar.assigned_analyst_id', knex.raw(COUNTS.join(', ')), knex.raw(`count(*) filter (where ar.status = 'ACCEPTED')::int as waiting`), knex.raw(`count(*) filter (where ar.status = 'IN_PROGRESS')::int as in_progress`))
    .whereNotNull('ar.assigned_analyst_id')
    .groupBy('ar.assigned_analyst_id')
    .orderByRaw('open desc, ar.assigned_analyst_id');
  return {
    totals: counts(totals),
    months: months.map((r: Record<string, any>) => ({ month: r.month, ...counts(r) })),
    analystWorkload: workload.map((r: Record<string, any>) => ({
      analystId: r.assigned_analyst_id,
      waiting: r.waiting,
      inProgress: r.in_progress,
      delivered: r.delivered,
      deliveredOnTime: r.delivered_on_time,
      overdue: r.overdue,
    })),
  };
}
