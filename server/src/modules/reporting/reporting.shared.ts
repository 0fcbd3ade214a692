import type { Knex } from '@mikro-orm/postgresql';
import { globalIdOrProblem } from '../../graphql/global-id';
import type { Problems } from '../../shared/validation';
import { fiscalYearRange } from './fiscal';

/** One way of breaking figures down: the SQL of its key and the row field it fills. */
export interface Dimension {
  sql: string;
  field: string;
  /** Turns the grouped SQL value into what the API shows (e.g. 2025 → "2025/26"). */
  label?: (value: any) => string;
}

/**
 * Checks a groupBy list: no dimension twice, and a quarter only within a reporting year (Q1 of
 * every year added together is not a figure anyone asked for).
 */
export function checkGroupBy(groupBy: readonly string[], p: Problems, quarter = 'QUARTER', year = 'FISCAL_YEAR'): void {
  groupBy.forEach((d, i) => {
    p.when(groupBy.indexOf(d) !== i, `groupBy[${i}]`, `${d} is listed more than once`);
    p.when(d === quarter && !groupBy.includes(year), `groupBy[${i}]`, `${quarter} needs ${year} in groupBy too: a quarter is part of a reporting year`);
  });
}

/** The date range problems of a filter: `to` before `from`. */
export function checkRange(from: string | null | undefined, to: string | null | undefined, p: Problems): void {
  if (from && to) p.when(to < from, 'filter.to', 'must be on or after filter.from');
}

/** Database ids from global IDs of one type, each bad one reported against `field[i]`. */
export function idsOrProblems(globalIds: readonly string[] | null | undefined, type: string, field: string, p: Problems): string[] | undefined {
  if (!globalIds?.length) return undefined;
  return globalIds.map((g, i) => globalIdOrProblem(g, type, `${field}[${i}]`, p)).filter((x): x is string => !!x);
}

/** Narrows `query` to dates (SQL expression `date`) within any of the reporting years. */
export function withinFiscalYears(query: Knex.QueryBuilder, date: string, years: readonly string[]): void {
  if (!years.length) return;
  const ranges = years.map(fiscalYearRange);
  query.whereRaw(`(${ranges.map(() => `${date} between ?::date and ?::date`).join(' or ')})`, ranges.flatMap((r) => [r.from, r.to]));
}

/** Adds the dimensions' keys (as k0, k1, ...), grouping and order to an aggregate query. */
export function groupedBy(query: Knex.QueryBuilder, knex: Knex, dims: readonly Dimension[]): Knex.QueryBuilder {
  dims.forEach((d, i) => query.select(knex.raw(`${d.sql} as k${i}`)));
  if (dims.length) {
    const keys = dims.map((_, i) => i + 1).join(', ');
    query.groupByRaw(keys).orderByRaw(dims.map((_, i) => `${i + 1} nulls last`).join(', '));
  }
  return query;
}

/** The row fields of the dimensions asked for, from k0, k1, ...; the others null. */
export function keysOf<T extends string>(row: Record<string, unknown>, dims: readonly Dimension[], all: readonly T[]): Record<T, any> {
  const keys = Object.fromEntries(all.map((f) => [f, null])) as Record<T, any>;
  dims.forEach((d, i) => {
    const value = row[`k${i}`] ?? null;
    keys[d.field as T] = value !== null && d.label ? d.label(value) : value;
  });
  return keys;
}

/** A SQL list literal of known enum values (never user input). */
export const sqlList = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
