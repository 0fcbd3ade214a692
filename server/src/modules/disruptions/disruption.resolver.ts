import { Arg, Args, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { ConnectionArgs, ConnectionType } from '../../graphql/connection';
import { SharedRecordResolver } from '../../shared/shared-record';
import { organisationLoader, userLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { User } from '../identity/user.entity';
import { PlanAction } from '../plans/plan.types';
import { planActionFetcher } from '../plans';
import { threatLoaders } from '../threats/threat.loaders';
import { CriminalActivity, SocThreat } from '../threats/threat.types';
import { DisruptionStatus } from './disruption.enums';
import {
  CreateDisruptionInput,
  DisruptionDecisionInput,
  DisruptionsArgs,
  SubmitDisruptionInput,
  SupersedeDisruptionInput,
  UpdateDisruptionInput,
  ValidateDisruptionInput,
} from './disruption.inputs';
import { disruptionLoaders } from './disruption.loaders';
import * as disruptions from './disruption.service';
import { Disruption, DisruptionRulesInfo, DisruptionSummary, DisruptionValidation } from './disruption.types';

@ObjectType()
export class DisruptionConnection extends ConnectionType(Disruption) {}

@Resolver(() => Disruption)
export class DisruptionResolver extends SharedRecordResolver(Disruption) {
  @Query(() => DisruptionConnection, { description: 'Disruptions, filtered and ordered; a Relay connection.' })
  disruptions(@Args(() => DisruptionsArgs) args: DisruptionsArgs, @Ctx() ctx: RequestContext) {
    return disruptions.listDisruptions(ctx, args);
  }

  @Query(() => DisruptionConnection, { description: 'SUBMITTED claims you could validate (not your own organisation\'s), oldest first.' })
  disruptionValidationQueue(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: RequestContext) {
    return disruptions.validationQueue(ctx, args);
  }

  @Query(() => DisruptionRulesInfo, { description: 'The disruption recording rules in force: level definitions, lateness, MAJOR validator seniority.' })
  disruptionRules() {
    return disruptions.rulesInfo();
  }

  @FieldResolver(() => SocThreat)
  threat(@Root() d: Disruption, @Ctx() ctx: RequestContext) {
    return threatLoaders.threat(ctx).load(d.threatId);
  }

  @FieldResolver(() => CriminalActivity, { nullable: true })
  criminalActivity(@Root() d: Disruption, @Ctx() ctx: RequestContext) {
    return d.criminalActivityId ? threatLoaders.activity(ctx).load(d.criminalActivityId) : null;
  }

  @FieldResolver(() => PlanAction, { nullable: true, description: "The action of the threat's 4P plan that achieved it." })
  planAction(@Root() d: Disruption, @Ctx() ctx: RequestContext) {
    // As the action by its ID: partners see only their own organisation's actions of a plan.
    return d.planActionId ? planActionFetcher(ctx, [d.planActionId]).then(([a]) => a) : null;
  }

  @FieldResolver(() => Organisation)
  claimingOrganisation(@Root() d: Disruption, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(d.claimingOrganisationId);
  }

  @FieldResolver(() => [Organisation], { description: 'Partner organisations that contributed to this one event.' })
  async contributors(@Root() d: Disruption, @Ctx() ctx: RequestContext) {
    return (await organisationLoader(ctx).loadMany(d.contributorIds)).filter((o) => o && !(o instanceof Error));
  }

  @FieldResolver(() => Disruption, { nullable: true, description: 'An earlier record that looks like the same event (same threat, date, tactic and organisation).' })
  possibleDuplicateOf(@Root() d: Disruption, @Ctx() ctx: RequestContext) {
    return d.possibleDuplicateOfId ? disruptionLoaders.disruption(ctx).load(d.possibleDuplicateOfId) : null;
  }

  @FieldResolver(() => Disruption, { nullable: true, description: 'The validated record this one corrects.' })
  supersedes(@Root() d: Disruption, @Ctx() ctx: RequestContext) {
    return d.supersedesId ? disruptionLoaders.disruption(ctx).load(d.supersedesId) : null;
  }

  @FieldResolver(() => Disruption, { nullable: true, description: 'The record that corrects this one.' })
  supersededBy(@Root() d: Disruption, @Ctx() ctx: RequestContext) {
    return d.supersededById ? disruptionLoaders.disruption(ctx).load(d.supersededById) : null;
  }

  @Mutation(() => Disruption, { description: 'Records a DRAFT disruption claimed by your organisation, checked against every entry rule.' })
  createDisruption(@Arg('input', () => CreateDisruptionInput) input: CreateDisruptionInput, @Ctx() ctx: RequestContext) {
    return disruptions.createDisruption(ctx, input);
  }

  @Mutation(() => Disruption, { description: 'Changes a DRAFT or RETURNED disruption (claiming organisation only).' })
  updateDisruption(@Arg('input', () => UpdateDisruptionInput) input: UpdateDisruptionInput, @Ctx() ctx: RequestContext) {
    return disruptions.updateDisruption(ctx, input);
  }

  @Mutation(() => Disruption, { description: 'Submits a DRAFT or RETURNED claim for validation; flags it late when reported long after its date.' })
  submitDisruption(@Arg('input', () => SubmitDisruptionInput) input: SubmitDisruptionInput, @Ctx() ctx: RequestContext) {
    return disruptions.submitDisruption(ctx, input);
  }

  @Mutation(() => Disruption, { description: "Validates a submitted claim from another organisation (DISRUPTION_VALIDATOR; MAJOR needs seniority)." })
  validateDisruption(@Arg('input', () => ValidateDisruptionInput) input: ValidateDisruptionInput, @Ctx() ctx: RequestContext) {
    return disruptions.validateDisruption(ctx, input);
  }

  @Mutation(() => Disruption, { description: 'Returns a submitted claim to its organisation for correction, with a reason.' })
  returnDisruption(@Arg('input', () => DisruptionDecisionInput) input: DisruptionDecisionInput, @Ctx() ctx: RequestContext) {
    return disruptions.returnDisruption(ctx, input);
  }

  @Mutation(() => Disruption, { description: 'Rejects a submitted claim, with a reason.' })
  rejectDisruption(@Arg('input', () => DisruptionDecisionInput) input: DisruptionDecisionInput, @Ctx() ctx: RequestContext) {
    return disruptions.rejectDisruption(ctx, input);
  }

  @Mutation(() => Disruption, { description: 'Supersedes a VALIDATED disruption and returns the new DRAFT copy that corrects it.' })
  supersedeDisruption(@Arg('input', () => SupersedeDisruptionInput) input: SupersedeDisruptionInput, @Ctx() ctx: RequestContext) {
    return disruptions.supersedeDisruption(ctx, input);
  }
}

@Resolver(() => DisruptionValidation)
export class DisruptionValidationResolver {
  @FieldResolver(() => User)
  validator(@Root() v: DisruptionValidation, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(v.validatorId);
  }
}

/** Disruption fields on the threat type (owned by the threats module). */
@Resolver(() => SocThreat)
export class ThreatDisruptionsResolver {
  @FieldResolver(() => [Disruption], { description: 'Disruptions recorded against the threat, latest first; all statuses unless given.' })
  async disruptions(
    @Root() t: SocThreat,
    @Arg('status', () => [DisruptionStatus], { nullable: true }) status: DisruptionStatus[] | null,
    @Ctx() ctx: RequestContext,
  ) {
    const all = await disruptionLoaders.disruptionsOfThreat(ctx).load(t.dbId);
    return status?.length ? all.filter((d) => status.includes(d.status)) : all;
  }

  @FieldResolver(() => DisruptionSummary, { description: 'Figures from VALIDATED disruptions only.' })
  disruptionSummary(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return disruptionLoaders.summaryOfThreat(ctx).load(t.dbId);
  }
}
