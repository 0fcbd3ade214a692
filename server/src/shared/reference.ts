import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be misread for one another (no 0/O, 1/I/L). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * A record's human reference: a prefix, a year and a random part, e.g. `SE-2026-K7Q4MX`. Not a
 * running number: consecutive numbers from one counter for the whole platform told every user
 * how many threats (or referrals) everyone had made, including those hidden from them, and how
 * many were made between two of theirs. Eight random characters make a collision (refused by the
 * column's unique constraint) vanishingly unlikely.
 */
export function randomReference(prefix: string, year: string | number): string {
  let random = '';
  for (let i = 0; i < 8; i++) random += ALPHABET[randomInt(ALPHABET.length)];
  return `${prefix}-${year}-${random}`;
}
