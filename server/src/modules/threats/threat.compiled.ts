import type { GraphQLResolveInfo } from 'graphql';
import {
  column,
  COMPILED,
  globalId,
  objectSql,
  rememberedNativeStatement,
  rememberedStatement,
  SqlBuilder,
  StatementParameter,
  subSelections,
  unlessWithheldSql,
  withheldSql,
  type FieldSql,
  type OwnedRow,
  type TypeSql,
} from '../../graphql/compiled-answer';
import { firstPageSize, type ConnectionArgs, type OrderTerm } from '../../graphql/connection';
import type { Knex } from '@mikro-orm/postgresql';
import type { ReadScope } from '../../access/read-scope';
import { organisationByIdSql, userByIdSql } from '../identity/identity.compiled';
import { threatQuery, type ThreatCriteria } from './threat.repository';
import { SENSITIVE_MARKINGS } from '../../audit/audit.middleware';
import { AuditAction } from '../../audit/audit.enums';
import type { LastRead } from '../../graphql/node';

/**
 * The `threats` list compiled into one statement that returns its answer as JSON
 * (graphql/compiled-answer.ts): the page, its total, and what each threat's fields ask for, in
 * correlated subqueries. The same rows as the resolvers read: the page from threatQuery (the
 * criteria and the application's policy; row-level security by itself), ordered by the same
 * terms; each part as its loader reads it. Anything not written here leaves the whole list to
 * the resolvers (ThreatResolver.threats), which give the same answer more slowly.
 */

const ASSESSMENT_SQL: TypeSql<unknown> = {
  id: globalId('ThreatAssessment'),
  riskScore: column('risk_score'),
  priority: column('priority'),
  status: column('status'),
  assessedBy: userByIdSql((a) => `${a}.assessed_by`),
};

/**
 * An activity's assessment as CriminalActivityResolver.assessment picks it: the latest approved
 * one (by created_at, id), else the latest of any status.
 */
const activityAssessment: FieldSql<OwnedRow> = (b, ca, field) => {
  const a = b.alias('a');
  const object = objectSql(b, 'ThreatAssessment', ASSESSMENT_SQL, a, subSelections(field), undefined);
  // threat_id as well: only it is indexed.
  return (
    object &&
    `(select ${object} from threat_assessment ${a} where ${a}.threat_id = ${ca}.threat_id and ${a}.criminal_activity_id = ${ca}.id
       order by ${a}.status = 'APPROVED' desc, ${a}.created_at desc, ${a}.id desc limit 1)`
  );
};

const ACTIVITY_SQL: TypeSql<OwnedRow> = {
  id: globalId('CriminalActivity'),
  category: column('category'),
  subCategory: column('sub_category'),
  description: unlessWithheldSql('CriminalActivity', 'description', column('description')),
  firstIdentified: column('first_identified'),
  lastEvidenced: column('last_evidenced'),
  assessment: unlessWithheldSql('CriminalActivity', 'assessment', activityAssessment),
  withheld: withheldSql('CriminalActivity'),
};

/** A threat's activities in seq order (activitiesByThreatIds), each redacted by its threat's owner. */
const activitiesOfThreat: FieldSql<OwnedRow> = (b, t, field) => {
  const ca = b.alias('ca');
  const object = objectSql<OwnedRow>(b, 'CriminalActivity', ACTIVITY_SQL, ca, subSelections(field), { owner: () => `${t}.owning_organisation_id` });
  return object && `(select coalesce(json_agg(${object} order by ${ca}.seq), '[]'::json) from criminal_activity ${ca} where ${ca}.threat_id = ${t}.id)`;
};

const ownOwner: OwnedRow = { owner: (row) => `${row}.owning_organisation_id` };

/** SocThreat's fields in SQL, over a row of soc_threat; other modules add theirs (addCompiledThreatFields). */
const threatSql: Record<string, FieldSql<OwnedRow>> = {
  id: globalId('SocThreat'),
  urn: column('urn'),
  name: column('name'),
  subjectType: column('subject_type'),
  taskingLevel: column('tasking_level'),
  geographicScope: column('geographic_scope'),
  status: column('status'),
  archiveReason: column('archive_reason'),
  identifiedOn: column('identified_on'),
  assessedOn: column('assessed_on'),
  adoptedOn: column('adopted_on'),
  closedOn: column('closed_on'),
  nextReviewDue: column('next_review_due'),
  protectiveMarking: column('protective_marking'),
  sharing: column('sharing'),
  version: column('version'),
  summary: unlessWithheldSql('SocThreat', 'summary', column('summary')),
  priority: unlessWithheldSql('SocThreat', 'priority', column('priority')),
  riskScore: unlessWithheldSql('SocThreat', 'riskScore', column('risk_score')),
  leadOrganisation: organisationByIdSql((t) => `${t}.lead_organisation_id`),
  criminalActivities: activitiesOfThreat,
  withheld: withheldSql('SocThreat'),
};

/** Fields other modules hang on a threat (the plans module's `plan`), listed by each module and given here by modules/index.ts. */
export function addCompiledThreatFields(fields: Readonly<Record<string, FieldSql<OwnedRow>>>): void {
  Object.assign(threatSql, fields);
}

/** The record's own keys beside its compiled fields, where the audit looks for sensitive records. */
const threatMeta = (t: string) => `'__typename', 'SocThreat', 'dbId', ${t}.id, 'protectiveMarking', ${t}.protective_marking`;

/**
 * The answer of `threats` as one statement, or undefined when the operation asks for something
 * written only as resolvers (a page after a cursor, cursors, a field not in threatSql): the
 * caller then paginates as before. Page sizes are checked as paginate checks them.
 */
export function compiledThreatsPage(
  scope: ReadScope,
  info: GraphQLResolveInfo,
  args: ConnectionArgs,
  criteria: ThreatCriteria,
  order: OrderTerm[],
): Promise<unknown> | undefined {
  const size = firstPageSize(args);
  if (size === undefined) return undefined;
  const statement = rememberedStatement(scope, info, [args, criteria, order], () => threatsPageStatement(scope, info, size, criteria, order));
  if (!statement) return undefined;
  return statement.then((result: { rows: { answer: unknown }[] }) => result.rows[0].answer);
}

/** The statement answering the page, or undefined when the selection asks for something written only as resolvers. */
function threatsPageStatement(scope: ReadScope, info: GraphQLResolveInfo, size: number, criteria: ThreatCriteria, order: OrderTerm[]): Knex.Raw | undefined {
  const b = new SqlBuilder(scope, info);
  const orderSql = order.map((term) => `${term.column} ${term.direction.toLowerCase()}`).join(', ');
  // The page's keys first, over the filter and order alone, then its rows by those keys, as
  // paginate reads a page: asked for whole rows at once, PostgreSQL read and sorted every
  // matching row (connection.ts). One row more than the page says whether there is a next page.
  const pageKeys = threatQuery(scope, criteria).clearSelect().select('t.id').orderByRaw(orderSql).limit(size + 1);
  const onPage = (p: string) => `from compiled_page ${p} where ${p}.compiled_rank <= ${size}`;

  const connectionSql: TypeSql<unknown> = {
    totalCount: () => `(select count(*) from ${b.bind(threatQuery(scope, criteria).clearSelect().select(scope.knex.raw('1')))} as compiled_total)::int`,
    edges: (_b, _row, field) => {
      const p = b.alias('p');
      const node: FieldSql<unknown> = (_b2, row, nodeField) => objectSql(b, 'SocThreat', threatSql, row, subSelections(nodeField), ownOwner, threatMeta(row));
      const edge = objectSql(b, 'SocThreatEdge', { node }, p, subSelections(field), undefined);
      return edge && `(select coalesce(json_agg(${edge} order by ${p}.compiled_rank), '[]'::json) ${onPage(p)})`;
    },
    pageInfo: (_b, _row, field) =>
      objectSql(
        b,
        'PageInfo',
        { hasNextPage: () => `exists (select 1 from compiled_page where compiled_rank > ${size})`, hasPreviousPage: () => 'false' },
        '',
        subSelections(field),
        undefined,
      ),
  };
  const connection = objectSql(b, 'SocThreatConnection', connectionSql, '', info.fieldNodes.map((n) => n.selectionSet), undefined);
  if (!connection) return undefined;
  // `edges` beside the compiled answer, always: the page's records as the audit checks a
  // connection before its fields are read (a page of sensitive threats without a purpose is
  // refused whatever it selects), as paginate's connection carries them.
  const audited = `(select coalesce(json_agg(json_build_object('node', json_build_object(${threatMeta('a')})) order by a.compiled_rank), '[]'::json) ${onPage('a')})`;
  return b.toRaw(`with compiled_page as materialized (
      select t.*, row_number() over (order by ${orderSql}) as compiled_rank from soc_threat t where t.id in ${b.bind(pageKeys)})
    select json_build_object('edges', ${audited}, '${COMPILED}', ${connection}->'${COMPILED}') as answer`);
}

/**
 * `node(id)` for a threat as one statement, as compiledThreatsPage answers a page: the threat
 * when the caller may read it (the application's policy in threatQuery, row-level security by
 * itself), else null, exactly as the resolvers answer a threat hidden or missing; undefined when
 * the selection asks for something written only as resolvers. One statement for the field and
 * caller serves every id (the id is bound at each use): node(id) repeats with only the id
 * changing, so it is built once and, sent again and again, prepared by the connection.
 */
export function compiledThreatNode(scope: ReadScope, info: GraphQLResolveInfo, dbId: string, last?: LastRead): Promise<unknown> | undefined {
  const ending = last && threatNodeEndingItsRequest(scope, info, dbId, last);
  if (ending) return ending;
  const statement = rememberedStatement(scope, info, 'node', () => threatNodeStatement(scope, info), [dbId]);
  return statement?.then((result: { rows: { answer: unknown }[] }) => result.rows[0]?.answer ?? null);
}

/**
 * `node(id)` of a threat as its request's last statement (graphql/node.ts, LastRead): the READ
 * event of a sensitive threat is written by the statement itself, and COMMIT goes with it.
 * Undefined when the answer may hold records besides the threat (threatNodeRecordingItsRead).
 */
function threatNodeEndingItsRequest(scope: ReadScope, info: GraphQLResolveInfo, dbId: string, last: LastRead): Promise<unknown> | undefined {
  const { reader } = last;
  const readerValues = [reader.userId, reader.username, reader.organisationId, reader.operation, reader.purpose, reader.clientAddress, reader.requestId];
  const build = () => threatNodeRecordingItsRead(scope, info);
  const parameters = [dbId, ...readerValues];
  const statement = rememberedNativeStatement(scope, info, 'node ending its request', build, parameters);
  if (!statement) return undefined;
  // Sent as any other statement when it cannot end the request (RequestDb.readThenCommit declined).
  const sent: PromiseLike<{ rows: Record<string, unknown>[] }> = last.send(statement) ?? rememberedStatement(scope, info, 'node ending its request', build, parameters)!;
  return Promise.resolve(sent).then(({ rows: [row] }) => {
    if (row?.recorded) last.written('SocThreat', [dbId]);
    return row?.answer ?? null;
  });
}

/**
 * threatNodeStatement, writing the READ event of the threat it answers when the threat is
 * sensitive: the row the request's AuditCollector would write (audit.middleware.ts decides
 * sensitivity by the same list of markings), its reader bound from parameters 1 to 7
 * (LastRead.reader). `recorded` says whether it was written.
 */
function threatNodeRecordingItsRead(scope: ReadScope, info: GraphQLResolveInfo): Knex.Raw | undefined {
  const b = new SqlBuilder(scope, info);
  const read = threatNodeStatement(scope, info, b);
  // Only the threat's own READ is written here: an answer that may hold other records the audit
  // reads (its plan, itself sensitive) leaves the events and COMMIT to the end of the request.
  // The reader's values are typed here: PREPARE (prepared-statements.ts) must know every parameter's type.
  if (!read || b.recordsWritten > 1) return undefined;
  read.select('t.id as compiled_id', 't.protective_marking as compiled_marking');
  const reader = (index: number) => b.bind(new StatementParameter(index));
  const sensitive = SENSITIVE_MARKINGS.map((m) => `'${m}'`).join(', ');
  return b.toRaw(`with compiled_node as ${b.bind(read)},
    compiled_read as (
      insert into audit_event (user_id, username, organisation_id, operation, action, record_type, record_ids, purpose, client_address, request_id)
      select ${reader(1)}::uuid, ${reader(2)}::text, ${reader(3)}::uuid, ${reader(4)}::text, '${AuditAction.READ}', 'SocThreat', array[n.compiled_id], ${reader(5)}::text, ${reader(6)}::text, ${reader(7)}::text
      from compiled_node n where n.compiled_marking in (${sensitive}) returning 1)
    select n.answer, exists (select from compiled_read) as recorded from compiled_node n`);
}

function threatNodeStatement(scope: ReadScope, info: GraphQLResolveInfo, b = new SqlBuilder(scope, info)): Knex.QueryBuilder | undefined {
  const threat = objectSql(b, 'SocThreat', threatSql, 't', info.fieldNodes.map((n) => n.selectionSet), ownOwner, threatMeta('t'));
  if (!threat) return undefined;
  // The answer selected from the threat as threatQuery reads it, in one scan of soc_threat: read
  // again in a subquery of its own (`t.id in (...)`), the row was looked up and its row-level
  // security checked twice (0.1 ms of a partner's 0.4 ms in PostgreSQL, measured with pgbench).
  return threatQuery(scope)
    .clearSelect()
    .select(scope.knex.raw('? as answer', [b.toRaw(threat)]))
    .whereRaw('t.id = ?', [new StatementParameter(0) as unknown as Knex.Value]);
}
