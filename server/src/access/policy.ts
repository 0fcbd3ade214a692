import type { Knex } from '@mikro-orm/postgresql';
import type { Caller } from '../db/request-db';
import { markingRank, ProtectiveMarking } from '../modules/identity/identity.enums';
import type { AccessLayers } from './layers';
import { recordKindOfTable, type DataCategory } from './catalogue';

/**
 * The application's access policy: who may read which shared records (docs/domain.md, "Access").
 * It is one of two independent layers: PostgreSQL's row-level security (the access migration)
 * states the same rules in SQL policies; this module states them again, in code, as filters
 * every read path adds to its query. Either one alone must deny; tests switch each off in turn.
 *
 * Repositories receive only a query builder, so the request's caller is bound to the request's
 * transaction object (and to each savepoint inside it) and looked up from there. A query built
 * on a builder with no caller bound fails loudly instead of reading unfiltered.
 */

export type { DataCategory } from './catalogue';

/** The data category a shared record table holds (the access catalogue). */
export function categoryOf(table: string): DataCategory {
  return recordKindOfTable(table).category;
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

/** The caller bound to a request's transaction (or savepoint) object. */
export function boundCaller(knex: object): Caller {
  return bindingOf(knex).caller;
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
 * Where-clause: an ACTIVE, in-date agreement between the caller's organisation and the owner of
 * the record under `alias` covers the category and the record's marking (what a non-police
 * organisation needs to read another organisation's record).
 */
function agreementCovers(caller: Caller, alias: string, category: DataCategory) {
  return (w: Knex.QueryBuilder) =>
    // Uncorrelated, so PostgreSQL lists the (owner, marking) pairs the caller's agreements
    // cover once per statement and probes a hash of them per row, rather than searching the
    // agreements again for every row.
    w.whereRaw(
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
      if (!caller.isLawEnforcement) shared.where(agreementCovers(caller, alias, category));
    });
  };
}

/**
 * Where-clause: the referral under `alias` is one the caller's organisation may read. Its two
 * parties read it whatever its sharing (it is their own record, so no agreement is needed);
 * auditors read every referral; and the regional unit (an organisation of type ROCU, SEROCU)
 * reads those linked to a threat it can read (docs/domain.md's table: "those linked to threats"),
 * judged by the threat rule itself, so that a threat hidden from it hides its referrals too.
 */
function referralReachesCaller(knex: Knex, caller: Caller, alias: string) {
  return (w: Knex.QueryBuilder) => {
    w.where(`${alias}.referring_organisation_id`, caller.organisationId).orWhere(`${alias}.receiving_organisation_id`, caller.organisationId);
    if (caller.roles.includes('AUDITOR')) w.orWhereRaw('true');
    w.orWhere((regional) =>
      regional
        .whereExists((o) => o.select(knex.raw('1')).from('organisation as caller_org').where('caller_org.id', caller.organisationId).where('caller_org.type', 'ROCU'))
        .whereExists((t) =>
          onlyReadable(t.select(knex.raw('1')).from('soc_threat as linked').whereRaw(`linked.id = any (${alias}.linked_threat_ids)`), knex, 'THREAT', 'linked'),
        ),
    );
  };
}

/**
 * Where-clause: the nominal under `alias` is the subject of a referral that the caller's
 * organisation is party to and whose other party owns the nominal. The owner being a party is
 * what makes the referral a share the owner made or received: a referral between two
 * organisations neither of which owns the person passes them on beyond what the owner allowed,
 * so it makes them known to nobody (createReferral refuses such a referral; this also covers
 * older rows). The receiver of a referral reads its subject this way, police or not.
 */
function subjectOfCallersReferral(knex: Knex, caller: Caller, alias: string) {
  return (w: Knex.QueryBuilder) =>
    w.whereExists((r) =>
      r
        .select(knex.raw('1'))
        .from('safeguarding_referral as ref')
        .whereRaw(`ref.subject_id = ${alias}.id`)
        .whereRaw(`? in (ref.referring_organisation_id, ref.receiving_organisation_id)`, [caller.organisationId])
        .whereRaw(`${alias}.owning_organisation_id in (ref.referring_organisation_id, ref.receiving_organisation_id)`),
    );
}

/** Where-clause: the intelligence report under `alias` was disseminated to the caller's organisation. */
function disseminatedToCaller(knex: Knex, caller: Caller, alias: string) {
  return (w: Knex.QueryBuilder) =>
    w.whereExists((d) =>
      d.select(knex.raw('1')).from('intelligence_dissemination as given').whereRaw(`given.report_id = ${alias}.id`).where('given.recipient_organisation_id', caller.organisationId),
    );
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
      // Whatever the sharing field says (see referralReachesCaller).
      return query.where(referralReachesCaller(knex, caller, alias));
    case 'NOMINAL':
      // A person reached through a referral still needs, for a non-police organisation, an
      // agreement in force with the owner covering nominals at the marking: suspending it hides
      // the person at once, as it hides the owner's threats. The referral itself stays readable.
      return query.where((w) => {
        w.where(`${alias}.owning_organisation_id`, caller.organisationId).orWhere((viaReferral) => {
          viaReferral.where(subjectOfCallersReferral(knex, caller, alias));
          if (!caller.isLawEnforcement) viaReferral.where(agreementCovers(caller, alias, category));
        });
        if (caller.isLawEnforcement) w.orWhere(common);
      });
    case 'DISRUPTION':
      if (caller.isLawEnforcement) return query.where(common);
      return query.where((w) => w.where(`${alias}.claiming_organisation_id`, caller.organisationId).orWhereRaw(`?::uuid = any (${alias}.contributors)`, [caller.organisationId]));
    case 'INTELLIGENCE':
      // Partners: their own reports, and those disseminated to them under an agreement in force
      // covering intelligence at the marking; never through sharing alone.
      if (caller.isLawEnforcement) return query.where(common);
      return query.where((w) =>
        w.where(`${alias}.owning_organisation_id`, caller.organisationId).orWhere((given) =>
          given.where(disseminatedToCaller(knex, caller, alias)).where(agreementCovers(caller, alias, category)),
        ),
      );
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
