import type { RequestContext } from '../../graphql/context';
import { byKey, groupByKey } from '../../graphql/loaders';
import { endorsementsBy, practicesByIds } from './practice.repository';

/** Request-scoped batch loaders for practice entries and their endorsements. */
export const practiceLoaders = {
  practice: (ctx: RequestContext) =>
    ctx.loaders.get('practice', async (ids: readonly string[]) => byKey(ids, await practicesByIds(ctx.access, ids), (p) => p.dbId)),
  endorsementsOfPractice: (ctx: RequestContext) =>
    ctx.loaders.get('endorsementsOfPractice', async (ids: readonly string[]) => groupByKey(ids, await endorsementsBy(ctx.access, 'entry_id', ids), (e) => e.entryId)),
  endorsement: (ctx: RequestContext) =>
    ctx.loaders.get('practiceEndorsement', async (ids: readonly string[]) => byKey(ids, await endorsementsBy(ctx.access, 'id', ids), (e) => e.dbId)),
};
