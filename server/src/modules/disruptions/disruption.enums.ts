import { registerEnumType } from 'type-graphql';

// Strands and tactic groups are the plans module's (Strand, Tactic): a disruption is claimed against the same ones.

/** The national disruption levels; only MAJOR, MODERATE and MINOR count (see disruption-rules.json). */
export enum DisruptionLevel {
  MAJOR = 'MAJOR',
  MODERATE = 'MODERATE',
  MINOR = 'MINOR',
  NONE = 'NONE',
  NEGATIVE = 'NEGATIVE',
}

export enum DisruptionStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  VALIDATED = 'VALIDATED',
  RETURNED = 'RETURNED',
  REJECTED = 'REJECTED',
  SUPERSEDED = 'SUPERSEDED',
}

/** What a validator decided about a submitted claim. */
export enum ValidationDecision {
  VALIDATED = 'VALIDATED',
  RETURNED = 'RETURNED',
  REJECTED = 'REJECTED',
}

/**
 * The workflow (docs/domain.md): from each status, where a disruption may go next. A RETURNED claim is
 * edited and resubmitted; a VALIDATED one is only ever corrected by superseding it with a new draft.
 */
export const disruptionTransitions: Record<DisruptionStatus, DisruptionStatus[]> = {
  DRAFT: [DisruptionStatus.SUBMITTED],
  SUBMITTED: [DisruptionStatus.VALIDATED, DisruptionStatus.RETURNED, DisruptionStatus.REJECTED],
  RETURNED: [DisruptionStatus.SUBMITTED],
  VALIDATED: [DisruptionStatus.SUPERSEDED],
  REJECTED: [],
  SUPERSEDED: [],
};

/** Statuses in which the claiming organisation may still edit the record. */
export const EDITABLE_STATUSES = [DisruptionStatus.DRAFT, DisruptionStatus.RETURNED];

registerEnumType(DisruptionLevel, { name: 'DisruptionLevel', description: 'National disruption level; only MAJOR, MODERATE and MINOR count as disruptions.' });
registerEnumType(DisruptionStatus, {
  name: 'DisruptionStatus',
  description: 'DRAFT → SUBMITTED → VALIDATED | RETURNED | REJECTED; RETURNED is edited and resubmitted; VALIDATED → SUPERSEDED.',
  valuesConfig: {
    VALIDATED: { description: 'Validated by another organisation: the only status that counts in any figure.' },
    SUPERSEDED: { description: 'A validated record corrected by a newer one (see supersededBy); no longer counts.' },
  },
});
registerEnumType(ValidationDecision, { name: 'ValidationDecision' });
