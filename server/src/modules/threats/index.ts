import type { NodeFetchers } from '../../graphql/node';
import { threatLoaders } from './threat.loaders';
import { CriminalActivityResolver, MembershipResolver, ThreatLinkResolver, ThreatResolver } from './threat.resolver';
import { NominalResolver } from './nominal.resolver';
import { byKey } from '../../graphql/loaders';
import { membershipsBy } from './threat.repository';

export const threatsModule = {
  entities: [],
  resolvers: [ThreatResolver, CriminalActivityResolver, MembershipResolver, ThreatLinkResolver, NominalResolver],
  nodes: {
    SocThreat: (ctx, ids) => threatLoaders.threat(ctx).loadMany(ids).then(nullForErrors),
    CriminalActivity: (ctx, ids) => threatLoaders.activity(ctx).loadMany(ids).then(nullForErrors),
    Nominal: (ctx, ids) => threatLoaders.nominal(ctx).loadMany(ids).then(nullForErrors),
    Membership: async (ctx, ids) => byKey(ids, await membershipsBy(ctx.db.knex, 'id', ids), (m) => m.dbId),
  } satisfies NodeFetchers,
} as const;

function nullForErrors<T>(values: (T | Error | null)[]): (T | null)[] {
  return values.map((v) => (v instanceof Error ? null : v));
}
