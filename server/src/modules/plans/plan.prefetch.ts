import { primeActivities, readsActivities, type ThreatsPrefetch } from '../threats/threat.prefetch';
import { today } from '../../shared/validation';
import { planLoaders } from './plan.loaders';
import { actionsBy, objectivesBy, partnersByPlanIds, plansBy } from './plan.repository';

/**
 * A page of threats asking for `plan` gets the plans with the rest of its prefetch, and when it
 * asks for the plans' `quality`, what the gate reads (objectives, actions, partners, the threats'
 * activities) in the same message, by the threats' ids, instead of a message of its own once the
 * plans are back (see threats/threat.prefetch.ts). The gate only for law enforcement: it is
 * withheld from partners except on their own plans, which their loaders then read. Listed in
 * the plans module's `threatsPrefetches` (index.ts).
 */
export const planOfThreats: ThreatsPrefetch = async (ctx, selected, threats) => {
  if (!selected.has('plan')) return;
  const { knex } = ctx.db;
  const threatIds = threats.map((t) => t.dbId);
  const gate = selected.child('plan').has('quality') && ctx.access.caller.isLawEnforcement;
  const planIds = () => knex('fourp_plan').select('id').whereIn('threat_id', threatIds);
  const [plans, objectives, actions, partners] = await Promise.all([
    plansBy(ctx.access, 'p.threat_id', threatIds),
    gate ? objectivesBy(ctx.access, 'plan_id', planIds()) : undefined,
    gate ? actionsBy(ctx.access, 'plan_id', planIds(), today()) : undefined,
    gate ? partnersByPlanIds(ctx.access, planIds()) : undefined,
    // The threats' activities, unless the page's own prefetch reads them already.
    gate && !readsActivities(selected) ? primeActivities(ctx, threatIds) : undefined,
  ]);
  const byThreat = new Map(plans.map((p) => [p.threatId, p]));
  for (const id of threatIds) planLoaders.planOfThreat(ctx).prime(id, byThreat.get(id) ?? null);
  if (!gate) return;
  for (const plan of plans) {
    planLoaders.objectivesOfPlan(ctx).prime(plan.dbId, objectives!.filter((o) => o.planId === plan.dbId));
    planLoaders.actionsOfPlan(ctx).prime(plan.dbId, actions!.filter((a) => a.planId === plan.dbId));
    planLoaders.partnersOfPlan(ctx).prime(plan.dbId, partners!.filter((p) => p.planId === plan.dbId));
  }
};
