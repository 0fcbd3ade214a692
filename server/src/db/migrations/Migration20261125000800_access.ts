import { Migration } from '@mikro-orm/migrations';

/** Shared record tables, the data category each holds, and its history record type. */
export const SHARED_TABLES = [
  { table: 'soc_threat', category: 'THREAT', recordType: 'SocThreat' },
  { table: 'nominal', category: 'NOMINAL', recordType: 'Nominal' },
  { table: 'fourp_plan', category: 'PLAN', recordType: 'FourPPlan' },
  { table: 'disruption', category: 'DISRUPTION', recordType: 'Disruption' },
  { table: 'safeguarding_referral', category: 'REFERRAL', recordType: 'SafeguardingReferral' },
  { table: 'practice_entry', category: 'PRACTICE', recordType: 'PracticeEntry' },
] as const;

/** Child tables: visible exactly when their parent row is (the parent's own policy decides). */
const CHILD_TABLES = [
  ['criminal_activity', 'soc_threat', 'threat_id'],
  ['membership', 'soc_threat', 'threat_id'],
  ['threat_link', 'soc_threat', 'threat_id'],
  ['threat_assessment', 'soc_threat', 'threat_id'],
  ['plan_objective', 'fourp_plan', 'plan_id'],
  ['plan_action', 'fourp_plan', 'plan_id'],
  ['plan_partner', 'fourp_plan', 'plan_id'],
  ['plan_entry', 'fourp_plan', 'plan_id'],
  ['plan_review', 'fourp_plan', 'plan_id'],
  ['referral_update', 'safeguarding_referral', 'referral_id'],
  ['practice_endorsement', 'practice_entry', 'entry_id'],
] as const;

const ROLES = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR',
  'DISRUPTION_VALIDATOR', 'SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'AUDITOR', 'ADMIN'];

/**
 * Which roles may read which kind of record: the default policy (docs/domain.md, "Access"), held as
 * data so that an admin can change it. Admins administer; they do not read intelligence.
 */
const DEFAULT_ROLE_GRANTS: Record<string, string[]> = {
  THREAT: ROLES.filter((r) => r !== 'ADMIN'),
  NOMINAL: ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR', 'SAFEGUARDING_PRACTITIONER', 'AUDITOR'],
  PLAN: ROLES.filter((r) => r !== 'ADMIN'),
  DISRUPTION: ROLES.filter((r) => r !== 'ADMIN'),
  REFERRAL: ['SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'INVESTIGATOR', 'ANALYST', 'INTELLIGENCE_OFFICER', 'LRO', 'SRO', 'OCG_COORDINATOR', 'AUDITOR'],
  PRACTICE: ROLES,
};

/**
 * Access control in the database, the second of two independent layers (the first is the
 * policy module in server/src/access). Every request runs in a transaction that records the
 * caller with set_config(..., true) and switches to `soc_app`, a role with no BYPASSRLS that
 * owns nothing, so these policies apply to every statement it runs.
 */
export class Migration20261125000800_access extends Migration {
  override async up(): Promise<void> {
    this.informationSharingAgreements();
    this.roleGrants();
    this.callerFunctions();
    this.readFunction();
    this.applicationRole();
    this.policies();
  }

  private informationSharingAgreements(): void {
    this.addSql(`
      create table information_sharing_agreement (
        id uuid primary key default gen_random_uuid(),
        title text not null check (length(title) between 1 and 200),
        parties uuid[] not null check (cardinality(parties) >= 2),
        legal_gateways text[] not null check (cardinality(legal_gateways) > 0 and legal_gateways <@ array[
          'CRIME_AND_DISORDER_ACT_1998_S115', 'CHILDREN_ACT_2004_S11', 'MODERN_SLAVERY_ACT_2015_S52', 'CRCA_2005',
          'DPA_2018_PART3', 'COMMON_LAW_POLICING_PURPOSE', 'OTHER']::text[]),
        purposes text[] not null default '{}',
        data_categories text[] not null check (cardinality(data_categories) > 0 and data_categories <@ array[
          'THREAT', 'NOMINAL', 'PLAN', 'DISRUPTION', 'REFERRAL', 'PRACTICE']::text[]),
        max_protective_marking text not null check (max_protective_marking in ('OFFICIAL', 'OFFICIAL_SENSITIVE', 'SECRET', 'TOP_SECRET')),
        effective_from date not null,
        expires_on date not null,
        status text not null default 'DRAFT' check (status in ('DRAFT', 'ACTIVE', 'SUSPENDED', 'EXPIRED')),
        status_reason text,
        created_by uuid references app_user (id),
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        version integer not null default 1,
        check (expires_on > effective_from)
      )`);
    this.addSql('create index isa_parties_idx on information_sharing_agreement using gin (parties)');
  }

  private roleGrants(): void {
    this.addSql(`
      create table access_role_grant (
        data_category text not null check (data_category in ('THREAT', 'NOMINAL', 'PLAN', 'DISRUPTION', 'REFERRAL', 'PRACTICE')),
        role text not null,
        primary key (data_category, role)
      )`);
    const rows = Object.entries(DEFAULT_ROLE_GRANTS).flatMap(([category, roles]) => roles.map((role) => `('${category}', '${role}')`));
    this.addSql(`insert into access_role_grant (data_category, role) values ${rows.join(', ')}`);
  }

  /** The caller, as the request's transaction recorded it. Unset means nobody: every check fails. */
  private callerFunctions(): void {
    this.addSql(`create function soc_caller_org() returns uuid language sql stable as $$ select nullif(current_setting('soc.organisation_id', true), '')::uuid $$`);
    this.addSql(`create function soc_caller_is_law_enforcement() returns boolean language sql stable as $$ select coalesce(nullif(current_setting('soc.is_law_enforcement', true), '')::boolean, false) $$`);
    this.addSql(`create function soc_caller_roles() returns text[] language sql stable as $$ select coalesce(nullif(current_setting('soc.roles', true), '')::text[], '{}') $$`);
    this.addSql(`
      create function soc_marking_rank(marking text) returns integer language sql immutable as $$
        select case marking when 'OFFICIAL' then 0 when 'OFFICIAL_SENSITIVE' then 1 when 'SECRET' then 2 when 'TOP_SECRET' then 3 end
      $$`);
    // Security definer: plan_action's own policy looks at fourp_plan, whose policy looks here, and
    // PostgreSQL refuses policies that recurse. It only answers for the caller's own organisation.
    this.addSql(`
      create function soc_caller_owns_action_in(plan uuid) returns boolean
      language sql stable security definer set search_path = public as $$
        select exists (select 1 from plan_action a where a.plan_id = plan and a.owner_organisation_id = soc_caller_org())
      $$`);
    this.addSql(`create function soc_caller_clearance_rank() returns integer language sql stable as $$ select coalesce(soc_marking_rank(nullif(current_setting('soc.clearance', true), '')), -1) $$`);
  }

  /**
   * The common rule for reading a shared record: clearance covers the marking; the caller's roles
   * allow the category; the caller's organisation owns it or its sharing reaches them; and a
   * non-police organisation also has an ACTIVE, in-date agreement with the owner covering the
   * category and marking.
   */
  private readFunction(): void {
    this.addSql(`
      create function soc_can_read(category text, owner uuid, marking text, sharing text, shared_with uuid[]) returns boolean
      language sql stable as $$
        select soc_marking_rank(marking) <= soc_caller_clearance_rank()
          and exists (select 1 from access_role_grant g where g.data_category = category and g.role = any (soc_caller_roles()))
          and (
            owner = soc_caller_org()
            or (
              case sharing
                when 'NAMED_ORGANISATIONS' then soc_caller_org() = any (shared_with)
                when 'REGIONAL_LAW_ENFORCEMENT' then soc_caller_is_law_enforcement()
                when 'ALL_PARTNERS' then true
                else false
              end
              and (
                soc_caller_is_law_enforcement()
                or exists (
                  select 1 from information_sharing_agreement a
                   where a.status = 'ACTIVE' and current_date >= a.effective_from and current_date < a.expires_on
                     and soc_caller_org() = any (a.parties) and owner = any (a.parties)
                     and category = any (a.data_categories)
                     and soc_marking_rank(marking) <= soc_marking_rank(a.max_protective_marking))
              )
            )
          )
      $$`);
  }

  /** soc_app: what requests run as. NOLOGIN, no BYPASSRLS, owns nothing; only the grants below. */
  private applicationRole(): void {
    this.addSql(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'soc_app') then create role soc_app nologin nobypassrls; end if;
    end $$`);
    // The connecting user must be able to switch to it (a superuser always can).
    this.addSql(`do $$ begin execute format('grant soc_app to %I', current_user); exception when others then null; end $$`);
    this.addSql('grant usage on schema public to soc_app');
    this.addSql('grant select on organisation, app_user, assessment_model, access_role_grant, information_sharing_agreement to soc_app');
    const tables = [...SHARED_TABLES.map((t) => t.table), ...CHILD_TABLES.map(([t]) => t)];
    this.addSql(`grant select, insert, update, delete on ${tables.join(', ')} to soc_app`);
    this.addSql('grant select, insert on record_version to soc_app');
    this.addSql('grant insert on assessment_model to soc_app');
    this.addSql('grant usage, select on all sequences in schema public to soc_app');
    this.addSql('alter default privileges in schema public grant usage, select on sequences to soc_app');
  }

  private policies(): void {
    for (const { table, category } of SHARED_TABLES) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_read on ${table} for select to soc_app using (${this.readRule(table, category)})`);
      // Writes: a row may be created for the caller's own organisation only; changing or removing
      // needs it to be visible. Who may change what beyond that is the services' business rules.
      this.addSql(`create policy ${table}_insert on ${table} for insert to soc_app with check (owning_organisation_id = soc_caller_org())`);
      this.addSql(`create policy ${table}_update on ${table} for update to soc_app using (${this.readRule(table, category)}) with check (true)`);
      this.addSql(`create policy ${table}_delete on ${table} for delete to soc_app using (owning_organisation_id = soc_caller_org())`);
    }
    for (const [table, parent, column] of CHILD_TABLES) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`alter table ${table} force row level security`);
      this.addSql(`create policy ${table}_all on ${table} for all to soc_app
        using (exists (select 1 from ${parent} p where p.id = ${table}.${column}))
        with check (exists (select 1 from ${parent} p where p.id = ${table}.${column}))`);
    }
    // History is as visible as the record it belongs to.
    const visibleRecord = SHARED_TABLES.map(({ table, recordType }) => `when '${recordType}' then exists (select 1 from ${table} r where r.id = record_version.record_id)`).join(' ');
    this.addSql('alter table record_version enable row level security');
    this.addSql('alter table record_version force row level security');
    this.addSql(`create policy record_version_read on record_version for select to soc_app using (case record_type ${visibleRecord} else false end)`);
    this.addSql(`create policy record_version_write on record_version for insert to soc_app with check (true)`);
  }

  /** Per-category rules on top of soc_can_read (docs/domain.md's access table). */
  private readRule(table: string, category: string): string {
    const common = `soc_can_read('${category}', owning_organisation_id, protective_marking, sharing, shared_with)`;
    const clearanceAndRole = `soc_marking_rank(protective_marking) <= soc_caller_clearance_rank()
      and exists (select 1 from access_role_grant g where g.data_category = '${category}' and g.role = any (soc_caller_roles()))`;
    switch (table) {
      case 'safeguarding_referral':
        // The referring and receiving organisations, and auditors; no one else, whatever the sharing says.
        return `${clearanceAndRole} and (soc_caller_org() in (referring_organisation_id, receiving_organisation_id) or 'AUDITOR' = any (soc_caller_roles()))`;
      case 'nominal':
        // Police see people as shared; other partners the people they recorded themselves and the
        // subjects of referrals they are party to.
        return `(soc_caller_is_law_enforcement() and ${common})
          or (not soc_caller_is_law_enforcement() and ${clearanceAndRole}
              and (owning_organisation_id = soc_caller_org()
                   or exists (select 1 from safeguarding_referral r where r.subject_id = nominal.id)))`;
      case 'disruption':
        // Partners see the claims they made or contributed to.
        return `(soc_caller_is_law_enforcement() and ${common})
          or (not soc_caller_is_law_enforcement() and ${clearanceAndRole}
              and (claiming_organisation_id = soc_caller_org() or soc_caller_org() = any (contributors)))`;
      case 'fourp_plan':
        // A partner also sees the plans in which it owns an action (its own actions, at least).
        return `${common} or (not soc_caller_is_law_enforcement() and ${clearanceAndRole} and soc_caller_owns_action_in(fourp_plan.id))`;
      default:
        return common;
    }
  }

  override async down(): Promise<void> {
    for (const [table] of CHILD_TABLES) this.addSql(`drop policy ${table}_all on ${table}; alter table ${table} disable row level security`);
    for (const { table } of SHARED_TABLES) {
      for (const p of ['read', 'insert', 'update', 'delete']) this.addSql(`drop policy ${table}_${p} on ${table}`);
      this.addSql(`alter table ${table} disable row level security`);
    }
    this.addSql('drop policy record_version_read on record_version; drop policy record_version_write on record_version');
    this.addSql('alter table record_version disable row level security');
    this.addSql('drop function soc_can_read, soc_caller_owns_action_in, soc_caller_clearance_rank, soc_marking_rank, soc_caller_roles, soc_caller_is_law_enforcement, soc_caller_org');
    this.addSql('drop table access_role_grant, information_sharing_agreement');
  }
}
