import type { Knex } from '@mikro-orm/postgresql';
import { PART_KINDS, recordKindOfTable } from './catalogue';
import { categoryOf, onlyReadable } from './policy';
import { withReadableThreat } from '../shared/records';

/**
 * Records a mutation names by id besides the one it changes: the person added to a threat, the
 * threat linked, a referral's linked threats, a disruption's threat, activity and plan action, an
 * intelligence report's threats, activities and people; and the part (activity, membership,
 * objective, action, entry) a mutation acts on. Each is looked up here, and only among those the
 * caller may read, through the same filters as lists and node(id) (policy.ts; a plan or
 * disruption also needs its threat; a part, its record). So one the caller may not read is told
 * apart from one that does not exist by nothing: not the code, the message or the field. A plain
 * `select ... where id = ?` found them whatever the caller could read, and with the application
 * layer alone (row-level security off) a hidden threat was linked, a hidden person added, and
 * its existence shown by the answer.
 */

/** The shared records and record parts that inputs refer to: the access catalogue's tables. */
export type ReferableTable =
  | 'soc_threat'
  | 'nominal'
  | 'fourp_plan'
  | 'disruption'
  | 'intelligence_report'
  | 'criminal_activity'
  | 'membership'
  | 'threat_assessment'
  | 'plan_objective'
  | 'plan_action'
  | 'plan_entry';

/**
 * The alias of the table looked up: one no access rule uses inside its own subqueries (policy.ts
 * names a referral `ref`, and a clash there silently read the subquery's column instead).
 */
export const NAMED = 'named_record';

/**
 * A query over `table` (aliased NAMED) narrowed to the rows the caller may read: a shared record
 * by the access policy, a part when its record is readable (the catalogue: a part is read exactly
 * when its record is).
 */
export function readableQuery(knex: Knex, table: ReferableTable): Knex.QueryBuilder {
  const part = PART_KINDS.find((k) => k.table === table);
  if (!part) return readableRecords(knex, table, NAMED);
  const parent = `${NAMED}_${part.parentTable}`;
  return knex(`${table} as ${NAMED}`).whereExists(
    readableRecords(knex, part.parentTable, parent).clearSelect().select(knex.raw('1')).whereRaw(`${parent}.id = ${NAMED}.${part.parentColumn}`),
  );
}

function readableRecords(knex: Knex, table: string, alias: string): Knex.QueryBuilder {
  const query = onlyReadable(knex(`${table} as ${alias}`).select(`${alias}.*`), knex, categoryOf(table), alias);
  const threatColumn = recordKindOfTable(table).threatColumn;
  return threatColumn ? withReadableThreat(query, knex, `${alias}.${threatColumn}`) : query;
}

/** The rows (the columns asked for) of those of `ids` the caller may read, by id. */
export async function readableRows(knex: Knex, table: ReferableTable, ids: readonly (string | null | undefined)[], columns: string[] = []): Promise<Map<string, Record<string, any>>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await readableQuery(knex, table)
    .clearSelect()
    .select([`${NAMED}.id`, ...columns.map((c) => `${NAMED}.${c}`)])
    .whereIn(`${NAMED}.id`, wanted);
  return new Map(rows.map((r: Record<string, any>) => [r.id, r]));
}

/** The row of one id the caller may read, or undefined (missing and hidden alike). */
export async function readableRow(knex: Knex, table: ReferableTable, id: string, columns: string[] = []): Promise<Record<string, any> | undefined> {
  return (await readableRows(knex, table, [id], columns)).get(id);
}

/**
 * Adds `no such <what>` at `field` (or `field[i]` for a list) for each id the caller may not
 * read, whether it exists or not, and returns the readable rows by id.
 */
export async function requireReadable(
  knex: Knex,
  problems: { add(field: string, message: string): void },
  table: ReferableTable,
  ids: readonly (string | null | undefined)[] | string,
  field: string,
  what: string,
  columns: string[] = [],
): Promise<Map<string, Record<string, any>>> {
  const list = typeof ids === 'string' ? [ids] : ids;
  const found = await readableRows(knex, table, list, columns);
  list.forEach((id, i) => {
    if (id && !found.has(id)) problems.add(typeof ids === 'string' ? field : `${field}[${i}]`, `no such ${what}`);
  });
  return found;
}
