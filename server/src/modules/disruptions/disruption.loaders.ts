import type { RequestContext } from '../../graphql/context';
import { byKey, groupByKey } from '../../graphql/loaders';
import { disruptionsByIds, disruptionsByThreatIds, summariesByThreatIds } from './disruption.repository';

/** Request-scoped batch loaders for disruptions: one statement per kind per request. */
export const disruptionLoaders = {
  disruption: (ctx: RequestContext) =>
    ctx.loaders.get('disruption', async (ids: readonly string[]) => byKey(ids, await disruptionsByIds(ctx.access, ids), (d) => d.dbId)),
  disruptionsOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('disruptionsOfThreat', async (ids: readonly string[]) =>
      groupByKey(ids, await disruptionsByThreatIds(ctx.access, ids), (d) => d.threatId),
    ),
  summaryOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('disruptionSummaryOfThreat', async (ids: readonly string[]) => summariesByThreatIds(ctx.access, ids)),
};
