import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { organisationLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { intelligenceStats } from './intelligence-stats';
import { IntelligenceStats, IntelligenceStatsArgs, IntelligenceStatsRow } from './intelligence-stats.types';

@Resolver()
export class IntelligenceStatsResolver {
  @Query(() => IntelligenceStats, {
    description: 'Intelligence you may read by organisation, grading, handling code, reporting year and quarter: how many, how many disseminated, how many flagged by the entry rules.',
  })
  intelligenceStats(@Args(() => IntelligenceStatsArgs) args: IntelligenceStatsArgs, @Ctx() ctx: RequestContext) {
    return intelligenceStats(ctx, args);
  }
}

@Resolver(() => IntelligenceStatsRow)
export class IntelligenceStatsRowResolver {
  @FieldResolver(() => Organisation, { nullable: true, description: 'Grouped by OWNING_ORGANISATION.' })
  owningOrganisation(@Root() row: IntelligenceStatsRow, @Ctx() ctx: RequestContext) {
    return row.owningOrganisationId ? organisationLoader(ctx).load(row.owningOrganisationId) : null;
  }
}
