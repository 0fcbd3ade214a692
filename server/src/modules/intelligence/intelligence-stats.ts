import type { RequestContext } from '../../graphql/context';
import { PARTNER_WITHHELD } from '../../access/catalogue';
import { Problems } from '../../shared/validation';
import { checkFiscalYears, fiscalQuarterNumberSql, fiscalStartYearSql, fiscalYearLabel } from '../reporting/fiscal';
import { auditAggregate } from '../reporting/reporting.audit';
import { checkGroupBy, checkRange, groupedBy, keysOf, sqlList, withinFiscalYears, type Dimension } from '../reporting/reporting.shared';
import { intelligenceRules } from './intelligence.rules';
import { reportQuery } from './intelligence.repository';
import { IntelligenceStatsDimension, type IntelligenceStats, type IntelligenceStatsArgs } from './intelligence-stats.types';

const RECEIVED_ON = 'i.received_on';
const ROW_KEYS = ['owningOrganisationId', 'sourceEvaluation', 'intelligenceAssessment', 'handlingCode', 'fiscalYear', 'quarter'] as const;
const GRADING: readonly IntelligenceStatsDimension[] = [IntelligenceStatsDimension.SOURCE_EVALUATION, IntelligenceStatsDimension.INTELLIGENCE_ASSESSMENT];

/** A grading flag of the entry rules (intelligence-rules.json) as SQL: the same rule the report's gradingFlags apply. */
const FLAGGED = intelligenceRules.flags.length
  ? intelligenceRules.flags.map((f) => `(i.source_evaluation in (${sqlList(f.sourceEvaluation)}) and i.intelligence_assessment in (${sqlList(f.intelligenceAssessment)}))`).join(' or ')
  : 'false';

/**
 * The breakdowns, as the caller may see them. Partners are never shown grading (docs/domain.md):
 * theirs are counted under a null grading, as their threat picture counts others' priority bands.
 */
function dimensions(lawEnforcement: boolean): Record<IntelligenceStatsDimension, Dimension> {
  const grading = (column: string) => (lawEnforcement ? column : 'null::text');
  return {
    OWNING_ORGANISATION: { sql: 'i.owning_organisation_id', field: 'owningOrganisationId' },
    SOURCE_EVALUATION: { sql: grading('i.source_evaluation'), field: 'sourceEvaluation' },
    INTELLIGENCE_ASSESSMENT: { sql: grading('i.intelligence_assessment'), field: 'intelligenceAssessment' },
    HANDLING_CODE: { sql: 'i.handling_code', field: 'handlingCode' },
    FISCAL_YEAR: { sql: fiscalStartYearSql(RECEIVED_ON), field: 'fiscalYear', label: fiscalYearLabel },
    QUARTER: { sql: fiscalQuarterNumberSql(RECEIVED_ON), field: 'quarter', label: (q) => `Q${q}` },
  };
}

function parse(args: IntelligenceStatsArgs): { fiscalYears: string[] } {
  const p = new Problems('');
  checkGroupBy(args.groupBy, p);
  checkRange(args.filter?.from, args.filter?.to, p);
  const fiscalYears = checkFiscalYears(args.filter?.fiscalYears, 'filter.fiscalYears', p);
  p.throwIfAny();
  return { fiscalYears };
}

/** Intelligence figures over the intelligence list's query (both access layers), counted in the database. */
export async function intelligenceStats(ctx: RequestContext, args: IntelligenceStatsArgs): Promise<IntelligenceStats> {
  const { knex } = ctx.db;
  const { fiscalYears } = parse(args);
  const lawEnforcement = ctx.access.caller.isLawEnforcement;
  const selection = reportQuery(ctx.access, { receivedFrom: args.filter?.from ?? undefined, receivedTo: args.filter?.to ?? undefined }).clearSelect();
  withinFiscalYears(selection, RECEIVED_ON, fiscalYears);
  const dims = args.groupBy.map((d) => dimensions(lawEnforcement)[d]);
  const rows: Record<string, any>[] = await groupedBy(selection, knex, dims).select(
    knex.raw('count(*)::int as count'),
    knex.raw('count(*) filter (where exists (select 1 from intelligence_dissemination as stats_d where stats_d.report_id = i.id))::int as disseminated'),
    knex.raw(`count(*) filter (where ${FLAGGED})::int as flagged`),
  );
  const total = rows.reduce((n, r) => n + r.count, 0);
  // Every intelligence read is audited, whatever its marking (docs/domain.md).
  auditAggregate(ctx, 'IntelligenceReport', 'intelligenceStats', total);
  const reasons = PARTNER_WITHHELD.IntelligenceReport ?? {};
  return {
    rows: rows.map((r) => ({ ...keysOf(r, dims, ROW_KEYS), count: r.count, disseminated: r.disseminated, flagged: lawEnforcement ? r.flagged : null })),
    total,
    withheld: lawEnforcement
      ? []
      : args.groupBy.filter((d) => GRADING.includes(d)).map((d) => ({
          field: d === IntelligenceStatsDimension.SOURCE_EVALUATION ? 'sourceEvaluation' : 'intelligenceAssessment',
          reason: reasons[d === IntelligenceStatsDimension.SOURCE_EVALUATION ? 'sourceEvaluation' : 'intelligenceAssessment'] ?? 'Grading is withheld from partner organisations.',
        })),
  };
}
