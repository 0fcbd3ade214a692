import type { Knex } from '@mikro-orm/postgresql';
import { toGlobalId } from '../../graphql/global-id';
import { asDate } from '../../shared/sql';
import type { AgreementStatus, DataCategory } from './sharing.enums';
import type { AccessRoleGrant, InformationSharingAgreement } from './sharing.types';

/** Reads for agreements and the role policy: plain SQL, one statement per level of a page. */

/**
 * "In force" and "days left" are computed by the database, with the same `current_date` that
 * the row-level security function soc_can_read uses, so what the list says and what the
 * policies grant can never disagree about what today is.
 */
export const IN_FORCE = `(a.status = 'ACTIVE' and current_date >= a.effective_from and current_date < a.expires_on)`;
const AGREEMENT_COLUMNS = [
  'a.id', 'a.title', 'a.parties', 'a.legal_gateways', 'a.purposes', 'a.data_categories', 'a.max_protective_marking',
  'a.effective_from', 'a.expires_on', 'a.status', 'a.status_reason', 'a.created_by', 'a.created_at', 'a.updated_by',
  'a.updated_at', 'a.version',
];

export function mapAgreement(row: Record<string, any>): InformationSharingAgreement {
  return {
    __typename: 'InformationSharingAgreement',
    id: toGlobalId('InformationSharingAgreement', row.id),
    dbId: row.id,
    title: row.title,
    partyIds: row.parties ?? [],
    legalGateways: row.legal_gateways ?? [],
    purposes: row.purposes ?? [],
    dataCategories: row.data_categories ?? [],
    maxProtectiveMarking: row.max_protective_marking,
    effectiveFrom: row.effective_from,
    expiresOn: row.expires_on,
    status: row.status,
    statusReason: row.status_reason,
    isInForce: row.in_force,
    expiresInDays: Number(row.expires_in_days),
    createdById: row.created_by,
    createdAt: asDate(row.created_at as string),
    updatedById: row.updated_by,
    updatedAt: asDate(row.updated_at as string),
    version: row.version,
  };
}

/** Whose agreements a caller may see: every one, or those their organisation is party to. */
export type AgreementScope = { all: true } | { all: false; organisationId: string };

export interface AgreementCriteria {
  statuses?: AgreementStatus[];
  organisationIds?: string[];
  dataCategory?: DataCategory;
  inForce?: boolean;
  expiringWithinDays?: number;
}

/** A query over information_sharing_agreement (alias a) within `scope`, with the criteria applied. */
export function agreementQuery(knex: Knex, scope: AgreementScope, c: AgreementCriteria = {}): Knex.QueryBuilder {
  const q = knex('information_sharing_agreement as a').select([
    ...AGREEMENT_COLUMNS,
    knex.raw(`${IN_FORCE} as in_force`),
    knex.raw('(a.expires_on - current_date) as expires_in_days'),
  ]);
  if (!scope.all) q.whereRaw('?::uuid = any (a.parties)', [scope.organisationId]);
  if (c.statuses?.length) q.whereIn('a.status', c.statuses);
  if (c.organisationIds?.length) q.whereRaw('a.parties && ?::uuid[]', [`{${c.organisationIds.join(',')}}`]);
  if (c.dataCategory) q.whereRaw('? = any (a.data_categories)', [c.dataCategory]);
  if (c.inForce != null) q.whereRaw(c.inForce ? IN_FORCE : `not ${IN_FORCE}`);
  if (c.expiringWithinDays != null) q.whereRaw(`${IN_FORCE} and a.expires_on - current_date <= ?`, [c.expiringWithinDays]);
  return q;
}

export async function agreementsByIds(knex: Knex, scope: AgreementScope, ids: readonly string[]): Promise<InformationSharingAgreement[]> {
  return (await agreementQuery(knex, scope).whereIn('a.id', ids as string[])).map(mapAgreement);
}

/** The role policy, one entry per data category (in the enum's order), roles sorted. */
export async function roleGrants(knex: Knex, categories: readonly DataCategory[]): Promise<AccessRoleGrant[]> {
  const rows = await knex('access_role_grant').select('data_category', 'role').whereIn('data_category', categories as string[]).orderBy(['data_category', 'role']);
  return categories.map((category) => ({
    dataCategory: category,
    roles: rows.filter((r) => r.data_category === category).map((r) => r.role),
  }));
}
