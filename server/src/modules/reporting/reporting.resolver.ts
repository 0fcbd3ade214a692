import { Args, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { organisationLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { awaitingValidation, claimedAgainstAgreed, disruptionStatsRows, parseDisruptionStats } from './disruption-stats';
import { DisruptionStatsArgs } from './reporting.inputs';
import { AwaitingValidation, DisruptionStats, DisruptionStatsRow, LevelComparison } from './reporting.types';

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
    return { query: parseDisruptionStats(args) };
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
