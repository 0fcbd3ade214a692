import { Field, ID, InterfaceType } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from './context';
import type { ReadScope } from '../access/read-scope';
import { fromGlobalId } from './global-id';
import { partShownIn, type ListedPartRow, type ListedPartType } from '../access/catalogue';
import { showsPart } from '../access/redaction';
import type { AuditOrigin } from '../audit/audit.collector';
import type { Statement } from '../db/request-db';

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
 * `node(id)` of one type answered by a compiled statement (graphql/compiled-answer.ts): the
 * object or null as its fetcher and resolvers would answer, or undefined when the selection asks
 * for something the statement does not write (the fetcher then answers). With `last`, the
 * statement is the request's last (see LastRead).
 */
export type CompiledNode = (scope: ReadScope, info: GraphQLResolveInfo, dbId: string, last?: LastRead) => Promise<unknown> | undefined;

/**
 * A compiled `node(id)` that is its request's whole answer ends the request's transaction
 * itself, in one round trip: it writes the READ event of a sensitive record it reads in the same
 * statement (an INSERT in the statement, of the row the request's AuditCollector would have
 * written: `reader` gives that row's columns), and sends COMMIT in the same message
 * (RequestDb.readThenCommit). Before, the event and COMMIT took a second round trip: a third of
 * node(id)'s socket writes and a message more for PostgreSQL. Nothing is read without its record:
 * the event commits with the read, or neither happens.
 */
export interface LastRead {
  /** The READ event's columns besides the record (as AuditCollector.drain writes them). */
  readonly reader: Readonly<AuditOrigin> & { readonly operation: string | null };
  /** Sends the statement with COMMIT; undefined when it must be sent as any other (the request then finishes as usual). */
  send(statement: Statement): Promise<{ rows: Record<string, unknown>[] }> | undefined;
  /** The statement wrote the READ of these records: the request's collector does not write it again. */
  written(recordType: string, ids: string[]): void;
}

/**
 * Whether the field may end its request (LastRead): it is the operation's only field, in a query,
 * with a stated purpose (a sensitive record read without one is refused, and that DENIED event is
 * written after the answer), and nothing else waits to be written (an API key's use). Then
 * nothing can happen after the statement that would need the transaction.
 */
function lastReadOf(ctx: RequestContext, info: GraphQLResolveInfo): LastRead | undefined {
  const { operation } = info;
  const [only, ...others] = operation.selectionSet.selections;
  if (operation.operation !== 'query' || others.length || only !== info.fieldNodes[0] || !ctx.purpose || !ctx.audit.isEmpty) return undefined;
  return {
    reader: { ...ctx.audit.origin, operation: ctx.audit.operationName },
    send: (statement) => ctx.db.readThenCommit(statement),
    written: (recordType, ids) => ctx.audit.readWritten(recordType, ids),
  };
}

/** GraphQL type name → its CompiledNode, for the types that have one. */
export type CompiledNodes = Record<string, CompiledNode>;

/**
 * The fetcher for a type named by a client, if it is one of ours. An own property only: the
 * name comes from a global ID, and `toString` or `constructor` are properties of every object.
 */
export function fetcherFor(fetchers: NodeFetchers, type: string): NodeFetcher | undefined {
  return Object.hasOwn(fetchers, type) ? fetchers[type] : undefined;
}

/** `node(id)` answered by its type's compiled statement, when it has one and the selection allows; else undefined. */
export function compiledNode(compiled: CompiledNodes, ctx: RequestContext, info: GraphQLResolveInfo, globalId: string): Promise<unknown> | undefined {
  const parsed = fromGlobalId(globalId);
  return parsed && Object.hasOwn(compiled, parsed.type) ? compiled[parsed.type](ctx.access, info, parsed.id, lastReadOf(ctx, info)) : undefined;
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
 * A child fetcher says whose child it is and which part it loads, so a test can require every Node
 * type to be a root or a child, and every part the catalogue lists to have one (and no other).
 */
export type ChildFetcher = NodeFetcher & { childOf: string; part: ListedPartType };

/** The key under which a child read by ID carries its parent: the audit treats the read as the parent's. */
export const READ_THROUGH = Symbol('readThrough');

/**
 * The fetcher for a child record (a part of a parent record, with no sharing of its own): it is
 * shown by ID with exactly the treatment it gets through its parent. The parent must be visible;
 * where the part is listed on it is the access catalogue's (`listedIn` of `part`), decided by
 * redaction.ts showsPart as seesPart decides it for inputs naming a part: a parent field withheld
 * from the caller gives no child (the field is null there, so by ID the child is missing, not
 * merely sanitised); a narrowed field gives only the caller's own items. `load` and `parent` are
 * all a module gives: how to read the part and its record.
 * What it returns carries its parent (READ_THROUGH), so the audit asks for a purpose and writes a
 * READ of the parent, as when the parent itself is read. The child's own fields are redacted by
 * its type's resolvers, the same wherever it is reached.
 */
export function childFetcher<T extends ListedPartType, C extends object & ListedPartRow<T>>(
  part: T,
  load: (ctx: RequestContext, ids: readonly string[]) => Promise<(C | Error | null)[]>,
  parent: (ctx: RequestContext, child: C) => Promise<ParentRecord | null | undefined>,
): ChildFetcher {
  const fetch: NodeFetcher = async (ctx, ids) => Promise.all((await load(ctx, ids)).map((c) => (c && !(c instanceof Error) ? asThroughParent(ctx, part, c, parent) : null)));
  return Object.assign(fetch, { childOf: partShownIn(part).parentType, part });
}

async function asThroughParent<T extends ListedPartType, C extends object & ListedPartRow<T>>(
  ctx: RequestContext,
  part: T,
  child: C,
  parentOf: (ctx: RequestContext, child: C) => Promise<ParentRecord | null | undefined>,
): Promise<C | null> {
  const parent = await parentOf(ctx, child);
  if (!parent || !showsPart(ctx, part, child, parent)) return null;
  const copy = Object.assign(Object.create(Object.getPrototypeOf(child)), child);
  Object.defineProperty(copy, READ_THROUGH, { value: parent, enumerable: false });
  return copy;
}
