import { Field, ID, InterfaceType } from 'type-graphql';
import type { RequestContext } from './context';
import { fromGlobalId } from './global-id';

/**
 * Relay's Node: anything with a global ID can be fetched again with `node(id)`. Rows carry
 * their GraphQL type name in `__typename`, which is how the interface resolves plain objects.
 */
@InterfaceType({
  description: 'An object with a global ID, fetchable with node(id).',
  resolveType: (value: { __typename?: string; constructor?: { name: string } }) => value.__typename ?? value.constructor?.name,
})
export abstract class Node {
  /** The GraphQL type name, set by row mappers so interfaces resolve plain objects. */
  __typename?: string;

  @Field(() => ID, { description: 'Global object ID.' })
  id!: string;
}

/** Loads objects of one type by database id, in one batch, returning null for missing ones. */
export type NodeFetcher = (ctx: RequestContext, ids: readonly string[]) => Promise<(object | null)[]>;

/** GraphQL type name → how to fetch it. Filled from each module's index (explicit, no side effects). */
export type NodeFetchers = Record<string, NodeFetcher>;

/**
 * Resolves global IDs in one batch per type. Unknown, malformed and invisible IDs all give
 * null, so a caller cannot tell a record it may not see from one that does not exist.
 */
export async function resolveNodes(ctx: RequestContext, fetchers: NodeFetchers, globalIds: readonly string[]): Promise<(object | null)[]> {
  const parsed = globalIds.map((g) => fromGlobalId(g));
  const idsByType = new Map<string, string[]>();
  for (const p of parsed) if (p && fetchers[p.type]) idsByType.set(p.type, [...(idsByType.get(p.type) ?? []), p.id]);
  const found = new Map<string, object | null>();
  for (const [type, ids] of idsByType) {
    const unique = [...new Set(ids)];
    const rows = await fetchers[type](ctx, unique);
    unique.forEach((id, i) => found.set(`${type}:${id}`, rows[i]));
  }
  return parsed.map((p) => (p ? (found.get(`${p.type}:${p.id}`) ?? null) : null));
}
