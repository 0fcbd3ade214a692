import type { RequestContext } from '../../graphql/context';
import { byKey } from '../../graphql/loaders';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

/** Organisations by database id, batched per request. */
export function organisationLoader(ctx: RequestContext) {
  return ctx.loaders.get<string, Organisation | null>('organisation', async (ids) =>
    byKey(ids, await ctx.em.find(Organisation, { id: { $in: [...ids] } }), (o) => o.id),
  );
}

/** Users by database id, batched per request. */
export function userLoader(ctx: RequestContext) {
  return ctx.loaders.get<string, User | null>('user', async (ids) =>
    byKey(ids, await ctx.em.find(User, { id: { $in: [...ids] } }), (u) => u.id),
  );
}
