import type { IdentifierKind, IdentifierSource, MatchStrength } from '../../gql/graphql';

/** Each kind of identifier as a label on the form. */
export const kindLabels: Record<IdentifierKind, string> = {
  PERSON: 'Person (full name and date of birth)',
  PHONE: 'Phone number',
  VEHICLE: 'Vehicle registration',
  ADDRESS: 'Address with postcode',
};

/** Each kind in a sentence: "holds this phone number". */
export const kindInSentence: Record<IdentifierKind, string> = {
  PERSON: 'this person',
  PHONE: 'this phone number',
  VEHICLE: 'this vehicle',
  ADDRESS: 'this address',
};

export const strengthWords: Record<MatchStrength, string> = {
  EXACT: 'exact match',
  POSSIBLE: 'possible match: same date of birth, similar name',
};

/** Where an identifier came from: a record's details, or someone recording it by hand. */
export function sourceWords(source: IdentifierSource | null | undefined): string {
  switch (source) {
    case 'NAME':
      return 'from their name and date of birth';
    case 'ALIAS':
      return 'from an alias and their date of birth';
    case 'LINKED_PERSON':
      return 'from a person this report is about';
    default:
      return 'recorded by hand';
  }
}

/** The roles that check and record identifiers (server/src/access/mutation-roles.ts, INTELLIGENCE). */
const CHECKERS = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR'];
export const mayDeconflict = (roles: readonly string[]) => roles.some((r) => CHECKERS.includes(r));

/** The server's field names in words, for its messages. */
export function deconflictionWords(message: string): string {
  return message.replace(/\(Nominal\)/g, '').replace(/\bdateOfBirth\b/g, 'date of birth');
}
