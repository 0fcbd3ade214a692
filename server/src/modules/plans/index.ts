import type { NodeFetchers } from '../../graphql/node';
import { withVisibleParents } from '../../access/policy';
import { planLoaders } from './plan.loaders';
import {
  visibleActions,
  PlanActionResolver,
  PlanEntryResolver,
  PlanObjectiveResolver,
  PlanPartnerResolver,
  PlanResolver,
  PlanReviewResolver,
  ThreatPlanResolver,
} from './plan.resolver';

/** The plans module: 4P plans with their quality gate, and `plan` on SocThreat. */
export const plansModule = {
  entities: [],
  resolvers: [PlanResolver, PlanObjectiveResolver, PlanActionResolver, PlanPartnerResolver, PlanEntryResolver, PlanReviewResolver, ThreatPlanResolver],
  nodes: {
    FourPPlan: (ctx, ids) => planLoaders.plan(ctx).loadMany(ids).then(nullForErrors),
    PlanObjective: async (ctx, ids) => withVisibleParents(nullForErrors(await planLoaders.objective(ctx).loadMany(ids)), (o) => planLoaders.plan(ctx).load(o.planId)),
    PlanAction: async (ctx, ids) =>
      Promise.all(
        (await withVisibleParents(nullForErrors(await planLoaders.action(ctx).loadMany(ids)), (a) => planLoaders.plan(ctx).load(a.planId))).map(async (a) =>
          a && visibleActions(ctx, [a], await planLoaders.plan(ctx).load(a.planId)).length ? a : null,
        ),
      ),
    PlanEntry: async (ctx, ids) => withVisibleParents(nullForErrors(await planLoaders.entry(ctx).loadMany(ids)), (e) => planLoaders.plan(ctx).load(e.planId)),
  } satisfies NodeFetchers,
} as const;

function nullForErrors<T>(values: (T | Error | null)[]): (T | null)[] {
  return values.map((v) => (v instanceof Error ? null : v));
}
