import {
  defaultFieldResolver,
  isAbstractType,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Knex } from '@mikro-orm/postgresql';
import type { ReadScope } from '../access/read-scope';
import { nulledForPartners, seesWholeSql, withheldFromPartners } from '../access/redaction';
import { today } from '../shared/validation';
import type { Statement } from '../db/request-db';

/**
 * Answers compiled into one SQL statement: PostgreSQL builds the answer's JSON for a root field
 * from what the operation selects (json_build_object and json_agg in correlated subqueries), and
 * graphql-js walks that JSON instead of calling a resolver per field of every row. Row mapping,
 * most of knex, wide rows and per-field promises go; the access rules go into the statement
 * (row-level security by itself, the application's policy as its filters, redaction as CASEs).
 *
 * A compiled object keeps the values of its fields under COMPILED, keyed by response key (the
 * alias, else the field name), so an alias never collides with the record's own properties; the
 * record's `__typename`, `dbId` and `protectiveMarking` stay beside it, where the audit
 * (audit.middleware.ts) looks for records. {@link readCompiledAnswers} makes every field read its
 * value from there when its parent is compiled, before the audit and the other wrappers see it.
 */
export const COMPILED = '__compiled';

/** Makes every field of the schema answer from a compiled parent's JSON when it has one (see COMPILED). */
export function readCompiledAnswers(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) field.resolve = orCompiled(field.resolve ?? defaultFieldResolver);
  }
  return schema;
}

function orCompiled(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (root, args, context, info) => {
    const compiled = (root as Record<string, Record<string, unknown> | undefined> | null | undefined)?.[COMPILED];
    return compiled === undefined ? resolve(root, args, context, info) : compiled[info.path.key];
  };
}

/** The fields asked for under one response key (several when fragments repeat it; graphql-js merges them). */
export interface AskedField {
  name: string;
  nodes: FieldNode[];
}

/** SQL being written for one statement: its bindings, and names for its subqueries' aliases. */
export class SqlBuilder {
  private readonly values: unknown[] = [];
  private aliases = 0;
  /**
   * How many places in the statement write a record the audit looks at (objectSql with `meta`):
   * one for a threat alone; more when the answer can also hold other records (its plan).
   */
  recordsWritten = 0;

  constructor(
    readonly scope: ReadScope,
    private readonly info: Pick<GraphQLResolveInfo, 'schema' | 'fragments'>,
  ) {}

  /**
   * A placeholder for a value (or a knex query, compiled where it stands). Placed as markers and
   * put in text order at the end, so that SQL may be composed in any order.
   */
  bind(value: unknown): string {
    return `\u0001${this.values.push(value) - 1}\u0002`;
  }

  /** A fresh alias for a subquery's table (`ca_3`): nested levels never shadow each other. */
  alias(prefix: string): string {
    return `${prefix}_${++this.aliases}`;
  }

  /** The statement as knex raw SQL with its bindings in order. */
  toRaw(sql: string): Knex.Raw {
    const ordered: unknown[] = [];
    const text = sql.replace(/\u0001(\d+)\u0002/g, (_, i: string) => (ordered.push(this.values[Number(i)]), '?'));
    return this.scope.knex.raw(text, ordered as Knex.RawBinding[]);
  }

  /**
   * The fields asked for on an object of type `typename` by these selection sets, by response
   * key; undefined when a directive (@skip, @include, or any other) appears: those answers are
   * left to the resolvers, which graphql-js drives directive by directive.
   */
  fieldsOf(typename: string, sets: readonly (SelectionSetNode | undefined)[]): Map<string, AskedField> | undefined {
    const fields = new Map<string, AskedField>();
    const appliesTo = (condition: string | undefined) => {
      if (!condition || condition === typename) return true;
      const type = this.info.schema.getType(condition);
      const object = this.info.schema.getType(typename);
      return !!type && isAbstractType(type) && isObjectType(object) && this.info.schema.isSubType(type, object);
    };
    const collect = (set: SelectionSetNode | undefined): boolean => {
      for (const s of set?.selections ?? []) {
        if (s.directives?.length) return false;
        if (s.kind === 'Field') {
          const key = s.alias?.value ?? s.name.value;
          const asked = fields.get(key) ?? { name: s.name.value, nodes: [] };
          asked.nodes.push(s);
          fields.set(key, asked);
        } else if (s.kind === 'InlineFragment') {
          if (appliesTo(s.typeCondition?.name.value) && !collect(s.selectionSet)) return false;
        } else {
          const fragment: FragmentDefinitionNode | undefined = this.info.fragments[s.name.value];
          if (!fragment || fragment.directives?.length) return false;
          if (appliesTo(fragment.typeCondition.name.value) && !collect(fragment.selectionSet)) return false;
        }
      }
      return true;
    };
    return sets.every(collect) ? fields : undefined;
  }
}

/**
 * Compiled statements remembered, so that a request asking again what was asked before (a client
 * refreshing its list, a script paging a report) sends the same text without building it again:
 * building it (the criteria, the application's policy twice, every field's SQL, knex compiling
 * them) was about a tenth of the server's CPU for a page. A statement is a pure function of
 * what it answers and of the builder's inputs: the field in its parsed document (Apollo keeps
 * one parsed document per query text, so the same node object comes back, with the same
 * fragments), the caller, the layers and purpose of the read scope, today's date and `inputs`
 * (the field's arguments and whatever the resolver derived from them). All of them are the key,
 * so two callers never share a statement; nothing in it depends on data read from the database.
 */
const REMEMBERED_STATEMENTS = 1_000; // at most a few tens of kilobytes each

/** A statement as remembered: for knex (`?` placeholders), and as PostgreSQL takes it (`$n`). */
interface RememberedStatement {
  sql: string;
  bindings: readonly unknown[];
  native: { sql: string; bindings: readonly unknown[] };
}

const rememberedStatements = new Map<string, RememberedStatement | null>();
const fieldIds = new WeakMap<object, number>();
let lastFieldId = 0;

function remembered(scope: ReadScope, info: Pick<GraphQLResolveInfo, 'fieldNodes'>, inputs: unknown, build: () => Knex.Raw | Knex.QueryBuilder | undefined): RememberedStatement | null {
  const { caller, layers, purpose } = scope;
  let field = fieldIds.get(info.fieldNodes[0]);
  if (field === undefined) fieldIds.set(info.fieldNodes[0], (field = ++lastFieldId));
  const key = JSON.stringify([field, info.fieldNodes.length, caller.userId, caller.organisationId, caller.isLawEnforcement, caller.roles, caller.clearance, layers, purpose, today(), inputs]);
  let statement = rememberedStatements.get(key);
  if (statement === undefined) {
    // Compiled to text and plain values: the raw's bindings include query builders of this request's transaction.
    const compiled = build()?.toSQL();
    statement = compiled ? { sql: compiled.sql, bindings: compiled.bindings, native: compiled.toNative() } : null;
    if (rememberedStatements.size >= REMEMBERED_STATEMENTS) rememberedStatements.delete(rememberedStatements.keys().next().value!);
    rememberedStatements.set(key, statement);
  }
  return statement;
}

export function rememberedStatement(
  scope: ReadScope,
  info: Pick<GraphQLResolveInfo, 'fieldNodes'>,
  inputs: unknown,
  build: () => Knex.Raw | Knex.QueryBuilder | undefined,
  parameters: readonly unknown[] = [],
): Knex.Raw | undefined {
  const statement = remembered(scope, info, inputs, build);
  return statement ? scope.knex.raw(statement.sql, withParameters(statement.bindings, parameters) as Knex.RawBinding[]) : undefined;
}

/**
 * rememberedStatement as PostgreSQL takes it (`$n` placeholders), for a statement sent without
 * knex (RequestDb.readThenCommit): made once, when the statement is first remembered, instead of
 * a knex raw compiled again at every use.
 */
export function rememberedNativeStatement(
  scope: ReadScope,
  info: Pick<GraphQLResolveInfo, 'fieldNodes'>,
  inputs: unknown,
  build: () => Knex.Raw | Knex.QueryBuilder | undefined,
  parameters: readonly unknown[] = [],
): Statement | undefined {
  const statement = remembered(scope, info, inputs, build);
  return statement ? { sql: statement.native.sql, bindings: withParameters(statement.native.bindings, parameters) } : undefined;
}

/**
 * A value bound anew at each use of a remembered statement, in place of this marker (node(id)'s
 * id): not part of the statement's key, so one statement serves every id. `build` binds the
 * marker where the value goes; `rememberedStatement`'s `parameters[index]` is the value.
 */
export class StatementParameter {
  constructor(readonly index: number) {}
}

function withParameters(bindings: readonly unknown[], parameters: readonly unknown[]): unknown[] {
  return bindings.map((b) => (b instanceof StatementParameter ? parameters[b.index] : b));
}

/** Writes the SQL of one field's value, for the row under `row`; undefined when it cannot. */
export type FieldSql<Parent> = (b: SqlBuilder, row: string, field: AskedField, parent: Parent) => string | undefined;

/** How each field of a GraphQL type is written in SQL; a field not listed is not compiled. */
export type TypeSql<Parent> = Readonly<Record<string, FieldSql<Parent>>>;

/** The field's sub-selections, for its FieldSql to pass on. */
export const subSelections = (field: AskedField) => field.nodes.map((n) => n.selectionSet);

/**
 * The JSON object for a row: `meta` pairs (the record's __typename, dbId and marking, for the
 * audit) beside its fields' values under COMPILED. Undefined when any field asked for cannot be
 * compiled, takes arguments, or sits under a directive: the caller then leaves the whole root
 * field to the resolvers.
 */
export function objectSql<Parent>(
  b: SqlBuilder,
  typename: string,
  types: TypeSql<Parent>,
  row: string,
  sets: readonly (SelectionSetNode | undefined)[],
  parent: Parent,
  meta = '',
): string | undefined {
  const fields = b.fieldsOf(typename, sets);
  if (!fields) return undefined;
  const pairs: string[] = [];
  for (const [key, field] of fields) {
    if (field.name === '__typename') {
      // graphql-js answers __typename itself; the key still gets a value so that nothing is missing.
      pairs.push(`'${key}', '${typename}'`);
      continue;
    }
    const write = Object.hasOwn(types, field.name) ? types[field.name] : undefined;
    if (!write || field.nodes.some((n) => n.arguments?.length)) return undefined;
    const value = write(b, row, field, parent);
    if (value === undefined) return undefined;
    pairs.push(`'${key}', ${value}`);
  }
  if (meta) b.recordsWritten++;
  return `json_build_object(${meta}${meta ? ', ' : ''}'${COMPILED}', ${jsonObject(pairs)})`;
}

/** json_build_object over name/value pairs, nested past PostgreSQL's 100 arguments a call. */
function jsonObject(pairs: string[]): string {
  if (pairs.length <= 50) return `json_build_object(${pairs.join(', ')})`;
  // More than 50 fields on one object: merged from objects of 50 (jsonb keeps the last of a key, and keys are unique here).
  const parts: string[] = [];
  for (let i = 0; i < pairs.length; i += 50) parts.push(`jsonb_build_object(${pairs.slice(i, i + 50).join(', ')})`);
  return `(${parts.join(' || ')})::json`;
}

/** A column of the row, as it is. */
export const column =
  (name: string): FieldSql<unknown> =>
  (_b, row) =>
    `${row}.${name}`;

/** Relay global ID in SQL, as toGlobalId() makes it: base64url("Type:uuid") without padding. */
export const globalIdSql = (type: string, idSql: string) =>
  `rtrim(translate(encode(convert_to('${type}:' || ${idSql}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')`;

/** The field `id` of a Node type: its global ID. */
export const globalId =
  (type: string): FieldSql<unknown> =>
  (_b, row) =>
    globalIdSql(type, `${row}.id`);

/** A record compiled with the SQL of its owner (for a part, its record's owner), which redaction needs. */
export interface OwnedRow {
  owner: (row: string) => string;
}

/**
 * A field withheld from partners (access/redaction.ts): its value where the caller sees the record
 * whole, else null, decided in the statement as unlessWithheld decides it in JavaScript.
 */
export function unlessWithheldSql<P extends OwnedRow>(typename: string, fieldName: string, value: FieldSql<P>): FieldSql<P> {
  if (!nulledForPartners(typename, fieldName)) throw new Error(`${typename}.${fieldName} is not withheld from partners`);
  return (b, row, field, parent) => {
    const sql = value(b, row, field, parent);
    return sql && `case when ${seesWholeSql(b.scope, parent.owner(row), (v) => b.bind(v))} then ${sql} end`;
  };
}

/** A record's `withheld` (access/redaction.ts, withheldFields): the catalogue's list where the caller sees a sanitised view, else none. */
export function withheldSql<P extends OwnedRow>(typename: string): FieldSql<P> {
  return (b, row, field, parent) => {
    const fields = b.fieldsOf('WithheldField', subSelections(field));
    if (!fields || [...fields.values()].some((f) => !['field', 'reason', '__typename'].includes(f.name) || f.nodes.some((n) => n.arguments?.length))) return undefined;
    const listed = withheldFromPartners(typename).map((w) => ({
      [COMPILED]: Object.fromEntries([...fields].map(([key, f]) => [key, f.name === '__typename' ? 'WithheldField' : w[f.name as 'field' | 'reason']])),
    }));
    return `case when ${seesWholeSql(b.scope, parent.owner(row), (v) => b.bind(v))} then '[]'::json else ${b.bind(JSON.stringify(listed))}::json end`;
  };
}
