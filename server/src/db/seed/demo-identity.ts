import { OrganisationType as T, ProtectiveMarking as M, Role as R } from '../../modules/identity/identity.enums';

/**
 * The region's real organisations. Codes are the ones scripts and docs use.
 * `isLawEnforcement` marks who `REGIONAL_LAW_ENFORCEMENT` sharing reaches.
 */
export const demoOrganisations = [
  { code: 'SEROCU', name: 'South East Regional Organised Crime Unit', type: T.ROCU, region: 'SOUTH_EAST', isLawEnforcement: true },
  { code: 'HIOW', name: 'Hampshire and Isle of Wight Constabulary', type: T.TERRITORIAL_POLICE_FORCE, region: 'SOUTH_EAST', isLawEnforcement: true },
  { code: 'SURREY', name: 'Surrey Police', type: T.TERRITORIAL_POLICE_FORCE, region: 'SOUTH_EAST', isLawEnforcement: true },
  { code: 'SUSSEX', name: 'Sussex Police', type: T.TERRITORIAL_POLICE_FORCE, region: 'SOUTH_EAST', isLawEnforcement: true },
  { code: 'TVP', name: 'Thames Valley Police', type: T.TERRITORIAL_POLICE_FORCE, region: 'SOUTH_EAST', isLawEnforcement: true },
  { code: 'NCA', name: 'National Crime Agency', type: T.NCA, region: 'NATIONAL', isLawEnforcement: true },
  { code: 'HMRC', name: 'HM Revenue and Customs', type: T.HMRC, region: 'NATIONAL', isLawEnforcement: true },
  { code: 'HOIE', name: 'Home Office Immigration Enforcement', type: T.IMMIGRATION_ENFORCEMENT, region: 'NATIONAL', isLawEnforcement: true },
  { code: 'BORDER_FORCE', name: 'Border Force', type: T.BORDER_FORCE, region: 'NATIONAL', isLawEnforcement: true },
  { code: 'CPS', name: 'Crown Prosecution Service', type: T.CPS, region: 'NATIONAL', isLawEnforcement: false },
  { code: 'OXON_CS', name: "Oxfordshire County Council Children's Services", type: T.LOCAL_AUTHORITY_CHILDRENS_SERVICES, region: 'SOUTH_EAST', isLawEnforcement: false },
  { code: 'HANTS_CS', name: "Hampshire County Council Children's Services", type: T.LOCAL_AUTHORITY_CHILDRENS_SERVICES, region: 'SOUTH_EAST', isLawEnforcement: false },
  { code: 'SURREY_CS', name: "Surrey County Council Children's Services", type: T.LOCAL_AUTHORITY_CHILDRENS_SERVICES, region: 'SOUTH_EAST', isLawEnforcement: false },
  { code: 'WSX_CS', name: "West Sussex County Council Children's Services", type: T.LOCAL_AUTHORITY_CHILDRENS_SERVICES, region: 'SOUTH_EAST', isLawEnforcement: false },
  { code: 'BUCKS_TS', name: 'Buckinghamshire Council Trading Standards', type: T.LOCAL_AUTHORITY_OTHER, region: 'SOUTH_EAST', isLawEnforcement: false },
] as const;

/**
 * Demo users, all fictional people. Usernames are relied on by scripts, docs and tests.
 * Police and national agencies hold OFFICIAL_SENSITIVE; local partners OFFICIAL.
 */
export const demoUsers = [
  { username: 'serocu.analyst', displayName: 'Priya Fenwick', org: 'SEROCU', roles: [R.ANALYST, R.THREAT_ASSESSOR], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'serocu.lro', displayName: 'DI Marcus Ellery', org: 'SEROCU', roles: [R.LRO], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'serocu.sro', displayName: 'DCI Angela Marsh', org: 'SEROCU', roles: [R.SRO, R.OCG_COORDINATOR, R.DISRUPTION_VALIDATOR], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'serocu.validator', displayName: 'DS Joanna Whitlock', org: 'SEROCU', roles: [R.DISRUPTION_VALIDATOR], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'serocu.auditor', displayName: 'Graham Ostler', org: 'SEROCU', roles: [R.AUDITOR], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'serocu.admin', displayName: 'Helen Carraway', org: 'SEROCU', roles: [R.ADMIN], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'tvp.investigator', displayName: 'DC Tom Ashdown', org: 'TVP', roles: [R.INVESTIGATOR], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'hiow.analyst', displayName: 'Nadia Brierley', org: 'HIOW', roles: [R.ANALYST], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'surrey.investigator', displayName: 'DC Owen Palfrey', org: 'SURREY', roles: [R.INVESTIGATOR], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'sussex.investigator', displayName: 'DC Leah Marchbank', org: 'SUSSEX', roles: [R.INVESTIGATOR], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'tvp.safeguarding', displayName: 'PC Sian Rudd', org: 'TVP', roles: [R.SAFEGUARDING_PRACTITIONER], clearance: M.OFFICIAL_SENSITIVE },
  { username: 'oxon.mash', displayName: 'Claire Dunmore', org: 'OXON_CS', roles: [R.PARTNER_CONTRIBUTOR, R.SAFEGUARDING_PRACTITIONER], clearance: M.OFFICIAL },
  { username: 'hmrc.officer', displayName: 'Ravi Thorne', org: 'HMRC', roles: [R.INVESTIGATOR], clearance: M.OFFICIAL_SENSITIVE },
] as const;
