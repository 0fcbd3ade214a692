import { childFetcher, type NodeFetchers } from '../../graphql/node';
import { IntelligenceStatsResolver, IntelligenceStatsRowResolver } from './intelligence-stats.resolver';
import { intelligenceLoaders } from './intelligence.loaders';
import { IntelligenceDisseminationResolver, IntelligenceReportResolver, ThreatIntelligenceResolver } from './intelligence.resolver';

const orNull = <T>(values: (T | Error | null)[]) => values.map((v) => (v instanceof Error ? null : v));

/** The intelligence module: graded intelligence reports (3x5x2) and their disseminations to partners. */
export const intelligenceModule = {
  entities: [],
  resolvers: [IntelligenceReportResolver, IntelligenceDisseminationResolver, ThreatIntelligenceResolver, IntelligenceStatsResolver, IntelligenceStatsRowResolver],
  nodes: {
    IntelligenceReport: (ctx, ids) => intelligenceLoaders.report(ctx).loadMany(ids).then(orNull),
    // Partners: only those made to their own organisation, as in the report's `disseminations` (the catalogue's listedIn).
    IntelligenceDissemination: childFetcher(
      'IntelligenceDissemination',
      (ctx, ids) => intelligenceLoaders.dissemination(ctx).loadMany(ids),
      (ctx, d) => intelligenceLoaders.report(ctx).load(d.reportId),
    ),
  } satisfies NodeFetchers,
} as const;
