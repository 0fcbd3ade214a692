import { PART_KINDS, RECORD_KINDS, REGIONAL_UNIT_TYPE, type PartKind, type Reach, type ReachRule, type RecordKind, type SharedColumns } from './catalogue';

/**
 * The database's row-level security, generated from the access catalogue (catalogue.ts): the
 * policies of every record and part table, the history policy, the functions they call that
 * depend on record types, and soc_can_read (the read rule as a function of a record's access
 * columns). `npm run -s access:policies` prints it.
 *
 * Migrations never call this: a migration holds the text it printed when it was written, so a
 * committed migration never changes when the catalogue does. test/access/catalogue-policies.test.ts
 * applies this output to a freshly migrated database (in a transaction it rolls back) and fails
 * when the policies it leaves differ from those the migrations made: change the catalogue, print
 * the SQL, and put it in a new migration.
 *
 * The rules are those docs/access.md states. Every part that depends only on the caller is an
 * uncorrelated scalar subquery, `(select soc_caller_...())`, which the planner runs once per
 * statement (Migration20261125001300_read_performance explains why).
 */

export interface GeneratedPolicy {
  readonly table: string;
  readonly name: string;
  /** CREATE POLICY ... */
  readonly sql: string;
}

export interface GeneratedFunction {
  /** name(argument types), as pg_proc's regprocedure prints it. */
  readonly signature: string;
  /** CREATE OR REPLACE FUNCTION ... */
  readonly sql: string;
  /** Executed by the application role only (a security definer function must not be anyone's). */
  readonly appRoleOnly?: boolean;
}

export interface RowLevelSecurity {
  /** Tables whose every policy is generated here (RLS enabled and forced). */
  readonly tables: readonly string[];
  readonly policies: readonly GeneratedPolicy[];
  readonly functions: readonly GeneratedFunction[];
}

export interface Catalogue {
  readonly records: readonly RecordKind[];
  readonly parts: readonly PartKind[];
}

const APP_ROLE = 'soc_app';

// Caller values, each computed once per statement.
const ORG = '(select soc_caller_org())';
const IS_POLICE = '(select soc_caller_is_law_enforcement())';
// Cast, so that `= any (...)` reads an array expression, not `= any (subquery)`.
const ROLES = '(select soc_caller_roles())::text[]';
const CLEARANCE = '(select soc_caller_clearance_rank())';

/** Clearance covers the marking and one of the caller's roles may read the category. */
function clearanceAndRole(kind: RecordKind): string {
  return `soc_marking_rank(${kind.columns.marking}) <= ${CLEARANCE} and (select soc_caller_may_read('${kind.category}'))`;
}

/** An agreement in force between the caller's organisation and the owner covers the category and marking. */
function agreementCovers(kind: RecordKind): string {
  const { owner, marking } = kind.columns;
  return `soc_marking_rank(${marking}) <= coalesce(((select soc_caller_agreement_ranks('${kind.category}')) ->> ${owner}::text)::int, -1)`;
}

/** The SQL of one named reach rule, for the caller's organisation, whoever it is. */
function ruleSql(kind: RecordKind, reach: Reach): string {
  const { owner, sharing, sharedWith } = kind.columns;
  const row = `${kind.table}.id`;
  switch (reach.rule) {
    case 'OWNER':
      return `${owner} = ${ORG}`;
    case 'SHARING':
      return `case ${sharing}
          when 'NAMED_ORGANISATIONS' then ${ORG} = any (${sharedWith})
          when 'REGIONAL_LAW_ENFORCEMENT' then ${IS_POLICE}
          when 'ALL_PARTNERS' then true
          else false
        end`;
    case 'REFERRAL_PARTY':
      return `${ORG} in (referring_organisation_id, receiving_organisation_id)`;
    case 'AUDITOR':
      return `'AUDITOR' = any (${ROLES})`;
    case 'REGIONAL_UNIT_OF_LINKED_THREAT':
      // The threat subquery runs under soc_threat's own policy: "can read" is the threat rule itself.
      return `(select soc_caller_is_regional_unit()) and exists (select 1 from soc_threat t where t.id = any (${kind.table}.linked_threat_ids))`;
    case 'REFERRAL_SUBJECT':
      return `${row} = any ((select soc_caller_referral_subjects())::uuid[])`;
    case 'OWN_ACTION':
      return `${row} = any ((select soc_caller_action_plans())::uuid[])`;
    case 'CLAIM_OR_CONTRIBUTION':
      return `(claiming_organisation_id = ${ORG} or ${ORG} = any (contributors))`;
    case 'DISSEMINATED':
      return `${row} = any ((select soc_caller_disseminated_reports())::uuid[])`;
  }
}

/** One reach rule, narrowed to whom it is for, with the agreement partners need where it asks for one. */
function reachSql(kind: RecordKind, reach: Reach): string {
  const rule = ruleSql(kind, reach);
  if (reach.agreement && reach.who === 'LAW_ENFORCEMENT') throw new Error(`${kind.typename}: law enforcement needs no agreement`);
  switch (reach.who) {
    case 'EVERYONE':
      return reach.agreement ? `((${rule}) and (${IS_POLICE} or ${agreementCovers(kind)}))` : `(${rule})`;
    case 'LAW_ENFORCEMENT':
      return `(${IS_POLICE} and (${rule}))`;
    case 'PARTNERS':
      return `(not ${IS_POLICE} and (${rule})${reach.agreement ? ` and ${agreementCovers(kind)}` : ''})`;
  }
}

/** Clearance and role, then any one of the reach rules (those granting reading only left out for changes). */
function accessRule(kind: RecordKind, forChange: boolean): string {
  const reach = kind.reach.filter((r) => !(forChange && r.readOnly));
  if (!reach.length) throw new Error(`${kind.typename}: no rule reaches it`);
  return `${clearanceAndRole(kind)}
    and (${reach.map((r) => reachSql(kind, r)).join('\n      or ')})`;
}

const visibleThreat = (table: string, column: string) => `exists (select 1 from soc_threat t where t.id = ${table}.${column})`;

/** A RESTRICTIVE policy, ANDed by PostgreSQL with the others for every command: the record or part is visible, changed or added only with its threat. */
function threatBound(table: string, column: string): GeneratedPolicy {
  const rule = visibleThreat(table, column);
  return { table, name: `${table}_threat_visible`, sql: `create policy ${table}_threat_visible on ${table} as restrictive for all to ${APP_ROLE} using (${rule}) with check (${rule})` };
}

function recordPolicies(kind: RecordKind): GeneratedPolicy[] {
  const t = kind.table;
  const owned = `${kind.columns.owner} = ${ORG}`;
  const policy = (suffix: string, body: string) => ({ table: t, name: `${t}_${suffix}`, sql: `create policy ${t}_${suffix} on ${t} ${body}` });
  const policies = [
    policy('read', `for select to ${APP_ROLE} using (${accessRule(kind, false)})`),
    // A row is created, and removed, by its owner only; changed by whoever may change it (the
    // services' business rules decide the rest).
    policy('insert', `for insert to ${APP_ROLE} with check (${owned})`),
    policy('update', `for update to ${APP_ROLE} using (${accessRule(kind, true)}) with check (${kind.changedOnlyByOwner ? owned : 'true'})`),
    policy('delete', `for delete to ${APP_ROLE} using (${owned})`),
  ];
  if (kind.threatColumn) policies.push(threatBound(t, kind.threatColumn));
  return policies;
}

/** A part is visible, changed and added exactly when its record is (the record's own policies decide). */
function partPolicies(part: PartKind, records: readonly RecordKind[]): GeneratedPolicy[] {
  const t = part.table;
  const record = `exists (select 1 from ${part.parentTable} p where p.id = ${t}.${part.parentColumn}`;
  const parent = records.find((k) => k.table === part.parentTable);
  if (!parent) throw new Error(`${part.typename}: its record ${part.parentTable} is not catalogued`);
  const added = part.addedOnlyByRecordOwner ? `${record} and p.${parent.columns.owner} = ${ORG})` : `${record})`;
  const policies: GeneratedPolicy[] = [{ table: t, name: `${t}_all`, sql: `create policy ${t}_all on ${t} for all to ${APP_ROLE} using (${record})) with check (${added})` }];
  if (part.threatColumn) policies.push(threatBound(t, part.threatColumn));
  return policies;
}

/** The change only lowered, raised or widened the record's access (shown to its new readers as such). */
const ONLY_ACCESS_CHANGED = `(select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)`;

/**
 * History as it was (Migration20261205002000_history_as_it_was): a history row is shown to whoever
 * reads the record today and could have read it in the state the row records (and, for a change
 * to the record itself, in the state before it unless only its access changed).
 */
function historyPolicy(records: readonly RecordKind[]): GeneratedPolicy {
  const asItWas = (kind: RecordKind) =>
    `soc_could_read_then('${kind.typename}', r.${kind.columns.owner}, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or ${ONLY_ACCESS_CHANGED}
            or soc_could_read_then('${kind.typename}', r.${kind.columns.owner}, record_version.access_before))`;
  const cases = records.map((kind) => `when '${kind.typename}' then exists (select 1 from ${kind.table} r where r.id = record_version.record_id and ${asItWas(kind)})`);
  return {
    table: 'record_version',
    name: 'record_version_read',
    sql: `create policy record_version_read on record_version for select to ${APP_ROLE} using (case record_type\n    ${cases.join('\n    ')}\n    else false end)`,
  };
}

/**
 * Whether the caller could read a record of `owner` in a past `state` (its marking, sharing and
 * named organisations then): clearance, then reach. Kinds reached otherwise than by sharing (a
 * referral's parties, a partner's own claims) are reached whatever the sharing said; today's
 * reach is checked by the record's own policy. Unknown: denied.
 */
function couldReadThen(records: readonly RecordKind[]): GeneratedFunction {
  const withoutSharing = records
    .filter((k) => k.pastReachWithoutSharing)
    .map((k) => (k.pastReachWithoutSharing === 'PARTNERS' ? `or (record_type = '${k.typename}' and not soc_caller_is_law_enforcement())` : `or record_type = '${k.typename}'`));
  return {
    signature: 'soc_could_read_then(text,uuid,jsonb)',
    sql: `create or replace function soc_could_read_then(record_type text, owner uuid, state jsonb) returns boolean
  language sql stable as $$
    select coalesce(state ? 'marking' and soc_marking_rank(state ->> 'marking') <= soc_caller_clearance_rank()
      and (owner = soc_caller_org()
        ${[...withoutSharing, `or case state ->> 'sharing'
             when 'ALL_PARTNERS' then true
             when 'REGIONAL_LAW_ENFORCEMENT' then soc_caller_is_law_enforcement()
             when 'NAMED_ORGANISATIONS' then soc_caller_org()::text in (select jsonb_array_elements_text(state -> 'shared_with'))
             else false
           end), false)`].join('\n        ')}
  $$`,
  };
}

/** The reach rules that a record's access columns alone decide: the ones soc_can_read can state. */
const ACCESS_COLUMN_RULES: ReadonlySet<ReachRule> = new Set<ReachRule>(['OWNER', 'SHARING']);

/** soc_can_read's parameters, which stand for a record's access columns. */
const CAN_READ_PARAMETERS: SharedColumns = { owner: 'owner', marking: 'marking', sharing: 'sharing', sharedWith: 'shared_with' };

/**
 * soc_can_read(category, owner, marking, sharing, shared_with): whether the caller reads a record
 * of `category` with these access columns, by the kind's own rule (clearance and role, then its
 * OWNER and SHARING reach, each for whom the catalogue says, with the agreement partners need)
 * stated with the kind's own words: the same SQL as its read policy, the columns read from the
 * arguments. Rules that look at other columns or tables (a referral's parties, a partner's claims,
 * disseminations) are not stated, so a kind reached only by them is never readable here: callers
 * (live/visibility.ts) ask only of kinds that marking and sharing alone decide. Not a security
 * definer: it answers for the caller, with the caller's rights.
 */
function canReadFunction(records: readonly RecordKind[]): GeneratedFunction {
  const cases = records.flatMap((kind) => {
    const reach = kind.reach.filter((r) => ACCESS_COLUMN_RULES.has(r.rule));
    return reach.length ? [`when '${kind.category}' then ${accessRule({ ...kind, columns: CAN_READ_PARAMETERS, reach }, false)}`] : [];
  });
  return {
    signature: 'soc_can_read(text,uuid,text,text,uuid[])',
    sql: `create or replace function soc_can_read(category text, owner uuid, marking text, sharing text, shared_with uuid[]) returns boolean
  language sql stable as $$
    select coalesce(case category
    ${cases.join('\n    ')}
    else false end, false)
  $$`,
  };
}

/**
 * A security definer function `name()` returning the ids `select` lists for the caller's own
 * organisation: a reach rule that looks at another table (see RULE_FUNCTIONS for why security
 * definer, and why PL/pgSQL).
 */
function callerIdsFunction(name: string, select: string): GeneratedFunction {
  return {
    signature: `${name}()`,
    appRoleOnly: true,
    sql: `create or replace function ${name}() returns uuid[]
  language plpgsql stable security definer parallel safe set search_path = public as $$
  begin
    return (${select});
  end
  $$`,
  };
}

/**
 * The caller functions a reach rule calls. Security definer: a part's policy asks for its record,
 * whose policy would ask for the part, and PostgreSQL refuses policies that recurse; and the answer
 * must not depend on what the caller may see of the table asked. Each answers only for the
 * caller's own organisation.
 * PL/pgSQL, not SQL: a policy asks each of them once per statement, and PostgreSQL plans a SQL
 * function that it cannot inline (one reading a table) again at every call, where PL/pgSQL keeps
 * its plan for the connection's life. Measured with pgbench on the bench data: a partner's
 * node(id) transaction took 0.93 ms in PostgreSQL with the SQL functions and 0.44 ms with these
 * (Migration20261207006100_policy_functions_planned_once). Each reads the caller's organisation
 * once, as an init plan (ORG), not for every row it scans: for a partner party to 20,000 referrals
 * that was most of what their subjects cost (Migration20261207006200_caller_organisation_read_once).
 */
const RULE_FUNCTIONS: Partial<Record<Reach['rule'], GeneratedFunction>> = {
  // The caller's organisation is the regional unit. organisation has no row-level security, so
  // this needs no security definer.
  REGIONAL_UNIT_OF_LINKED_THREAT: {
    signature: 'soc_caller_is_regional_unit()',
    appRoleOnly: true,
    sql: `create or replace function soc_caller_is_regional_unit() returns boolean
  language plpgsql stable parallel safe as $$
  begin
    return exists (select 1 from organisation o where o.id = ${ORG} and o.type = '${REGIONAL_UNIT_TYPE}');
  end
  $$`,
  },
  // The people who are the subject of a referral the caller's organisation is party to, with the
  // person's owner the other party (or the caller): a referral between two organisations that do
  // not own the person makes them known to neither.
  REFERRAL_SUBJECT: callerIdsFunction(
    'soc_caller_referral_subjects',
    `select coalesce(array_agg(distinct r.subject_id), '{}')
      from safeguarding_referral r join nominal n on n.id = r.subject_id
     where ${ORG} in (r.referring_organisation_id, r.receiving_organisation_id)
       and n.owning_organisation_id in (r.referring_organisation_id, r.receiving_organisation_id)`,
  ),
  // The plans in which the caller's organisation owns an action.
  OWN_ACTION: callerIdsFunction('soc_caller_action_plans', `select coalesce(array_agg(distinct a.plan_id), '{}') from plan_action a where a.owner_organisation_id = ${ORG}`),
  // The reports disseminated to the caller's organisation.
  DISSEMINATED: callerIdsFunction(
    'soc_caller_disseminated_reports',
    `select coalesce(array_agg(distinct d.report_id), '{}') from intelligence_dissemination d where d.recipient_organisation_id = ${ORG}`,
  ),
};

/** The row-level security the catalogue calls for. */
export function rowLevelSecurity(catalogue: Catalogue = { records: RECORD_KINDS, parts: PART_KINDS }): RowLevelSecurity {
  const { records, parts } = catalogue;
  const rules = new Set(records.flatMap((k) => k.reach.map((r) => r.rule)));
  return {
    tables: [...records.map((k) => k.table), ...parts.map((p) => p.table)],
    policies: [...records.flatMap(recordPolicies), ...parts.flatMap((p) => partPolicies(p, records)), historyPolicy(records)],
    functions: [couldReadThen(records), canReadFunction(records), ...[...rules].flatMap((rule) => (RULE_FUNCTIONS[rule] ? [RULE_FUNCTIONS[rule]!] : []))],
  };
}

/**
 * The statements that put it in place on a database whose tables exist: the functions, row-level
 * security enabled and forced, and each policy dropped (if there) and created again. A policy the
 * catalogue no longer calls for is not dropped here: the migration that removes it says so.
 */
export function rowLevelSecurityStatements(rls: RowLevelSecurity = rowLevelSecurity()): string[] {
  return [
    ...rls.functions.flatMap((f) => [
      f.sql,
      ...(f.appRoleOnly ? [`revoke all on function ${f.signature} from public`, `grant execute on function ${f.signature} to ${APP_ROLE}`] : []),
    ]),
    ...rls.tables.map((t) => `alter table ${t} enable row level security, force row level security`),
    ...rls.policies.flatMap((p) => [`drop policy if exists ${p.name} on ${p.table}`, p.sql]),
  ];
}
