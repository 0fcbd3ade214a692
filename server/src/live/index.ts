import type { NodeFetchers } from '../graphql/node';
import { LiveResolver } from './live.resolver';

/** Live updates: the event log and its subscriptions (issue 5). */
export const liveModule = {
  entities: [],
  resolvers: [LiveResolver],
  nodes: {} satisfies NodeFetchers,
} as const;
