import type { Knex } from '@mikro-orm/postgresql';

/** A LIKE pattern matching `text` anywhere, with the user's % and _ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Where-clause: the text expression `column` contains `text`, in any case (ILIKE with
 * containsPattern), through the operator `~~~*`, which PostgreSQL may check before row-level
 * security and so answer from the column's search index instead of checking the policy on every
 * row (Migration20261205003700_search_indexes: the indexed columns, and why plain ILIKE cannot).
 * For an array column, pass `soc_search_text(<column>)` (its items joined by line breaks).
 */
export function containsText(knex: Knex, column: string, text: string): Knex.Raw {
  return knex.raw(`${column} ~~~* ?`, [containsPattern(text)]);
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
