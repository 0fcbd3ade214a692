import { registerEnumType } from 'type-graphql';

/** The lawful bases an agreement can rest on (docs/domain.md). */
export enum LegalGateway {
  CRIME_AND_DISORDER_ACT_1998_S115 = 'CRIME_AND_DISORDER_ACT_1998_S115',
  CHILDREN_ACT_2004_S11 = 'CHILDREN_ACT_2004_S11',
  MODERN_SLAVERY_ACT_2015_S52 = 'MODERN_SLAVERY_ACT_2015_S52',
  CRCA_2005 = 'CRCA_2005',
  DPA_2018_PART3 = 'DPA_2018_PART3',
  COMMON_LAW_POLICING_PURPOSE = 'COMMON_LAW_POLICING_PURPOSE',
  OTHER = 'OTHER',
}

/** Kinds of record, as agreements and the role policy name them. */
export enum DataCategory {
  THREAT = 'THREAT',
  NOMINAL = 'NOMINAL',
  PLAN = 'PLAN',
  DISRUPTION = 'DISRUPTION',
  REFERRAL = 'REFERRAL',
  PRACTICE = 'PRACTICE',
  INTELLIGENCE = 'INTELLIGENCE',
  ANALYTICAL_REQUEST = 'ANALYTICAL_REQUEST',
}

export enum AgreementStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  EXPIRED = 'EXPIRED',
}

/**
 * The lifecycle, move by move: from which status, to which, by which mutation. Reinstating and
 * activating both lead to ACTIVE but from different places, so a move is named by its mutation.
 */
export const agreementMoves = [
  { from: AgreementStatus.DRAFT, to: AgreementStatus.ACTIVE, via: 'activateSharingAgreement', done: 'activated' },
  { from: AgreementStatus.ACTIVE, to: AgreementStatus.SUSPENDED, via: 'suspendSharingAgreement', done: 'suspended' },
  { from: AgreementStatus.SUSPENDED, to: AgreementStatus.ACTIVE, via: 'reinstateSharingAgreement', done: 'reinstated' },
  { from: AgreementStatus.ACTIVE, to: AgreementStatus.EXPIRED, via: 'expireSharingAgreement', done: 'expired' },
  { from: AgreementStatus.SUSPENDED, to: AgreementStatus.EXPIRED, via: 'expireSharingAgreement', done: 'expired' },
] as const;

export type AgreementMove = (typeof agreementMoves)[number]['via'];

export enum AgreementOrderField {
  TITLE = 'TITLE',
  EFFECTIVE_FROM = 'EFFECTIVE_FROM',
  EXPIRES_ON = 'EXPIRES_ON',
  UPDATED_AT = 'UPDATED_AT',
}

registerEnumType(LegalGateway, { name: 'LegalGateway', description: 'The lawful basis for sharing under an agreement.' });
registerEnumType(DataCategory, { name: 'DataCategory', description: 'A kind of record: what an agreement covers and what the role policy grants.' });
registerEnumType(AgreementStatus, {
  name: 'AgreementStatus',
  valuesConfig: {
    DRAFT: { description: 'Being prepared; grants nothing.' },
    ACTIVE: { description: 'Grants access between its dates.' },
    SUSPENDED: { description: 'Grants nothing until reinstated.' },
    EXPIRED: { description: 'Ended for good.' },
  },
});
registerEnumType(AgreementOrderField, { name: 'AgreementOrderField' });
