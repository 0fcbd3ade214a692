import { Arg, Args, ArgsType, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { AuditAction } from '../../audit/audit.enums';
import { ConnectionArgs, SortDirection, paginate } from '../../graphql/connection';
import { fromGlobalId } from '../../graphql/global-id';
import { LocalDate } from '../../graphql/scalars';
import { SharedRecord } from '../../shared/shared-record';
import { Organisation } from '../identity/organisation.entity';
import { User } from '../identity/user.entity';
import { organisationLoader, userLoader } from '../identity/identity.loaders';
import { threatLoaders } from '../threats/threat.loaders';
import { intelligenceLoaders } from '../intelligence/intelligence.loaders';
import { referralLoaders } from '../referrals/referral.loaders';
import { reviewGroup, type RetainedFacts, type RetainedType } from './retention-periods';
import { DisposeRecordInput, RetainRecordInput } from './retention.inputs';
import { DISPOSED_TYPES, dueForReviewQuery, mapDue, mapTombstone, readableTombstones, retainedFacts, reviewsOf } from './retention.repository';
import { disposeRecord, latestNextReview, requireReviewer, retainRecord } from './retention.service';
import { DisposedRecord, RecordDueForReview, RecordDueForReviewConnection, RetentionReview } from './retention.types';
import { retentionStats } from './retention.stats';
import { RetentionStats, RetentionStatsArgs, RetentionStatsRow } from './retention.stats.types';

@ArgsType()
class RetentionReviewQueueArgs extends ConnectionArgs {}

const LOADERS: Record<RetainedType, (ctx: RequestContext) => { load(id: string): Promise<unknown> }> = {
  Nominal: threatLoaders.nominal,
  IntelligenceReport: intelligenceLoaders.report,
  SocThreat: threatLoaders.threat,
  SafeguardingReferral: referralLoaders.referral,
};

/** The record itself, through the same loaders (and access policy) as node(id). */
function loadRecord(ctx: RequestContext, type: RetainedType, id: string): Promise<SharedRecord | null> {
  return LOADERS[type](ctx).load(id).then((r) => (r ?? null) as SharedRecord | null);
}

/** What the review grouping reads of a record the caller may read (none of one they may not). */
async function factsOfReadable(ctx: RequestContext, type: RetainedType, id: string): Promise<RetainedFacts> {
  return (await loadRecord(ctx, type, id)) ? retainedFacts(ctx.access, type, id) : {};
}

@Resolver(() => RecordDueForReview)
export class RetentionReviewResolver {
  @Query(() => RecordDueForReviewConnection, {
    description:
      "Your organisation's people, intelligence reports, threats and safeguarding referrals whose retention review (MoPI) is due, oldest due first. For intelligence officers, LROs and SROs.",
  })
  retentionReviewQueue(@Args(() => RetentionReviewQueueArgs) args: RetentionReviewQueueArgs, @Ctx() ctx: RequestContext) {
    requireReviewer(ctx);
    return paginate(dueForReviewQuery(ctx.access, ctx.viewer.organisation.id), args, [
      { column: 'due.next_review_on', direction: SortDirection.ASC },
      { column: 'due.id', direction: SortDirection.ASC },
    ], mapDue);
  }

  @FieldResolver(() => SharedRecord, { nullable: true, description: 'The record under review.' })
  record(@Root() due: RecordDueForReview, @Ctx() ctx: RequestContext) {
    return loadRecord(ctx, due.type, due.dbId);
  }

  @FieldResolver(() => String, { description: 'Its review group in words, e.g. "people with safeguarding concerns (public protection)".' })
  async reviewGroup(@Root() due: RecordDueForReview, @Ctx() ctx: RequestContext) {
    return reviewGroup(due.type, await factsOfReadable(ctx, due.type, due.dbId)).description;
  }

  @FieldResolver(() => LocalDate, { description: 'The latest next review date a reviewer may set today.' })
  async latestNextReviewOn(@Root() due: RecordDueForReview, @Ctx() ctx: RequestContext) {
    return latestNextReview(due.type, await factsOfReadable(ctx, due.type, due.dbId));
  }

  @FieldResolver(() => [RetentionReview], { description: 'Earlier decisions to keep it, newest first.' })
  reviews(@Root() due: RecordDueForReview, @Ctx() ctx: RequestContext) {
    return reviewsOf(ctx, due.dbId);
  }

  @Mutation(() => SharedRecord, { description: 'Keeps a person, intelligence report, threat or safeguarding referral your organisation owns, with the reason and the next review date.' })
  retainRecord(@Arg('input', () => RetainRecordInput) input: RetainRecordInput, @Ctx() ctx: RequestContext) {
    return retainRecord(ctx, input);
  }

  @Mutation(() => DisposedRecord, {
    description:
      "Disposes of a person, intelligence report, threat or safeguarding referral your organisation owns: its content and the values in its history are deleted; a tombstone is kept. A threat's 4P plan, disruptions and analytical requests go with it, each keeping a tombstone.",
  })
  disposeRecord(@Arg('input', () => DisposeRecordInput) input: DisposeRecordInput, @Ctx() ctx: RequestContext) {
    return disposeRecord(ctx, input);
  }

  @Query(() => DisposedRecord, {
    nullable: true,
    description: "What is kept of a disposed record; null when there is none you may see (its owner's people and auditors see it).",
  })
  async disposedRecord(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext) {
    const parsed = fromGlobalId(id);
    if (!parsed || !DISPOSED_TYPES.has(parsed.type)) return null;
    const row = await readableTombstones(ctx).where('d.record_id', parsed.id).first();
    if (!row) return null;
    // A tombstone holds no personal data, but says who disposed of what and why: its reads are on the trail.
    ctx.audit.record(AuditAction.READ, 'DisposedRecord', [parsed.id]);
    return mapTombstone(row);
  }
}

@Resolver(() => DisposedRecord)
export class DisposedRecordResolver {
  @FieldResolver(() => Organisation, { description: 'The organisation that owned the record.' })
  owningOrganisation(@Root() d: DisposedRecord, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(d.organisationId);
  }

  @FieldResolver(() => User, { description: 'Who disposed of it.' })
  disposedBy(@Root() d: DisposedRecord, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(d.disposedById);
  }
}

@Resolver(() => RetentionReview)
export class RetentionDecisionResolver {
  @FieldResolver(() => User)
  reviewedBy(@Root() r: RetentionReview, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(r.reviewedById);
  }
}

@Resolver(() => RetentionStatsRow)
export class RetentionStatsResolver {
  @Query(() => RetentionStats, {
    description:
      "Retention reviews in figures (the retention-reviews report): your organisation's records by kind, overdue and falling due in the period, kept and disposed of in it, and the tombstones kept. A regional unit's auditor: the region's.",
  })
  retentionStats(@Args(() => RetentionStatsArgs) args: RetentionStatsArgs, @Ctx() ctx: RequestContext) {
    return retentionStats(ctx, args);
  }

  @FieldResolver(() => Organisation, { description: 'The organisation that owns (or owned) the records.' })
  organisation(@Root() row: RetentionStatsRow, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(row.organisationId);
  }
}
