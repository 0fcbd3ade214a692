import type { RequestContext } from '../../graphql/context';
import { isWithheld, withheldFields } from '../../access/redaction';
import { Problems } from '../../shared/validation';
import { threatQuery, type ThreatCriteria } from '../threats/threat.repository';
import { auditAggregate, sensitiveCountSql } from './reporting.audit';
import { ThreatStatsDimension } from './reporting.enums';
import type { ThreatStatsArgs } from './reporting.inputs';
import { checkGroupBy, groupedBy, idsOrProblems, keysOf, type Dimension } from './reporting.shared';
import type { ThreatStats } from './reporting.types';

const DIMENSIONS: Record<ThreatStatsDimension, Dimension> = {
  SUBJECT_TYPE: { sql: 't.subject_type', field: 'subjectType' },
  PRIORITY_BAND: { sql: 't.priority', field: 'priority' },
  LEAD_ORGANISATION: { sql: 't.lead_organisation_id', field: 'leadOrganisationId' },
  CATEGORY: { sql: 'ca.category', field: 'category' },
  STATUS: { sql: 't.status', field: 'status' },
};
const ROW_KEYS = ['subjectType', 'priority', 'leadOrganisationId', 'category', 'status'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The dimension as the caller may see it. A threat's priority is withheld from partner
 * organisations except on their own threats, so for them a breakdown by priority band counts
 * everyone else's threats under "withheld" (null, listed in the answer's `withheld`) rather than
 * refusing the whole report: a partner's report key gets every figure it is entitled to.
 */
function dimensionFor(ctx: RequestContext, d: ThreatStatsDimension): Dimension {
  if (d !== ThreatStatsDimension.PRIORITY_BAND || !isWithheld(ctx, 'SocThreat', 'priority')) return DIMENSIONS[d];
  const own = ctx.access.caller.organisationId;
  if (!UUID.test(own)) throw new Error('An organisation id is not a UUID'); // it is inlined below
  return { ...DIMENSIONS[d], sql: `case when t.owning_organisation_id = '${own}'::uuid then t.priority end` };
}

/** Checks the arguments. */
function parse(ctx: RequestContext, args: ThreatStatsArgs): ThreatCriteria {
  const p = new Problems('');
  checkGroupBy(args.groupBy, p);
  const f = args.filter ?? {};
  const criteria: ThreatCriteria = {
    statuses: f.statuses ?? undefined,
    subjectTypes: f.subjectTypes ?? undefined,
    leadOrganisationIds: idsOrProblems(f.leadOrganisationIds, 'Organisation', 'filter.leadOrganisationIds', p),
    categories: f.categories ?? undefined,
  };
  p.throwIfAny();
  return criteria;
}

/**
 * Threats by subject type, priority band, lead organisation, category and status: the threats
 * list's query (its policy filter, in the request's transaction), counted in the database.
 */
export async function threatStats(ctx: RequestContext, args: ThreatStatsArgs): Promise<ThreatStats> {
  const { knex } = ctx.db;
  const criteria = parse(ctx, args);
  const dims = args.groupBy.map((d) => dimensionFor(ctx, d));
  const query = threatQuery(ctx.access, criteria).clearSelect();
  // A threat has many activities: broken down by category it counts once under each of its categories.
  if (args.groupBy.includes(ThreatStatsDimension.CATEGORY)) query.join('criminal_activity as ca', 'ca.threat_id', 't.id');
  const rows: Record<string, any>[] = await groupedBy(query, knex, dims).select(
    knex.raw('count(distinct t.id)::int as count'),
    knex.raw(`${sensitiveCountSql('t', true)} as sensitive`),
  );
  const total: { count: number; sensitive: number } = args.groupBy.includes(ThreatStatsDimension.CATEGORY)
    ? await threatQuery(ctx.access, criteria).clearSelect().select(knex.raw('count(*)::int as count'), knex.raw(`${sensitiveCountSql('t')} as sensitive`)).first()
    : { count: rows.reduce((n, r) => n + r.count, 0), sensitive: rows.reduce((n, r) => n + r.sensitive, 0) };
  auditAggregate(ctx, 'SocThreat', 'threatStats', total.sensitive);
  return {
    rows: rows.filter((r) => dims.length === 0 || r.count > 0).map((r) => ({ ...keysOf(r, dims, ROW_KEYS), count: r.count })),
    total: total.count,
    withheld: args.groupBy.includes(ThreatStatsDimension.PRIORITY_BAND) ? withheldFields(ctx, 'SocThreat').filter((w) => w.field === 'priority') : [],
  };
}
