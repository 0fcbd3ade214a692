import { registerEnumType } from 'type-graphql';

/** What the requester asks the analysts to produce. */
export enum AnalyticalProduct {
  PROFILE = 'PROFILE',
  NETWORK_CHART = 'NETWORK_CHART',
  PROBLEM_PROFILE = 'PROBLEM_PROFILE',
  TACTICAL_ASSESSMENT = 'TACTICAL_ASSESSMENT',
}

export enum AnalyticalRequestPriority {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}

/** The lifecycle (docs/domain.md, "Analytical requests"); the moves are in analytical-request.moves.ts. */
export enum AnalyticalRequestStatus {
  REQUESTED = 'REQUESTED',
  ACCEPTED = 'ACCEPTED',
  IN_PROGRESS = 'IN_PROGRESS',
  DELIVERED = 'DELIVERED',
  DECLINED = 'DECLINED',
}

/** Why the regional unit declined: LACK_OF_CAPACITY is the figure the inspection's first finding needs. */
export enum DeclineReason {
  LACK_OF_CAPACITY = 'LACK_OF_CAPACITY',
  OUT_OF_SCOPE = 'OUT_OF_SCOPE',
  INSUFFICIENT_INFORMATION = 'INSUFFICIENT_INFORMATION',
  DUPLICATE = 'DUPLICATE',
}

/** A move along the lifecycle, named by what the person does (and by its mutation). */
export enum AnalyticalRequestMove {
  ACCEPT = 'ACCEPT',
  DECLINE = 'DECLINE',
  ASSIGN = 'ASSIGN',
  START = 'START',
  DELIVER = 'DELIVER',
}

export enum AnalyticalRequestOrderField {
  DUE_ON = 'DUE_ON',
  CREATED_AT = 'CREATED_AT',
}

registerEnumType(AnalyticalProduct, {
  name: 'AnalyticalProduct',
  description: 'The analytical product asked for.',
  valuesConfig: {
    PROFILE: { description: 'A subject or group profile.' },
    NETWORK_CHART: { description: 'A network (association) chart.' },
    PROBLEM_PROFILE: { description: 'A problem profile of a crime type or place.' },
    TACTICAL_ASSESSMENT: { description: 'A tactical assessment for tasking.' },
  },
});
registerEnumType(AnalyticalRequestPriority, { name: 'AnalyticalRequestPriority' });
registerEnumType(AnalyticalRequestStatus, {
  name: 'AnalyticalRequestStatus',
  valuesConfig: {
    REQUESTED: { description: 'Made; waits for the regional unit to accept or decline it.' },
    ACCEPTED: { description: 'Accepted by the regional unit; an analyst is or will be assigned.' },
    IN_PROGRESS: { description: 'The assigned analyst is working on it.' },
    DELIVERED: { description: 'The product was delivered (on time when on or before the due date).' },
    DECLINED: { description: 'Declined, with a reason code and words.' },
  },
});
registerEnumType(DeclineReason, {
  name: 'DeclineReason',
  valuesConfig: {
    LACK_OF_CAPACITY: { description: 'No analyst could take it on in time.' },
    OUT_OF_SCOPE: { description: 'Not work for the regional unit.' },
    INSUFFICIENT_INFORMATION: { description: 'Too little to work from.' },
    DUPLICATE: { description: 'Already asked for or produced.' },
  },
});
registerEnumType(AnalyticalRequestMove, { name: 'AnalyticalRequestMove' });
registerEnumType(AnalyticalRequestOrderField, { name: 'AnalyticalRequestOrderField' });
