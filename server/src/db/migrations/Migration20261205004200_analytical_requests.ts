import { Migration } from '@mikro-orm/migrations';
import { recordHistoryTrigger, sharedRecordColumns } from './shared-record.sql';

/**
 * Analytical requests (issue 19, "demand against capacity"): what a force or the regional unit
 * asks SEROCU's analysts for, and what became of it. A shared record of a new data category,
 * ANALYTICAL_REQUEST, owned by the requesting organisation and shared by name with the regional
 * unit (the service decides its sharing). Its row-level security is the catalogue's, frozen in
 * Migration20261205004210_analytical_request_policies.
 *
 * The table states the lifecycle's invariants again, so no path can leave a half-made request:
 * exactly one of threat or plan; a declined request has its reason code and words; work in
 * progress and delivered work have an analyst; a delivered request has its delivery time.
 */

const CATEGORIES_BEFORE = ['THREAT', 'NOMINAL', 'PLAN', 'DISRUPTION', 'REFERRAL', 'PRACTICE', 'INTELLIGENCE'];
const CATEGORIES = [...CATEGORIES_BEFORE, 'ANALYTICAL_REQUEST'];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/** Who reads analytical requests by default (the role policy, as data): intelligence roles and auditors; no partner role, administrators or validators. */
const READERS = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR', 'AUDITOR'];

export class Migration20261205004200_analytical_requests extends Migration {
  override async up(): Promise<void> {
    this.categories(CATEGORIES);
    this.addSql(`insert into access_role_grant (data_category, role) values ${READERS.map((r) => `('ANALYTICAL_REQUEST', '${r}')`).join(', ')}`);
    this.addSql(`
      create table analytical_request (
        id uuid primary key default gen_random_uuid(),
        reference text not null unique,
        question text not null check (btrim(question) <> ''),
        product_type text not null check (product_type in ('PROFILE', 'NETWORK_CHART', 'PROBLEM_PROFILE', 'TACTICAL_ASSESSMENT')),
        priority text not null check (priority in ('HIGH', 'MEDIUM', 'LOW')),
        due_on date not null,
        status text not null default 'REQUESTED' check (status in ('REQUESTED', 'ACCEPTED', 'IN_PROGRESS', 'DELIVERED', 'DECLINED')),
        threat_id uuid references soc_threat (id),
        plan_id uuid references fourp_plan (id),
        assigned_analyst_id uuid references app_user (id),
        decline_reason text check (decline_reason in ('LACK_OF_CAPACITY', 'OUT_OF_SCOPE', 'INSUFFICIENT_INFORMATION', 'DUPLICATE')),
        decline_explanation text,
        accepted_at timestamptz,
        declined_at timestamptz,
        delivered_at timestamptz,
        ${sharedRecordColumns},
        check (num_nonnulls(threat_id, plan_id) = 1),
        check ((status = 'DECLINED') = (decline_reason is not null and declined_at is not null and coalesce(btrim(decline_explanation), '') <> '')),
        check (status not in ('IN_PROGRESS', 'DELIVERED') or assigned_analyst_id is not null),
        check ((status = 'DELIVERED') = (delivered_at is not null))
      )`);
    this.addSql('create index analytical_request_created_idx on analytical_request (created_at, id)');
    this.addSql('create index analytical_request_status_idx on analytical_request (status, due_on)');
    this.addSql('create index analytical_request_analyst_idx on analytical_request (assigned_analyst_id) where assigned_analyst_id is not null');
    this.addSql('create index analytical_request_threat_idx on analytical_request (threat_id) where threat_id is not null');
    this.addSql('create index analytical_request_plan_idx on analytical_request (plan_id) where plan_id is not null');
    this.addSql(recordHistoryTrigger('analytical_request', 'AnalyticalRequest'));
    // No delete: a request, once made, is part of the demand the figures count.
    this.addSql('grant select, insert, update on analytical_request to soc_app');
  }

  /** The data categories the role policy and agreements may name (as Migration20261205003100_intelligence_reports replaced them). */
  private categories(categories: string[]): void {
    this.addSql('alter table access_role_grant drop constraint access_role_grant_data_category_check');
    this.addSql('alter table information_sharing_agreement drop constraint information_sharing_agreement_data_categories_check');
    this.addSql(`alter table access_role_grant add constraint access_role_grant_data_category_check check (data_category in (${list(categories)}))`);
    this.addSql(`alter table information_sharing_agreement add constraint information_sharing_agreement_data_categories_check
      check (cardinality(data_categories) > 0 and data_categories <@ array[${list(categories)}]::text[])`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table analytical_request');
    this.addSql(`delete from access_role_grant where data_category = 'ANALYTICAL_REQUEST'`);
    this.addSql(`update information_sharing_agreement set data_categories = array_remove(data_categories, 'ANALYTICAL_REQUEST')`);
    this.categories(CATEGORIES_BEFORE);
  }
}
