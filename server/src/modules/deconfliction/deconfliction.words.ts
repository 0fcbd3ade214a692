import { IdentifierKind, MatchStrength } from './deconfliction.types';

/** Each kind as said in a sentence. */
export const KIND_WORDS: Record<IdentifierKind, string> = {
  PERSON: 'a person',
  PHONE: 'a phone number',
  VEHICLE: 'a vehicle',
  ADDRESS: 'an address',
};

/** "Surrey Police has an interest in a phone number you hold." (a possible person match says so) */
export function describeInterest(organisationName: string, kind: IdentifierKind, strength: MatchStrength): string {
  const what = kind === IdentifierKind.PERSON && strength === MatchStrength.POSSIBLE ? 'someone who may be a person' : KIND_WORDS[kind];
  return `${organisationName} has an interest in ${what} you hold.`;
}
