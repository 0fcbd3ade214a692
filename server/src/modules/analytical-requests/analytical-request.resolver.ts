import { Arg, Args, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { ConnectionType, SortDirection, paginate, type OrderTerm } from '../../graphql/connection';
import { SharedRecordResolver } from '../../shared/shared-record';
import { userLoader } from '../identity/identity.loaders';
import { User } from '../identity/user.entity';
import { planLoaders } from '../plans/plan.loaders';
import { FourPPlan } from '../plans/plan.types';
import { threatLoaders } from '../threats/threat.loaders';
import { SocThreat } from '../threats/threat.types';
import { AnalyticalRequestMove, AnalyticalRequestOrderField } from './analytical-request.enums';
import {
  AnalyticalRequestStepInput,
  AnalyticalRequestsArgs,
  AssignAnalyticalRequestInput,
  CreateAnalyticalRequestInput,
  DeclineAnalyticalRequestInput,
} from './analytical-request.inputs';
import { allowedMoves } from './analytical-request.moves';
import { mapRequest, requestQuery } from './analytical-request.repository';
import * as requests from './analytical-request.service';
import { analyticalRequestStats } from './analytical-request.stats';
import { AnalystWorkload, AnalyticalRequestStats, AnalyticalRequestStatsArgs } from './analytical-request.stats.types';
import { AnalyticalRequest } from './analytical-request.types';

@ObjectType()
export class AnalyticalRequestConnection extends ConnectionType(AnalyticalRequest) {}

const ORDER_COLUMNS: Record<AnalyticalRequestOrderField, string> = { DUE_ON: 'ar.due_on', CREATED_AT: 'ar.created_at' };

function order(args: AnalyticalRequestsArgs): OrderTerm[] {
  const requested = args.orderBy?.length ? args.orderBy : [{ field: AnalyticalRequestOrderField.DUE_ON, direction: SortDirection.ASC }];
  return [...requested.map((o) => ({ column: ORDER_COLUMNS[o.field], direction: o.direction })), { column: 'ar.id', direction: SortDirection.ASC }];
}

@Resolver(() => AnalyticalRequest)
export class AnalyticalRequestResolver extends SharedRecordResolver(AnalyticalRequest) {
  @Query(() => AnalyticalRequestConnection, { description: "Analytical requests you may read (your organisation's; the regional unit reads the region's), soonest due first." })
  analyticalRequests(@Args(() => AnalyticalRequestsArgs) args: AnalyticalRequestsArgs, @Ctx() ctx: RequestContext) {
    const criteria = { statuses: args.filter?.status, assignedTo: args.filter?.assignedToMe ? ctx.viewer.id : undefined };
    return paginate(requestQuery(ctx.access, criteria), args, order(args), mapRequest);
  }

  @Query(() => [User], { description: 'The analysts a request may be assigned to: those of your organisation, for its intelligence managers (otherwise none).' })
  async analystsForAssignment(@Ctx() ctx: RequestContext) {
    const ids = await requests.analystsForAssignment(ctx);
    return (await userLoader(ctx).loadMany(ids)).filter((u) => u && !(u instanceof Error));
  }

  @Query(() => AnalyticalRequestStats, {
    description: 'Analytical demand against capacity over the requests you may read: by month, delivered on time, declined for lack of capacity, and analyst workload.',
  })
  analyticalRequestStats(@Args(() => AnalyticalRequestStatsArgs) args: AnalyticalRequestStatsArgs, @Ctx() ctx: RequestContext) {
    return analyticalRequestStats(ctx, args);
  }

  @FieldResolver(() => User, { description: 'Who made the request.' })
  requestedBy(@Root() r: AnalyticalRequest, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(r.createdById);
  }

  @FieldResolver(() => SocThreat, { nullable: true, description: 'The threat it supports; null when it supports a plan, or when the threat is not shared with you.' })
  threat(@Root() r: AnalyticalRequest, @Ctx() ctx: RequestContext) {
    return r.threatId ? threatLoaders.threat(ctx).load(r.threatId) : null;
  }

  @FieldResolver(() => FourPPlan, { nullable: true, description: 'The 4P plan it supports; null when it supports a threat, or when the plan is not shared with you.' })
  plan(@Root() r: AnalyticalRequest, @Ctx() ctx: RequestContext) {
    return r.planId ? planLoaders.plan(ctx).load(r.planId) : null;
  }

  @FieldResolver(() => Boolean, { description: 'Whether it supports a plan (rather than a threat), whether or not you may read it.' })
  supportsPlan(@Root() r: AnalyticalRequest) {
    return !!r.planId;
  }

  @FieldResolver(() => User, { nullable: true })
  assignedAnalyst(@Root() r: AnalyticalRequest, @Ctx() ctx: RequestContext) {
    return r.assignedAnalystId ? userLoader(ctx).load(r.assignedAnalystId) : null;
  }

  @FieldResolver(() => [AnalyticalRequestMove], { description: 'The moves you may make on it now.' })
  allowedMoves(@Root() r: AnalyticalRequest, @Ctx() ctx: RequestContext) {
    return allowedMoves(ctx.viewer, r.status, r.assignedAnalystId);
  }

  @Mutation(() => AnalyticalRequest, { description: 'Asks the regional unit for analysis, for a threat or a 4P plan you may read. Law enforcement only.' })
  createAnalyticalRequest(@Arg('input', () => CreateAnalyticalRequestInput) input: CreateAnalyticalRequestInput, @Ctx() ctx: RequestContext) {
    return requests.createAnalyticalRequest(ctx, input);
  }

  @Mutation(() => AnalyticalRequest, { description: "Accepts a request (REQUESTED → ACCEPTED). The regional unit's intelligence managers only." })
  acceptAnalyticalRequest(@Arg('input', () => AnalyticalRequestStepInput) input: AnalyticalRequestStepInput, @Ctx() ctx: RequestContext) {
    return requests.acceptAnalyticalRequest(ctx, input);
  }

  @Mutation(() => AnalyticalRequest, { description: "Declines a request with a reason and words (REQUESTED or ACCEPTED → DECLINED). The regional unit's intelligence managers only." })
  declineAnalyticalRequest(@Arg('input', () => DeclineAnalyticalRequestInput) input: DeclineAnalyticalRequestInput, @Ctx() ctx: RequestContext) {
    return requests.declineAnalyticalRequest(ctx, input);
  }

  @Mutation(() => AnalyticalRequest, { description: "Assigns an analyst of the regional unit to an accepted request or one in progress. The regional unit's intelligence managers only." })
  assignAnalyticalRequest(@Arg('input', () => AssignAnalyticalRequestInput) input: AssignAnalyticalRequestInput, @Ctx() ctx: RequestContext) {
    return requests.assignAnalyticalRequest(ctx, input);
  }

  @Mutation(() => AnalyticalRequest, { description: 'Starts the work (ACCEPTED → IN_PROGRESS). The assigned analyst only.' })
  startAnalyticalRequest(@Arg('input', () => AnalyticalRequestStepInput) input: AnalyticalRequestStepInput, @Ctx() ctx: RequestContext) {
    return requests.startAnalyticalRequest(ctx, input);
  }

  @Mutation(() => AnalyticalRequest, { description: 'Delivers the product (IN_PROGRESS → DELIVERED); on time when on or before the due date. The assigned analyst only.' })
  deliverAnalyticalRequest(@Arg('input', () => AnalyticalRequestStepInput) input: AnalyticalRequestStepInput, @Ctx() ctx: RequestContext) {
    return requests.deliverAnalyticalRequest(ctx, input);
  }
}

@Resolver(() => AnalystWorkload)
export class AnalystWorkloadResolver {
  @FieldResolver(() => User)
  analyst(@Root() w: AnalystWorkload, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(w.analystId);
  }
}
