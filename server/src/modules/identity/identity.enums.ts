import { registerEnumType } from 'type-graphql';

/** Organisation types, as docs/domain.md names them. */
export enum OrganisationType {
  ROCU = 'ROCU',
  TERRITORIAL_POLICE_FORCE = 'TERRITORIAL_POLICE_FORCE',
  NCA = 'NCA',
  HMRC = 'HMRC',
  CPS = 'CPS',
  IMMIGRATION_ENFORCEMENT = 'IMMIGRATION_ENFORCEMENT',
  BORDER_FORCE = 'BORDER_FORCE',
  LOCAL_AUTHORITY_CHILDRENS_SERVICES = 'LOCAL_AUTHORITY_CHILDRENS_SERVICES',
  LOCAL_AUTHORITY_ADULT_SERVICES = 'LOCAL_AUTHORITY_ADULT_SERVICES',
  LOCAL_AUTHORITY_OTHER = 'LOCAL_AUTHORITY_OTHER',
  HEALTH = 'HEALTH',
  EDUCATION = 'EDUCATION',
  PROBATION = 'PROBATION',
  OTHER_GOVERNMENT_AGENCY = 'OTHER_GOVERNMENT_AGENCY',
  VOLUNTARY_SECTOR = 'VOLUNTARY_SECTOR',
  PRIVATE_SECTOR = 'PRIVATE_SECTOR',
}

/** What a user may do; the access rules (docs/domain.md, "Access") are written in these terms. */
export enum Role {
  ANALYST = 'ANALYST',
  INTELLIGENCE_OFFICER = 'INTELLIGENCE_OFFICER',
  INVESTIGATOR = 'INVESTIGATOR',
  LRO = 'LRO',
  SRO = 'SRO',
  OCG_COORDINATOR = 'OCG_COORDINATOR',
  THREAT_ASSESSOR = 'THREAT_ASSESSOR',
  DISRUPTION_VALIDATOR = 'DISRUPTION_VALIDATOR',
  SAFEGUARDING_PRACTITIONER = 'SAFEGUARDING_PRACTITIONER',
  PARTNER_CONTRIBUTOR = 'PARTNER_CONTRIBUTOR',
  AUDITOR = 'AUDITOR',
  ADMIN = 'ADMIN',
}

/**
 * Government Security Classifications as used on shared records, lowest first. A user's
 * clearance is the highest marking they may read; compare with {@link markingRank}.
 */
export enum ProtectiveMarking {
  OFFICIAL = 'OFFICIAL',
  OFFICIAL_SENSITIVE = 'OFFICIAL_SENSITIVE',
  SECRET = 'SECRET',
  TOP_SECRET = 'TOP_SECRET',
}

const markingOrder = Object.values(ProtectiveMarking);

/** 0 for OFFICIAL up to 3 for TOP_SECRET, so clearances compare with `>=`. */
export function markingRank(marking: ProtectiveMarking): number {
  return markingOrder.indexOf(marking);
}

registerEnumType(OrganisationType, { name: 'OrganisationType' });
registerEnumType(Role, { name: 'Role' });
registerEnumType(ProtectiveMarking, {
  name: 'ProtectiveMarking',
  description: 'Government Security Classifications, lowest first.',
});
