import type { NodeFetchers } from '../../graphql/node';
import { withVisibleParents } from '../../access/policy';
import { threatLoaders } from '../threats/threat.loaders';
import { AssessmentModelResolver, AssessmentResolver } from './assessment.resolver';

export const assessmentsModule = {
  entities: [],
  resolvers: [AssessmentResolver, AssessmentModelResolver],
  nodes: {
    ThreatAssessment: async (ctx, ids) =>
      withVisibleParents(
        (await threatLoaders.assessment(ctx).loadMany(ids)).map((x) => (x instanceof Error ? null : x)),
        (a) => threatLoaders.threat(ctx).load(a.threatId),
      ),
  } satisfies NodeFetchers,
} as const;
