import { Migration } from '@mikro-orm/migrations';

/**
 * The database alone denies what the application denies (issue 13): a plan or a disruption is
 * visible only together with its threat, and a link between two threats only when both are.
 *
 * The permissive policies (Migration20261125001300_read_performance for plans and disruptions,
 * Migration20261125000800_access for threat_link) decide who may read the record itself; these
 * RESTRICTIVE policies are ANDed with them by PostgreSQL for every command, so they add the
 * parent condition without restating (and so without forking) those rules. Each subquery on
 * soc_threat runs under soc_threat's own policy, so "visible" is the threat rule itself.
 *
 * Being `for all`, they also bind writes and row locks: UPDATE, DELETE and SELECT ... FOR UPDATE
 * (how services lock a row before checking its version) cannot reach a plan or disruption whose
 * threat is hidden, and no row can be inserted against a hidden threat. The child tables of plans
 * (objectives, actions, partners, entries, reviews) follow their plan through their own policy,
 * which asks for the plan row under the plan's policies, this one included.
 */
const THREAT_BOUND = [
  { table: 'fourp_plan', rule: 'exists (select 1 from soc_threat t where t.id = fourp_plan.threat_id)' },
  { table: 'disruption', rule: 'exists (select 1 from soc_threat t where t.id = disruption.threat_id)' },
  // threat_link_all (the child rule) already asks for threat_id's threat; this asks for the other side.
  { table: 'threat_link', rule: 'exists (select 1 from soc_threat t where t.id = threat_link.linked_threat_id)' },
];

export class Migration20261205001900_threat_bound_records extends Migration {
  override async up(): Promise<void> {
    for (const { table, rule } of THREAT_BOUND) {
      this.addSql(`create policy ${table}_threat_visible on ${table} as restrictive for all to soc_app using (${rule}) with check (${rule})`);
    }
  }

  override async down(): Promise<void> {
    for (const { table } of THREAT_BOUND) this.addSql(`drop policy ${table}_threat_visible on ${table}`);
  }
}
