import { childFetcher, type CompiledNodes, type NodeFetchers } from '../../graphql/node';
import { threatLoaders } from './threat.loaders';
import { CriminalActivityResolver, MembershipResolver, ThreatLinkResolver, ThreatResolver } from './threat.resolver';
import { NominalResolver } from './nominal.resolver';
import { byKey } from '../../graphql/loaders';
import { membershipsBy } from './threat.repository';
import { compiledThreatNode } from './threat.compiled';

export const threatsModule = {
  entities: [],
  resolvers: [ThreatResolver, CriminalActivityResolver, MembershipResolver, ThreatLinkResolver, NominalResolver],
  nodes: {
    SocThreat: (ctx, ids) => threatLoaders.threat(ctx).loadMany(ids).then(nullForErrors),
    // Parts of a threat are found by ID as they are through the threat: the catalogue's listedIn says where (graphql/node.ts childFetcher).
    CriminalActivity: childFetcher('CriminalActivity', (ctx, ids) => threatLoaders.activity(ctx).loadMany(ids), (ctx, a) => threatLoaders.threat(ctx).load(a.threatId)),
    Nominal: (ctx, ids) => threatLoaders.nominal(ctx).loadMany(ids).then(nullForErrors),
    Membership: childFetcher(
      'Membership',
      async (ctx, ids) => byKey(ids, await membershipsBy(ctx.access, 'id', ids), (m) => m.dbId),
      (ctx, m) => threatLoaders.threat(ctx).load(m.threatId),
    ),
  } satisfies NodeFetchers,
  // node(id) of a threat answered by one compiled statement where the selection allows (threat.compiled.ts).
  compiledNodes: { SocThreat: compiledThreatNode } satisfies CompiledNodes,
} as const;

function nullForErrors<T>(values: (T | Error | null)[]): (T | null)[] {
  return values.map((v) => (v instanceof Error ? null : v));
}
