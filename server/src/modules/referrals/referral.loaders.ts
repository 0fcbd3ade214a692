import type { RequestContext } from '../../graphql/context';
import { byKey, groupByKey } from '../../graphql/loaders';
import { referralsByIds, updatesBy } from './referral.repository';

/** Request-scoped batch loaders for referrals and their timelines. */
export const referralLoaders = {
  referral: (ctx: RequestContext) =>
    ctx.loaders.get('referral', async (ids: readonly string[]) => byKey(ids, await referralsByIds(ctx.access, ids), (r) => r.dbId)),
  timeline: (ctx: RequestContext) =>
    ctx.loaders.get('referralTimeline', async (ids: readonly string[]) => groupByKey(ids, await updatesBy(ctx.access, 'referral_id', ids), (u) => u.referralId)),
  update: (ctx: RequestContext) =>
    ctx.loaders.get('referralUpdate', async (ids: readonly string[]) => byKey(ids, await updatesBy(ctx.access, 'id', ids), (u) => u.dbId)),
};
