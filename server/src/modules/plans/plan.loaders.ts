import type { RequestContext } from '../../graphql/context';
import { byKey, groupByKey } from '../../graphql/loaders';
import { today } from '../../shared/validation';
import { threatLoaders } from '../threats/threat.loaders';
import { actionsBy, entriesBy, objectivesBy, partnersByPlanIds, plansBy, reviewsByPlanIds } from './plan.repository';
import { assessPlanQuality } from './plan.quality';
import type { FourPPlan } from './plan.types';

/** Request-scoped batch loaders for plans and their parts: one statement per kind per request. */
export const planLoaders = {
  plan: (ctx: RequestContext) =>
    ctx.loaders.get('plan.byId', async (ids: readonly string[]) => byKey(ids, await plansBy(ctx.access, 'p.id', ids), (p) => p.dbId)),
  planOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('plan.byThreat', async (ids: readonly string[]) => byKey(ids, await plansBy(ctx.access, 'p.threat_id', ids), (p) => p.threatId)),
  objective: (ctx: RequestContext) =>
    ctx.loaders.get('plan.objective', async (ids: readonly string[]) => byKey(ids, await objectivesBy(ctx.access, 'id', ids), (o) => o.dbId)),
  objectivesOfPlan: (ctx: RequestContext) =>
    ctx.loaders.get('plan.objectives', async (ids: readonly string[]) => groupByKey(ids, await objectivesBy(ctx.access, 'plan_id', ids), (o) => o.planId)),
  action: (ctx: RequestContext) =>
    ctx.loaders.get('plan.action', async (ids: readonly string[]) => byKey(ids, await actionsBy(ctx.access, 'id', ids, today()), (a) => a.dbId)),
  actionsOfPlan: (ctx: RequestContext) =>
    ctx.loaders.get('plan.actions', async (ids: readonly string[]) => groupByKey(ids, await actionsBy(ctx.access, 'plan_id', ids, today()), (a) => a.planId)),
  partnersOfPlan: (ctx: RequestContext) =>
    ctx.loaders.get('plan.partners', async (ids: readonly string[]) => groupByKey(ids, await partnersByPlanIds(ctx.access, ids), (p) => p.planId)),
  entry: (ctx: RequestContext) =>
    ctx.loaders.get('plan.entry', async (ids: readonly string[]) => byKey(ids, await entriesBy(ctx.access, 'id', ids), (e) => e.dbId)),
  entriesOfPlan: (ctx: RequestContext) =>
    ctx.loaders.get('plan.entries', async (ids: readonly string[]) => groupByKey(ids, await entriesBy(ctx.access, 'plan_id', ids), (e) => e.planId)),
  reviewsOfPlan: (ctx: RequestContext) =>
    ctx.loaders.get('plan.reviews', async (ids: readonly string[]) => groupByKey(ids, await reviewsByPlanIds(ctx.access, ids), (r) => r.planId)),
};

/**
 * What the quality gate reads of a saved plan, from batched loads: for a page of plans this costs
 * one statement each for objectives, actions, partners and the threats' activities, however long
 * the page.
 */
export async function gateInputOf(ctx: RequestContext, plan: FourPPlan) {
  const [objectives, actions, partners, activities] = await Promise.all([
    planLoaders.objectivesOfPlan(ctx).load(plan.dbId),
    planLoaders.actionsOfPlan(ctx).load(plan.dbId),
    planLoaders.partnersOfPlan(ctx).load(plan.dbId),
    threatLoaders.activitiesOfThreat(ctx).load(plan.threatId),
  ]);
  // Only what the gate reads, picked rather than spread: copying the whole plan by spread was a
  // slow path for V8 (see shared/shared-record.ts, mapShared), once per plan of a page.
  const { status, lroId, nextReviewDue, strandExemptions } = plan;
  return { status, lroId, nextReviewDue, strandExemptions, objectives, actions, partners, activities, today: today() };
}

/** The quality gate of a saved plan. */
export async function planQuality(ctx: RequestContext, plan: FourPPlan) {
  return assessPlanQuality(await gateInputOf(ctx, plan));
}
