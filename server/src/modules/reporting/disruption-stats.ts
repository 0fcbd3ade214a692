import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../graphql/context';
import { asDate } from '../../shared/sql';
import { Problems } from '../../shared/validation';
import { DisruptionStatus } from '../disruptions/disruption.enums';
import { disruptionQuery } from '../disruptions/disruption.repository';
import { disruptionRules } from '../disruptions/disruption.rules';
import { checkFiscalYears, fiscalQuarterNumberSql, fiscalStartYearSql, fiscalYearLabel } from './fiscal';
import { auditAggregate, sensitiveCountSql } from './reporting.audit';
import { AGEING_BUCKETS, DisruptionStatsDimension } from './reporting.enums';
import type { DisruptionStatsArgs } from './reporting.inputs';
import { checkGroupBy, checkRange, groupedBy, idsOrProblems, keysOf, sqlList, withinFiscalYears, type Dimension } from './reporting.shared';
import type { AwaitingValidation, DisruptionStats, DisruptionStatsQuery, DisruptionStatsRow, LevelComparison } from './reporting.types';
import type { ReadScope } from '../../access/read-scope';

/**
 * Disruption figures (docs/domain.md, "Figures people ask for"), each one SQL statement over the
 * disruptions the caller may read: the list query of the disruptions module (its policy
 * filter) in the request's transaction (row-level security), aggregated in the database, grouped
 * by hashing (RequestDb.preferHashedGrouping: PostgreSQL sorted 121,674 rows on disk to group
 * them into 35; with that and date_part, SEROCU's figures took about a tenth less in the bench).
 */

/** Once validated, the validator's level and strand are the ones that count; before, the claim's. */
const LEVEL = 'coalesce(d.level_agreed, d.level)';
const STRAND = 'coalesce(d.strand_agreed, d.strand)';
const COUNTING_LEVELS = sqlList(disruptionRules.levels.filter((l) => l.counts).map((l) => l.level));
const COUNTS = `d.status = '${DisruptionStatus.VALIDATED}' and d.level_agreed in (${COUNTING_LEVELS})`;

const DIMENSIONS: Record<DisruptionStatsDimension, Dimension> = {
  ORGANISATION: { sql: 'd.claiming_organisation_id', field: 'organisationId' },
  FISCAL_YEAR: { sql: fiscalStartYearSql('d.date'), field: 'fiscalYear', label: fiscalYearLabel },
  QUARTER: { sql: fiscalQuarterNumberSql('d.date'), field: 'quarter', label: (q) => `Q${q}` },
  LEVEL: { sql: LEVEL, field: 'level' },
  STRAND: { sql: STRAND, field: 'strand' },
  CATEGORY: { sql: 'ca.category', field: 'category' },
  STATUS: { sql: 'd.status', field: 'status' },
};
const ROW_KEYS = ['organisationId', 'fiscalYear', 'quarter', 'level', 'strand', 'category', 'status'] as const;

/** Checks the arguments, reporting every problem at once (BAD_USER_INPUT with the fields). */
export function parseDisruptionStats(args: DisruptionStatsArgs): DisruptionStatsQuery {
  const p = new Problems('');
  const f = args.filter ?? {};
  checkGroupBy(args.groupBy, p);
  checkRange(f.from, f.to, p);
  const query: DisruptionStatsQuery = {
    groupBy: args.groupBy,
    from: f.from ?? undefined,
    to: f.to ?? undefined,
    fiscalYears: checkFiscalYears(f.fiscalYears, 'filter.fiscalYears', p),
    organisationIds: idsOrProblems(f.organisationIds, 'Organisation', 'filter.organisationIds', p),
    threatIds: idsOrProblems(f.threatIds, 'SocThreat', 'filter.threatIds', p),
    levels: f.levels?.length ? f.levels : undefined,
    strands: f.strands?.length ? f.strands : undefined,
    categories: f.categories?.length ? f.categories : undefined,
    statuses: f.statuses?.length ? [...new Set(f.statuses)] : [DisruptionStatus.VALIDATED],
  };
  p.throwIfAny();
  return query;
}

/**
 * The readable disruptions (alias d) the query selects, in `statuses`; nothing selected yet.
 * Law enforcement may read most of the table, so their figures check each disruption's threat in
 * one hashed pass (acrossTable: see access/references.ts, withReadableThreat). Partners read only
 * what their organisation claimed or contributed to: looked up threat by threat, theirs took
 * 83-230 ms, against 790-910 ms in one pass over the whole table, which PostgreSQL also judges
 * costly enough to compile (JIT: 210-250 ms without it), at load average about 25.
 */
function selection(scope: ReadScope, q: DisruptionStatsQuery, statuses: readonly DisruptionStatus[], withCategory: boolean): Knex.QueryBuilder {
  const acrossTable = scope.caller.isLawEnforcement;
  const query = disruptionQuery(scope, { statuses: [...statuses], threatIds: q.threatIds, claimingOrganisationIds: q.organisationIds, dateFrom: q.from, dateTo: q.to, acrossTable }).clearSelect();
  withinFiscalYears(query, 'd.date', q.fiscalYears);
  if (q.levels) query.whereRaw(`${LEVEL} = any (?::text[])`, [`{${q.levels.join(',')}}`]);
  if (q.strands) query.whereRaw(`${STRAND} = any (?::text[])`, [`{${q.strands.join(',')}}`]);
  // The activity is joined only when needed: most figures never look at it.
  if (withCategory || q.categories) query.leftJoin('criminal_activity as ca', 'ca.id', 'd.criminal_activity_id');
  if (q.categories) query.whereIn('ca.category', q.categories);
  return query;
}

/** Rows broken down by the dimensions asked for, with counts, counting disruptions and late records. */
export async function disruptionStatsRows(ctx: RequestContext, stats: DisruptionStats): Promise<DisruptionStatsRow[]> {
  const { knex } = ctx.db;
  const q = stats.query;
  const dims = q.groupBy.map((d) => DIMENSIONS[d]);
  await ctx.db.preferHashedGrouping();
  const query = groupedBy(selection(ctx.access, q, q.statuses, q.groupBy.includes(DisruptionStatsDimension.CATEGORY)), knex, dims).select(
    knex.raw('count(*)::int as count'),
    knex.raw(`count(*) filter (where ${COUNTS})::int as counting`),
    knex.raw('count(*) filter (where d.is_late)::int as late'),
    knex.raw(`${sensitiveCountSql('d')} as sensitive`),
  );
  const rows: Record<string, any>[] = await query;
  auditAggregate(ctx, 'Disruption', 'disruptionStats', rows.reduce((n, r) => n + r.sensitive, 0));
  return rows
    .filter((r) => dims.length === 0 || r.count > 0)
    .map((r) => ({ ...keysOf(r, dims, ROW_KEYS), count: r.count, countingCount: r.counting, lateCount: r.late }));
}

/** Validated disruptions by claimed level against agreed level. */
export async function claimedAgainstAgreed(ctx: RequestContext, stats: DisruptionStats): Promise<LevelComparison[]> {
  const { knex } = ctx.db;
  await ctx.db.preferHashedGrouping();
  const rows: Record<string, any>[] = await selection(ctx.access, stats.query, [DisruptionStatus.VALIDATED], false)
    .select('d.level as claimed', 'd.level_agreed as agreed', knex.raw('count(*)::int as count'), knex.raw(`${sensitiveCountSql('d')} as sensitive`))
    .groupBy('d.level', 'd.level_agreed')
    .orderBy(['d.level', 'd.level_agreed']);
  auditAggregate(ctx, 'Disruption', 'disruptionStats.claimedAgainstAgreed', rows.reduce((n, r) => n + r.sensitive, 0));
  const order = disruptionRules.levels.map((l) => l.level as string);
  return rows
    .map((r) => ({ claimed: r.claimed, agreed: r.agreed, count: r.count }))
    .sort((a, b) => order.indexOf(a.claimed) - order.indexOf(b.claimed) || order.indexOf(a.agreed) - order.indexOf(b.agreed));
}

/** Days a claim has waited since submission (UTC calendar days), and its ageing bucket, in SQL. */
const WAITED_DAYS = `(current_date - (d.submitted_at at time zone 'UTC')::date)`;
const BUCKET = `case ${AGEING_BUCKETS.filter((b) => b.maxDays !== null)
  .map((b) => `when ${WAITED_DAYS} <= ${b.maxDays} then '${b.bucket}'`)
  .join(' ')} else '${AGEING_BUCKETS.at(-1)!.bucket}' end`;

/** Claims submitted and not yet decided (whatever filter.statuses says), by age. */
export async function awaitingValidation(ctx: RequestContext, stats: DisruptionStats): Promise<AwaitingValidation> {
  const { knex } = ctx.db;
  const rows: Record<string, any>[] = await selection(ctx.access, stats.query, [DisruptionStatus.SUBMITTED], false)
    .select(knex.raw(`${BUCKET} as bucket`), knex.raw('count(*)::int as count'), knex.raw('min(d.submitted_at) as oldest'), knex.raw(`${sensitiveCountSql('d')} as sensitive`))
    .groupByRaw('1');
  auditAggregate(ctx, 'Disruption', 'disruptionStats.awaitingValidation', rows.reduce((n, r) => n + r.sensitive, 0));
  const oldest = rows.map((r) => asDate(r.oldest as string)).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  return {
    total: rows.reduce((n, r) => n + r.count, 0),
    oldestSubmittedAt: oldest,
    byAge: AGEING_BUCKETS.map(({ bucket }) => ({ bucket, count: rows.find((r) => r.bucket === bucket)?.count ?? 0 })),
  };
}
