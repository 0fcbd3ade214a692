/**
 * The identifiers a record's own fields give, for deconfliction without anyone typing them again:
 * a person (a nominal, or one a report is linked to) is known by their name and each alias with
 * their date of birth. Pure: the service keeps them in step with the record, and the demo data is
 * made the same way. A person with no date of birth gives none (a person is matched only with
 * one); a name of one word gives none (normalise.ts: a full name is needed).
 */
import { normalisePersonName } from './normalise';

/** An identifier as checked and stored: its kind, as written, its normal form, and a person's date of birth. */
export interface Identifier {
  kind: 'PERSON' | 'PHONE' | 'VEHICLE' | 'ADDRESS';
  raw: string;
  normalised: string;
  dateOfBirth: string | null;
}

/** Which field an identifier was taken from: null for one recorded by hand. */
export type Derivation = 'NAME' | 'ALIAS' | 'LINKED_PERSON';

export interface DerivedIdentifier extends Identifier {
  derivedFrom: Derivation;
  /** The person a report's identifier was taken from (LINKED_PERSON). */
  sourceNominalId: string | null;
}

export interface PersonFields {
  name: string;
  aliases: readonly string[] | null;
  dateOfBirth: string | null;
}

/** One identifier per distinct normalised name: the name first, then its aliases. */
export function personIdentifiers(person: PersonFields, linkedFrom: string | null = null): DerivedIdentifier[] {
  if (!person.dateOfBirth) return [];
  const names: [string, Derivation][] = [[person.name, 'NAME'], ...(person.aliases ?? []).map((a): [string, Derivation] => [a, 'ALIAS'])];
  const byValue = new Map<string, DerivedIdentifier>();
  for (const [raw, from] of names) {
    const normalised = normalisePersonName(raw.trim());
    if (!normalised.ok || byValue.has(normalised.value) || raw.trim().length > 300) continue;
    byValue.set(normalised.value, {
      kind: 'PERSON',
      raw: raw.trim(),
      normalised: normalised.value,
      dateOfBirth: person.dateOfBirth,
      derivedFrom: linkedFrom ? 'LINKED_PERSON' : from,
      sourceNominalId: linkedFrom,
    });
  }
  return [...byValue.values()];
}

/** The key an identifier is held once by on a record (the unique index deconfliction_identifier_once). */
export const identifierKey = (i: Pick<Identifier, 'kind' | 'normalised' | 'dateOfBirth'>) => `${i.kind}\u0000${i.normalised}\u0000${i.dateOfBirth ?? ''}`;
