/** A LIKE pattern matching `text` anywhere, with the user's % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A timestamp column as a Date. MikroORM's PostgreSQL client hands timestamps back as strings
 * ('2026-11-25 17:08:41.45+00'), so mappers of plain SQL rows convert them here.
 */
export function asDate(value: string | Date): Date;
export function asDate(value: string | Date | null | undefined): Date | null;
export function asDate(value: string | Date | null | undefined): Date | null {
  if (value == null) return null;
  return value instanceof Date ? value : new Date(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
}
