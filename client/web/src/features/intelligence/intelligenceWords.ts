import type { HandlingCode, IntelligenceAssessment, SourceEvaluation } from '../../gql/graphql';

/** The 3x5x2 grading in the words officers use. */
export const sourceWords: Record<SourceEvaluation, string> = {
  RELIABLE: '1: reliable',
  UNTESTED: '2: untested',
  NOT_RELIABLE: '3: not reliable',
};

export const assessmentWords: Record<IntelligenceAssessment, string> = {
  A: 'A: known directly',
  B: 'B: known indirectly, corroborated',
  C: 'C: known indirectly',
  D: 'D: not known',
  E: 'E: suspected false',
};

export const handlingWords: Record<HandlingCode, string> = {
  P: 'P: lawful sharing permitted',
  C: 'C: disseminate only with conditions',
};

/** The roles that may record intelligence (server/src/access/mutation-roles.ts, INTELLIGENCE). */
const RECORDERS = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR'];
export const mayRecordIntelligence = (roles: readonly string[]) => roles.some((r) => RECORDERS.includes(r));

/** Field names of the API, in words, for the server's messages. */
export function intelligenceWords(message: string): string {
  return message
    .replace(/\bhandling code C\b/g, 'handling code C')
    .replace(/\bOFFICIAL_SENSITIVE\b/g, 'official sensitive')
    .replace(/\bOFFICIAL\b/g, 'official')
    .replace(/\bSECRET\b/g, 'secret');
}
