import { childFetcher, type NodeFetchers } from '../../graphql/node';
import { PlanEntryKind } from './plan.enums';
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

/** The plan field that lists entries of each kind (its redaction rule is theirs). */
const ENTRY_FIELD: Record<PlanEntryKind, string> = {
  [PlanEntryKind.INTELLIGENCE_GAP]: 'intelligenceGaps',
  [PlanEntryKind.OUTCOME]: 'outcomes',
  [PlanEntryKind.LEARNING]: 'learning',
};

/** A plan action by ID, as in its plan's `actions` (partners: their own only). Also a disruption's `planAction`. */
export const planActionFetcher = childFetcher((ctx, ids) => planLoaders.action(ctx).loadMany(ids), {
  parentType: 'FourPPlan',
  parentField: () => 'actions',
  parent: (ctx, a) => planLoaders.plan(ctx).load(a.planId),
  itemOwner: (a) => a.ownerOrganisationId,
});

/** The plans module: 4P plans with their quality gate, and `plan` on SocThreat. */
export const plansModule = {
  entities: [],
  resolvers: [PlanResolver, PlanObjectiveResolver, PlanActionResolver, PlanPartnerResolver, PlanEntryResolver, PlanReviewResolver, ThreatPlanResolver],
  nodes: {
    FourPPlan: (ctx, ids) => planLoaders.plan(ctx).loadMany(ids).then(nullForErrors),
    PlanObjective: childFetcher((ctx, ids) => planLoaders.objective(ctx).loadMany(ids), {
      parentType: 'FourPPlan',
      parentField: () => 'objectives',
      parent: (ctx, o) => planLoaders.plan(ctx).load(o.planId),
    }),
    PlanAction: planActionFetcher,
    PlanEntry: childFetcher((ctx, ids) => planLoaders.entry(ctx).loadMany(ids), {
      parentType: 'FourPPlan',
      parentField: (e) => ENTRY_FIELD[e.kind],
      parent: (ctx, e) => planLoaders.plan(ctx).load(e.planId),
    }),
  } satisfies NodeFetchers,
  /** A threat's `plan` (ThreatPlanResolver), fetched ahead with a page of threats (threats/threat.prefetch.ts). */
  threatsPrefetches: [planOfThreats],
  threatsCompiledFields,
} as const;

function nullForErrors<T>(values: (T | Error | null)[]): (T | null)[] {
  return values.map((v) => (v instanceof Error ? null : v));
}
