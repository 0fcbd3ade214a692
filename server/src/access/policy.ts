import type { Knex } from '@mikro-orm/postgresql';
import type { Caller } from './caller';
import { markingRank, ProtectiveMarking } from '../modules/identity/identity.enums';
import type { ReadScope } from './read-scope';
import { isForOrganisation, recordKindOfCategory, recordKindOfTable, REGIONAL_UNIT_TYPE, type DataCategory, type Reach, type ReachRule, type RecordKind } from './catalogue';

/**
 * The application's access policy: who may read which shared records (docs/domain.md, "Access").
 * It is one of two independent layers: PostgreSQL's row-level security, generated from the access
 * catalogue (catalogue.ts), states the rules in SQL policies; this module translates the same
 * catalogue's named rules, each once, into filters every read path adds to its query. Either one
 * alone must deny; tests switch each off in turn.
 *
 * Every read path is handed the request's ReadScope (read-scope.ts: the caller, the layers, the
 * purpose and the transaction or savepoint it reads through) by the resolver or service that calls
 * it, and passes it on to `onlyReadable`: there is no other way to learn who is asking, so a read
 * path without a scope does not compile.
 */

export type { DataCategory } from './catalogue';

/** The data category a shared record table holds (the access catalogue). */
export function categoryOf(table: string): DataCategory {
  return recordKindOfTable(table).category;
}

/** Markings the caller's clearance covers. */
function readableMarkings(clearance: string): string[] {
  const rank = markingRank(clearance as ProtectiveMarking);
  return Object.values(ProtectiveMarking).filter((m) => markingRank(m) <= rank);
}

/** A where-clause callback. */
type Condition = (w: Knex.QueryBuilder) => unknown;

/** What a rule is translated for: the caller, and the record kind read under `alias`. */
interface RuleScope {
  readonly read: ReadScope;
  readonly knex: Knex;
  readonly caller: Caller;
  readonly kind: RecordKind;
  readonly alias: string;
}

// The aliases of the subqueries below are prefixed `access_`, so that none can shadow a table of
// the caller's query: an unqualified or outer reference resolving to the wrong table once hid
// referral subjects.

/** Whether any of the caller's roles may read the category (the admin-editable default policy, as data). */
function roleAllows({ knex, caller, kind }: RuleScope): Condition {
  return (w) =>
    w.whereExists((g) =>
      g
        .select(knex.raw('1'))
        .from('access_role_grant as access_grant')
        .where('access_grant.data_category', kind.category)
        .whereRaw('access_grant.role = any (?::text[])', [`{${caller.roles.join(',')}}`]),
    );
}

/**
 * Where-clause: an ACTIVE, in-date agreement between the caller's organisation and the owner of
 * the record covers the category and the record's marking (what a non-police organisation needs
 * to read another organisation's record by a rule that asks for one).
 */
function agreementCovers({ caller, kind, alias }: RuleScope): Condition {
  const { owner, marking } = kind.columns;
  return (w) =>
    // Uncorrelated, so PostgreSQL lists the (owner, marking) pairs the caller's agreements
    // cover once per statement and probes a hash of them per row, rather than searching the
    // agreements again for every row.
    w.whereRaw(
      `(${alias}.${owner}, ${alias}.${marking}) in (
        select access_party, access_marking
          from information_sharing_agreement access_agreement
          cross join unnest(access_agreement.parties) as access_party
          cross join unnest(?::text[]) as access_marking
         where access_agreement.status = 'ACTIVE' and current_date >= access_agreement.effective_from and current_date < access_agreement.expires_on
           and ?::uuid = any (access_agreement.parties) and ? = any (access_agreement.data_categories)
           and soc_marking_rank(access_marking) <= soc_marking_rank(access_agreement.max_protective_marking))`,
      [`{${readableMarkings(caller.clearance).join(',')}}`, caller.organisationId, kind.category],
    );
}

/**
 * Each named reach rule of the catalogue (catalogue.ts, ReachRule), translated once into a
 * where-clause for this caller: the application's statement of what row-level-security.sql.ts
 * states in SQL. Undefined: the rule can reach no record for this caller (so it is left out).
 */
const RULE_CONDITIONS: { readonly [R in ReachRule]: (scope: RuleScope) => Condition | undefined } = {
  OWNER:
    ({ caller, kind, alias }) =>
    (w) =>
      w.where(`${alias}.${kind.columns.owner}`, caller.organisationId),

  // NAMED_ORGANISATIONS reaches those named, REGIONAL_LAW_ENFORCEMENT police, ALL_PARTNERS everyone.
  SHARING:
    ({ caller, kind, alias }) =>
    (w) => {
      const { sharing, sharedWith } = kind.columns;
      w.where(`${alias}.${sharing}`, 'ALL_PARTNERS').orWhere((n) =>
        n.where(`${alias}.${sharing}`, 'NAMED_ORGANISATIONS').whereRaw(`?::uuid = any (${alias}.${sharedWith})`, [caller.organisationId]),
      );
      if (caller.isLawEnforcement) w.orWhere(`${alias}.${sharing}`, 'REGIONAL_LAW_ENFORCEMENT');
    },

  // Its two parties read a referral whatever its sharing: it is their own record.
  REFERRAL_PARTY:
    ({ caller, alias }) =>
    (w) =>
      w.where(`${alias}.referring_organisation_id`, caller.organisationId).orWhere(`${alias}.receiving_organisation_id`, caller.organisationId),

  AUDITOR: ({ caller }) => (caller.roles.includes('AUDITOR') ? (w) => w.whereRaw('true') : undefined),

  // The regional unit reads those linked to a threat it can read, judged by the threat rule
  // itself, so that a threat hidden from it hides its referrals too.
  REGIONAL_UNIT_OF_LINKED_THREAT:
    ({ read, knex, caller, alias }) =>
    (w) =>
      w
        .whereExists((o) =>
          o.select(knex.raw('1')).from('organisation as access_caller_org').where('access_caller_org.id', caller.organisationId).where('access_caller_org.type', REGIONAL_UNIT_TYPE),
        )
        .whereExists((t) =>
          onlyReadable(
            t.select(knex.raw('1')).from('soc_threat as access_linked_threat').whereRaw(`access_linked_threat.id = any (${alias}.linked_threat_ids)`),
            read,
            'THREAT',
            'access_linked_threat',
          ),
        ),

  // The subject of a referral the caller's organisation is party to and whose other party owns
  // the person. The owner being a party is what makes the referral a share the owner made or
  // received: a referral between two organisations neither of which owns the person passes them
  // on beyond what the owner allowed, so it makes them known to nobody (createReferral refuses
  // such a referral; this also covers older rows).
  // The referrals are read past their own row-level security (soc_caller_referral_parties,
  // Migration20261206006000_referral_parties): the rule is about the organisation being a party,
  // not about which referrals the caller's roles let them read. The function lists each referral
  // the caller's organisation is party to by its subject and each party: the person's owner must
  // be one of them.
  REFERRAL_SUBJECT:
    ({ kind, alias }) =>
    (w) =>
      w.whereRaw(`(${alias}.id, ${alias}.${kind.columns.owner}) in (select subject_id, party_id from soc_caller_referral_parties())`),

  OWN_ACTION:
    ({ knex, caller, alias }) =>
    (w) =>
      w.whereExists((a) =>
        a.select(knex.raw('1')).from('plan_action as access_own_action').whereRaw(`access_own_action.plan_id = ${alias}.id`).where('access_own_action.owner_organisation_id', caller.organisationId),
      ),

  CLAIM_OR_CONTRIBUTION:
    ({ caller, alias }) =>
    (w) =>
      w.where(`${alias}.claiming_organisation_id`, caller.organisationId).orWhereRaw(`?::uuid = any (${alias}.contributors)`, [caller.organisationId]),

  DISSEMINATED:
    ({ knex, caller, alias }) =>
    (w) =>
      w.whereExists((d) =>
        d
          .select(knex.raw('1'))
          .from('intelligence_dissemination as access_dissemination')
          .whereRaw(`access_dissemination.report_id = ${alias}.id`)
          .where('access_dissemination.recipient_organisation_id', caller.organisationId),
      ),
};

/** One catalogued reach of a kind, for this caller: its rule, and an agreement in force when a partner needs one. Undefined: it reaches nothing for this caller. */
function reachCondition(scope: RuleScope, reach: Reach): Condition | undefined {
  if (!isForOrganisation(reach, scope.caller.isLawEnforcement)) return undefined;
  const rule = RULE_CONDITIONS[reach.rule](scope);
  if (!rule || !reach.agreement || scope.caller.isLawEnforcement) return rule;
  return (w) => w.where(rule).where(agreementCovers(scope));
}

/**
 * Narrows `query` (over a shared record table aliased `alias`) to the records the caller may
 * read: clearance covers the marking, one of the caller's roles may read the category, and any
 * one of the kind's catalogued reach rules reaches the caller. Does nothing when the
 * application layer is switched off (tests of the database layer).
 */
export function onlyReadable(query: Knex.QueryBuilder, read: ReadScope, category: DataCategory, alias: string): Knex.QueryBuilder {
  if (!read.layers.application) return query;
  const scope: RuleScope = { read, knex: read.knex, caller: read.caller, kind: recordKindOfCategory(category), alias };
  query.where(roleAllows(scope));
  query.whereIn(`${alias}.${scope.kind.columns.marking}`, readableMarkings(scope.caller.clearance));
  const reaches = scope.kind.reach.map((r) => reachCondition(scope, r)).filter((c): c is Condition => !!c);
  if (!reaches.length) return query.whereRaw('false');
  return query.where((w) => reaches.forEach((condition) => w.orWhere(condition)));
}

/** Drops rows whose parent did not come back from a policy-filtered loader (null). */
export async function withVisibleParents<T>(rows: (T | null)[], parentOf: (row: T) => Promise<unknown>): Promise<(T | null)[]> {
  return Promise.all(rows.map(async (row) => (row && (await parentOf(row)) ? row : null)));
}
