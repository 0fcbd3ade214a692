import { childFetcher, type NodeFetchers } from '../../graphql/node';
import { threatLoaders } from '../threats/threat.loaders';
import { AssessmentModelResolver, AssessmentResolver } from './assessment.resolver';

export const assessmentsModule = {
  entities: [],
  resolvers: [AssessmentResolver, AssessmentModelResolver],
  nodes: {
    ThreatAssessment: childFetcher((ctx, ids) => threatLoaders.assessment(ctx).loadMany(ids), {
      parentType: 'SocThreat',
      parentField: () => 'assessmentHistory',
      parent: (ctx, a) => threatLoaders.threat(ctx).load(a.threatId),
    }),
  } satisfies NodeFetchers,
} as const;
