import type { RequestContext } from '../../graphql/context';
import { byKey, groupByKey } from '../../graphql/loaders';
import { disseminationsBy, reportsByIds } from './intelligence.repository';

/** Request-scoped batch loaders for intelligence reports and their disseminations. */
export const intelligenceLoaders = {
  report: (ctx: RequestContext) =>
    ctx.loaders.get('intelligenceReport', async (ids: readonly string[]) => byKey(ids, await reportsByIds(ctx.db.knex, ids), (r) => r.dbId)),
  disseminationsOfReport: (ctx: RequestContext) =>
    ctx.loaders.get('disseminationsOfReport', async (ids: readonly string[]) => groupByKey(ids, await disseminationsBy(ctx.db.knex, 'report_id', ids), (d) => d.reportId)),
  dissemination: (ctx: RequestContext) =>
    ctx.loaders.get('intelligenceDissemination', async (ids: readonly string[]) => byKey(ids, await disseminationsBy(ctx.db.knex, 'id', ids), (d) => d.dbId)),
};
