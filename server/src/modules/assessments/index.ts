import { childFetcher, type NodeFetchers } from '../../graphql/node';
import { threatLoaders } from '../threats/threat.loaders';
import { AssessmentModelResolver, AssessmentResolver, ThreatPriorityChangeResolver } from './assessment.resolver';

export const assessmentsModule = {
  entities: [],
  resolvers: [AssessmentResolver, AssessmentModelResolver, ThreatPriorityChangeResolver],
  nodes: {
    ThreatAssessment: childFetcher('ThreatAssessment', (ctx, ids) => threatLoaders.assessment(ctx).loadMany(ids), (ctx, a) => threatLoaders.threat(ctx).load(a.threatId)),
  } satisfies NodeFetchers,
} as const;
