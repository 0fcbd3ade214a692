import { column, globalId, objectSql, subSelections, unlessWithheldSql, withheldSql, type FieldSql, type OwnedRow, type TypeSql } from '../../graphql/compiled-answer';
import { onlyReadable } from '../../access/policy';
import { today } from '../../shared/validation';
import { PARTNER_STRANDS, STRANDS } from './plan.enums';

/**
 * A threat's `plan` in a compiled answer (graphql/compiled-answer.ts, threats/threat.compiled.ts),
 * with its quality gate computed in the statement.
 */

const strandArray = (strands: readonly string[]) => `array[${strands.map((s) => `'${s}'`).join(', ')}]`;

/**
 * The checks of assessPlanQuality (plan.quality.ts) for the plan under `pl`, one row each in the
 * order it makes them (grp, ord): code, strand, failed. Keep in step with plan.quality.ts and
 * GATE_PROBLEM_SQL (plan.repository.ts); the compiled-page test compares the answers.
 */
function gateChecksSql(pl: string, todaySql: string): string {
  return `
    select 1 as grp, s.ord, 'MISSING_STRAND' as code, s.strand,
      (${pl}.strand_exemptions ->> s.strand is null and not exists (select 1 from plan_objective o where o.plan_id = ${pl}.id and o.strand = s.strand)) as failed
      from unnest(${strandArray(STRANDS)}) with ordinality as s(strand, ord)
    union all
    select 2, ca.seq, 'ACTIVITY_NOT_ADDRESSED', null,
      not exists (select 1 from plan_action a where a.plan_id = ${pl}.id and a.status <> 'CANCELLED' and ca.id = any (a.addresses_activity_ids))
      from criminal_activity ca where ca.threat_id = ${pl}.threat_id
    union all
    select 3, 0, 'NO_LRO', null, ${pl}.lro_id is null
    union all
    select 4, 0, 'REVIEW_OVERDUE', null, coalesce(${pl}.next_review_due < ${todaySql}::date, ${pl}.status = 'ACTIVE') where ${pl}.status <> 'CLOSED'
    union all
    select 5, s.ord, 'PARTNER_NOT_NAMED', s.strand,
      not exists (select 1 from plan_partner pp where pp.plan_id = ${pl}.id and s.strand = any (pp.strands))
      from unnest(${strandArray(PARTNER_STRANDS)}) with ordinality as s(strand, ord) where ${pl}.strand_exemptions ->> s.strand is null`;
}

const PROBLEM_SQL: TypeSql<unknown> = { code: column('code'), strand: column('strand') };

/** The gate's figures, aggregated over its checks (alias `gate`), as assessPlanQuality computes them. */
const QUALITY_SQL: TypeSql<unknown> = {
  score: () => `round(100.0 * count(*) filter (where not gate.failed) / count(*))::int`,
  passes: () => `coalesce(bool_and(not gate.failed), true)`,
  checksMade: () => `count(*)::int`,
  checksPassed: () => `(count(*) filter (where not gate.failed))::int`,
  problems: (b, gate, field) => {
    const problem = objectSql(b, 'PlanQualityProblem', PROBLEM_SQL, gate, subSelections(field), undefined);
    return problem && `coalesce(json_agg(${problem} order by gate.grp, gate.ord) filter (where gate.failed), '[]'::json)`;
  },
};

const quality: FieldSql<OwnedRow> = (b, pl, field) => {
  const object = objectSql(b, 'PlanQuality', QUALITY_SQL, 'gate', subSelections(field), undefined);
  return object && `(select ${object} from (${gateChecksSql(pl, b.bind(today()))}) as gate)`;
};

const PLAN_SQL: TypeSql<OwnedRow> = {
  id: globalId('FourPPlan'),
  status: column('status'),
  closureReason: column('closure_reason'),
  reviewFrequencyDays: column('review_frequency_days'),
  nextReviewDue: column('next_review_due'),
  protectiveMarking: column('protective_marking'),
  sharing: column('sharing'),
  version: column('version'),
  quality: unlessWithheldSql('FourPPlan', 'quality', quality),
  withheld: withheldSql('FourPPlan'),
};

/**
 * The threat's plan as plansBy reads it: readable by the application's policy (row-level security
 * applies by itself). plansBy also asks that the plan's threat be readable: here the threat is
 * the row of the page, read through the same policy in the same statement.
 */
const planOfThreat: FieldSql<OwnedRow> = (b, t, field) => {
  const pl = b.alias('pl');
  const object = objectSql<OwnedRow>(b, 'FourPPlan', PLAN_SQL, pl, subSelections(field), { owner: (row) => `${row}.owning_organisation_id` },
    `'__typename', 'FourPPlan', 'dbId', ${pl}.id, 'protectiveMarking', ${pl}.protective_marking`);
  const { knex } = b.scope;
  const readable = onlyReadable(knex(`fourp_plan as ${pl}`).select(`${pl}.*`), b.scope, 'PLAN', pl);
  return object && `(select ${object} from ${b.bind(readable)} as ${pl} where ${pl}.threat_id = ${t}.id)`;
};

/** The plans module's fields on SocThreat in compiled answers (modules/index.ts adds them). */
export const threatsCompiledFields = { plan: planOfThreat };
