import type { NodeFetchers } from '../../graphql/node';

/** The referrals module: its resolvers and node fetchers (filled in as the module is built). */
export const referralsModule = {
  entities: [],
  resolvers: [],
  nodes: {} satisfies NodeFetchers,
} as const;
