import { childFetcher, type NodeFetchers } from '../../graphql/node';
import { referralLoaders } from './referral.loaders';
import { ReferralResolver, ReferralUpdateResolver } from './referral.resolver';

const orNull = <T>(values: (T | Error | null)[]) => values.map((v) => (v instanceof Error ? null : v));

/** The referrals module: safeguarding referrals between partners and their timelines. */
export const referralsModule = {
  entities: [],
  resolvers: [ReferralResolver, ReferralUpdateResolver],
  nodes: {
    SafeguardingReferral: (ctx, ids) => referralLoaders.referral(ctx).loadMany(ids).then(orNull),
    ReferralUpdate: childFetcher('ReferralUpdate', (ctx, ids) => referralLoaders.update(ctx).loadMany(ids), (ctx, u) => referralLoaders.referral(ctx).load(u.referralId)),
  } satisfies NodeFetchers,
} as const;
