import { childFetcher, type NodeFetchers } from '../../graphql/node';
import { practiceLoaders } from './practice.loaders';
import { PracticeEndorsementResolver, PracticeResolver } from './practice.resolver';

const orNull = <T>(values: (T | Error | null)[]) => values.map((v) => (v instanceof Error ? null : v));

/** The practice module: the innovative practice register and its endorsements. */
export const practiceModule = {
  entities: [],
  resolvers: [PracticeResolver, PracticeEndorsementResolver],
  nodes: {
    PracticeEntry: (ctx, ids) => practiceLoaders.practice(ctx).loadMany(ids).then(orNull),
    PracticeEndorsement: childFetcher('PracticeEndorsement', (ctx, ids) => practiceLoaders.endorsement(ctx).loadMany(ids), (ctx, e) => practiceLoaders.practice(ctx).load(e.entryId)),
  } satisfies NodeFetchers,
} as const;
