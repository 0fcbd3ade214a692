import type { NodeFetchers } from '../../graphql/node';

/** Information sharing agreements: their administration and who can see them (being built). */
export const sharingModule = {
  entities: [],
  resolvers: [],
  nodes: {} satisfies NodeFetchers,
} as const;
