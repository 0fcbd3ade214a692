import { Migration } from '@mikro-orm/migrations';
import { recordHistoryTrigger } from './shared-record.sql';

/** Who may see an agreement: administrators and auditors all of them, anyone else those their organisation is party to. */
const AGREEMENT_VISIBLE = `'ADMIN' = any (soc_caller_roles()) or 'AUDITOR' = any (soc_caller_roles()) or soc_caller_org() = any (parties)`;
const IS_ADMIN = `'ADMIN' = any (soc_caller_roles())`;

/**
 * Administration of information sharing agreements and of the default role policy: the
 * application role may now create and change agreements and role grants (administrators only,
 * which the policies below enforce in the database as well as the service in code), an
 * agreement's history is kept, and the agreements themselves are under row-level security.
 */
export class Migration20261125000900_sharing extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table information_sharing_agreement add column updated_by uuid references app_user (id)');
    this.addSql(recordHistoryTrigger('information_sharing_agreement', 'InformationSharingAgreement'));
    this.agreementPolicies();
    this.agreementCheck();
    this.roleGrantPolicies();
    // An agreement's history is as visible as the agreement (record_version's policies are permissive: this adds to them).
    this.addSql(`create policy record_version_agreement_read on record_version for select to soc_app
      using (record_type = 'InformationSharingAgreement'
             and exists (select 1 from information_sharing_agreement a where a.id = record_version.record_id))`);
  }

  private agreementPolicies(): void {
    this.addSql('grant insert, update on information_sharing_agreement to soc_app');
    this.addSql('alter table information_sharing_agreement enable row level security');
    this.addSql('alter table information_sharing_agreement force row level security');
    this.addSql(`create policy information_sharing_agreement_read on information_sharing_agreement for select to soc_app using (${AGREEMENT_VISIBLE})`);
    this.addSql(`create policy information_sharing_agreement_insert on information_sharing_agreement for insert to soc_app with check (${IS_ADMIN})`);
    this.addSql(`create policy information_sharing_agreement_update on information_sharing_agreement for update to soc_app using (${IS_ADMIN}) with check (${IS_ADMIN})`);
  }

  /**
   * The agreement check inside soc_can_read, moved into a security-definer function so that it
   * does not depend on what the caller may see of the agreements table (its own policy above).
   * It only ever answers for the caller's own organisation. soc_can_read keeps its behaviour.
   */
  private agreementCheck(): void {
    this.addSql(`
      create function soc_caller_has_agreement(owner uuid, category text, marking text) returns boolean
      language sql stable security definer set search_path = public as $$
        select exists (
          select 1 from information_sharing_agreement a
           where a.status = 'ACTIVE' and current_date >= a.effective_from and current_date < a.expires_on
             and soc_caller_org() = any (a.parties) and owner = any (a.parties)
             and category = any (a.data_categories)
             and soc_marking_rank(marking) <= soc_marking_rank(a.max_protective_marking))
      $$`);
    this.addSql('revoke all on function soc_caller_has_agreement(uuid, text, text) from public');
    this.addSql('grant execute on function soc_caller_has_agreement(uuid, text, text) to soc_app');
    this.addSql(this.readFunction('soc_caller_has_agreement(owner, category, marking)'));
  }

  /** soc_can_read as the access migration defines it, with `agreement` as its agreement check. */
  private readFunction(agreement: string): string {
    return `
      create or replace function soc_can_read(category text, owner uuid, marking text, sharing text, shared_with uuid[]) returns boolean
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
              and (soc_caller_is_law_enforcement() or ${agreement})
            )
          )
      $$`;
  }

  /** Everyone reads the role policy (soc_can_read consults it for every caller); only administrators change it. */
  private roleGrantPolicies(): void {
    this.addSql('grant insert, delete on access_role_grant to soc_app');
    this.addSql('alter table access_role_grant enable row level security');
    this.addSql('alter table access_role_grant force row level security');
    this.addSql('create policy access_role_grant_read on access_role_grant for select to soc_app using (true)');
    this.addSql(`create policy access_role_grant_insert on access_role_grant for insert to soc_app with check (${IS_ADMIN})`);
    this.addSql(`create policy access_role_grant_delete on access_role_grant for delete to soc_app using (${IS_ADMIN})`);
  }

  override async down(): Promise<void> {
    this.addSql('drop policy record_version_agreement_read on record_version');
    for (const p of ['read', 'insert', 'delete']) this.addSql(`drop policy access_role_grant_${p} on access_role_grant`);
    this.addSql('alter table access_role_grant disable row level security');
    this.addSql('revoke insert, delete on access_role_grant from soc_app');
    this.addSql(this.readFunction(`exists (
                  select 1 from information_sharing_agreement a
                   where a.status = 'ACTIVE' and current_date >= a.effective_from and current_date < a.expires_on
                     and soc_caller_org() = any (a.parties) and owner = any (a.parties)
                     and category = any (a.data_categories)
                     and soc_marking_rank(marking) <= soc_marking_rank(a.max_protective_marking))`));
    this.addSql('drop function soc_caller_has_agreement');
    for (const p of ['read', 'insert', 'update']) this.addSql(`drop policy information_sharing_agreement_${p} on information_sharing_agreement`);
    this.addSql('alter table information_sharing_agreement disable row level security');
    this.addSql('revoke insert, update on information_sharing_agreement from soc_app');
    this.addSql('drop trigger information_sharing_agreement_history on information_sharing_agreement');
    this.addSql('alter table information_sharing_agreement drop column updated_by');
  }
}
