import type { RequestContext } from '../../graphql/context';
import type { Selection } from '../../graphql/look-ahead';
import { assessmentsBy } from '../assessments/assessment.service';
import { organisationLoader, organisationsBy, userLoader, usersBy } from '../identity/identity.loaders';
import { activitiesByThreatIds } from './threat.repository';
import { threatLoaders } from './threat.loaders';
import type { SocThreat } from './threat.types';

/**
 * What a page of threats will be asked for, fetched in one message as soon as the page is read.
 * Each prefetch looks at what the query selects on the threats, starts its statements, and primes
 * the request's loaders with the rows; the field resolvers then find their data loaded. The
 * loaders alone need a message per level: activities, lead organisations and plans, then the
 * plans' objectives, actions and partners for their quality (or the activities' assessments,
 * then their assessors). Prefetched, all of them go in one.
 * The rows come from the loaders' own repository functions (same access rules), and the loaders
 * stay the fallback for anything not prefetched. Nothing prefetched reaches a client unless a
 * resolver returns it, and only then is it audited. A page whose whole selection is written in
 * SQL is answered by one statement instead (threat.compiled.ts); this serves the others.
 */
export type ThreatsPrefetch = (ctx: RequestContext, selected: Selection, threats: SocThreat[]) => Promise<void> | undefined;

const prefetches: ThreatsPrefetch[] = [];

/**
 * What other modules hang on a threat (the plans module, its `plan`), each module listing its
 * own in `threatsPrefetches`, all given here by modules/index.ts, beside the module list.
 */
export function addThreatsPrefetches(fromOtherModules: readonly ThreatsPrefetch[]): void {
  prefetches.push(...fromOtherModules.filter((prefetch) => !prefetches.includes(prefetch)));
}

/**
 * The threats' activities when they are listed, when those not yet assessed are asked for, or
 * when the activities of the assessments listed are: an assessment's activity is one of its
 * threat's, so these rows answer `criminalActivity` too (the home page's assessment worklist
 * took four messages, one per level, and answered in 1-1.7 s on the benchmark data beside the
 * rest of the page).
 */
const activities: ThreatsPrefetch = (ctx, selected, threats) => {
  if (!readsActivities(selected)) return undefined;
  return primeActivities(ctx, threats.map((t) => t.dbId));
};

/** Whether a page's prefetch reads its threats' activities (others that need them need not). */
export function readsActivities(selected: Selection): boolean {
  return selected.has('criminalActivities') || selected.has('unassessedActivities') || selected.child('assessmentHistory').has('criminalActivity');
}

const leadOrganisations: ThreatsPrefetch = async (ctx, selected, threats) => {
  if (!selected.has('leadOrganisation')) return undefined;
  for (const o of await organisationsBy(ctx.db.knex, [...new Set(threats.map((t) => t.leadOrganisationId))])) organisationLoader(ctx).prime(o.id, o);
};

/**
 * The threats' assessments when an activity's `assessment`, the threat's `currentAssessment` or
 * `assessmentHistory`, or its `unassessedActivities` (those with no approved assessment) are
 * asked for, and their assessors when `assessedBy` is (by a subquery: in the same message).
 */
const assessments: ThreatsPrefetch = async (ctx, selected, threats) => {
  const asked = [selected.child('criminalActivities').child('assessment'), selected.child('currentAssessment'), selected.child('assessmentHistory')];
  const needed = selected.child('criminalActivities').has('assessment') || ['currentAssessment', 'assessmentHistory', 'unassessedActivities'].some((f) => selected.has(f));
  if (!needed) return;
  const { knex } = ctx.db;
  const ids = threats.map((t) => t.dbId);
  const wantAssessors = asked.some((a) => a.has('assessedBy'));
  const [rows, assessors] = await Promise.all([
    assessmentsBy(ctx.access, 'threat_id', ids),
    wantAssessors ? usersBy(knex, knex('threat_assessment').select('assessed_by').whereIn('threat_id', ids)) : undefined,
  ]);
  const loader = threatLoaders.assessmentsOfThreat(ctx);
  for (const id of ids) loader.prime(id, rows.filter((a) => a.threatId === id));
  for (const u of assessors ?? []) userLoader(ctx).prime(u.id, u);
};

/**
 * Reads the threats' activities and primes the request's loaders with them: each threat's list
 * (an empty one for a threat with none) and each activity by its id.
 */
export async function primeActivities(ctx: RequestContext, threatIds: string[]): Promise<void> {
  const rows = await activitiesByThreatIds(ctx.access, threatIds);
  const loader = threatLoaders.activitiesOfThreat(ctx);
  for (const id of threatIds) loader.prime(id, rows.filter((a) => a.threatId === id));
  for (const activity of rows) threatLoaders.activity(ctx).prime(activity.dbId, activity);
}

/** For paginate's `withNodes`: starts every prefetch the selection calls for, together. */
export function prefetchForThreats(ctx: RequestContext, selected: Selection) {
  return async (threats: SocThreat[]): Promise<void> => {
    if (!threats.length) return;
    await Promise.all([activities, leadOrganisations, assessments, ...prefetches].map((prefetch) => prefetch(ctx, selected, threats)));
  };
}
