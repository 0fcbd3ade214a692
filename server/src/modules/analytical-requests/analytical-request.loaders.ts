import type { RequestContext } from '../../graphql/context';
import { byKey } from '../../graphql/loaders';
import { requestsByIds } from './analytical-request.repository';

/** Request-scoped batch loader for analytical requests. */
export const analyticalRequestLoaders = {
  request: (ctx: RequestContext) =>
    ctx.loaders.get('analyticalRequest', async (ids: readonly string[]) => byKey(ids, await requestsByIds(ctx.access, ids), (r) => r.dbId)),
};
