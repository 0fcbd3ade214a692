import { OrganisationType } from '../identity/identity.enums';
import type { Organisation } from '../identity/organisation.entity';

/**
 * Which organisations manage a threat: assess it and own its 4P plan (docs/domain.md, the access
 * table: a force has its own threats in full, SEROCU manages regionally). Law enforcement that
 * owns or leads the threat, or the regional organised crime unit for any threat it can read.
 * Reading a threat is not enough: partners (and other forces) read shared threats but must not
 * score them or take over their plans.
 */
export function managesThreat(organisation: Pick<Organisation, 'id' | 'type' | 'isLawEnforcement'>, threat: { owningOrganisationId: string; leadOrganisationId: string }): boolean {
  if (!organisation.isLawEnforcement) return false;
  return organisation.type === OrganisationType.ROCU || [threat.owningOrganisationId, threat.leadOrganisationId].includes(organisation.id);
}
