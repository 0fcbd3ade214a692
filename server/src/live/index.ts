import type { NodeFetchers } from '../graphql/node';

/** Live updates: the event log and its subscriptions (issue 5). */
export const liveModule = {
  entities: [],
  resolvers: [],
  nodes: {} satisfies NodeFetchers,
} as const;
