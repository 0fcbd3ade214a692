import { registerEnumType } from 'type-graphql';

/** The four strands of a 4P plan. Disruptions are claimed against the same strands. */
export enum Strand {
  PURSUE = 'PURSUE',
  PREVENT = 'PREVENT',
  PROTECT = 'PROTECT',
  PREPARE = 'PREPARE',
}

/** Every strand, in the order plans show them. */
export const STRANDS: readonly Strand[] = [Strand.PURSUE, Strand.PREVENT, Strand.PROTECT, Strand.PREPARE];

/** Strands where the gate expects a named partner (docs/domain.md: "Prevent and Protect name a partner"). */
export const PARTNER_STRANDS: readonly Strand[] = [Strand.PREVENT, Strand.PROTECT];

/** Tactic groups of the national disruption tactics. */
export enum Tactic {
  LIFESTYLE = 'LIFESTYLE',
  BEHAVIOUR = 'BEHAVIOUR',
  VEHICLES = 'VEHICLES',
  TRAVEL = 'TRAVEL',
  BUSINESS = 'BUSINESS',
  CRIME = 'CRIME',
}

export enum PlanStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  UNDER_REVIEW = 'UNDER_REVIEW',
  CLOSED = 'CLOSED',
}

/** From each status, where a plan may go next. A closed plan stays closed. */
export const planTransitions: Record<PlanStatus, PlanStatus[]> = {
  DRAFT: [PlanStatus.ACTIVE],
  ACTIVE: [PlanStatus.UNDER_REVIEW, PlanStatus.CLOSED],
  UNDER_REVIEW: [PlanStatus.ACTIVE, PlanStatus.CLOSED],
  CLOSED: [],
};

export enum PlanActionStatus {
  PLANNED = 'PLANNED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETE = 'COMPLETE',
  BLOCKED = 'BLOCKED',
  CANCELLED = 'CANCELLED',
}

/** Statuses of an action that is still to be done, so can be overdue. */
export const OPEN_ACTION_STATUSES: readonly PlanActionStatus[] = [PlanActionStatus.PLANNED, PlanActionStatus.IN_PROGRESS, PlanActionStatus.BLOCKED];

export enum PlanEntryKind {
  INTELLIGENCE_GAP = 'INTELLIGENCE_GAP',
  OUTCOME = 'OUTCOME',
  LEARNING = 'LEARNING',
}

/** The named problems the quality gate can report. */
export enum PlanProblemCode {
  MISSING_STRAND = 'MISSING_STRAND',
  ACTIVITY_NOT_ADDRESSED = 'ACTIVITY_NOT_ADDRESSED',
  NO_LRO = 'NO_LRO',
  REVIEW_OVERDUE = 'REVIEW_OVERDUE',
  PARTNER_NOT_NAMED = 'PARTNER_NOT_NAMED',
}

registerEnumType(Strand, { name: 'Strand', description: 'A strand of the 4P approach: Pursue, Prevent, Protect, Prepare.' });
registerEnumType(Tactic, { name: 'Tactic', description: 'Tactic group of an action or disruption.' });
registerEnumType(PlanStatus, { name: 'PlanStatus' });
registerEnumType(PlanActionStatus, { name: 'PlanActionStatus' });
registerEnumType(PlanEntryKind, { name: 'PlanEntryKind', description: 'What a dated plan entry records.' });
registerEnumType(PlanProblemCode, {
  name: 'PlanProblemCode',
  description: 'A named failure of the plan quality gate.',
  valuesConfig: {
    MISSING_STRAND: { description: 'A strand has no objective and no recorded reason why it does not apply.' },
    ACTIVITY_NOT_ADDRESSED: { description: 'A criminal activity of the threat has no action (other than cancelled ones) addressing it.' },
    NO_LRO: { description: 'No lead responsible officer is named.' },
    REVIEW_OVERDUE: { description: 'The next review date has passed, or an active plan has none.' },
    PARTNER_NOT_NAMED: { description: 'Prevent or Protect applies but no partner is named for it.' },
  },
});
