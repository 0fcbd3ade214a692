import { registerEnumType } from 'type-graphql';

/** The 3x5x2 source evaluation: how far the source can be relied on (national intelligence grading). */
export enum SourceEvaluation {
  RELIABLE = 'RELIABLE',
  UNTESTED = 'UNTESTED',
  NOT_RELIABLE = 'NOT_RELIABLE',
}

/** The 3x5x2 intelligence assessment: how the source knows what it reports. */
export enum IntelligenceAssessment {
  A = 'A',
  B = 'B',
  C = 'C',
  D = 'D',
  E = 'E',
}

/** The 3x5x2 handling code: whether the intelligence may be disseminated, and on what terms. */
export enum HandlingCode {
  P = 'P',
  C = 'C',
}

export enum IntelligenceOrderField {
  RECEIVED_ON = 'RECEIVED_ON',
  UPDATED_AT = 'UPDATED_AT',
}

/** The grading's digits and letters as the national code writes them (1A P). */
export const SOURCE_CODE: Record<SourceEvaluation, string> = { RELIABLE: '1', UNTESTED: '2', NOT_RELIABLE: '3' };

registerEnumType(SourceEvaluation, {
  name: 'SourceEvaluation',
  description: 'Source evaluation (3x5x2).',
  valuesConfig: {
    RELIABLE: { description: '1: reliable.' },
    UNTESTED: { description: '2: untested.' },
    NOT_RELIABLE: { description: '3: not reliable.' },
  },
});
registerEnumType(IntelligenceAssessment, {
  name: 'IntelligenceAssessment',
  description: 'Intelligence assessment (3x5x2).',
  valuesConfig: {
    A: { description: 'Known directly to the source.' },
    B: { description: 'Known indirectly to the source but corroborated.' },
    C: { description: 'Known indirectly to the source.' },
    D: { description: 'Not known.' },
    E: { description: 'Suspected to be false.' },
  },
});
registerEnumType(HandlingCode, {
  name: 'HandlingCode',
  description: 'Handling code (3x5x2).',
  valuesConfig: {
    P: { description: 'Lawful sharing permitted.' },
    C: { description: 'May be disseminated only with the conditions stated.' },
  },
});
registerEnumType(IntelligenceOrderField, { name: 'IntelligenceOrderField' });
