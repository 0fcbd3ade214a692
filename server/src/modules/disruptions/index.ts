import type { NodeFetchers } from '../../graphql/node';

/** The disruptions module: its resolvers and node fetchers (filled in as the module is built). */
export const disruptionsModule = {
  entities: [],
  resolvers: [],
  nodes: {} satisfies NodeFetchers,
} as const;
