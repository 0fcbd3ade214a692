import type { NodeFetchers } from '../../graphql/node';

/** Statistics and insights computed in SQL within each caller's access (issue 7). */
export const reportingModule = {
  entities: [],
  resolvers: [],
  nodes: {} satisfies NodeFetchers,
} as const;
