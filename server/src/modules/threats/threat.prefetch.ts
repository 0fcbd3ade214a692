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
 * resolver returns it, and only then is it audited.
 */
export type ThreatsPrefetch = (ctx: RequestContext, selected: Selection, threats: SocThreat[]) => Promise<void> | undefined;

const prefetches: ThreatsPrefetch[] = [];

/** Other modules add what they hang on a threat (the plans module, its `plan`). */
export function addThreatsPrefetch(prefetch: ThreatsPrefetch): void {
  prefetches.push(prefetch);
}

const activities: ThreatsPrefetch = (ctx, selected, threats) => {
  if (!selected.has('criminalActivities')) return undefined;
  return primeActivities(ctx, threats.map((t) => t.dbId));
};

const leadOrganisations: ThreatsPrefetch = async (ctx, selected, threats) => {
  if (!selected.has('leadOrganisation')) return undefined;
  for (const o of await organisationsBy(ctx.db.knex, [...new Set(threats.map((t) => t.leadOrganisationId))])) organisationLoader(ctx).prime(o.id, o);
};

/**
 * The threats' assessments when an activity's `assessment` or the threat's `currentAssessment`
 * is asked for, and their assessors when `assessedBy` is (by a subquery: in the same message).
 */
const assessments: ThreatsPrefetch = async (ctx, selected, threats) => {
  const asked = [selected.child('criminalActivities').child('assessment'), selected.child('currentAssessment')];
  if (!selected.child('criminalActivities').has('assessment') && !selected.has('currentAssessment')) return;
  const { knex } = ctx.db;
  const ids = threats.map((t) => t.dbId);
  const wantAssessors = asked.some((a) => a.has('assessedBy'));
  const [rows, assessors] = await Promise.all([
    assessmentsBy(knex, 'threat_id', ids),
    wantAssessors ? usersBy(knex, knex('threat_assessment').select('assessed_by').whereIn('threat_id', ids)) : undefined,
  ]);
  const loader = threatLoaders.assessmentsOfThreat(ctx);
  for (const id of ids) loader.prime(id, rows.filter((a) => a.threatId === id));
  for (const u of assessors ?? []) userLoader(ctx).prime(u.id, u);
};

/** Reads the threats' activities and primes the request's loader with them (an empty list for a threat with none). */
export async function primeActivities(ctx: RequestContext, threatIds: string[]): Promise<void> {
  const rows = await activitiesByThreatIds(ctx.db.knex, threatIds);
  const loader = threatLoaders.activitiesOfThreat(ctx);
  for (const id of threatIds) loader.prime(id, rows.filter((a) => a.threatId === id));
}

/** For paginate's `withNodes`: starts every prefetch the selection calls for, together. */
export function prefetchForThreats(ctx: RequestContext, selected: Selection) {
  return async (threats: SocThreat[]): Promise<void> => {
    if (!threats.length) return;
    await Promise.all([activities, leadOrganisations, assessments, ...prefetches].map((prefetch) => prefetch(ctx, selected, threats)));
  };
}
