import { Arg, Args, Ctx, FieldResolver, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { ConnectionType, SortDirection, orderTerms, paginate, type OrderTerm } from '../../graphql/connection';
import { requireGlobalId } from '../../graphql/global-id';
import { SharedRecordResolver } from '../../shared/shared-record';
import { organisationLoader, userLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { User } from '../identity/user.entity';
import { PracticeOrderField } from './practice.enums';
import { CreatePracticeInput, EndorsePracticeInput, PracticesArgs, UpdatePracticeInput, WithdrawEndorsementInput, type PracticeFilter } from './practice.inputs';
import { practiceLoaders } from './practice.loaders';
import { ENDORSEMENT_COUNT, SEARCH_RANK, hasSearchText, mapPractice, practiceQuery, type PracticeCriteria } from './practice.repository';
import * as practices from './practice.service';
import { PracticeEndorsement, PracticeEntry } from './practice.types';

@ObjectType()
export class PracticeEntryConnection extends ConnectionType(PracticeEntry) {}

function practiceCriteria(filter: PracticeFilter | null | undefined): PracticeCriteria {
  if (!filter) return {};
  return {
    text: filter.text,
    topics: filter.topics?.map(practices.normaliseTopic),
    stages: filter.stage,
    evidenceRatings: filter.evidenceRating,
    organisationIds: filter.organisationIds?.map((g, i) => requireGlobalId(g, 'Organisation', `filter.organisationIds[${i}]`)),
  };
}

/** Order terms; RELEVANCE needs the search text, and without it means most recently updated. */
function practiceOrder(args: PracticesArgs, searching: boolean): OrderTerm[] {
  const columns: Record<PracticeOrderField, string> = {
    RELEVANCE: searching ? SEARCH_RANK : 'p.updated_at',
    UPDATED_AT: 'p.updated_at',
    ENDORSEMENTS: ENDORSEMENT_COUNT,
    TITLE: 'lower(p.title)',
  };
  return orderTerms(args.orderBy, { field: PracticeOrderField.RELEVANCE, direction: SortDirection.DESC }, columns, 'p.id');
}

@Resolver(() => PracticeEntry)
export class PracticeResolver extends SharedRecordResolver(PracticeEntry) {
  @Query(() => PracticeEntryConnection, { description: 'The innovative practice register: full-text search, filters, best match first.' })
  practices(@Args(() => PracticesArgs) args: PracticesArgs, @Ctx() ctx: RequestContext) {
    const criteria = practiceCriteria(args.filter);
    return paginate(practiceQuery(ctx.access, criteria), args, practiceOrder(args, hasSearchText(criteria)), mapPractice);
  }

  @FieldResolver(() => Organisation, { description: 'The organisation whose practice this is (the owning organisation).' })
  organisation(@Root() e: PracticeEntry, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(e.owningOrganisationId);
  }

  @FieldResolver(() => [Organisation])
  async partners(@Root() e: PracticeEntry, @Ctx() ctx: RequestContext) {
    return (await organisationLoader(ctx).loadMany(e.partnerIds)).filter((o) => o && !(o instanceof Error));
  }

  @FieldResolver(() => [PracticeEndorsement], { description: 'Oldest first.' })
  endorsements(@Root() e: PracticeEntry, @Ctx() ctx: RequestContext) {
    return practiceLoaders.endorsementsOfPractice(ctx).load(e.dbId);
  }

  @FieldResolver(() => Int)
  async endorsementCount(@Root() e: PracticeEntry, @Ctx() ctx: RequestContext) {
    return (await practiceLoaders.endorsementsOfPractice(ctx).load(e.dbId)).length;
  }

  @FieldResolver(() => Boolean, { description: 'Whether you have endorsed it (so a client knows to offer withdrawEndorsement).' })
  async endorsedByViewer(@Root() e: PracticeEntry, @Ctx() ctx: RequestContext) {
    return (await practiceLoaders.endorsementsOfPractice(ctx).load(e.dbId)).some((x) => x.userId === ctx.viewer.id);
  }

  @Mutation(() => PracticeEntry, { description: "Adds an entry to the practice register, owned by your organisation." })
  createPractice(@Arg('input', () => CreatePracticeInput) input: CreatePracticeInput, @Ctx() ctx: RequestContext) {
    return practices.createPractice(ctx, input);
  }

  @Mutation(() => PracticeEntry, { description: 'Changes an entry; owning organisation only.' })
  updatePractice(@Arg('input', () => UpdatePracticeInput) input: UpdatePracticeInput, @Ctx() ctx: RequestContext) {
    return practices.updatePractice(ctx, input);
  }

  @Mutation(() => PracticeEntry, { description: "Endorses another organisation's entry; once per user." })
  endorsePractice(@Arg('input', () => EndorsePracticeInput) input: EndorsePracticeInput, @Ctx() ctx: RequestContext) {
    return practices.endorsePractice(ctx, input);
  }

  @Mutation(() => PracticeEntry, { description: 'Withdraws your endorsement.' })
  withdrawEndorsement(@Arg('input', () => WithdrawEndorsementInput) input: WithdrawEndorsementInput, @Ctx() ctx: RequestContext) {
    return practices.withdrawEndorsement(ctx, input);
  }
}

@Resolver(() => PracticeEndorsement)
export class PracticeEndorsementResolver {
  @FieldResolver(() => User)
  user(@Root() e: PracticeEndorsement, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(e.userId);
  }

  @FieldResolver(() => Organisation)
  organisation(@Root() e: PracticeEndorsement, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(e.organisationId);
  }

  @FieldResolver(() => PracticeEntry)
  practice(@Root() e: PracticeEndorsement, @Ctx() ctx: RequestContext) {
    return practiceLoaders.practice(ctx).load(e.entryId);
  }
}
