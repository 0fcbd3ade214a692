import { z } from 'zod';
import { plainDate } from '../../shared/plain-dates';
import { Role } from '../identity/identity.enums';
import type { Problems } from '../../shared/validation';
import rulesJson from './disruption-rules.json';
import type { Strand, Tactic } from '../plans/plan.enums';
import { DisruptionLevel, DisruptionStatus, disruptionTransitions } from './disruption.enums';
import { refusedMove } from '../../shared/plain-words';

/**
 * The disruption recording rules that the domain calls configuration (disruption-rules.json):
 * the national level definitions, when a record is late, and the seniority a validator of a
 * MAJOR claim must have. Parsed once at start-up; a bad file stops the server, not a request.
 */
export const disruptionRulesSchema = z
  .object({
    /** Why the values are what they are; shown to administrators. */
    note: z.string().optional(),
    /** One entry per national level, in the order shown to users. */
    levels: z
      .array(
        z.object({
          level: z.enum(DisruptionLevel),
          /** A short definition of the level, shown beside the choice. */
          definition: z.string().min(1).max(1000),
          /** Whether a validated disruption at this level counts as a disruption in figures. */
          counts: z.boolean(),
        }),
      )
      .refine((ls) => Object.values(DisruptionLevel).every((l) => ls.filter((x) => x.level === l).length === 1), 'define every level exactly once'),
    /** A record first submitted more than this many days after its date is flagged late. */
    lateAfterDays: z.number().int().min(1).max(3650),
    /** Besides DISRUPTION_VALIDATOR, a validator of a MAJOR claim (or of a MAJOR agreed level) needs one of these roles. */
    majorClaimValidatorRoles: z.array(z.enum(Role)).min(1),
  })
  .strict();

export type DisruptionRules = z.infer<typeof disruptionRulesSchema>;

export const disruptionRules: DisruptionRules = disruptionRulesSchema.parse(rulesJson);

/** Whether a disruption counts in figures: VALIDATED, at an agreed level that counts. */
export function countsAsDisruption(rules: DisruptionRules, status: DisruptionStatus, levelAgreed: DisruptionLevel | null): boolean {
  return status === DisruptionStatus.VALIDATED && !!levelAgreed && rules.levels.some((l) => l.level === levelAgreed && l.counts);
}

/** Whole days from one calendar date (YYYY-MM-DD) to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A record first reported more than lateAfterDays after the event is late. */
export function isLateSubmission(rules: DisruptionRules, date: string, firstReportedOn: string): boolean {
  return daysBetween(date, firstReportedOn) > rules.lateAfterDays;
}

/** Whether the decision needs a validator of the configured seniority: a MAJOR claim, or MAJOR agreed. */
export function needsSeniorValidator(claimed: DisruptionLevel, agreed?: DisruptionLevel | null): boolean {
  return claimed === DisruptionLevel.MAJOR || agreed === DisruptionLevel.MAJOR;
}

/** Whether a validator holds the seniority for a MAJOR decision. */
export function isSeniorValidator(rules: DisruptionRules, roles: readonly Role[]): boolean {
  return roles.some((r) => rules.majorClaimValidatorRoles.includes(r));
}

/** Null when the move is allowed, else a message naming the allowed moves. */
export function illegalMove(from: DisruptionStatus, to: DisruptionStatus): string | null {
  const allowed = disruptionTransitions[from];
  if (allowed.includes(to)) return null;
  return refusedMove('disruption', from, to, allowed);
}

/** A disruption's recorded fields, with references as database ids (undefined when the given ID was malformed). */
export interface DisruptionDraft {
  threatId: string | undefined;
  criminalActivityId: string | null | undefined;
  planActionId: string | null | undefined;
  date: string | null;
  strand: Strand | null;
  level: DisruptionLevel | null;
  tactic: Tactic | null;
  description: string | null;
  impactNarrative: string | null;
  evidenceRefs: string[];
  contributorIds: string[];
}

/** What the database says about the draft's references; the service gathers these. */
export interface EntryFacts {
  /** The threat's dates; null when there is no such threat. */
  threat: { identifiedOn: string; assessedOn: string | null; closedOn: string | null } | null;
  /** The threat of the named activity; null when there is no such activity. */
  activityThreatId: string | null;
  /** The threat whose plan holds the named action; null when there is no such action. */
  planActionThreatId: string | null;
  claimingOrganisationId: string;
  today: string;
}

/**
 * The rules at entry (docs/domain.md, Disruption), checked on create, on every update and again at
 * submission. Every problem is added, so the caller hears about all of them in one response.
 */
export function checkEntry(p: Problems, d: DisruptionDraft, facts: EntryFacts): void {
  checkRequired(p, d);
  if (d.threatId) checkThreatOnDate(p, d, facts);
  if (d.criminalActivityId && d.threatId) {
    p.when(facts.activityThreatId !== d.threatId, 'criminalActivityId', facts.activityThreatId ? 'is not an activity of this threat' : 'no such criminal activity');
  }
  if (d.planActionId && d.threatId) {
    p.when(facts.planActionThreatId !== d.threatId, 'planActionId', facts.planActionThreatId ? "is not an action of this threat's plan" : 'no such plan action');
  }
  d.contributorIds.forEach((id, i) =>
    p.when(id === facts.claimingOrganisationId, `contributorIds[${i}]`, 'is the claiming organisation; contributors are the partners who helped'),
  );
}

function checkRequired(p: Problems, d: DisruptionDraft): void {
  p.when(!d.date, 'date', 'is required');
  p.when(!d.strand, 'strand', 'is required');
  p.when(!d.level, 'level', 'is required');
  p.when(!d.tactic, 'tactic', 'is required');
  p.text(d.description, 'description', { max: 4000 });
  p.text(d.impactNarrative, 'impactNarrative', { max: 8000 });
  if (!d.evidenceRefs.length) p.add('evidenceRefs', 'give at least one evidence reference');
  d.evidenceRefs.forEach((ref, i) => p.text(ref, `evidenceRefs[${i}]`, { max: 200 }));
}

/** The threat was assessed or adopted on the date, which is neither in the future nor before it was identified. */
function checkThreatOnDate(p: Problems, d: DisruptionDraft, { threat, today }: EntryFacts): void {
  if (!threat) {
    p.add('threatId', 'no such threat');
    return;
  }
  if (!threat.assessedOn) {
    p.add('threatId', 'the threat has not been assessed: disruptions are recorded only against assessed or adopted threats');
  }
  if (!d.date) return;
  if (d.date > today) p.add('date', 'cannot be in the future');
  else if (d.date < threat.identifiedOn) p.add('date', `cannot be before the threat was identified (${plainDate(threat.identifiedOn)})`);
  else if (threat.assessedOn && d.date < threat.assessedOn) {
    p.add('date', `the threat was not yet assessed or adopted on this date (first assessed on ${plainDate(threat.assessedOn)})`);
  } else if (threat.closedOn && d.date > threat.closedOn) {
    p.add('date', `the threat was closed on ${plainDate(threat.closedOn)}, before this date`);
  }
}
