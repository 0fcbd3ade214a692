import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import type { RequestContext } from './context';
import { BadUserInputError } from './errors';
import { compiledNode, Node, resolveNodes, type CompiledNodes, type NodeFetchers } from './node';

/** At most this many IDs per `nodes` call, like a page. */
const MAX_NODES = 100;

/** `node(id)` and `nodes(ids)` over every module's fetchers (gathered in modules/index.ts). */
export function createNodeResolver(fetchers: NodeFetchers, compiled: CompiledNodes = {}) {
  @Resolver()
  class NodeResolver {
    @Query(() => Node, { nullable: true, description: 'Any object by its global ID; null when it does not exist or you may not see it.' })
    async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo) {
      // A compiled answer of null is the answer (hidden or missing): only undefined leaves it to the fetchers.
      return compiledNode(compiled, ctx, info, id) ?? (await resolveNodes(ctx, fetchers, [id]))[0];
    }

    @Query(() => [Node], { nullable: 'items', description: `Objects by global ID, in the order asked (null where not found); at most ${MAX_NODES}.` })
    nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext) {
      if (ids.length > MAX_NODES) throw new BadUserInputError([{ field: 'ids', message: `at most ${MAX_NODES} IDs per call` }]);
      return resolveNodes(ctx, fetchers, ids);
    }
  }
  return NodeResolver;
}
