import { Field, ID, InterfaceType } from 'type-graphql';
import type { RequestContext } from './context';
import { fromGlobalId } from './global-id';
import { isNarrowedByName, isWithheldByName } from '../access/redaction';

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
 * The fetcher for a type named by a client, if it is one of ours. An own property only: the
 * name comes from a global ID, and `toString` or `constructor` are properties of every object.
 */
export function fetcherFor(fetchers: NodeFetchers, type: string): NodeFetcher | undefined {
  return Object.hasOwn(fetchers, type) ? fetchers[type] : undefined;
}

/**
 * Resolves global IDs in one batch per type. Unknown, malformed and invisible IDs all give
 * null, so a caller cannot tell a record it may not see from one that does not exist.
 */
export async function resolveNodes(ctx: RequestContext, fetchers: NodeFetchers, globalIds: readonly string[]): Promise<(object | null)[]> {
  const parsed = globalIds.map((g) => fromGlobalId(g));
  const idsByType = new Map<string, string[]>();
  for (const p of parsed) if (p && fetcherFor(fetchers, p.type)) idsByType.set(p.type, [...(idsByType.get(p.type) ?? []), p.id]);
  const found = new Map<string, object | null>();
  for (const [type, ids] of idsByType) {
    const unique = [...new Set(ids)];
    const rows = await fetcherFor(fetchers, type)!(ctx, unique);
    unique.forEach((id, i) => found.set(`${type}:${id}`, rows[i]));
  }
  return parsed.map((p) => (p ? (found.get(`${p.type}:${p.id}`) ?? null) : null));
}

/** A parent record as the audit and the redaction rules know it. */
export interface ParentRecord {
  __typename?: string;
  dbId: string;
  owningOrganisationId?: string;
  protectiveMarking?: string;
}

/**
 * Where a child record lives in its parent: the parent type and the parent's field that lists it
 * (so the parent's redaction rule for that field applies), and the child's own organisation for
 * a field narrowed to the caller's own items (a plan's actions).
 */
export interface ChildOf<C> {
  parentType: string;
  parentField: (child: C) => string;
  parent: (ctx: RequestContext, child: C) => Promise<ParentRecord | null | undefined>;
  itemOwner?: (child: C) => string;
}

/** A child fetcher says whose child it is, so a test can require every Node type to be a root or a child. */
export type ChildFetcher = NodeFetcher & { childOf: string };

/** The key under which a child read by ID carries its parent: the audit treats the read as the parent's. */
export const READ_THROUGH = Symbol('readThrough');

/**
 * The fetcher for a child record (a part of a parent record, with no sharing of its own): it is
 * shown by ID with exactly the treatment it gets through its parent. The parent must be visible;
 * a parent field withheld from the caller gives no child (the field is null there, so by ID the
 * child is missing, not merely sanitised); a narrowed field gives only the caller's own items.
 * What it returns carries its parent (READ_THROUGH), so the audit asks for a purpose and writes a
 * READ of the parent, as when the parent itself is read. The child's own fields are redacted by
 * its type's resolvers, the same wherever it is reached.
 */
export function childFetcher<C extends object>(load: (ctx: RequestContext, ids: readonly string[]) => Promise<(C | Error | null)[]>, rule: ChildOf<C>): ChildFetcher {
  const fetch: NodeFetcher = async (ctx, ids) => Promise.all((await load(ctx, ids)).map((c) => (c && !(c instanceof Error) ? asThroughParent(ctx, c, rule) : null)));
  return Object.assign(fetch, { childOf: rule.parentType });
}

async function asThroughParent<C extends object>(ctx: RequestContext, child: C, rule: ChildOf<C>): Promise<C | null> {
  const parent = await rule.parent(ctx, child);
  if (!parent) return null;
  const field = rule.parentField(child);
  if (isWithheldByName(ctx, rule.parentType, field, parent)) return null;
  if (isNarrowedByName(ctx, rule.parentType, field, parent) && rule.itemOwner?.(child) !== ctx.access.caller.organisationId) return null;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(child)), child);
  Object.defineProperty(copy, READ_THROUGH, { value: parent, enumerable: false });
  return copy;
}
