import { expectData, orgId } from './factories';
import type { TestApp } from './test-app';

export const REFERRAL_FIELDS = `id reference version status outcome urgency referralType subjectIsChild consentObtained exploitationTypes summary
  submittedAt acknowledgementDueAt acknowledgedAt feedbackToReferrerAt isAcknowledgementOverdue acknowledgedWithinTarget
  protectiveMarking sharing sharedWith { code } owningOrganisation { code } referringOrganisation { code } receivingOrganisation { code }
  subject { id name } linkedThreats { id name }
  timeline { kind fromStatus toStatus text shareReason by { username } organisation { code } sharedWithOrganisation { code } }`;

/** A fictional nominal, as `as`; `dateOfBirth` decides whether they are a child. */
export async function createNominal(app: TestApp, as: string, name: string, dateOfBirth: string | null) {
  return expectData(
    await app.gql(as, `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id name isChild } }`, {
      input: { name, dateOfBirth, access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    }),
  ).createNominal;
}

/** A valid createReferral input: a child at risk of criminal exploitation, referred to children's services. */
export async function referralInput(app: TestApp, overrides: Record<string, unknown> = {}) {
  return {
    subjectIsChild: true,
    referralType: 'MASH_CONTACT',
    exploitationTypes: ['CHILD_CRIMINAL_EXPLOITATION', 'COUNTY_LINES'],
    receivingOrganisationId: await orgId(app, 'OXON_CS'),
    urgency: 'AMBER',
    consentObtained: false,
    sharingReason: 'Child at risk of significant harm (Children Act 1989 s47); consent would place them at greater risk.',
    summary: 'Found in a trap house in Banbury with cash and two phones; missing from home twice this month.',
    protectiveMarking: 'OFFICIAL',
    ...overrides,
  };
}

export const CREATE_REFERRAL = `mutation ($input: CreateReferralInput!) { createReferral(input: $input) { ${REFERRAL_FIELDS} } }`;

/** A referral made as `as` (TVP's safeguarding officer by default) to Oxfordshire children's services. */
export async function createReferral(app: TestApp, overrides: Record<string, unknown> = {}, as = 'tvp.safeguarding') {
  return expectData(await app.gql(as, CREATE_REFERRAL, { input: await referralInput(app, overrides) })).createReferral;
}

/** Runs one lifecycle mutation (acknowledgeReferral, ...) and returns the GraphQL result. */
export function referralStep(app: TestApp, as: string, mutation: string, input: Record<string, unknown>, inputType = 'ReferralStepInput') {
  return app.gql(as, `mutation ($input: ${inputType}!) { ${mutation}(input: $input) { ${REFERRAL_FIELDS} } }`, { input });
}
