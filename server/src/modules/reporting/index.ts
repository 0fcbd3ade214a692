import type { NodeFetchers } from '../../graphql/node';
import { DisruptionStatsResolver, DisruptionStatsRowResolver } from './reporting.resolver';

/** Statistics and insights computed in SQL within each caller's access (issue 7). */
export const reportingModule = {
  entities: [],
  resolvers: [DisruptionStatsResolver, DisruptionStatsRowResolver],
  nodes: {} satisfies NodeFetchers,
} as const;
