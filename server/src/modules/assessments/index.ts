import type { NodeFetchers } from '../../graphql/node';
import { threatLoaders } from '../threats/threat.loaders';
import { AssessmentModelResolver, AssessmentResolver } from './assessment.resolver';

export const assessmentsModule = {
  entities: [],
  resolvers: [AssessmentResolver, AssessmentModelResolver],
  nodes: {
    ThreatAssessment: (ctx, ids) => threatLoaders.assessment(ctx).loadMany(ids).then((v) => v.map((x) => (x instanceof Error ? null : x))),
  } satisfies NodeFetchers,
} as const;
