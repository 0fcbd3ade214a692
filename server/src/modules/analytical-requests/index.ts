import type { NodeFetchers } from '../../graphql/node';
import { analyticalRequestLoaders } from './analytical-request.loaders';
import { AnalystWorkloadResolver, AnalyticalRequestResolver } from './analytical-request.resolver';

const orNull = <T>(values: (T | Error | null)[]) => values.map((v) => (v instanceof Error ? null : v));

/** The analytical requests module: what forces ask the regional unit's analysts for, and what became of it (issue 19). */
export const analyticalRequestsModule = {
  entities: [],
  resolvers: [AnalyticalRequestResolver, AnalystWorkloadResolver],
  nodes: {
    AnalyticalRequest: (ctx, ids) => analyticalRequestLoaders.request(ctx).loadMany(ids).then(orNull),
  } satisfies NodeFetchers,
} as const;
