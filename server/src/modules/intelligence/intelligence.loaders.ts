import type { RequestContext } from '../../graphql/context';
import { countsPerParent, firstPagesPerParent, type OrderTerm, type ParentList } from '../../graphql/connection';
import { byKey, groupByKey } from '../../graphql/loaders';
import { disseminationsBy, mapReport, reportQuery, reportsByIds } from './intelligence.repository';
import type { IntelligenceReport } from './intelligence.types';

/** The reports about one threat (its id the SQL expression `threat`) that the caller may read. */
const aboutThreat =
  (ctx: RequestContext): ParentList =>
  (threat) =>
    reportQuery(ctx.access).whereRaw(`i.threat_ids && array[${threat}]`);

/** Request-scoped batch loaders for intelligence reports and their disseminations. */
export const intelligenceLoaders = {
  report: (ctx: RequestContext) =>
    ctx.loaders.get('intelligenceReport', async (ids: readonly string[]) => byKey(ids, await reportsByIds(ctx.access, ids), (r) => r.dbId)),
  disseminationsOfReport: (ctx: RequestContext) =>
    ctx.loaders.get('disseminationsOfReport', async (ids: readonly string[]) => groupByKey(ids, await disseminationsBy(ctx.access, 'report_id', ids), (d) => d.reportId)),
  /** Each threat's first page of intelligence (`size` reports in `order`): one statement for a page of threats. */
  firstPageOfThreat: (ctx: RequestContext, size: number, order: OrderTerm[]) =>
    ctx.loaders.get(`threatIntelligence:${size}:${order.map((t) => `${t.column} ${t.direction}`).join(',')}`, (threatIds: readonly string[]) =>
      firstPagesPerParent<Record<string, any>, IntelligenceReport>(ctx.access.knex, threatIds, aboutThreat(ctx), size, order, mapReport, (id) =>
        intelligenceLoaders.countOfThreat(ctx).load(id),
      ),
    ),
  /** How many reports about each threat the caller may read. */
  countOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('threatIntelligenceCount', (threatIds: readonly string[]) => countsPerParent(ctx.access.knex, threatIds, aboutThreat(ctx))),
  dissemination: (ctx: RequestContext) =>
    ctx.loaders.get('intelligenceDissemination', async (ids: readonly string[]) => byKey(ids, await disseminationsBy(ctx.access, 'id', ids), (d) => d.dbId)),
};
