import { childFetcher, type NodeFetchers } from '../../graphql/node';
import { planLoaders } from './plan.loaders';
import { planOfThreats } from './plan.prefetch';
import { threatsCompiledFields } from './plan.compiled';
import {
  PlanActionResolver,
  PlanEntryResolver,
  PlanObjectiveResolver,
  PlanPartnerResolver,
  PlanResolver,
  PlanReviewResolver,
  ThreatPlanResolver,
} from './plan.resolver';

/** A plan action by ID, as in its plan's `actions` (partners: their own only). Also a disruption's `planAction`. */
export const planActionFetcher = childFetcher(
  'PlanAction',
  (ctx, ids) => planLoaders.action(ctx).loadMany(ids),
  (ctx, a) => planLoaders.plan(ctx).load(a.planId),
);

/** The plans module: 4P plans with their quality gate, and `plan` on SocThreat. */
export const plansModule = {
  entities: [],
  resolvers: [PlanResolver, PlanObjectiveResolver, PlanActionResolver, PlanPartnerResolver, PlanEntryResolver, PlanReviewResolver, ThreatPlanResolver],
  nodes: {
    FourPPlan: (ctx, ids) => planLoaders.plan(ctx).loadMany(ids).then(nullForErrors),
    // Parts of a plan are found by ID as they are through the plan: the catalogue's listedIn says where (graphql/node.ts childFetcher).
    PlanObjective: childFetcher('PlanObjective', (ctx, ids) => planLoaders.objective(ctx).loadMany(ids), (ctx, o) => planLoaders.plan(ctx).load(o.planId)),
    PlanAction: planActionFetcher,
    PlanEntry: childFetcher('PlanEntry', (ctx, ids) => planLoaders.entry(ctx).loadMany(ids), (ctx, e) => planLoaders.plan(ctx).load(e.planId)),
  } satisfies NodeFetchers,
  /** A threat's `plan` (ThreatPlanResolver), fetched ahead with a page of threats (threats/threat.prefetch.ts). */
  threatsPrefetches: [planOfThreats],
  threatsCompiledFields,
} as const;

function nullForErrors<T>(values: (T | Error | null)[]): (T | null)[] {
  return values.map((v) => (v instanceof Error ? null : v));
}
