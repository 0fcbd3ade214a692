import type { Knex } from '@mikro-orm/postgresql';
import { keysOf, type KeySet } from '../../graphql/loaders';
import { onlyReadable } from '../../access/policy';
import { seesAction, seesWithheldFields } from '../../access/redaction';
import { withReadableThreat } from '../../shared/records';
import { toGlobalId } from '../../graphql/global-id';
import { mapShared, sharedColumns } from '../../shared/shared-record';
import { containsText } from '../../shared/sql';
import { OPEN_ACTION_STATUSES, PARTNER_STRANDS, PlanProblemCode, STRANDS, type PlanActionStatus, type PlanStatus } from './plan.enums';
import type { FourPPlan, PlanAction, PlanEntry, PlanObjective, PlanPartner, PlanReview } from './plan.types';
import type { ReadScope } from '../../access/read-scope';

/**
 * Reads for plans and their parts: plain SQL returning plain objects, one statement per level
 * of a page. Also the quality gate written in SQL, so lists can filter on it in the database.
 */

const PLAN_COLUMNS = [
  ...sharedColumns('p'),
  'p.threat_id', 'p.lro_id', 'p.sro_id', 'p.status', 'p.closure_reason', 'p.review_frequency_days', 'p.next_review_due', 'p.strand_exemptions',
];

export function mapPlan(row: Record<string, any>): FourPPlan {
  const exemptions = (row.strand_exemptions ?? {}) as Record<string, string>;
  return Object.assign(mapShared('FourPPlan', (id) => toGlobalId('FourPPlan', id), row), {
    threatId: row.threat_id,
    lroId: row.lro_id,
    sroId: row.sro_id,
    status: row.status,
    closureReason: row.closure_reason,
    reviewFrequencyDays: row.review_frequency_days,
    nextReviewDue: row.next_review_due,
    strandExemptions: STRANDS.filter((s) => exemptions[s] != null).map((strand) => ({ strand, reason: exemptions[strand] })),
  });
}

const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Review overdue, as reviewOverdue() in plan.quality.ts: not closed, and due before `today`
 * (binding 1) or, when active, with no due date. Never NULL, so `not (...)` is its complement.
 */
const REVIEW_OVERDUE_SQL = `(p.status <> 'CLOSED' and coalesce(p.next_review_due < ?::date, p.status = 'ACTIVE'))`;

/**
 * Each check of the quality gate (plan.quality.ts) in SQL over `fourp_plan p`: true when the
 * plan has that problem. Only REVIEW_OVERDUE takes a binding (today's date; see
 * gateProblemBindings). Exported so that figures of gate failures by problem (the reporting
 * module) use exactly the rules the gate uses. Keep these in step with plan.quality.ts.
 */
export const GATE_PROBLEM_SQL: Readonly<Record<PlanProblemCode, string>> = {
  [PlanProblemCode.NO_LRO]: `p.lro_id is null`,
  [PlanProblemCode.REVIEW_OVERDUE]: REVIEW_OVERDUE_SQL,
  [PlanProblemCode.MISSING_STRAND]: `exists (
    select 1 from unnest(array[${sqlList(STRANDS)}]) as s(strand)
    where p.strand_exemptions ->> s.strand is null
      and not exists (select 1 from plan_objective o where o.plan_id = p.id and o.strand = s.strand))`,
  [PlanProblemCode.ACTIVITY_NOT_ADDRESSED]: `exists (
    select 1 from criminal_activity ca
    where ca.threat_id = p.threat_id
      and not exists (select 1 from plan_action a where a.plan_id = p.id and a.status <> 'CANCELLED' and ca.id = any (a.addresses_activity_ids)))`,
  [PlanProblemCode.PARTNER_NOT_NAMED]: `exists (
    select 1 from unnest(array[${sqlList(PARTNER_STRANDS)}]) as s(strand)
    where p.strand_exemptions ->> s.strand is null
      and not exists (select 1 from plan_partner pp where pp.plan_id = p.id and s.strand = any (pp.strands)))`,
};

/** The bindings GATE_PROBLEM_SQL[code] takes. */
export function gateProblemBindings(code: PlanProblemCode, today: string): string[] {
  return code === PlanProblemCode.REVIEW_OVERDUE ? [today] : [];
}

/**
 * The quality gate of plan.quality.ts in SQL over `fourp_plan p`: true when any check fails.
 * Takes one binding, today's date. Keep the two in step (the tests compare them).
 */
const FAILS_GATE_SQL = `(
  ${GATE_PROBLEM_SQL.NO_LRO}
  or ${GATE_PROBLEM_SQL.REVIEW_OVERDUE}
  or ${GATE_PROBLEM_SQL.MISSING_STRAND}
  or ${GATE_PROBLEM_SQL.ACTIVITY_NOT_ADDRESSED}
  or ${GATE_PROBLEM_SQL.PARTNER_NOT_NAMED}
)`;

/** What a plan list can be narrowed by; every field optional, all given ones must hold. */
export interface PlanCriteria {
  statuses?: PlanStatus[];
  owningOrganisationIds?: string[];
  threatIds?: string[];
  failingGate?: boolean;
  reviewOverdue?: boolean;
  /** Plans whose LRO is one of these users. */
  lroIds?: string[];
  /** Plans whose threat is led by one of these organisations. */
  leadOrganisationIds?: string[];
  /** Plans with (true) or without (false) an open action past its due date, among the actions the caller is shown. */
  actionsOverdue?: boolean;
  text?: string;
  /** Today's date, for the gate and overdue checks. */
  today: string;
}

/** A query over fourp_plan (alias p) joined to its threat (alias t), criteria applied, plan columns selected. */
export function planQuery(scope: ReadScope, c: PlanCriteria): Knex.QueryBuilder {
  const { knex } = scope;
  // The threat is joined, so (as under row-level security) a plan shows only with its threat.
  const q = onlyReadable(onlyReadable(knex('fourp_plan as p').join('soc_threat as t', 't.id', 'p.threat_id').select(PLAN_COLUMNS), scope, 'PLAN', 'p'), scope, 'THREAT', 't');
  if (c.statuses?.length) q.whereIn('p.status', c.statuses);
  if (c.owningOrganisationIds?.length) q.whereIn('p.owning_organisation_id', c.owningOrganisationIds);
  if (c.threatIds?.length) q.whereIn('p.threat_id', c.threatIds);
  // The gate is withheld from partners on others' plans: filtering by it would reveal it.
  if (c.failingGate != null) q.where(seesWithheldFields(scope, 'p')).whereRaw(c.failingGate ? FAILS_GATE_SQL : `not ${FAILS_GATE_SQL}`, [c.today]);
  if (c.reviewOverdue != null) q.whereRaw(c.reviewOverdue ? REVIEW_OVERDUE_SQL : `not ${REVIEW_OVERDUE_SQL}`, [c.today]);
  if (c.lroIds?.length) q.whereIn('p.lro_id', c.lroIds);
  if (c.leadOrganisationIds?.length) q.whereIn('t.lead_organisation_id', c.leadOrganisationIds);
  if (c.actionsOverdue != null) {
    // Only actions the caller is shown count (partners: their own), or the filter would reveal others'.
    const overdue = (sub: Knex.QueryBuilder) =>
      sub
        .select(knex.raw('1'))
        .from('plan_action as oa')
        .whereRaw('oa.plan_id = p.id')
        .where(seesAction(scope, 'oa', 'p'))
        .whereIn('oa.status', OPEN_ACTION_STATUSES as PlanActionStatus[])
        .where('oa.due_date', '<', c.today);
    if (c.actionsOverdue) q.whereExists(overdue);
    else q.whereNotExists(overdue);
  }
  if (c.text?.trim()) q.whereIn('p.id', plansContaining(scope, c.text.trim()));
  return q;
}

/**
 * Ids of the plans whose threat's name or URN, an objective, or an action the caller is shown
 * (partners: their own) contains `text`. A union of index searches, as for threats
 * (threatsContaining): as one OR of EXISTS, every plan was checked in turn under the access rules.
 */
function plansContaining(scope: ReadScope, text: string): Knex.QueryBuilder {
  const { knex } = scope;
  const byThreat = knex('fourp_plan as tp')
    .join('soc_threat as mt', 'mt.id', 'tp.threat_id')
    .select('tp.id')
    .where((w) => w.where(containsText(knex, 'mt.name', text)).orWhere(containsText(knex, 'mt.urn', text)));
  const byObjective = knex('plan_objective as o').select('o.plan_id').where(containsText(knex, 'o.description', text));
  const byAction = knex('plan_action as a')
    .join('fourp_plan as ap', 'ap.id', 'a.plan_id')
    .select('a.plan_id')
    .where(seesAction(scope, 'a', 'ap'))
    .where(containsText(knex, 'a.description', text));
  return byThreat.unionAll([byObjective, byAction]);
}

export async function plansBy(scope: ReadScope, column: 'p.id' | 'p.threat_id', ids: KeySet): Promise<FourPPlan[]> {
  const { knex } = scope;
  const rows = await withReadableThreat(onlyReadable(knex('fourp_plan as p').select(PLAN_COLUMNS), scope, 'PLAN', 'p'), scope, 'p.threat_id').whereIn(column, keysOf(ids));
  return rows.map(mapPlan);
}

function mapObjective(row: Record<string, any>): PlanObjective {
  return {
    __typename: 'PlanObjective',
    id: toGlobalId('PlanObjective', row.id),
    dbId: row.id,
    planId: row.plan_id,
    strand: row.strand,
    description: row.description,
    successMeasure: row.success_measure,
  };
}

export async function objectivesBy(scope: ReadScope, column: 'id' | 'plan_id', ids: KeySet): Promise<PlanObjective[]> {
  const { knex } = scope;
  return (await knex('plan_objective').select('*').whereIn(column, keysOf(ids)).orderBy('seq')).map(mapObjective);
}

function mapAction(row: Record<string, any>, today: string): PlanAction {
  return {
    __typename: 'PlanAction',
    id: toGlobalId('PlanAction', row.id),
    dbId: row.id,
    planId: row.plan_id,
    objectiveId: row.objective_id,
    ownerOrganisationId: row.owner_organisation_id,
    addressesActivityIds: row.addresses_activity_ids ?? [],
    strand: row.strand,
    description: row.description,
    tactic: row.tactic,
    dueDate: row.due_date,
    status: row.status,
    isOverdue: !!row.due_date && row.due_date < today && OPEN_ACTION_STATUSES.includes(row.status),
  };
}

export async function actionsBy(scope: ReadScope, column: 'id' | 'plan_id', ids: KeySet, today: string): Promise<PlanAction[]> {
  const { knex } = scope;
  return (await knex('plan_action').select('*').whereIn(column, keysOf(ids)).orderBy('seq')).map((r) => mapAction(r, today));
}

export async function partnersByPlanIds(scope: ReadScope, planIds: KeySet): Promise<PlanPartner[]> {
  const { knex } = scope;
  const rows = await knex('plan_partner').select('plan_id', 'organisation_id', 'strands', 'role').whereIn('plan_id', keysOf(planIds)).orderBy('seq');
  return rows.map((r) => ({ planId: r.plan_id, organisationId: r.organisation_id, strands: r.strands, role: r.role }));
}

function mapEntry(row: Record<string, any>): PlanEntry {
  return {
    __typename: 'PlanEntry',
    id: toGlobalId('PlanEntry', row.id),
    dbId: row.id,
    planId: row.plan_id,
    kind: row.kind,
    text: row.text,
    recordedOn: row.recorded_on,
    recordedById: row.recorded_by,
    resolvedOn: row.resolved_on,
    resolvedById: row.resolved_by,
    resolution: row.resolution,
  };
}

export async function entriesBy(scope: ReadScope, column: 'id' | 'plan_id', ids: readonly string[]): Promise<PlanEntry[]> {
  const { knex } = scope;
  return (await knex('plan_entry').select('*').whereIn(column, ids as string[]).orderBy('seq')).map(mapEntry);
}

export async function reviewsByPlanIds(scope: ReadScope, planIds: readonly string[]): Promise<PlanReview[]> {
  const { knex } = scope;
  const rows = await knex('plan_review').select('*').whereIn('plan_id', planIds as string[]).orderBy(['review_date', 'seq']);
  return rows.map((r) => ({ dbId: r.id, planId: r.plan_id, reviewerId: r.reviewer_id, date: r.review_date, forum: r.forum, decisions: r.decisions }));
}
