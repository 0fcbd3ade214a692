import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { DisruptionConnection } from '../disruptions/disruption.resolver';
import { IntelligenceReportConnection, IntelligenceReportResolver } from '../intelligence/intelligence.resolver';
import { listDisruptions } from '../disruptions/disruption.service';
import { FourPPlanConnection, PlanResolver } from '../plans/plan.resolver';
import { PracticeEntryConnection, PracticeResolver } from '../practice/practice.resolver';
import { ReferralResolver, SafeguardingReferralConnection } from '../referrals/referral.resolver';
import { NominalConnection, NominalResolver } from '../threats/nominal.resolver';
import { SocThreatConnection, ThreatResolver } from '../threats/threat.resolver';
import { Selection } from '../../graphql/look-ahead';
import { searchFor } from './search.service';
import { SearchResults } from './search.types';

/**
 * Each kind is found by calling that kind's own list query with its text filter: one place for
 * each decision (what is readable, what partners may not match on), none restated here.
 */
const lists = {
  threats: new ThreatResolver(),
  people: new NominalResolver(),
  plans: new PlanResolver(),
  referrals: new ReferralResolver(),
  practices: new PracticeResolver(),
  intelligence: new IntelligenceReportResolver(),
};

/** The list's arguments: the first few rows, the text filter, and (when shown) a capped count sent with the page. */
const page = (s: SearchResults, info: GraphQLResolveInfo) => ({
  first: s.first,
  filter: { text: s.text },
  countUpTo: Selection.of(info).has('totalCount') ? s.countLimit : undefined,
});

@Resolver(() => SearchResults)
export class SearchResolver {
  @Query(() => SearchResults, {
    description:
      'Finds threats (name, URN, summary, activities), people (name, alias), plans (threat name or URN, objectives, actions), disruptions ' +
      '(description, narrative, evidence references), referrals (reference, summary), practice entries (full text) and intelligence reports ' +
      '(reference, sanitised text, and the original text where you are shown it), within your access: ' +
      'each kind as its own list with the same filter finds it, so partners never match on what they are not shown.',
  })
  async search(
    @Arg('text', () => String) text: string,
    @Arg('first', () => Int, { nullable: true, description: 'At most this many of each kind (default 5, at most 20).' }) first: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    const found = searchFor(text, first);
    await ctx.db.preferGenericPlans();
    return found;
  }

  @FieldResolver(() => SocThreatConnection)
  threats(@Root() s: SearchResults, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return lists.threats.threats(page(s, info), ctx, info);
  }

  @FieldResolver(() => NominalConnection, { description: 'People (nominals).' })
  people(@Root() s: SearchResults, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return lists.people.nominals(page(s, info), ctx);
  }

  @FieldResolver(() => FourPPlanConnection)
  plans(@Root() s: SearchResults, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return lists.plans.plans(page(s, info), ctx);
  }

  @FieldResolver(() => DisruptionConnection)
  disruptions(@Root() s: SearchResults, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return listDisruptions(ctx, page(s, info));
  }

  @FieldResolver(() => SafeguardingReferralConnection)
  referrals(@Root() s: SearchResults, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return lists.referrals.referrals(page(s, info), ctx);
  }

  @FieldResolver(() => IntelligenceReportConnection, { description: 'Intelligence reports: every one found is an audited read, and needs a stated purpose.' })
  intelligence(@Root() s: SearchResults, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return lists.intelligence.intelligenceReports({ ...page(s, info), orderBy: null }, ctx);
  }

  @FieldResolver(() => PracticeEntryConnection)
  practices(@Root() s: SearchResults, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
    return lists.practices.practices(page(s, info), ctx);
  }
}
