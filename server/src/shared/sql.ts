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

/**
 * `alias.column` names as one SQL select list, quoted once when the module loads, for a query's
 * columns: knex quotes every column of every statement it compiles (with a regular expression
 * each), 35 of them for a threat, on every page. Plain `alias.column` names only.
 */
export function quotedColumns(columns: readonly string[]): string {
  return columns
    .map((column) => {
      if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(column)) throw new Error(`not a plain column name: ${column}`);
      return column
        .split('.')
        .map((part) => `"${part}"`)
        .join('.');
    })
    .join(', ');
}
