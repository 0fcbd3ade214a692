import type { NodeFetchers } from '../../graphql/node';
import { SearchResolver } from './search.resolver';

/** One search over every kind of record, through each kind's own list (issue 14). */
export const searchModule = {
  entities: [],
  resolvers: [SearchResolver],
  nodes: {} satisfies NodeFetchers,
} as const;
