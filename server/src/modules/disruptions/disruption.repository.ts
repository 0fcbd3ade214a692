import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import { NAMED, readableQuery } from '../../access/references';
import { withReadableThreat } from '../../shared/records';
import { toGlobalId } from '../../graphql/global-id';
import { mapShared } from '../../shared/shared-record';
import { asDate, containsText } from '../../shared/sql';
import type { Strand } from '../plans/plan.enums';
import { DisruptionLevel, DisruptionStatus } from './disruption.enums';
import { countsAsDisruption, disruptionRules } from './disruption.rules';
import type { Disruption, DisruptionSummary } from './disruption.types';
import type { ReadScope } from '../../access/read-scope';

/** Reads for disruptions: plain SQL, one statement per kind per page. */

export function mapDisruption(row: Record<string, any>): Disruption {
  return Object.assign(mapShared('Disruption', (id) => toGlobalId('Disruption', id), row), {
    threatId: row.threat_id,
    criminalActivityId: row.criminal_activity_id,
    planActionId: row.plan_action_id,
    claimingOrganisationId: row.claiming_organisation_id,
    contributorIds: row.contributors ?? [],
    possibleDuplicateOfId: row.possible_duplicate_of,
    supersedesId: row.supersedes_id,
    supersededById: row.superseded_by_id,
    date: row.date,
    strand: row.strand,
    level: row.level,
    tactic: row.tactic,
    description: row.description,
    impactNarrative: row.impact_narrative,
    evidenceRefs: row.evidence_refs ?? [],
    status: row.status,
    submittedAt: asDate(row.submitted_at),
    isLate: row.is_late,
    statusReason: row.status_reason,
    validation: row.decision
      ? {
          validatorId: row.decided_by,
          decision: row.decision,
          levelAgreed: row.level_agreed,
          strandAgreed: row.strand_agreed,
          reasons: row.decision_reasons,
          at: asDate(row.decided_at as string),
        }
      : null,
    countsAsDisruption: countsAsDisruption(disruptionRules, row.status, row.level_agreed),
  });
}

/** What a disruption list can be narrowed by (database ids); all given conditions must hold. */
export interface DisruptionCriteria {
  statuses?: DisruptionStatus[];
  threatIds?: string[];
  claimingOrganisationIds?: string[];
  levels?: DisruptionLevel[];
  strands?: Strand[];
  dateFrom?: string;
  dateTo?: string;
  isLate?: boolean;
  possibleDuplicate?: boolean;
  text?: string;
  /** The validation queue: SUBMITTED claims not made by this organisation nor this person. */
  validatableBy?: { organisationId: string; userId: string; seniorForMajor: boolean };
  /** The statement reads most of the table (statistics): see withReadableThreat. */
  acrossTable?: boolean;
}

/** A query over disruption (alias d) with the criteria applied. */
export function disruptionQuery(scope: ReadScope, c: DisruptionCriteria = {}): Knex.QueryBuilder {
  const { knex } = scope;
  const q = withReadableThreat(onlyReadable(knex('disruption as d').select('d.*'), scope, 'DISRUPTION', 'd'), scope, 'd.threat_id', c.acrossTable);
  if (c.statuses?.length) q.whereIn('d.status', c.statuses);
  if (c.threatIds) q.whereIn('d.threat_id', c.threatIds);
  if (c.claimingOrganisationIds) q.whereIn('d.claiming_organisation_id', c.claimingOrganisationIds);
  if (c.levels?.length) q.whereIn('d.level', c.levels);
  if (c.strands?.length) q.whereIn('d.strand', c.strands);
  if (c.dateFrom) q.where('d.date', '>=', c.dateFrom);
  if (c.dateTo) q.where('d.date', '<=', c.dateTo);
  if (c.isLate != null) q.where('d.is_late', c.isLate);
  if (c.possibleDuplicate != null) {
    // Only a duplicate the caller may read counts (as possibleDuplicateOf shows only such a one):
    // filtering by one hidden from them would tell them another organisation's claim exists.
    const duplicate = readableQuery(scope, 'disruption').clearSelect().select(knex.raw('1')).whereRaw(`${NAMED}.id = d.possible_duplicate_of`);
    if (c.possibleDuplicate) q.whereExists(duplicate);
    else q.whereNotExists(duplicate);
  }
  if (c.text?.trim()) {
    const text = c.text.trim();
    // Evidence references too (crime numbers, seizure and court references): how people name a disruption.
    q.where((w) =>
      w
        .where(containsText(knex, 'd.description', text))
        .orWhere(containsText(knex, 'd.impact_narrative', text))
        .orWhere(containsText(knex, 'soc_search_text(d.evidence_refs)', text)),
    );
  }
  if (c.validatableBy) {
    const v = c.validatableBy;
    q.where('d.status', DisruptionStatus.SUBMITTED).whereNot('d.claiming_organisation_id', v.organisationId).whereNot('d.created_by', v.userId);
    if (!v.seniorForMajor) q.whereNot('d.level', DisruptionLevel.MAJOR);
  }
  return q;
}

export async function disruptionsByIds(scope: ReadScope, ids: readonly string[]): Promise<Disruption[]> {
  return (await disruptionQuery(scope).whereIn('d.id', ids as string[])).map(mapDisruption);
}

export async function disruptionsByThreatIds(scope: ReadScope, threatIds: readonly string[]): Promise<Disruption[]> {
  return (await disruptionQuery(scope, { threatIds: [...threatIds] }).orderBy([{ column: 'd.date', order: 'desc' }, 'd.id'])).map(mapDisruption);
}

/** Figures per threat from VALIDATED disruptions only (DOMAIN: only validated disruptions count in any figure). */
export async function summariesByThreatIds(scope: ReadScope, threatIds: readonly string[]): Promise<(DisruptionSummary & { threatId: string })[]> {
  const { knex } = scope;
  const rows: { threat_id: string; level_agreed: DisruptionLevel; count: number; last_date: string }[] = await onlyReadable(knex('disruption'), scope, 'DISRUPTION', 'disruption')
    .select('threat_id', 'level_agreed', knex.raw('count(*)::int as count'), knex.raw('max(date)::text as last_date'))
    .where('status', DisruptionStatus.VALIDATED)
    .whereIn('threat_id', threatIds as string[])
    .groupBy('threat_id', 'level_agreed');
  return threatIds.map((threatId) => {
    const mine = rows.filter((r) => r.threat_id === threatId);
    const countOf = (level: DisruptionLevel) => mine.find((r) => r.level_agreed === level)?.count ?? 0;
    const dates = mine.map((r) => r.last_date).sort();
    return {
      threatId,
      validatedCount: mine.reduce((n, r) => n + r.count, 0),
      countingCount: disruptionRules.levels.filter((l) => l.counts).reduce((n, l) => n + countOf(l.level), 0),
      lastValidatedDate: dates.at(-1) ?? null,
      byLevel: disruptionRules.levels.map((l) => ({ level: l.level, count: countOf(l.level) })),
    };
  });
}
