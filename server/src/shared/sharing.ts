import { registerEnumType } from 'type-graphql';

/** How far a shared record reaches beyond its owning organisation (docs/domain.md, "Access"). */
export enum Sharing {
  OWNER_ONLY = 'OWNER_ONLY',
  NAMED_ORGANISATIONS = 'NAMED_ORGANISATIONS',
  REGIONAL_LAW_ENFORCEMENT = 'REGIONAL_LAW_ENFORCEMENT',
  ALL_PARTNERS = 'ALL_PARTNERS',
}

registerEnumType(Sharing, {
  name: 'Sharing',
  description: 'Who beyond the owning organisation a record reaches.',
  valuesConfig: {
    OWNER_ONLY: { description: 'The owning organisation only.' },
    NAMED_ORGANISATIONS: { description: 'The owner and the organisations listed in sharedWith.' },
    REGIONAL_LAW_ENFORCEMENT: { description: 'SEROCU, the four forces and national law-enforcement agencies.' },
    ALL_PARTNERS: { description: 'Every partner organisation (non-police ones under an active agreement).' },
  },
});
