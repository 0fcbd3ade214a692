import type { NodeFetchers } from '../../graphql/node';

/** The plans module: its resolvers and node fetchers (filled in as the module is built). */
export const plansModule = {
  entities: [],
  resolvers: [],
  nodes: {} satisfies NodeFetchers,
} as const;
