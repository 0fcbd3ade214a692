import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Selection } from '../../graphql/look-ahead';
import { prefetchForThreats } from './threat.prefetch';
import type { RequestContext } from '../../graphql/context';
import { ConnectionType, SortDirection, orderTerms, paginate } from '../../graphql/connection';
import { ObjectType } from 'type-graphql';
import { requireGlobalId } from '../../graphql/global-id';
import { Problems } from '../../shared/validation';
import { SharedRecordResolver } from '../../shared/shared-record';
import { organisationLoader, userLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { User } from '../identity/user.entity';
import { AssessmentStatus, PriorityBand } from '../assessments/assessment.enums';
import { isWithheld, unlessWithheld, withheldFields, WithheldField } from '../../access/redaction';
import { ThreatAssessment } from '../assessments/assessment.types';
import {
  AddCriminalActivityInput,
  AddMemberInput,
  ChangeThreatStatusInput,
  CreateThreatInput,
  LinkThreatsInput,
  UnlinkThreatsInput,
  RemoveCriminalActivityInput,
  RemoveMemberInput,
  ThreatOrderField,
  ThreatsArgs,
  UpdateCriminalActivityInput,
  UpdateThreatInput,
  type ThreatFilter,
} from './threat.inputs';
import { threatLoaders } from './threat.loaders';
import { compiledThreatsPage } from './threat.compiled';
import { mapThreat, threatQuery, type ThreatCriteria } from './threat.repository';
import * as threats from './threat.service';
import { CriminalActivity, Membership, Nominal, SocThreat, ThreatLink } from './threat.types';

@ObjectType()
export class SocThreatConnection extends ConnectionType(SocThreat) {}

const orderColumns: Record<ThreatOrderField, string> = {
  NAME: 't.name',
  URN: 't.urn',
  IDENTIFIED_ON: 't.identified_on',
  RISK: 'coalesce(t.risk_score, -1)',
  STATUS: 't.status',
  NEXT_REVIEW_DUE: 't.next_review_due',
  UPDATED_AT: 't.updated_at',
};

/** Filter input → repository criteria, turning global IDs into database ids. */
export function threatCriteria(filter: ThreatFilter | null | undefined): ThreatCriteria {
  if (!filter) return {};
  return {
    statuses: filter.status,
    subjectTypes: filter.subjectType,
    taskingLevels: filter.taskingLevel,
    leadOrganisationIds: filter.leadOrganisationIds?.map((g, i) => requireGlobalId(g, 'Organisation', `filter.leadOrganisationIds[${i}]`)),
    owningOrganisationIds: filter.owningOrganisationIds?.map((g, i) => requireGlobalId(g, 'Organisation', `filter.owningOrganisationIds[${i}]`)),
    categories: filter.category,
    priorities: filter.priority,
    identifiedFrom: filter.identifiedFrom,
    identifiedTo: filter.identifiedTo,
    reviewDueBefore: filter.reviewDueBefore,
    text: filter.text,
  };
}

/**
 * Partners may not filter or sort by what is withheld from them, or the results would reveal it:
 * priority filters and risk order are refused (free text is narrowed in threatQuery).
 */
function partnerCriteria(ctx: RequestContext, args: ThreatsArgs, criteria: ThreatCriteria): ThreatCriteria {
  if (!isWithheld(ctx, 'SocThreat', 'priority')) return criteria;
  const p = new Problems('');
  if (criteria.priorities?.length) p.add('filter.priority', 'priority is withheld from partner organisations');
  args.orderBy?.forEach((o, i) => p.when(o.field === ThreatOrderField.RISK, `orderBy[${i}].field`, 'risk is withheld from partner organisations'));
  p.throwIfAny();
  return criteria;
}

@Resolver(() => SocThreat)
export class ThreatResolver extends SharedRecordResolver(SocThreat) {
  @Query(() => SocThreatConnection, { description: 'Threats, filtered and ordered; a Relay connection.' })
  threats(@Args(() => ThreatsArgs) args: ThreatsArgs, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    const order = orderTerms(args.orderBy, { field: ThreatOrderField.UPDATED_AT, direction: SortDirection.DESC }, orderColumns, 't.id');
    const criteria = partnerCriteria(ctx, args, threatCriteria(args.filter));
    // One statement answering the whole selection as JSON where it is written in SQL (threat.compiled.ts); else the resolvers.
    const compiled = compiledThreatsPage(ctx.access, info, args, criteria, order);
    if (compiled) return compiled;
    const selected = Selection.of(info);
    return paginate(threatQuery(ctx.access, criteria), args, order, mapThreat, {
      total: selected.has('totalCount'),
      withNodes: prefetchForThreats(ctx, selected.child('edges').child('node')),
    });
  }

  @FieldResolver(() => [CriminalActivity], { description: 'Every criminal activity of the threat, oldest first.' })
  criminalActivities(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return threatLoaders.activitiesOfThreat(ctx).load(t.dbId);
  }

  @FieldResolver(() => Organisation)
  leadOrganisation(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return t.leadOrganisation ?? organisationLoader(ctx).load(t.leadOrganisationId);
  }

  @FieldResolver(() => [Organisation])
  async areasAffected(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return (await organisationLoader(ctx).loadMany(t.areasAffectedIds)).filter((o) => o && !(o instanceof Error));
  }

  @FieldResolver(() => User, { nullable: true, description: 'Lead responsible officer.' })
  lro(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return t.lroId ? userLoader(ctx).load(t.lroId) : null;
  }

  @FieldResolver(() => User, { nullable: true, description: 'Senior responsible officer.' })
  sro(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return t.sroId ? userLoader(ctx).load(t.sroId) : null;
  }

  @FieldResolver(() => [WithheldField], { description: 'Fields you are not shown (null above), and why.' })
  withheld(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return withheldFields(ctx, 'SocThreat', t);
  }

  @FieldResolver(() => String, { nullable: true })
  summary(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'SocThreat', 'summary', () => t.summary, t);
  }

  @FieldResolver(() => PriorityBand, {
    nullable: true,
    description: 'Overall priority, derived from every approved assessment of the threat and of each of its activities; null until one is approved.',
  })
  priority(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'SocThreat', 'priority', () => t.priority, t);
  }

  @FieldResolver(() => Number, { nullable: true, description: 'Overall risk score (0-100) behind the priority.' })
  riskScore(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'SocThreat', 'riskScore', () => t.riskScore, t);
  }

  @FieldResolver(() => [Membership], { nullable: true })
  members(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'SocThreat', 'members', () => threatLoaders.membersOfThreat(ctx).load(t.dbId), t);
  }

  @FieldResolver(() => [ThreatLink], { nullable: true })
  linkedThreats(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'SocThreat', 'linkedThreats', () => threatLoaders.linksOfThreat(ctx).load(t.dbId), t);
  }

  @FieldResolver(() => ThreatAssessment, { nullable: true, description: 'The latest approved assessment of the whole threat.' })
  async currentAssessment(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    if (isWithheld(ctx, 'SocThreat', 'currentAssessment', t)) return null;
    const all = await threatLoaders.assessmentsOfThreat(ctx).load(t.dbId);
    return all.filter((a) => !a.criminalActivityId && a.status === AssessmentStatus.APPROVED).at(-1) ?? null;
  }

  @FieldResolver(() => [ThreatAssessment], { nullable: true, description: 'Every assessment of the threat and of its activities, oldest first.' })
  assessmentHistory(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'SocThreat', 'assessmentHistory', () => threatLoaders.assessmentsOfThreat(ctx).load(t.dbId), t);
  }

  @FieldResolver(() => [CriminalActivity], { nullable: true, description: 'Activities with no approved assessment: part of the criminality not yet assessed.' })
  async unassessedActivities(@Root() t: SocThreat, @Ctx() ctx: RequestContext) {
    if (isWithheld(ctx, 'SocThreat', 'unassessedActivities', t)) return null;
    const [activities, assessments] = await Promise.all([
      threatLoaders.activitiesOfThreat(ctx).load(t.dbId),
      threatLoaders.assessmentsOfThreat(ctx).load(t.dbId),
    ]);
    const assessed = new Set(assessments.filter((a) => a.status === AssessmentStatus.APPROVED).map((a) => a.criminalActivityId));
    return activities.filter((a) => !assessed.has(a.dbId));
  }

  @Mutation(() => SocThreat, { description: 'Records a new threat with all its known criminal activities.' })
  createThreat(@Arg('input', () => CreateThreatInput) input: CreateThreatInput, @Ctx() ctx: RequestContext) {
    return threats.createThreat(ctx, input);
  }

  @Mutation(() => SocThreat)
  updateThreat(@Arg('input', () => UpdateThreatInput) input: UpdateThreatInput, @Ctx() ctx: RequestContext) {
    return threats.updateThreat(ctx, input);
  }

  @Mutation(() => SocThreat, { description: 'Moves a threat along its lifecycle; illegal moves are refused naming the allowed ones.' })
  changeThreatStatus(@Arg('input', () => ChangeThreatStatusInput) input: ChangeThreatStatusInput, @Ctx() ctx: RequestContext) {
    return threats.changeThreatStatus(ctx, input);
  }

  @Mutation(() => SocThreat)
  addCriminalActivity(@Arg('input', () => AddCriminalActivityInput) input: AddCriminalActivityInput, @Ctx() ctx: RequestContext) {
    return threats.addCriminalActivity(ctx, input);
  }

  @Mutation(() => SocThreat)
  updateCriminalActivity(@Arg('input', () => UpdateCriminalActivityInput) input: UpdateCriminalActivityInput, @Ctx() ctx: RequestContext) {
    return threats.updateCriminalActivity(ctx, input);
  }

  @Mutation(() => SocThreat)
  removeCriminalActivity(@Arg('input', () => RemoveCriminalActivityInput) input: RemoveCriminalActivityInput, @Ctx() ctx: RequestContext) {
    return threats.removeCriminalActivity(ctx, input);
  }

  @Mutation(() => SocThreat)
  addMember(@Arg('input', () => AddMemberInput) input: AddMemberInput, @Ctx() ctx: RequestContext) {
    return threats.addMember(ctx, input);
  }

  @Mutation(() => SocThreat)
  removeMember(@Arg('input', () => RemoveMemberInput) input: RemoveMemberInput, @Ctx() ctx: RequestContext) {
    return threats.removeMember(ctx, input);
  }

  @Mutation(() => SocThreat)
  linkThreats(@Arg('input', () => LinkThreatsInput) input: LinkThreatsInput, @Ctx() ctx: RequestContext) {
    return threats.linkThreats(ctx, input);
  }

  @Mutation(() => SocThreat, { description: 'Removes the link between two threats; the same people may do it as may link them.' })
  unlinkThreats(@Arg('input', () => UnlinkThreatsInput) input: UnlinkThreatsInput, @Ctx() ctx: RequestContext) {
    return threats.unlinkThreats(ctx, input);
  }
}

@Resolver(() => CriminalActivity)
export class CriminalActivityResolver {
  @FieldResolver(() => SocThreat)
  threat(@Root() a: CriminalActivity, @Ctx() ctx: RequestContext) {
    return threatLoaders.threat(ctx).load(a.threatId);
  }

  @FieldResolver(() => [WithheldField], { description: 'Fields you are not shown (null above), and why.' })
  withheld(@Root() a: CriminalActivity, @Ctx() ctx: RequestContext) {
    return withheldFields(ctx, 'CriminalActivity', a);
  }

  @FieldResolver(() => String, { nullable: true })
  description(@Root() a: CriminalActivity, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'CriminalActivity', 'description', () => a.description, a);
  }

  @FieldResolver(() => ThreatAssessment, { nullable: true, description: 'The latest approved assessment of this activity, else the latest one.' })
  async assessment(@Root() a: CriminalActivity, @Ctx() ctx: RequestContext) {
    if (isWithheld(ctx, 'CriminalActivity', 'assessment', a)) return null;
    const mine = (await threatLoaders.assessmentsOfThreat(ctx).load(a.threatId)).filter((x) => x.criminalActivityId === a.dbId);
    return mine.filter((x) => x.status === AssessmentStatus.APPROVED).at(-1) ?? mine.at(-1) ?? null;
  }
}

@Resolver(() => Membership)
export class MembershipResolver {
  @FieldResolver(() => Nominal, { nullable: true, description: 'Null when the person is not visible to you.' })
  nominal(@Root() m: Membership, @Ctx() ctx: RequestContext) {
    return threatLoaders.nominal(ctx).load(m.nominalId);
  }

  @FieldResolver(() => SocThreat)
  threat(@Root() m: Membership, @Ctx() ctx: RequestContext) {
    return threatLoaders.threat(ctx).load(m.threatId);
  }
}

@Resolver(() => ThreatLink)
export class ThreatLinkResolver {
  @FieldResolver(() => SocThreat, { nullable: true, description: 'The threat at the other end; null when not visible to you.' })
  threat(@Root() l: ThreatLink, @Ctx() ctx: RequestContext) {
    return threatLoaders.threat(ctx).load(l.otherThreatId);
  }
}
