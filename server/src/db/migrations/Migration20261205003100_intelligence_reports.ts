import { Migration } from '@mikro-orm/migrations';
import { SHARED_TABLES } from './Migration20261125000800_access';
import { partHistoryTrigger, recordHistoryTrigger, sharedRecordColumns } from './shared-record.sql';

/**
 * Intelligence reports graded 3x5x2 (issue 19): the intelligence threats, activities and people
 * rest on, as a shared record of a new data category, INTELLIGENCE, and the disseminations of a
 * report to partner agencies (a part of the report: each one is a recorded act).
 *
 * Reach: law enforcement by marking and sharing, as for threats. A partner agency (not law
 * enforcement) reads only a report its own organisation recorded, or one disseminated to it,
 * with an agreement in force covering INTELLIGENCE at the report's marking; never through
 * sharing alone (intelligence goes to partners by dissemination, with its handling conditions).
 */

const CATEGORIES_BEFORE = ['THREAT', 'NOMINAL', 'PLAN', 'DISRUPTION', 'REFERRAL', 'PRACTICE'];
const CATEGORIES = [...CATEGORIES_BEFORE, 'INTELLIGENCE'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/** Who reads intelligence by default (the role policy, as data; an admin can change it). Not administrators nor disruption validators. */
const READERS = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR',
  'SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'AUDITOR'];

// Caller values, once per statement (as Migration20261125001300_read_performance writes them).
const ORG = '(select soc_caller_org())';
const IS_POLICE = '(select soc_caller_is_law_enforcement())';
const CLEARANCE = '(select soc_caller_clearance_rank())';
const CLEARANCE_AND_ROLE = `(soc_marking_rank(protective_marking) <= ${CLEARANCE} and (select soc_caller_may_read('INTELLIGENCE')))`;
const AGREEMENT_COVERS = `soc_marking_rank(protective_marking) <= coalesce(((select soc_caller_agreement_ranks('INTELLIGENCE')) ->> owning_organisation_id::text)::int, -1)`;
const SHARING_REACHES = `(case sharing
    when 'NAMED_ORGANISATIONS' then ${ORG} = any (shared_with)
    when 'REGIONAL_LAW_ENFORCEMENT' then true
    when 'ALL_PARTNERS' then true
    else false end)`;

/** The read rule (policy.ts states it again for the application layer). */
const READ_RULE = `${CLEARANCE_AND_ROLE} and (
    owning_organisation_id = ${ORG}
    or (${IS_POLICE} and ${SHARING_REACHES})
    or (not ${IS_POLICE} and intelligence_report.id = any ((select soc_caller_disseminated_reports())::uuid[]) and ${AGREEMENT_COVERS}))`;

/**
 * The reports disseminated to the caller's organisation. Security definer: the dissemination
 * table's own policy asks for the report, whose policy asks here, and PostgreSQL refuses policies
 * that recurse (as soc_caller_action_plans for plans). It only answers for the caller's organisation.
 */
const DISSEMINATED = `
  create function soc_caller_disseminated_reports() returns uuid[]
  language sql stable security definer parallel safe set search_path = public as $$
    select coalesce(array_agg(distinct d.report_id), '{}') from intelligence_dissemination d where d.recipient_organisation_id = soc_caller_org()
  $$`;

// The history policy (Migration20261205002000_history_as_it_was), restated with the new kind.
const ONLY_ACCESS_CHANGED = `(select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)`;
const asItWas = (recordType: string) =>
  `soc_could_read_then('${recordType}', r.owning_organisation_id, record_version.access_after)
   and (record_version.action = 'CREATE' or record_version.part is not null or ${ONLY_ACCESS_CHANGED}
        or soc_could_read_then('${recordType}', r.owning_organisation_id, record_version.access_before))`;
const historyPolicy = (tables: { table: string; recordType: string }[]) =>
  `create policy record_version_read on record_version for select to soc_app using (case record_type ${tables
    .map(({ table, recordType }) => `when '${recordType}' then exists (select 1 from ${table} r where r.id = record_version.record_id and ${asItWas(recordType)})`)
    .join(' ')} else false end)`;
const REPORT = { table: 'intelligence_report', recordType: 'IntelligenceReport' };

const ACCESS_STATE = (row: string) =>
  `case when ${row} ? 'protective_marking' then jsonb_build_object('marking', ${row} ->> 'protective_marking', 'sharing', ${row} ->> 'sharing', 'shared_with', ${row} -> 'shared_with') end`;

/**
 * The history trigger function of Migration20261205002000_history_as_it_was, unchanged but for
 * the record tables it knows: a part's history row carries its record's access state, so the
 * function must find the record's table, and intelligence reports now have a part (disseminations).
 */
const historyFunction = (tables: { table: string; recordType: string }[]) => `
  create or replace function record_history() returns trigger
  language plpgsql as $$
  declare
    old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
    new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
    row_data jsonb := coalesce(new_row, old_row);
    changed jsonb := jsonb_changes(old_row, new_row);
    is_part boolean := tg_nargs > 1;
    actor uuid := nullif(current_setting('soc.user_id', true), '')::uuid;
    parent_table text := case tg_argv[0] ${tables.map(({ table, recordType }) => `when '${recordType}' then '${table}'`).join(' ')} end;
    state_before jsonb := ${ACCESS_STATE('old_row')};
    state_after jsonb := ${ACCESS_STATE('coalesce(new_row, old_row)')};
  begin
    if tg_op = 'UPDATE' and changed = '{}'::jsonb then
      return new;
    end if;
    if is_part and parent_table is not null then
      -- A part follows its record as the record is at this moment.
      execute format('select jsonb_build_object(''marking'', protective_marking, ''sharing'', sharing, ''shared_with'', to_jsonb(shared_with)) from %I where id = $1', parent_table)
        into state_after using (row_data ->> tg_argv[1])::uuid;
      state_before := state_after;
    end if;
    insert into record_version (record_type, record_id, version, action, part, part_id, changes, actor_id, access_before, access_after)
    values (
      tg_argv[0],
      case when is_part then (row_data ->> tg_argv[1])::uuid else (row_data ->> 'id')::uuid end,
      case when is_part then null else (row_data ->> 'version')::integer end,
      case tg_op when 'INSERT' then 'CREATE' when 'UPDATE' then 'UPDATE' else 'DELETE' end,
      case when is_part then tg_argv[2] end,
      case when is_part then (row_data ->> 'id')::uuid end,
      changed,
      actor,
      state_before,
      state_after);
    return coalesce(new, old);
  end
  $$`;

export class Migration20261205003100_intelligence_reports extends Migration {
  override async up(): Promise<void> {
    this.category(CATEGORIES);
    this.addSql(`insert into access_role_grant (data_category, role) values ${READERS.map((r) => `('INTELLIGENCE', '${r}')`).join(', ')}`);
    this.tables();
    this.addSql(DISSEMINATED);
    this.addSql('revoke all on function soc_caller_disseminated_reports() from public');
    this.addSql('grant execute on function soc_caller_disseminated_reports() to soc_app');
    this.policies();
    this.addSql('drop policy record_version_read on record_version');
    this.addSql(historyPolicy([...SHARED_TABLES, REPORT]));
  }

  /** The data categories the role policy and agreements may name (their check constraints, whatever PostgreSQL named them). */
  private category(categories: string[]): void {
    this.addSql(`do $$
      declare c record;
      begin
        for c in select conrelid::regclass::text as tbl, conname from pg_constraint
                  where contype = 'c' and conrelid in ('access_role_grant'::regclass, 'information_sharing_agreement'::regclass)
                    and pg_get_constraintdef(oid) like '%PRACTICE%' loop
          execute format('alter table %I drop constraint %I', c.tbl, c.conname);
        end loop;
      end $$`);
    this.addSql(`alter table access_role_grant add constraint access_role_grant_data_category_check check (data_category in (${list(categories)}))`);
    this.addSql(`alter table information_sharing_agreement add constraint information_sharing_agreement_data_categories_check
      check (cardinality(data_categories) > 0 and data_categories <@ array[${list(categories)}]::text[])`);
  }

  private tables(): void {
    this.addSql(`
      create table intelligence_report (
        id uuid primary key default gen_random_uuid(),
        reference text not null unique,
        received_on date not null,
        source_evaluation text not null check (source_evaluation in ('RELIABLE', 'UNTESTED', 'NOT_RELIABLE')),
        intelligence_assessment text not null check (intelligence_assessment in ('A', 'B', 'C', 'D', 'E')),
        handling_code text not null check (handling_code in ('P', 'C')),
        handling_conditions text,
        source_reference text,
        sanitised_text text not null,
        original_text text not null,
        threat_ids uuid[] not null default '{}',
        activity_ids uuid[] not null default '{}',
        nominal_ids uuid[] not null default '{}',
        ${sharedRecordColumns},
        check (handling_code = 'P' or coalesce(btrim(handling_conditions), '') <> '')
      )`);
    this.addSql('create sequence intelligence_report_reference_seq');
    this.addSql('create index intelligence_report_threats_idx on intelligence_report using gin (threat_ids)');
    this.addSql('create index intelligence_report_activities_idx on intelligence_report using gin (activity_ids)');
    this.addSql('create index intelligence_report_nominals_idx on intelligence_report using gin (nominal_ids)');
    this.addSql('create index intelligence_report_updated_idx on intelligence_report (updated_at desc, id)');
    this.addSql(recordHistoryTrigger('intelligence_report', 'IntelligenceReport'));
    this.addSql(`
      create table intelligence_dissemination (
        id uuid primary key default gen_random_uuid(),
        report_id uuid not null references intelligence_report (id) on delete cascade,
        recipient_organisation_id uuid not null references organisation (id),
        handling_code text not null check (handling_code in ('P', 'C')),
        handling_conditions text,
        sanitised_text text not null,
        disseminated_by uuid not null references app_user (id),
        disseminated_at timestamptz not null default now()
      )`);
    this.addSql('create index intelligence_dissemination_report_idx on intelligence_dissemination (report_id)');
    // Filed under the report as its "disseminations" part: its owner's subscribers hear of each one
    // live; partners are told nothing of it (disseminations are narrowed for them, catalogue.ts).
    this.addSql(historyFunction([...SHARED_TABLES, REPORT]));
    this.addSql(partHistoryTrigger('intelligence_dissemination', 'IntelligenceReport', 'report_id', 'disseminations'));
    this.addSql('create index intelligence_dissemination_recipient_idx on intelligence_dissemination (recipient_organisation_id)');
    this.addSql('grant select, insert, update, delete on intelligence_report, intelligence_dissemination to soc_app');
    // A dissemination, once recorded, is what happened: the application role cannot change or remove it.
    this.addSql('revoke update, delete on intelligence_dissemination from soc_app');
    this.addSql('grant usage, select on intelligence_report_reference_seq to soc_app');
  }

  private policies(): void {
    const t = 'intelligence_report';
    this.addSql(`alter table ${t} enable row level security`);
    this.addSql(`alter table ${t} force row level security`);
    this.addSql(`create policy ${t}_read on ${t} for select to soc_app using (${READ_RULE})`);
    this.addSql(`create policy ${t}_insert on ${t} for insert to soc_app with check (owning_organisation_id = ${ORG})`);
    this.addSql(`create policy ${t}_update on ${t} for update to soc_app using (${READ_RULE}) with check (owning_organisation_id = ${ORG})`);
    this.addSql(`create policy ${t}_delete on ${t} for delete to soc_app using (owning_organisation_id = ${ORG})`);
    const d = 'intelligence_dissemination';
    this.addSql(`alter table ${d} enable row level security`);
    this.addSql(`alter table ${d} force row level security`);
    // Visible exactly when the report is; recorded only by the report's owner.
    this.addSql(`create policy ${d}_all on ${d} for all to soc_app
      using (exists (select 1 from intelligence_report p where p.id = ${d}.report_id))
      with check (exists (select 1 from intelligence_report p where p.id = ${d}.report_id and p.owning_organisation_id = ${ORG}))`);
  }

  override async down(): Promise<void> {
    this.addSql('drop policy record_version_read on record_version');
    this.addSql(historyPolicy([...SHARED_TABLES]));
    this.addSql(historyFunction([...SHARED_TABLES]));
    this.addSql('drop table intelligence_dissemination');
    this.addSql('drop function soc_caller_disseminated_reports()');
    this.addSql('drop table intelligence_report');
    this.addSql('drop sequence intelligence_report_reference_seq');
    this.addSql(`delete from access_role_grant where data_category = 'INTELLIGENCE'`);
    this.addSql(`update information_sharing_agreement set data_categories = array_remove(data_categories, 'INTELLIGENCE')`);
    this.addSql('alter table access_role_grant drop constraint access_role_grant_data_category_check');
    this.addSql('alter table information_sharing_agreement drop constraint information_sharing_agreement_data_categories_check');
    this.addSql(`alter table access_role_grant add constraint access_role_grant_data_category_check check (data_category in (${list(CATEGORIES_BEFORE)}))`);
    this.addSql(`alter table information_sharing_agreement add constraint information_sharing_agreement_data_categories_check
      check (cardinality(data_categories) > 0 and data_categories <@ array[${list(CATEGORIES_BEFORE)}]::text[])`);
  }
}
