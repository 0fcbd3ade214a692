import { DisposedRecordResolver, RetentionDecisionResolver, RetentionReviewResolver, RetentionStatsResolver } from './retention.resolver';

/** Retention reviews (MoPI): the review queue, retaining and disposing of records, tombstones, the figures. */
export const retentionModule = {
  entities: [],
  resolvers: [RetentionReviewResolver, DisposedRecordResolver, RetentionDecisionResolver, RetentionStatsResolver],
  nodes: {},
} as const;
