import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import type { RequestContext } from '../../graphql/context';
import { today } from '../../shared/validation';
import { OPEN_ACTION_STATUSES, PlanProblemCode, PlanStatus } from '../plans/plan.enums';
import { GATE_PROBLEM_SQL, gateProblemBindings, planQuery } from '../plans/plan.repository';
import { ThreatStatus } from '../threats/threat.enums';
import { threatQuery } from '../threats/threat.repository';
import { auditAggregate, sensitiveCountSql } from './reporting.audit';
import type { GateFailureCount, OverdueActionsCount, PlanStats } from './reporting.types';
import type { ReadScope } from '../../access/read-scope';

/** A plan in force: the statuses plansNeedingAttention checks. */
const IN_FORCE = [PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW];
const ADOPTED = [ThreatStatus.ADOPTED, ThreatStatus.UNDER_REVIEW];
const PROBLEMS = Object.values(PlanProblemCode);

/** A readable plan in force for the threat aliased t (optionally one naming an LRO). */
function planInForce(scope: ReadScope, withLro: boolean): Knex.QueryBuilder {
  const { knex } = scope;
  const plans = knex('fourp_plan as p').select(knex.raw('1')).whereRaw('p.threat_id = t.id').whereIn('p.status', IN_FORCE);
  if (withLro) plans.whereNotNull('p.lro_id');
  return onlyReadable(plans, scope, 'PLAN', 'p');
}

async function adoptedThreats(ctx: RequestContext) {
  const { knex } = ctx.db;
  const row = await threatQuery(ctx.access, { statuses: ADOPTED })
    .clearSelect()
    .select(
      knex.raw('count(*)::int as adopted'),
      knex.raw('count(*) filter (where exists (?))::int as with_plan', [planInForce(ctx.access, false)]),
      knex.raw('count(*) filter (where exists (?))::int as with_lro', [planInForce(ctx.access, true)]),
      knex.raw(`${sensitiveCountSql('t')} as sensitive`),
    )
    .first();
  auditAggregate(ctx, 'SocThreat', 'planStats', row.sensitive);
  return row as { adopted: number; with_plan: number; with_lro: number };
}

/**
 * The quality gate over the plans in force, one count per problem, each from the gate's own SQL
 * (plan.repository.ts GATE_PROBLEM_SQL, the rules of plan.quality.ts). A partner organisation is
 * shown the gate of its own plans only: for others it is withheld (it quotes intelligence).
 */
async function gate(ctx: RequestContext, day: string) {
  const { knex } = ctx.db;
  const plans = planQuery(ctx.access, { today: day, statuses: IN_FORCE }).clearSelect().select('p.protective_marking');
  if (!ctx.access.caller.isLawEnforcement) plans.where('p.owning_organisation_id', ctx.access.caller.organisationId);
  // Each check runs once per plan in the inner query; the outer one counts (a plan fails if any
  // check fails). `offset 0` keeps PostgreSQL from folding the two together, which would copy
  // every check's subqueries into each count that uses it and run them twice.
  PROBLEMS.forEach((c, i) => plans.select(knex.raw(`${GATE_PROBLEM_SQL[c]} as problem_${i}`, gateProblemBindings(c, day))));
  const row: Record<string, number> = await knex
    .queryBuilder()
    .from(knex.raw('(? offset 0) as g', [plans]))
    .select(knex.raw('count(*)::int as checked'), knex.raw(`count(*) filter (where g.protective_marking <> 'OFFICIAL')::int as sensitive`))
    .select(knex.raw(`count(*) filter (where ${PROBLEMS.map((_, i) => `g.problem_${i}`).join(' or ')})::int as failing`))
    .select(PROBLEMS.map((_, i) => knex.raw(`count(*) filter (where g.problem_${i})::int as problem_${i}`)))
    .first();
  auditAggregate(ctx, 'FourPPlan', 'planStats', row.sensitive);
  const failures: GateFailureCount[] = PROBLEMS.map((problem, i) => ({ problem, plans: row[`problem_${i}`] }));
  return { checked: row.checked, failing: row.failing, failures };
}

/**
 * Open and overdue actions of plans not closed, by owning organisation. A partner sees its own
 * actions only, except in its own plans (the plan's `actions` field narrows the same way).
 */
async function actionsByOwner(ctx: RequestContext, day: string): Promise<OverdueActionsCount[]> {
  const { knex } = ctx.db;
  const { caller } = ctx.access;
  const query = planQuery(ctx.access, { today: day, statuses: [PlanStatus.DRAFT, ...IN_FORCE] })
    .clearSelect()
    .join('plan_action as a', 'a.plan_id', 'p.id')
    .whereIn('a.status', OPEN_ACTION_STATUSES);
  if (!caller.isLawEnforcement) query.where((w) => w.where('a.owner_organisation_id', caller.organisationId).orWhere('p.owning_organisation_id', caller.organisationId));
  const rows: Record<string, any>[] = await query
    .select('a.owner_organisation_id', knex.raw('count(*)::int as open'), knex.raw('count(*) filter (where a.due_date < ?::date)::int as overdue', [day]))
    .select(knex.raw(`${sensitiveCountSql('p', true)} as sensitive`))
    .groupBy('a.owner_organisation_id')
    .orderByRaw('3 desc, 2 desc, 1');
  auditAggregate(ctx, 'FourPPlan', 'planStats', rows.reduce((n, r) => n + r.sensitive, 0));
  return rows.map((r) => ({ organisationId: r.owner_organisation_id, open: r.open, overdue: r.overdue }));
}

/** Plan figures within the caller's access: each a statement over the plans list's query. */
export async function planStats(ctx: RequestContext): Promise<PlanStats> {
  const day = today();
  const threats = await adoptedThreats(ctx);
  const quality = await gate(ctx, day);
  return {
    adoptedThreats: threats.adopted,
    withPlanInForce: threats.with_plan,
    withPlanInForceAndLro: threats.with_lro,
    plansChecked: quality.checked,
    plansFailingGate: quality.failing,
    gateFailures: quality.failures,
    actionsByOwner: await actionsByOwner(ctx, day),
  };
}
