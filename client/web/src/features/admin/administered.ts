import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ProtectiveMarking, Role } from '../../gql/graphql';
import { useViewer } from '../auth/viewer';

const AdministeredOrganisationsDocument = graphql(`
  query AdministeredOrganisations {
    organisations(first: 100) {
      edges {
        node {
          id
          code
          name
          region
        }
      }
    }
  }
`);

/**
 * The organisations whose users and keys the viewer administers, as the server decides it: their
 * own, or, at the regional unit, every organisation of its region (the server refuses the rest).
 */
export function useAdministeredOrganisations() {
  const viewer = useViewer();
  const [{ data }] = useQuery({ query: AdministeredOrganisationsDocument, requestPolicy: 'cache-first' });
  const all = data?.organisations.edges.map((e) => e.node) ?? [];
  const own = all.find((o) => o.id === viewer.organisation.id);
  if (viewer.organisation.type !== 'ROCU') return own ? [own] : [];
  return all.filter((o) => o.region === own?.region);
}

/** Each role as a person would name one holder of it. */
export const roleWords: Record<Role, string> = {
  ANALYST: 'Analyst',
  INTELLIGENCE_OFFICER: 'Intelligence officer',
  INVESTIGATOR: 'Investigator',
  LRO: 'Lead responsible officer',
  SRO: 'Senior responsible officer',
  OCG_COORDINATOR: 'Organised crime group coordinator',
  THREAT_ASSESSOR: 'Threat assessor',
  DISRUPTION_VALIDATOR: 'Disruption validator',
  SAFEGUARDING_PRACTITIONER: 'Safeguarding practitioner',
  PARTNER_CONTRIBUTOR: 'Partner contributor',
  AUDITOR: 'Auditor',
  ADMIN: 'Administrator',
};
export const allRoles = Object.keys(roleWords) as Role[];

export const clearanceWords: Record<ProtectiveMarking, string> = {
  OFFICIAL: 'Official',
  OFFICIAL_SENSITIVE: 'Official-Sensitive',
  SECRET: 'Secret',
  TOP_SECRET: 'Top Secret',
};

/** The clearances the viewer may give: up to their own. */
export function grantableClearances(own: ProtectiveMarking): ProtectiveMarking[] {
  const order = Object.keys(clearanceWords) as ProtectiveMarking[];
  return order.slice(0, order.indexOf(own) + 1);
}
