import type { NodeFetchers } from '../../graphql/node';
import { withVisibleParents } from '../../access/policy';
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
    // Parts of a record are found by ID only when the record itself is visible.
    CriminalActivity: async (ctx, ids) =>
      withVisibleParents(nullForErrors(await threatLoaders.activity(ctx).loadMany(ids)), (a) => threatLoaders.threat(ctx).load(a.threatId)),
    Nominal: (ctx, ids) => threatLoaders.nominal(ctx).loadMany(ids).then(nullForErrors),
    Membership: async (ctx, ids) =>
      withVisibleParents(byKey(ids, await membershipsBy(ctx.db.knex, 'id', ids), (m) => m.dbId), (m) => threatLoaders.threat(ctx).load(m.threatId)),
  } satisfies NodeFetchers,
} as const;

function nullForErrors<T>(values: (T | Error | null)[]): (T | null)[] {
  return values.map((v) => (v instanceof Error ? null : v));
}
