import { Arg, Args, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { ConnectionType, SortDirection, orderTerms, paginate } from '../../graphql/connection';
import { SharedRecordResolver } from '../../shared/shared-record';
import { organisationLoader, userLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { User } from '../identity/user.entity';
import { threatLoaders } from '../threats/threat.loaders';
import { Nominal, SocThreat } from '../threats/threat.types';
import { ReferralDirection } from './referral.enums';
import {
  CreateReferralInput,
  ReferralDecisionInput,
  ReferralOrderField,
  ReferralStepInput,
  ReferralTextInput,
  ReferralsArgs,
  type ReferralFilter,
} from './referral.inputs';
import { referralLoaders } from './referral.loaders';
import { mapReferral, referralQuery, type ReferralCriteria } from './referral.repository';
import * as referrals from './referral.service';
import { ReferralRulesInfo, ReferralUpdate, SafeguardingReferral } from './referral.types';

@ObjectType()
export class SafeguardingReferralConnection extends ConnectionType(SafeguardingReferral) {}

const orderColumns: Record<ReferralOrderField, string> = {
  SUBMITTED_AT: 'r.submitted_at',
  ACKNOWLEDGEMENT_DUE_AT: 'r.acknowledgement_due_at',
  URGENCY: `case r.urgency when 'RED' then 0 when 'AMBER' then 1 else 2 end`,
};

/** Filter input → repository criteria; the direction is relative to the caller's organisation. */
function referralCriteria(filter: ReferralFilter | null | undefined, ctx: RequestContext): ReferralCriteria {
  if (!filter) return {};
  const mine = ctx.viewer.organisation.id;
  return {
    receivedBy: filter.direction === ReferralDirection.INBOX ? mine : undefined,
    madeBy: filter.direction === ReferralDirection.OUTBOX ? mine : undefined,
    statuses: filter.status,
    urgencies: filter.urgency,
    referralTypes: filter.referralType,
    awaitingAcknowledgement: filter.awaitingAcknowledgement,
    overdue: filter.overdue,
    submittedFrom: filter.submittedFrom,
    submittedTo: filter.submittedTo,
    text: filter.text,
  };
}

@Resolver(() => SafeguardingReferral)
export class ReferralResolver extends SharedRecordResolver(SafeguardingReferral) {
  @Query(() => SafeguardingReferralConnection, { description: 'Safeguarding referrals, filtered and ordered; INBOX and OUTBOX are relative to your organisation.' })
  referrals(@Args(() => ReferralsArgs) args: ReferralsArgs, @Ctx() ctx: RequestContext) {
    const order = orderTerms(args.orderBy, { field: ReferralOrderField.SUBMITTED_AT, direction: SortDirection.DESC }, orderColumns, 'r.id');
    return paginate(referralQuery(ctx.access, referralCriteria(args.filter, ctx)), args, order, mapReferral);
  }

  @Query(() => ReferralRulesInfo, { description: 'Referral configuration: acknowledgement targets by urgency.' })
  referralRules() {
    return referrals.rulesInfo();
  }

  @FieldResolver(() => Nominal, { nullable: true, description: 'The person referred; null for an anonymous referral.' })
  subject(@Root() r: SafeguardingReferral, @Ctx() ctx: RequestContext) {
    return r.subjectId ? threatLoaders.nominal(ctx).load(r.subjectId) : null;
  }

  @FieldResolver(() => [SocThreat], { description: 'Threats (groups) the subject is exploited by or linked to.' })
  async linkedThreats(@Root() r: SafeguardingReferral, @Ctx() ctx: RequestContext) {
    return (await threatLoaders.threat(ctx).loadMany(r.linkedThreatIds)).filter((t) => t && !(t instanceof Error));
  }

  @FieldResolver(() => Organisation)
  referringOrganisation(@Root() r: SafeguardingReferral, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(r.referringOrganisationId);
  }

  @FieldResolver(() => Organisation)
  receivingOrganisation(@Root() r: SafeguardingReferral, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(r.receivingOrganisationId);
  }

  @FieldResolver(() => [ReferralUpdate], { description: 'Status changes, notes, shares and feedback, oldest first.' })
  timeline(@Root() r: SafeguardingReferral, @Ctx() ctx: RequestContext) {
    return referralLoaders.timeline(ctx).load(r.dbId);
  }

  @Mutation(() => SafeguardingReferral, { description: "Makes a referral from your organisation to another; it is shared with the receiving organisation only." })
  createReferral(@Arg('input', () => CreateReferralInput) input: CreateReferralInput, @Ctx() ctx: RequestContext) {
    return referrals.createReferral(ctx, input);
  }

  @Mutation(() => SafeguardingReferral, { description: 'Receiving organisation: SUBMITTED → ACKNOWLEDGED.' })
  acknowledgeReferral(@Arg('input', () => ReferralStepInput) input: ReferralStepInput, @Ctx() ctx: RequestContext) {
    return referrals.acknowledgeReferral(ctx, input);
  }

  @Mutation(() => SafeguardingReferral, { description: 'Receiving organisation: ACKNOWLEDGED → IN_PROGRESS.' })
  startReferralWork(@Arg('input', () => ReferralStepInput) input: ReferralStepInput, @Ctx() ctx: RequestContext) {
    return referrals.startReferralWork(ctx, input);
  }

  @Mutation(() => SafeguardingReferral, { description: 'Receiving organisation: IN_PROGRESS → DECISION, with the outcome.' })
  recordReferralDecision(@Arg('input', () => ReferralDecisionInput) input: ReferralDecisionInput, @Ctx() ctx: RequestContext) {
    return referrals.recordReferralDecision(ctx, input);
  }

  @Mutation(() => SafeguardingReferral, { description: 'Receiving organisation: DECISION → CLOSED.' })
  closeReferral(@Arg('input', () => ReferralStepInput) input: ReferralStepInput, @Ctx() ctx: RequestContext) {
    return referrals.closeReferral(ctx, input);
  }

  @Mutation(() => SafeguardingReferral, { description: 'A note on the timeline, by either organisation.' })
  addReferralNote(@Arg('input', () => ReferralTextInput) input: ReferralTextInput, @Ctx() ctx: RequestContext) {
    return referrals.addReferralNote(ctx, input);
  }

  @Mutation(() => SafeguardingReferral, { description: 'Receiving organisation: feedback to the referrer; sets feedbackToReferrerAt.' })
  recordReferralFeedback(@Arg('input', () => ReferralTextInput) input: ReferralTextInput, @Ctx() ctx: RequestContext) {
    return referrals.recordReferralFeedback(ctx, input);
  }
}

@Resolver(() => ReferralUpdate)
export class ReferralUpdateResolver {
  @FieldResolver(() => User)
  by(@Root() u: ReferralUpdate, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(u.byId);
  }

  @FieldResolver(() => Organisation, { description: 'The organisation of the person who made the entry.' })
  organisation(@Root() u: ReferralUpdate, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(u.organisationId);
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'SHARE only: who the information was shared with.' })
  sharedWithOrganisation(@Root() u: ReferralUpdate, @Ctx() ctx: RequestContext) {
    return u.sharedWithOrganisationId ? organisationLoader(ctx).load(u.sharedWithOrganisationId) : null;
  }

  @FieldResolver(() => SafeguardingReferral)
  referral(@Root() u: ReferralUpdate, @Ctx() ctx: RequestContext) {
    return referralLoaders.referral(ctx).load(u.referralId);
  }
}
