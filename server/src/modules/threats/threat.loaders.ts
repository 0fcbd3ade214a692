import type { RequestContext } from '../../graphql/context';
import { byKey, groupByKey } from '../../graphql/loaders';
import { assessmentsBy } from '../assessments/assessment.service';
import { activitiesByIds, activitiesByThreatIds, linksByThreatIds, membershipsBy, nominalsByIds, threatsByIds } from './threat.repository';

/** Request-scoped batch loaders for threats and their parts: one statement per kind per request. */
export const threatLoaders = {
  threat: (ctx: RequestContext) =>
    ctx.loaders.get('threat', async (ids: readonly string[]) => byKey(ids, await threatsByIds(ctx.access, ids), (t) => t.dbId)),
  activity: (ctx: RequestContext) =>
    ctx.loaders.get('activity', async (ids: readonly string[]) => byKey(ids, await activitiesByIds(ctx.access, ids), (a) => a.dbId)),
  activitiesOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('activitiesOfThreat', async (ids: readonly string[]) => groupByKey(ids, await activitiesByThreatIds(ctx.access, ids), (a) => a.threatId)),
  membersOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('membersOfThreat', async (ids: readonly string[]) => groupByKey(ids, await membershipsBy(ctx.access, 'threat_id', ids), (m) => m.threatId)),
  membershipsOfNominal: (ctx: RequestContext) =>
    ctx.loaders.get('membershipsOfNominal', async (ids: readonly string[]) => groupByKey(ids, await membershipsBy(ctx.access, 'nominal_id', ids), (m) => m.nominalId)),
  linksOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('linksOfThreat', async (ids: readonly string[]) => groupByKey(ids, await linksByThreatIds(ctx.access, ids), (l) => l.threatId)),
  nominal: (ctx: RequestContext) =>
    ctx.loaders.get('nominal', async (ids: readonly string[]) => byKey(ids, await nominalsByIds(ctx.access, ids), (n) => n.dbId)),
  assessmentsOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('assessmentsOfThreat', async (ids: readonly string[]) => groupByKey(ids, await assessmentsBy(ctx.access, 'threat_id', ids), (a) => a.threatId)),
  assessment: (ctx: RequestContext) =>
    ctx.loaders.get('assessment', async (ids: readonly string[]) => byKey(ids, await assessmentsBy(ctx.access, 'id', ids), (a) => a.dbId)),
};
