import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import { toGlobalId } from '../../graphql/global-id';
import { mapShared, sharedColumns } from '../../shared/shared-record';
import { asDate, containsText } from '../../shared/sql';
import type { ReferralStatus, ReferralType, Urgency } from './referral.enums';
import type { ReferralUpdate, SafeguardingReferral } from './referral.types';
import type { ReadScope } from '../../access/read-scope';

/** Reads for referrals and their timelines: plain SQL, one statement per level of a page. */

const REFERRAL_COLUMNS = [
  ...sharedColumns('r'),
  'r.reference', 'r.subject_id', 'r.subject_is_child', 'r.referral_type', 'r.exploitation_types', 'r.referring_organisation_id',
  'r.receiving_organisation_id', 'r.urgency', 'r.consent_obtained', 'r.summary', 'r.status', 'r.outcome', 'r.submitted_at',
  'r.acknowledgement_due_at', 'r.acknowledged_at', 'r.feedback_to_referrer_at', 'r.linked_threat_ids',
];

// Computed by the database, so the flag and the `overdue` filter use the same clock.
const OVERDUE = '(r.acknowledged_at is null and r.acknowledgement_due_at < now())';
const WITHIN_TARGET = 'case when r.acknowledged_at is null then null else r.acknowledged_at <= r.acknowledgement_due_at end';

export function mapReferral(row: Record<string, any>): SafeguardingReferral {
  return Object.assign(mapShared('SafeguardingReferral', (id) => toGlobalId('SafeguardingReferral', id), row), {
    reference: row.reference,
    subjectId: row.subject_id,
    subjectIsChild: row.subject_is_child,
    referralType: row.referral_type,
    exploitationTypes: row.exploitation_types ?? [],
    referringOrganisationId: row.referring_organisation_id,
    receivingOrganisationId: row.receiving_organisation_id,
    urgency: row.urgency,
    consentObtained: row.consent_obtained,
    summary: row.summary,
    status: row.status,
    outcome: row.outcome,
    submittedAt: asDate(row.submitted_at),
    acknowledgementDueAt: asDate(row.acknowledgement_due_at),
    acknowledgedAt: asDate(row.acknowledged_at),
    feedbackToReferrerAt: asDate(row.feedback_to_referrer_at),
    linkedThreatIds: row.linked_threat_ids ?? [],
    isAcknowledgementOverdue: row.is_overdue,
    acknowledgedWithinTarget: row.within_target,
  });
}

/** What a referral list can be narrowed by; `receivedBy` / `madeBy` come from the direction. */
export interface ReferralCriteria {
  receivedBy?: string;
  madeBy?: string;
  statuses?: ReferralStatus[];
  urgencies?: Urgency[];
  referralTypes?: ReferralType[];
  awaitingAcknowledgement?: boolean;
  overdue?: boolean;
  submittedFrom?: string;
  submittedTo?: string;
  text?: string;
}

/** A query over safeguarding_referral (alias r) with the criteria applied and the columns selected. */
export function referralQuery(scope: ReadScope, c: ReferralCriteria = {}): Knex.QueryBuilder {
  const { knex } = scope;
  const q = onlyReadable(
    knex('safeguarding_referral as r').select([...REFERRAL_COLUMNS, knex.raw(`${OVERDUE} as is_overdue`), knex.raw(`${WITHIN_TARGET} as within_target`)]),
    scope,
    'REFERRAL',
    'r',
  );
  if (c.receivedBy) q.where('r.receiving_organisation_id', c.receivedBy);
  if (c.madeBy) q.where('r.referring_organisation_id', c.madeBy);
  if (c.statuses?.length) q.whereIn('r.status', c.statuses);
  if (c.urgencies?.length) q.whereIn('r.urgency', c.urgencies);
  if (c.referralTypes?.length) q.whereIn('r.referral_type', c.referralTypes);
  if (c.awaitingAcknowledgement != null) q.where(c.awaitingAcknowledgement ? (w) => w.whereNull('r.acknowledged_at') : (w) => w.whereNotNull('r.acknowledged_at'));
  if (c.overdue != null) q.whereRaw(c.overdue ? OVERDUE : `not ${OVERDUE}`);
  // Calendar dates in UTC, as elsewhere in the domain; `to` is inclusive.
  if (c.submittedFrom) q.whereRaw(`r.submitted_at >= (?::date)::timestamp at time zone 'UTC'`, [c.submittedFrom]);
  if (c.submittedTo) q.whereRaw(`r.submitted_at < (?::date + 1)::timestamp at time zone 'UTC'`, [c.submittedTo]);
  if (c.text?.trim()) {
    const text = c.text.trim();
    q.where((w) => w.where(containsText(knex, 'r.reference', text)).orWhere(containsText(knex, 'r.summary', text)));
  }
  return q;
}

export async function referralsByIds(scope: ReadScope, ids: readonly string[]): Promise<SafeguardingReferral[]> {
  return (await referralQuery(scope).whereIn('r.id', ids as string[])).map(mapReferral);
}

function mapUpdate(row: Record<string, any>): ReferralUpdate {
  return {
    __typename: 'ReferralUpdate',
    id: toGlobalId('ReferralUpdate', row.id),
    dbId: row.id,
    referralId: row.referral_id,
    at: asDate(row.at),
    byId: row.by_user_id,
    organisationId: row.organisation_id,
    kind: row.kind,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    text: row.text,
    shareReason: row.share_reason,
    sharedWithOrganisationId: row.shared_with_organisation_id,
  };
}

/** Timeline entries, oldest first (by insertion order: several can share a transaction's time). */
export async function updatesBy(scope: ReadScope, column: 'referral_id' | 'id', ids: readonly string[]): Promise<ReferralUpdate[]> {
  const { knex } = scope;
  return (await knex('referral_update').select('*').whereIn(column, ids as string[]).orderBy('seq')).map(mapUpdate);
}
