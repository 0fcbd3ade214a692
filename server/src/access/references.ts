import type { Knex } from '@mikro-orm/postgresql';
import { PART_KINDS, recordKindOfTable, type ListedPartTable } from './catalogue';
import { categoryOf, onlyReadable } from './policy';
import type { ReadScope } from './read-scope';
import { seesPart } from './redaction';

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
  /** The parts a record lists (the catalogue's `listedIn`): criminal_activity, membership, threat_assessment, plan_objective, plan_action, plan_entry, ... */
  | ListedPartTable;

/**
 * The alias of the table looked up: one no access rule uses inside its own subqueries (policy.ts
 * names a referral `ref`, and a clash there silently read the subquery's column instead).
 */
export const NAMED = 'named_record';

/**
 * A query over `table` (aliased NAMED) narrowed to the rows the caller may read: a shared record
 * by the access policy; a part when its record is readable (the catalogue: a part is read exactly
 * when its record is) and the record's field listing it is shown to the caller, as node(id) shows
 * it (redaction.ts, seesPart: a partner is not shown a threat's members, so a membership it names
 * is missing, not someone else's to change).
 */
export function readableQuery(scope: ReadScope, table: ReferableTable): Knex.QueryBuilder {
  const { knex } = scope;
  const part = PART_KINDS.find((k) => k.table === table);
  if (!part) return readableRecords(scope, table, NAMED);
  const parent = `${NAMED}_${part.parentTable}`;
  return knex(`${table} as ${NAMED}`).whereExists(
    readableRecords(scope, part.parentTable, parent)
      .clearSelect()
      .select(knex.raw('1'))
      .whereRaw(`${parent}.id = ${NAMED}.${part.parentColumn}`)
      .where(seesPart(scope, table as ListedPartTable, NAMED, parent)),
  );
}

/** The records of `table` (aliased `alias`, every column) the caller may read: by the access policy, and with their threat for a kind bound to one. */
export function readableRecords(scope: ReadScope, table: string, alias: string): Knex.QueryBuilder {
  const query = onlyReadable(scope.knex(`${table} as ${alias}`).select(`${alias}.*`), scope, categoryOf(table), alias);
  const threatColumn = recordKindOfTable(table).threatColumn;
  return threatColumn ? withReadableThreat(query, scope, `${alias}.${threatColumn}`) : query;
}

/** The rows (the columns asked for) of those of `ids` the caller may read, by id. */
export async function readableRows(scope: ReadScope, table: ReferableTable, ids: readonly (string | null | undefined)[], columns: string[] = []): Promise<Map<string, Record<string, any>>> {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map();
  const rows = await readableQuery(scope, table)
    .clearSelect()
    .select([`${NAMED}.id`, ...columns.map((c) => `${NAMED}.${c}`)])
    .whereIn(`${NAMED}.id`, wanted);
  return new Map(rows.map((r: Record<string, any>) => [r.id, r]));
}

/** The row of one id the caller may read, or undefined (missing and hidden alike). */
export async function readableRow(scope: ReadScope, table: ReferableTable, id: string, columns: string[] = []): Promise<Record<string, any> | undefined> {
  return (await readableRows(scope, table, [id], columns)).get(id);
}

/**
 * Adds `no such <what>` at `field` (or `field[i]` for a list) for each id the caller may not
 * read, whether it exists or not, and returns the readable rows by id.
 */
export async function requireReadable(
  scope: ReadScope,
  problems: { add(field: string, message: string): void },
  table: ReferableTable,
  ids: readonly (string | null | undefined)[] | string,
  field: string,
  what: string,
  columns: string[] = [],
): Promise<Map<string, Record<string, any>>> {
  const list = typeof ids === 'string' ? [ids] : ids;
  const found = await readableRows(scope, table, list, columns);
  list.forEach((id, i) => {
    if (id && !found.has(id)) problems.add(typeof ids === 'string' ? field : `${field}[${i}]`, `no such ${what}`);
  });
  return found;
}

/**
 * Narrows a query over records that belong to a threat (plans, disruptions) to those whose threat
 * the caller may also read. Their `threat` field is never null, and a plan or disruption shown
 * without its threat would say more about the threat than its sharing allows.
 */
export function withReadableThreat(query: Knex.QueryBuilder, scope: ReadScope, threatColumn: string, acrossTable = false): Knex.QueryBuilder {
  if (acrossTable) return withReadableThreatHashed(query, scope, threatColumn);
  const { knex } = scope;
  return query.whereExists(onlyReadable(knex('soc_threat as owner_threat').select(knex.raw('1')).whereRaw(`owner_threat.id = ${threatColumn}`), scope, 'THREAT', 'owner_threat'));
}

/**
 * The same rule for a statement that reads most of a table (statistics over every disruption):
 * the readable threats are read once into a hash, and each row's threat looked up in it. Written
 * as EXISTS (or a plain IN, which PostgreSQL turns into a join), the planner, whose row estimates
 * row-level security makes far too low (280 disruptions where 121,674 came back), looked the
 * disruptions up threat by threat and checked each one's threat again by index for the
 * restrictive policy: 2.3-2.6 s for SEROCU's figures on the benchmark data, 1.5-1.6 s this way
 * (load average about 25). `is true` keeps the IN a hashed subplan (PostgreSQL turns only a bare
 * IN into a join), so the disruptions are read in one pass and the policy's own check is hashed too.
 */
function withReadableThreatHashed(query: Knex.QueryBuilder, scope: ReadScope, threatColumn: string): Knex.QueryBuilder {
  const readable = onlyReadable(scope.knex('soc_threat as owner_threat').select('owner_threat.id'), scope, 'THREAT', 'owner_threat');
  return query.whereRaw(`(${threatColumn} in (?)) is true`, [readable]);
}
