import type { RequestContext } from '../../graphql/context';
import { byKey, groupByKey } from '../../graphql/loaders';
import { assessmentsBy } from '../assessments/assessment.service';
import { activitiesByIds, activitiesByThreatIds, linksByThreatIds, membershipsBy, nominalsByIds, threatsByIds } from './threat.repository';

/** Request-scoped batch loaders for threats and their parts: one statement per kind per request. */
export const threatLoaders = {
  threat: (ctx: RequestContext) =>
    ctx.loaders.get('threat', async (ids: readonly string[]) => byKey(ids, await threatsByIds(ctx.db.knex, ids), (t) => t.dbId)),
  activity: (ctx: RequestContext) =>
    ctx.loaders.get('activity', async (ids: readonly string[]) => byKey(ids, await activitiesByIds(ctx.db.knex, ids), (a) => a.dbId)),
  activitiesOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('activitiesOfThreat', async (ids: readonly string[]) => groupByKey(ids, await activitiesByThreatIds(ctx.db.knex, ids), (a) => a.threatId)),
  membersOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('membersOfThreat', async (ids: readonly string[]) => groupByKey(ids, await membershipsBy(ctx.db.knex, 'threat_id', ids), (m) => m.threatId)),
  membershipsOfNominal: (ctx: RequestContext) =>
    ctx.loaders.get('membershipsOfNominal', async (ids: readonly string[]) => groupByKey(ids, await membershipsBy(ctx.db.knex, 'nominal_id', ids), (m) => m.nominalId)),
  linksOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('linksOfThreat', async (ids: readonly string[]) => groupByKey(ids, await linksByThreatIds(ctx.db.knex, ids), (l) => l.threatId)),
  nominal: (ctx: RequestContext) =>
    ctx.loaders.get('nominal', async (ids: readonly string[]) => byKey(ids, await nominalsByIds(ctx.db.knex, ids), (n) => n.dbId)),
  assessmentsOfThreat: (ctx: RequestContext) =>
    ctx.loaders.get('assessmentsOfThreat', async (ids: readonly string[]) => groupByKey(ids, await assessmentsBy(ctx.db.knex, 'threat_id', ids), (a) => a.threatId)),
  assessment: (ctx: RequestContext) =>
    ctx.loaders.get('assessment', async (ids: readonly string[]) => byKey(ids, await assessmentsBy(ctx.db.knex, 'id', ids), (a) => a.dbId)),
};
