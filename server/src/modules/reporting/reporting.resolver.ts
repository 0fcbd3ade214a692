import { Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { Node, resolveNodes, type NodeFetchers } from '../../graphql/node';
import { plansModule } from '../plans';
import { sharingModule } from '../sharing';
import { threatsModule } from '../threats';
import { insights } from './insights';
import { organisationLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { awaitingValidation, claimedAgainstAgreed, disruptionStatsRows, parseDisruptionStats } from './disruption-stats';
import { planStats } from './plan-stats';
import { referralStats } from './referral-stats';
import { threatStats } from './threat-stats';
import { DisruptionStatsArgs, InsightsArgs, ReferralStatsArgs, ThreatStatsArgs } from './reporting.inputs';
import {
  AwaitingValidation,
  DisruptionStats,
  DisruptionStatsRow,
  Insight,
  Insights,
  LevelComparison,
  OverdueActionsCount,
  PlanStats,
  ReferralStats,
  ReferralStatsRow,
  ThreatStats,
  ThreatStatsRow,
} from './reporting.types';

/** The rows' statement runs once per answer, however many of its fields are asked for. */
function rowsOf(stats: DisruptionStats, ctx: RequestContext): Promise<DisruptionStatsRow[]> {
  stats.rowsPromise ??= disruptionStatsRows(ctx, stats);
  return stats.rowsPromise;
}

@Resolver(() => DisruptionStats)
export class DisruptionStatsResolver {
  @Query(() => DisruptionStats, {
    description:
      'Disruption figures within your access, by reporting year (1 April to 31 March), quarter, organisation, level, strand, category or status. ' +
      'Only VALIDATED disruptions count unless filter.statuses says otherwise.',
  })
  disruptionStats(@Args(() => DisruptionStatsArgs) args: DisruptionStatsArgs): DisruptionStats {
    // An instance, not a plain object: type-graphql hands each field resolver a fresh copy of a
    // plain object, so rowsOf's memo would be lost and the aggregate run once per field asked for.
    return Object.assign(new DisruptionStats(), { query: parseDisruptionStats(args) });
  }

  @FieldResolver(() => [DisruptionStatsRow], { description: 'One row per group that has records, ordered by the keys.' })
  rows(@Root() stats: DisruptionStats, @Ctx() ctx: RequestContext) {
    return rowsOf(stats, ctx);
  }

  @FieldResolver(() => Int, { description: 'Records selected.' })
  async total(@Root() stats: DisruptionStats, @Ctx() ctx: RequestContext) {
    return (await rowsOf(stats, ctx)).reduce((n, r) => n + r.count, 0);
  }

  @FieldResolver(() => Int, { description: 'Disruptions that count: VALIDATED at an agreed level of MAJOR, MODERATE or MINOR.' })
  async countingTotal(@Root() stats: DisruptionStats, @Ctx() ctx: RequestContext) {
    return (await rowsOf(stats, ctx)).reduce((n, r) => n + r.countingCount, 0);
  }

  @FieldResolver(() => Int, { description: 'Records selected that were flagged late.' })
  async lateTotal(@Root() stats: DisruptionStats, @Ctx() ctx: RequestContext) {
    return (await rowsOf(stats, ctx)).reduce((n, r) => n + r.lateCount, 0);
  }

  @FieldResolver(() => [LevelComparison], { description: 'VALIDATED disruptions in the filter, by level claimed and level agreed.' })
  claimedAgainstAgreed(@Root() stats: DisruptionStats, @Ctx() ctx: RequestContext) {
    return claimedAgainstAgreed(ctx, stats);
  }

  @FieldResolver(() => AwaitingValidation, { description: 'SUBMITTED claims in the filter (whatever filter.statuses says), by how long they have waited.' })
  awaitingValidation(@Root() stats: DisruptionStats, @Ctx() ctx: RequestContext) {
    return awaitingValidation(ctx, stats);
  }
}

@Resolver(() => DisruptionStatsRow)
export class DisruptionStatsRowResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: 'The claiming organisation (grouped by ORGANISATION).' })
  organisation(@Root() row: DisruptionStatsRow, @Ctx() ctx: RequestContext) {
    return row.organisationId ? organisationLoader(ctx).load(row.organisationId) : null;
  }
}

@Resolver()
export class ReportingResolver {
  @Query(() => ThreatStats, { description: 'Threats within your access by subject type, priority band (not for partners), lead organisation, category or status.' })
  threatStats(@Args(() => ThreatStatsArgs) args: ThreatStatsArgs, @Ctx() ctx: RequestContext) {
    return threatStats(ctx, args);
  }

  @Query(() => PlanStats, { description: 'Adopted threats with a plan in force and a named LRO; quality gate failures by problem; open and overdue actions by owner.' })
  planStats(@Ctx() ctx: RequestContext) {
    return planStats(ctx);
  }

  @Query(() => Insights, {
    description:
      'The routine analysis a short-staffed unit does not get round to, each finding with the records behind it, within your access: ' +
      'threats with a single recorded activity, activities no plan action addresses, overdue assessment and plan reviews, adopted threats ' +
      'with no validated disruption in noDisruptionDays, possible links (threats sharing a member), sharing agreements expiring within 60 days.',
  })
  insights(@Args(() => InsightsArgs) args: InsightsArgs, @Ctx() ctx: RequestContext) {
    return insights(ctx, args);
  }

  @Query(() => ReferralStats, { description: 'Safeguarding referrals you made or received by type, organisation, reporting year and quarter; acknowledgement within target by urgency; outcomes.' })
  referralStats(@Args(() => ReferralStatsArgs) args: ReferralStatsArgs, @Ctx() ctx: RequestContext) {
    return referralStats(ctx, args);
  }
}

@Resolver(() => ThreatStatsRow)
export class ThreatStatsRowResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: 'Grouped by LEAD_ORGANISATION.' })
  leadOrganisation(@Root() row: ThreatStatsRow, @Ctx() ctx: RequestContext) {
    return row.leadOrganisationId ? organisationLoader(ctx).load(row.leadOrganisationId) : null;
  }
}

@Resolver(() => OverdueActionsCount)
export class OverdueActionsCountResolver {
  @FieldResolver(() => Organisation, { description: 'The organisation that owns the actions.' })
  organisation(@Root() row: OverdueActionsCount, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(row.organisationId);
  }
}

@Resolver(() => ReferralStatsRow)
export class ReferralStatsRowResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: 'Grouped by REFERRING_ORGANISATION.' })
  referringOrganisation(@Root() row: ReferralStatsRow, @Ctx() ctx: RequestContext) {
    return row.referringOrganisationId ? organisationLoader(ctx).load(row.referringOrganisationId) : null;
  }

  @FieldResolver(() => Organisation, { nullable: true, description: 'Grouped by RECEIVING_ORGANISATION.' })
  receivingOrganisation(@Root() row: ReferralStatsRow, @Ctx() ctx: RequestContext) {
    return row.receivingOrganisationId ? organisationLoader(ctx).load(row.receivingOrganisationId) : null;
  }
}

/** How an insight's records are fetched: the same fetchers (and access checks) as node(id). */
const insightRecordFetchers: NodeFetchers = { ...threatsModule.nodes, ...plansModule.nodes, ...sharingModule.nodes };

@Resolver(() => Insight)
export class InsightResolver {
  @FieldResolver(() => [Node], { description: 'The records behind the finding, as node(id) gives them.' })
  async records(@Root() insight: Insight, @Ctx() ctx: RequestContext) {
    return (await resolveNodes(ctx, insightRecordFetchers, insight.recordIds)).filter((r) => r !== null);
  }
}
