import type { NodeFetchers } from '../../graphql/node';
import {
  DisruptionStatsResolver,
  DisruptionStatsRowResolver,
  InsightResolver,
  OverdueActionsCountResolver,
  ReferralStatsRowResolver,
  ReportingResolver,
  ThreatStatsRowResolver,
} from './reporting.resolver';

/** Statistics and insights computed in SQL within each caller's access (issue 7). */
export const reportingModule = {
  entities: [],
  resolvers: [DisruptionStatsResolver, DisruptionStatsRowResolver, ReportingResolver, ThreatStatsRowResolver, OverdueActionsCountResolver, ReferralStatsRowResolver, InsightResolver],
  nodes: {} satisfies NodeFetchers,
} as const;
