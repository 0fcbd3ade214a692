import type { NodeFetchers } from '../../graphql/node';
import { planLoaders } from './plan.loaders';
import {
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
    PlanObjective: (ctx, ids) => planLoaders.objective(ctx).loadMany(ids).then(nullForErrors),
    PlanAction: (ctx, ids) => planLoaders.action(ctx).loadMany(ids).then(nullForErrors),
    PlanEntry: (ctx, ids) => planLoaders.entry(ctx).loadMany(ids).then(nullForErrors),
  } satisfies NodeFetchers,
} as const;

function nullForErrors<T>(values: (T | Error | null)[]): (T | null)[] {
  return values.map((v) => (v instanceof Error ? null : v));
}
