import type { Knex } from '@mikro-orm/postgresql';
import type { Caller } from '../db/request-db';
import { markingRank, ProtectiveMarking } from '../modules/identity/identity.enums';
import type { AccessLayers } from './layers';

/**
 * The application's access policy: who may read which shared records (DOMAIN.md, "Access").
 * It is one of two independent layers: PostgreSQL's row-level security (the access migration)
 * states the same rules in SQL policies; this module states them again, in code, as filters
 * every read path adds to its query. Either one alone must deny; tests switch each off in turn.
 *
 * Repositories receive only a query builder, so the request's caller is bound to the request's
 * transaction object (and to each savepoint inside it) and looked up from there. A query built
 * on a builder with no caller bound fails loudly instead of reading unfiltered.
 */

export type DataCategory = 'THREAT' | 'NOMINAL' | 'PLAN' | 'DISRUPTION' | 'REFERRAL' | 'PRACTICE';

const TABLE_CATEGORIES: Record<string, DataCategory> = {
  soc_threat: 'THREAT',
  nominal: 'NOMINAL',
  fourp_plan: 'PLAN',
  disruption: 'DISRUPTION',
  safeguarding_referral: 'REFERRAL',
  practice_entry: 'PRACTICE',
};

/** The data category a shared record table holds. */
export function categoryOf(table: string): DataCategory {
  const category = TABLE_CATEGORIES[table];
  if (!category) throw new Error(`${table} is not a shared record table`);
  return category;
}

export interface PolicyBinding {
  caller: Caller;
  layers: AccessLayers;
}

const bindings = new WeakMap<object, PolicyBinding>();

/** Records who is asking on a request's transaction (or savepoint) object. */
export function bindCaller(knex: object, binding: PolicyBinding): void {
  bindings.set(knex, binding);
}

function bindingOf(knex: object): PolicyBinding {
  const binding = bindings.get(knex);
  if (!binding) throw new Error('A read path ran outside a request transaction: no caller is bound, so nothing may be read.');
  return binding;
}

/** Markings the caller's clearance covers. */
function readableMarkings(clearance: string): string[] {
  const rank = markingRank(clearance as ProtectiveMarking);
  return Object.values(ProtectiveMarking).filter((m) => markingRank(m) <= rank);
}

/** Whether any of the caller's roles may read the category (the admin-editable default policy, as data). */
function roleAllows(knex: Knex, caller: Caller, category: DataCategory) {
  return (w: Knex.QueryBuilder) =>
    w.whereExists((g) =>
      g
        .select(knex.raw('1'))
        .from('access_role_grant as grant_')
        .where('grant_.data_category', category)
        .whereRaw('grant_.role = any (?::text[])', [`{${caller.roles.join(',')}}`]),
    );
}

/**
 * Where-clause for the common rule on a shared record under `alias`: the owner, or sharing that
 * reaches the caller's organisation, plus (for a non-police organisation) an agreement in force
 * with the owner covering the category and marking.
 */
function reachesCaller(knex: Knex, caller: Caller, alias: string, category: DataCategory) {
  return (w: Knex.QueryBuilder) => {
    w.where(`${alias}.owning_organisation_id`, caller.organisationId).orWhere((shared) => {
      shared.where((s) => {
        s.where(`${alias}.sharing`, 'ALL_PARTNERS').orWhere((n) =>
          n.where(`${alias}.sharing`, 'NAMED_ORGANISATIONS').whereRaw(`?::uuid = any (${alias}.shared_with)`, [caller.organisationId]),
        );
        if (caller.isLawEnforcement) s.orWhere(`${alias}.sharing`, 'REGIONAL_LAW_ENFORCEMENT');
      });
      if (!caller.isLawEnforcement) {
        // Uncorrelated, so PostgreSQL lists the (owner, marking) pairs the caller's agreements
        // cover once per statement and probes a hash of them per row, rather than searching the
        // agreements again for every row.
        shared.whereRaw(
          `(${alias}.owning_organisation_id, ${alias}.protective_marking) in (
            select party, marking
              from information_sharing_agreement isa
              cross join unnest(isa.parties) as party
              cross join unnest(?::text[]) as marking
             where isa.status = 'ACTIVE' and current_date >= isa.effective_from and current_date < isa.expires_on
               and ?::uuid = any (isa.parties) and ? = any (isa.data_categories)
               and soc_marking_rank(marking) <= soc_marking_rank(isa.max_protective_marking))`,
          [`{${readableMarkings(caller.clearance).join(',')}}`, caller.organisationId, category],
        );
      }
    });
  };
}

/**
 * Narrows `query` (over a shared record table aliased `alias`) to the records the caller may
 * read. Does nothing when the application layer is switched off (tests of the database layer).
 */
export function onlyReadable(query: Knex.QueryBuilder, knex: Knex, category: DataCategory, alias: string): Knex.QueryBuilder {
  const binding = bindingOf(knex);
  if (!binding.layers.application) return query;
  const { caller } = binding;
  query.where(roleAllows(knex, caller, category));
  query.whereIn(`${alias}.protective_marking`, readableMarkings(caller.clearance));
  const common = reachesCaller(knex, caller, alias, category);
  switch (category) {
    case 'REFERRAL':
      // Only the two parties and auditors, whatever the sharing field says.
      if (!caller.roles.includes('AUDITOR')) {
        query.where((w) => w.where(`${alias}.referring_organisation_id`, caller.organisationId).orWhere(`${alias}.receiving_organisation_id`, caller.organisationId));
      }
      return query;
    case 'NOMINAL':
      if (caller.isLawEnforcement) return query.where(common);
      return query.where((w) =>
        w.where(`${alias}.owning_organisation_id`, caller.organisationId).orWhereExists((r) =>
          r
            .select(knex.raw('1'))
            .from('safeguarding_referral as ref')
            .whereRaw(`ref.subject_id = ${alias}.id`)
            .where((p) => p.where('ref.referring_organisation_id', caller.organisationId).orWhere('ref.receiving_organisation_id', caller.organisationId)),
        ),
      );
    case 'DISRUPTION':
      if (caller.isLawEnforcement) return query.where(common);
      return query.where((w) => w.where(`${alias}.claiming_organisation_id`, caller.organisationId).orWhereRaw(`?::uuid = any (${alias}.contributors)`, [caller.organisationId]));
    case 'PLAN':
      if (caller.isLawEnforcement) return query.where(common);
      return query.where((w) =>
        w.where(common).orWhereExists((a) =>
          a.select(knex.raw('1')).from('plan_action as own').whereRaw(`own.plan_id = ${alias}.id`).where('own.owner_organisation_id', caller.organisationId),
        ),
      );
    default:
      return query.where(common);
  }
}

/** Drops rows whose parent did not come back from a policy-filtered loader (null). */
export async function withVisibleParents<T>(rows: (T | null)[], parentOf: (row: T) => Promise<unknown>): Promise<(T | null)[]> {
  return Promise.all(rows.map(async (row) => (row && (await parentOf(row)) ? row : null)));
}
