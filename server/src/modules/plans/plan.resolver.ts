import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { isNarrowed, unlessWithheld, withheldFields, WithheldField } from '../../access/redaction';
import { ConnectionArgs, ConnectionType, SortDirection, orderTerms, paginate } from '../../graphql/connection';
import type { RequestContext } from '../../graphql/context';
import { requireGlobalId } from '../../graphql/global-id';
import { SharedRecordResolver } from '../../shared/shared-record';
import { today } from '../../shared/validation';
import { Role } from '../identity/identity.enums';
import { organisationLoader, userLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { User } from '../identity/user.entity';
import { threatLoaders } from '../threats/threat.loaders';
import { CriminalActivity, SocThreat } from '../threats/threat.types';
import { PlanEntryKind, PlanStatus } from './plan.enums';
import {
  AddActionInput,
  AddObjectiveInput,
  AddPlanEntryInput,
  AddPlanPartnerInput,
  ChangePlanStatusInput,
  CreatePlanInput,
  PlanDraftInput,
  PlanOrderField,
  PlansArgs,
  RecordPlanReviewInput,
  RemovePlanPartInput,
  RemovePlanPartnerInput,
  ResolveIntelligenceGapInput,
  UpdateActionInput,
  UpdateObjectiveInput,
  UpdatePlanInput,
  type PlanFilter,
} from './plan.inputs';
import { planLoaders, planQuality } from './plan.loaders';
import { mapPlan, planQuery, type PlanCriteria } from './plan.repository';
import * as plans from './plan.service';
import { FourPPlan, PlanAction, PlanEntry, PlanObjective, PlanPartner, PlanQuality, PlanReview } from './plan.types';

@ObjectType()
export class FourPPlanConnection extends ConnectionType(FourPPlan) {}

const orderColumns: Record<PlanOrderField, string> = {
  NEXT_REVIEW_DUE: 'p.next_review_due',
  UPDATED_AT: 'p.updated_at',
  THREAT_NAME: 't.name',
};

/** Filter input → repository criteria, turning global IDs into database ids. */
function planCriteria(filter: PlanFilter | null | undefined): PlanCriteria {
  return {
    today: today(),
    statuses: filter?.status,
    owningOrganisationIds: filter?.owningOrganisationIds?.map((g, i) => requireGlobalId(g, 'Organisation', `filter.owningOrganisationIds[${i}]`)),
    threatIds: filter?.threatIds?.map((g, i) => requireGlobalId(g, 'SocThreat', `filter.threatIds[${i}]`)),
    failingGate: filter?.failingGate ?? undefined,
    reviewOverdue: filter?.reviewOverdue ?? undefined,
    lroIds: filter?.lroIds?.map((g, i) => requireGlobalId(g, 'User', `filter.lroIds[${i}]`)),
    leadOrganisationIds: filter?.leadOrganisationIds?.map((g, i) => requireGlobalId(g, 'Organisation', `filter.leadOrganisationIds[${i}]`)),
    actionsOverdue: filter?.actionsOverdue ?? undefined,
    text: filter?.text,
  };
}

const byKind = async (ctx: RequestContext, plan: FourPPlan, kind: PlanEntryKind) =>
  (await planLoaders.entriesOfPlan(ctx).load(plan.dbId)).filter((e) => e.kind === kind);

/** Partners see only their own organisation's actions (docs/domain.md: "plan summary and its own actions"). */
export function visibleActions<A extends { ownerOrganisationId: string }>(ctx: RequestContext, actions: A[], plan: { owningOrganisationId: string } | null): A[] {
  return isNarrowed(ctx, 'FourPPlan', 'actions', plan ?? undefined) ? actions.filter((a) => a.ownerOrganisationId === ctx.access.caller.organisationId) : actions;
}

@Resolver(() => FourPPlan)
export class PlanResolver extends SharedRecordResolver(FourPPlan) {
  @Query(() => FourPPlanConnection, { description: 'Plans, filtered and ordered, so anyone entitled to a plan can find it; a Relay connection.' })
  plans(@Args(() => PlansArgs) args: PlansArgs, @Ctx() ctx: RequestContext) {
    const order = orderTerms(args.orderBy, { field: PlanOrderField.UPDATED_AT, direction: SortDirection.DESC }, orderColumns, 'p.id');
    return paginate(planQuery(ctx.access, planCriteria(args.filter)), args, order, mapPlan);
  }

  @Query(() => FourPPlanConnection, {
    description: 'ACTIVE and UNDER_REVIEW plans that fail the quality gate (an overdue review fails it), most overdue first. The gate is evaluated in SQL.',
  })
  plansNeedingAttention(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    const query = planQuery(ctx.access, { today: today(), statuses: [PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW], failingGate: true });
    return paginate(query, args, [
      { column: 'p.next_review_due', direction: SortDirection.ASC },
      { column: 'p.id', direction: SortDirection.ASC },
    ], mapPlan);
  }

  @Query(() => PlanQuality, {
    description:
      "The quality gate of a plan with the editor's unsaved changes (draft) applied: the same rules as the plan's quality, nothing saved. " +
      'For those who may change the plan (its owning organisation); reading it is audited as reading the plan.',
  })
  planQualityPreview(@Arg('planId', () => ID) planId: string, @Arg('draft', () => PlanDraftInput) draft: PlanDraftInput, @Ctx() ctx: RequestContext) {
    return plans.previewPlanQuality(ctx, planId, draft);
  }

  @Query(() => [User], {
    description:
      "Who may be named the plan's LRO or SRO (role): active users holding that role, the plan's owning organisation's first. " +
      'For those who may change the plan (its owning organisation).',
  })
  async planOfficerCandidates(@Arg('planId', () => ID) planId: string, @Arg('role', () => Role) role: Role, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).loadMany(await plans.planOfficerCandidates(ctx, planId, role));
  }

  @FieldResolver(() => SocThreat)
  threat(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return threatLoaders.threat(ctx).load(plan.threatId);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Lead responsible officer.' })
  lro(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return plan.lroId ? userLoader(ctx).load(plan.lroId) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Senior responsible officer.' })
  sro(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return plan.sroId ? userLoader(ctx).load(plan.sroId) : null;
  }

  @FieldResolver(() => [PlanObjective])
  objectives(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return planLoaders.objectivesOfPlan(ctx).load(plan.dbId);
  }

  @FieldResolver(() => [PlanAction], { description: 'Every action of the plan (partner organisations: their own only; see withheld).' })
  async actions(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return visibleActions(ctx, await planLoaders.actionsOfPlan(ctx).load(plan.dbId), plan);
  }

  @FieldResolver(() => [WithheldField], { description: 'Fields you are not shown (null above), and why.' })
  withheld(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return withheldFields(ctx, 'FourPPlan', plan);
  }

  @FieldResolver(() => [PlanPartner])
  partners(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return planLoaders.partnersOfPlan(ctx).load(plan.dbId);
  }

  @FieldResolver(() => [PlanEntry], { nullable: true, description: 'What is not yet known about the threat; resolved gaps stay, with how they were filled.' })
  intelligenceGaps(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'FourPPlan', 'intelligenceGaps', () => byKind(ctx, plan, PlanEntryKind.INTELLIGENCE_GAP), plan);
  }

  @FieldResolver(() => [PlanEntry])
  outcomes(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return byKind(ctx, plan, PlanEntryKind.OUTCOME);
  }

  @FieldResolver(() => [PlanEntry])
  learning(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return byKind(ctx, plan, PlanEntryKind.LEARNING);
  }

  @FieldResolver(() => [PlanReview], { nullable: true, description: 'Reviews, oldest first.' })
  reviews(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'FourPPlan', 'reviews', () => planLoaders.reviewsOfPlan(ctx).load(plan.dbId), plan);
  }

  @FieldResolver(() => PlanQuality, { nullable: true, description: 'The quality gate: a score and every named problem, computed now.' })
  quality(@Root() plan: FourPPlan, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'FourPPlan', 'quality', () => planQuality(ctx, plan), plan);
  }

  @Mutation(() => FourPPlan, { description: 'Opens the 4P plan of an ADOPTED (or UNDER_REVIEW) threat; one plan per threat.' })
  createPlan(@Arg('input', () => CreatePlanInput) input: CreatePlanInput, @Ctx() ctx: RequestContext) {
    return plans.createPlan(ctx, input);
  }

  @Mutation(() => FourPPlan)
  updatePlan(@Arg('input', () => UpdatePlanInput) input: UpdatePlanInput, @Ctx() ctx: RequestContext) {
    return plans.updatePlan(ctx, input);
  }

  @Mutation(() => FourPPlan, { description: 'Moves a plan along its lifecycle; illegal moves are refused naming the allowed ones.' })
  changePlanStatus(@Arg('input', () => ChangePlanStatusInput) input: ChangePlanStatusInput, @Ctx() ctx: RequestContext) {
    return plans.changePlanStatus(ctx, input);
  }

  @Mutation(() => FourPPlan)
  addObjective(@Arg('input', () => AddObjectiveInput) input: AddObjectiveInput, @Ctx() ctx: RequestContext) {
    return plans.addObjective(ctx, input);
  }

  @Mutation(() => FourPPlan)
  updateObjective(@Arg('input', () => UpdateObjectiveInput) input: UpdateObjectiveInput, @Ctx() ctx: RequestContext) {
    return plans.updateObjective(ctx, input);
  }

  @Mutation(() => FourPPlan, { description: 'Removes an objective; its actions stay, no longer under an objective.' })
  removeObjective(@Arg('input', () => RemovePlanPartInput) input: RemovePlanPartInput, @Ctx() ctx: RequestContext) {
    return plans.removeObjective(ctx, input);
  }

  @Mutation(() => FourPPlan)
  addAction(@Arg('input', () => AddActionInput) input: AddActionInput, @Ctx() ctx: RequestContext) {
    return plans.addAction(ctx, input);
  }

  @Mutation(() => FourPPlan)
  updateAction(@Arg('input', () => UpdateActionInput) input: UpdateActionInput, @Ctx() ctx: RequestContext) {
    return plans.updateAction(ctx, input);
  }

  @Mutation(() => FourPPlan, { description: 'Removes an action recorded in error; cancel a real one instead.' })
  removeAction(@Arg('input', () => RemovePlanPartInput) input: RemovePlanPartInput, @Ctx() ctx: RequestContext) {
    return plans.removeAction(ctx, input);
  }

  @Mutation(() => FourPPlan)
  addPlanPartner(@Arg('input', () => AddPlanPartnerInput) input: AddPlanPartnerInput, @Ctx() ctx: RequestContext) {
    return plans.addPlanPartner(ctx, input);
  }

  @Mutation(() => FourPPlan)
  removePlanPartner(@Arg('input', () => RemovePlanPartnerInput) input: RemovePlanPartnerInput, @Ctx() ctx: RequestContext) {
    return plans.removePlanPartner(ctx, input);
  }

  @Mutation(() => FourPPlan, { description: 'Records an intelligence gap, an outcome or learning.' })
  addPlanEntry(@Arg('input', () => AddPlanEntryInput) input: AddPlanEntryInput, @Ctx() ctx: RequestContext) {
    return plans.addPlanEntry(ctx, input);
  }

  @Mutation(() => FourPPlan)
  resolveIntelligenceGap(@Arg('input', () => ResolveIntelligenceGapInput) input: ResolveIntelligenceGapInput, @Ctx() ctx: RequestContext) {
    return plans.resolveIntelligenceGap(ctx, input);
  }

  @Mutation(() => FourPPlan, { description: 'Records a review; the next one falls due reviewFrequencyDays later.' })
  recordPlanReview(@Arg('input', () => RecordPlanReviewInput) input: RecordPlanReviewInput, @Ctx() ctx: RequestContext) {
    return plans.recordPlanReview(ctx, input);
  }
}

@Resolver(() => PlanObjective)
export class PlanObjectiveResolver {
  @FieldResolver(() => FourPPlan)
  plan(@Root() o: PlanObjective, @Ctx() ctx: RequestContext) {
    return planLoaders.plan(ctx).load(o.planId);
  }

  @FieldResolver(() => [PlanAction], { description: 'The actions under this objective.' })
  async actions(@Root() o: PlanObjective, @Ctx() ctx: RequestContext) {
    return visibleActions(ctx, (await planLoaders.actionsOfPlan(ctx).load(o.planId)).filter((a) => a.objectiveId === o.dbId), await planLoaders.plan(ctx).load(o.planId));
  }
}

@Resolver(() => PlanAction)
export class PlanActionResolver {
  @FieldResolver(() => FourPPlan)
  plan(@Root() a: PlanAction, @Ctx() ctx: RequestContext) {
    return planLoaders.plan(ctx).load(a.planId);
  }

  @FieldResolver(() => PlanObjective, { nullable: true })
  objective(@Root() a: PlanAction, @Ctx() ctx: RequestContext) {
    return a.objectiveId ? planLoaders.objective(ctx).load(a.objectiveId) : null;
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that owns the action.' })
  ownerOrganisation(@Root() a: PlanAction, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(a.ownerOrganisationId);
  }

  @FieldResolver(() => [CriminalActivity], { description: "The threat's criminal activities this action tackles." })
  async addressesActivities(@Root() a: PlanAction, @Ctx() ctx: RequestContext) {
    return (await threatLoaders.activity(ctx).loadMany(a.addressesActivityIds)).filter((x): x is CriminalActivity => !!x && !(x instanceof Error));
  }
}

@Resolver(() => PlanPartner)
export class PlanPartnerResolver {
  @FieldResolver(() => Organisation)
  organisation(@Root() p: PlanPartner, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(p.organisationId);
  }
}

@Resolver(() => PlanEntry)
export class PlanEntryResolver {
  @FieldResolver(() => User)
  recordedBy(@Root() e: PlanEntry, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(e.recordedById);
  }

  @FieldResolver(() => User, { nullable: true, description: 'Who recorded that an intelligence gap was filled.' })
  resolvedBy(@Root() e: PlanEntry, @Ctx() ctx: RequestContext) {
    return e.resolvedById ? userLoader(ctx).load(e.resolvedById) : null;
  }
}

@Resolver(() => PlanReview)
export class PlanReviewResolver {
  @FieldResolver(() => User, { description: 'Who chaired the review.' })
  reviewer(@Root() r: PlanReview, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(r.reviewerId);
  }
}

/** Adds `plan` to SocThreat from this module, so the threats module need not know about plans. */
@Resolver(() => SocThreat)
export class ThreatPlanResolver {
  @FieldResolver(() => FourPPlan, { nullable: true, description: "The threat's 4P plan; null until one is opened." })
  plan(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return planLoaders.planOfThreat(ctx).load(t.dbId);
  }
}
