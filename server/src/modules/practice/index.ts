import type { NodeFetchers } from '../../graphql/node';

/** The practice module: its resolvers and node fetchers (filled in as the module is built). */
export const practiceModule = {
  entities: [],
  resolvers: [],
  nodes: {} satisfies NodeFetchers,
} as const;
