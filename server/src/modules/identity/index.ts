import type { NodeFetchers } from '../../graphql/node';
import { IdentityResolver } from './identity.resolver';
import { organisationLoader, userLoader } from './identity.loaders';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

const orNull = <T>(v: (T | Error | null)[]) => v.map((x) => (x instanceof Error ? null : x));

export const identityModule = {
  entities: [Organisation, User],
  resolvers: [IdentityResolver],
  nodes: {
    Organisation: (ctx, ids) => organisationLoader(ctx).loadMany(ids).then(orNull),
    User: (ctx, ids) => userLoader(ctx).loadMany(ids).then(orNull),
  } satisfies NodeFetchers,
} as const;
