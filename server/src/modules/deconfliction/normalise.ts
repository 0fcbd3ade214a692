/**
 * How identifiers are compared across organisations: every kind is reduced to one normal form
 * here, and only here, so that "07700 900123", "+44 7700 900123" and "0044-7700-900123" are one
 * phone number wherever they were typed. Pure functions: no database, no context.
 */

export type IdentifierKindName = 'PERSON' | 'PHONE' | 'VEHICLE' | 'ADDRESS';

/**
 * Two people match "possibly" when they share a date of birth and their normalised names are at
 * least this similar by pg_trgm's similarity() (shared trigrams over all trigrams, 0 to 1). 0.6
 * accepts a misspelt letter ("Jon Smith" / "John Smith" 0.62) or a middle name given once
 * ("Daniel Marsh" / "Daniel Peter Marsh" 0.68), and refuses a nickname ("Danny Marsh" 0.56) and
 * different people born the same day ("John Smith" / "Jane Smyth" 0.22). It is applied
 * in the database (deconfliction_check) and stated in docs/domain.md.
 */
export const PERSON_NAME_SIMILARITY_THRESHOLD = 0.6;

export type Normalised = { ok: true; value: string } | { ok: false; message: string };

const fail = (message: string): Normalised => ({ ok: false, message });

/**
 * A UK phone number in its national form, digits only: spaces, brackets, dots and dashes go;
 * +44 and 0044 become 0 (with the "(0)" some people write after +44 dropped). 10 or 11 digits
 * starting with 0.
 */
export function normalisePhone(raw: string): Normalised {
  let digits = raw.trim().replace(/\(0\)/g, '').replace(/[\s().\-/]/g, '');
  if (digits.startsWith('+44')) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith('0044')) digits = `0${digits.slice(4)}`;
  if (!/^0\d{9,10}$/.test(digits)) return fail('must be a UK phone number, e.g. 07700 900123 or +44 7700 900123');
  return { ok: true, value: digits };
}

/** A vehicle registration: upper case, with no spaces or dashes ("ab12 cde" is AB12CDE). */
export function normaliseRegistration(raw: string): Normalised {
  const value = raw.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[A-Z0-9]{2,8}$/.test(value)) return fail('must be a vehicle registration of 2 to 8 letters and digits, e.g. AB12 CDE');
  return { ok: true, value };
}

/** A UK postcode anywhere in an address: outward code, optional space, inward code. */
const POSTCODE = /\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b/;

/**
 * An address as its postcode plus its premises: the first number in the address, with a letter
 * suffix kept ("14A"), or, with no number, its first word (a house name). "14 Mill Lane, Reading
 * rg11aa" is "RG1 1AA 14". A flat number written first is taken as the premises: two flats of
 * one building then differ, which is what deconfliction wants.
 */
export function normaliseAddress(raw: string): Normalised {
  const upper = raw.toUpperCase().replace(/\s+/g, ' ').trim();
  const postcode = POSTCODE.exec(upper);
  if (!postcode) return fail('must include a UK postcode, e.g. 14 Mill Lane, Reading RG1 1AA');
  const before = upper.slice(0, postcode.index).replace(/[^A-Z0-9 ]/g, ' ');
  const number = /\b(\d+[A-Z]?)\b/.exec(before)?.[1];
  const firstWord = before.trim().split(' ')[0];
  const premises = number ?? firstWord;
  if (!premises) return fail('must include a house number or name before the postcode');
  return { ok: true, value: `${postcode[1]} ${postcode[2]} ${premises}` };
}

/**
 * A person's name for comparison: lower case, accents and punctuation gone, words sorted, so
 * "SMITH, John" and "john smith" are one name. The date of birth is held beside it and must be
 * equal for any match.
 */
export function normalisePersonName(raw: string): Normalised {
  const words = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z' -]/g, ' ')
    .replace(/['-]/g, '')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length < 2) return fail('must be a full name: at least a given name and a family name');
  return { ok: true, value: words.sort().join(' ') };
}

/** The normal form of an identifier of the kind given. */
export function normaliseIdentifier(kind: IdentifierKindName, raw: string): Normalised {
  if (raw.length > 300) return fail('must be at most 300 characters');
  switch (kind) {
    case 'PHONE':
      return normalisePhone(raw);
    case 'VEHICLE':
      return normaliseRegistration(raw);
    case 'ADDRESS':
      return normaliseAddress(raw);
    case 'PERSON':
      return normalisePersonName(raw);
  }
}
