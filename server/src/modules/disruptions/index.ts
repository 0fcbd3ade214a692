import type { NodeFetchers } from '../../graphql/node';
import { disruptionLoaders } from './disruption.loaders';
import { DisruptionResolver, DisruptionValidationResolver, ThreatDisruptionsResolver } from './disruption.resolver';

/** The disruptions module: its resolvers and node fetchers. */
export const disruptionsModule = {
  entities: [],
  resolvers: [DisruptionResolver, DisruptionValidationResolver, ThreatDisruptionsResolver],
  nodes: {
    Disruption: (ctx, ids) => disruptionLoaders.disruption(ctx).loadMany(ids).then((v) => v.map((x) => (x instanceof Error ? null : x))),
  } satisfies NodeFetchers,
} as const;
