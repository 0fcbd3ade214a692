import { Args, Ctx, FieldResolver, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { Purpose } from '../audit';
import type { RequestContext } from '../graphql/context';
import { BadUserInputError } from '../graphql/errors';
import { requireGlobalId, fromGlobalId } from '../graphql/global-id';
import { userLoader } from '../modules/identity/identity.loaders';
import { User } from '../modules/identity/user.entity';
import type { LiveHub } from './hub';
import { EventsArgs, LiveEvent, LiveEventType, RecordEventsArgs, TypeEventsArgs } from './live.types';
import type { EventFilter } from './subscriber';

/**
 * What a subscription operation's context holds. It opens no transaction: each event is run later
 * in a short transaction of the subscriber's own (see LiveHub).
 */
export interface LiveContext {
  viewer: User;
  purpose: Purpose | null;
  clientAddress: string | null;
  live: LiveHub;
  /** True once the subscriber's socket has closed: a safety net so no subscription outlives it. */
  gone: () => boolean;
  /** Drops the connection whose client stopped reading (its results past the bound). */
  fellBehind: () => void;
}

type Data<A> = SubscribeResolverData<unknown, A, LiveContext>;

function subscribe(data: Data<{ after?: string | null }>, filter: Partial<EventFilter>) {
  const { context, info, args } = data;
  return context.live.subscribe({
    viewer: context.viewer,
    purpose: context.purpose,
    clientAddress: context.clientAddress,
    gone: context.gone,
    fellBehind: context.fellBehind,
    filter: { types: null, recordTypes: null, recordIds: null, ...filter },
    after: args.after == null ? undefined : context.live.cursors.decode(args.after),
    info,
  });
}

/** The records a subscription names by global ID: their database ids, and each with its type (followed). */
function recordIdsOf(globalIds: string[] | null | undefined): Pick<EventFilter, 'recordIds' | 'followed'> {
  if (!globalIds) return { recordIds: null };
  const followed = globalIds.map((g, i) => {
    const parsed = fromGlobalId(g);
    if (!parsed) throw new BadUserInputError([{ field: `recordIds[${i}]`, message: 'is not a record ID' }]);
    return { recordType: parsed.type, recordId: parsed.id };
  });
  return { recordIds: new Set(followed.map((f) => f.recordId)), followed };
}

/** One record followed by a convenience subscription (threatChanged(id), planChanged(id)). */
function oneRecord(type: string, globalId: string): Partial<EventFilter> {
  const recordId = requireGlobalId(globalId, type, 'id');
  return { recordTypes: only(type), recordIds: new Set([recordId]), followed: [{ recordType: type, recordId }] };
}

const only = (...types: string[]) => new Set(types);

@Resolver(() => LiveEvent)
export class LiveResolver {
  @Subscription(() => LiveEvent, {
    description: 'Changes to the records you may see, as they commit, on every server instance. Pass `after` (a cursor) to resume without a gap.',
    subscribe: (data: Data<EventsArgs>) => subscribe(data, { types: data.args.types ? new Set(data.args.types) : null, ...recordIdsOf(data.args.recordIds) }),
  })
  events(@Root() event: LiveEvent, @Args() _args: EventsArgs): LiveEvent {
    return event;
  }

  @Subscription(() => LiveEvent, {
    description: 'Changes to one threat (and its activities, members, assessments and links).',
    subscribe: (data: Data<RecordEventsArgs>) => subscribe(data, oneRecord('SocThreat', data.args.id)),
  })
  threatChanged(@Root() event: LiveEvent, @Args() _args: RecordEventsArgs): LiveEvent {
    return event;
  }

  @Subscription(() => LiveEvent, {
    description: 'Changes to one 4P plan (and its objectives, actions, partners and reviews).',
    subscribe: (data: Data<RecordEventsArgs>) => subscribe(data, oneRecord('FourPPlan', data.args.id)),
  })
  planChanged(@Root() event: LiveEvent, @Args() _args: RecordEventsArgs): LiveEvent {
    return event;
  }

  @Subscription(() => LiveEvent, {
    description: 'Referrals you are party to: new ones, acknowledgements, updates, outcomes.',
    subscribe: (data: Data<TypeEventsArgs>) => subscribe(data, { recordTypes: only('SafeguardingReferral') }),
  })
  referralChanged(@Root() event: LiveEvent, @Args() _args: TypeEventsArgs): LiveEvent {
    return event;
  }

  @Subscription(() => LiveEvent, {
    description: 'Disruptions as they are recorded (CREATED) and as they move through validation (UPDATED).',
    subscribe: (data: Data<TypeEventsArgs>) => subscribe(data, { recordTypes: only('Disruption') }),
  })
  disruptionRecorded(@Root() event: LiveEvent, @Args() _args: TypeEventsArgs): LiveEvent {
    return event;
  }

  @Query(() => String, {
    description:
      'The event log\'s current position. Read it before (or with) your query, then subscribe with `after` set to it: nothing that changes in between is missed.',
  })
  async eventCursor(@Ctx() ctx: RequestContext): Promise<string> {
    const { rows } = await ctx.db.knex.raw('select live_event_head() as head');
    if (!ctx.cursors) throw new Error('eventCursor needs a cursor key (ContextDeps.cursors)');
    return ctx.cursors.encode(BigInt(rows[0].head));
  }

  @FieldResolver(() => User, { nullable: true })
  actor(@Root() event: LiveEvent, @Ctx() ctx: RequestContext): Promise<User | null> | null {
    return event.actorId ? userLoader(ctx).load(event.actorId) : null;
  }
}

export { LiveEventType };
