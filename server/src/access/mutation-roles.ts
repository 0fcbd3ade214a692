import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { AuditCollector } from '../audit/audit.collector';
import { ForbiddenError } from '../graphql/errors';
import { Role } from '../modules/identity/identity.enums';
import type { User } from '../modules/identity/user.entity';

/**
 * Who may call each mutation, by role: one table, checked at the mutation root before anything
 * runs (requireMutationRoles), with the rules about which records (owner, author, the two-person
 * rule...) in the services. Reading a record's kind is granted by the role policy held as data
 * (access_role_grant); changing records was not checked at all, and an auditor, a disruption
 * validator and a children's services user could create threats, people and disruption claims.
 * A mutation missing from this table is refused to everyone (test/access/mutation-roles.test.ts
 * fails until it is declared).
 */
const INTELLIGENCE = [Role.ANALYST, Role.INTELLIGENCE_OFFICER, Role.INVESTIGATOR, Role.LRO, Role.SRO, Role.OCG_COORDINATOR, Role.THREAT_ASSESSOR];
/** People: intelligence roles, and safeguarding practitioners for the subjects of their referrals. */
const PEOPLE = [...INTELLIGENCE, Role.SAFEGUARDING_PRACTITIONER];
/** Disruption claims: intelligence roles, and partners contributing Prevent and Protect work. */
const CLAIMANTS = [...INTELLIGENCE, Role.PARTNER_CONTRIBUTOR];
/** Plan actions: the plan's people, and partners updating the actions their organisation owns. */
const ACTION_OWNERS = [...INTELLIGENCE, Role.PARTNER_CONTRIBUTOR, Role.SAFEGUARDING_PRACTITIONER];
/** Referrals: those who read them (the role policy), but not auditors, who oversee. */
const SAFEGUARDING = [Role.SAFEGUARDING_PRACTITIONER, Role.PARTNER_CONTRIBUTOR, Role.INVESTIGATOR, Role.ANALYST, Role.LRO];
const ASSESSORS = [Role.THREAT_ASSESSOR];
const APPROVERS = [Role.THREAT_ASSESSOR, Role.SRO, Role.OCG_COORDINATOR];
const VALIDATORS = [Role.DISRUPTION_VALIDATOR];
/** The practice register: every practitioner; not those who only oversee or administer. */
const PRACTITIONERS = Object.values(Role).filter((r) => r !== Role.AUDITOR && r !== Role.ADMIN);
const ADMINS = [Role.ADMIN];
/** Analytical requests: made by intelligence and investigative roles (law enforcement only: the service); decided by OCG coordinators, worked by analysts (of the regional unit: the service). */
const ANALYSIS_REQUESTERS = [Role.ANALYST, Role.INTELLIGENCE_OFFICER, Role.INVESTIGATOR, Role.LRO, Role.SRO, Role.OCG_COORDINATOR];
const ANALYSIS_MANAGERS = [Role.OCG_COORDINATOR];
const ANALYSTS = [Role.ANALYST];
/**
 * Retention reviews (MoPI): those who manage the organisation's records decide whether a person
 * or an intelligence report is kept or disposed of; the review queue is theirs too (retention.service.ts).
 */
export const RETENTION_REVIEWERS: readonly Role[] = [Role.INTELLIGENCE_OFFICER, Role.LRO, Role.SRO];
/** Whoever signs in states the purpose of their work. */
const EVERYONE = Object.values(Role);

export const MUTATION_ROLES: Readonly<Record<string, readonly Role[]>> = {
  createThreat: INTELLIGENCE,
  updateThreat: INTELLIGENCE,
  changeThreatStatus: INTELLIGENCE,
  addCriminalActivity: INTELLIGENCE,
  updateCriminalActivity: INTELLIGENCE,
  removeCriminalActivity: INTELLIGENCE,
  addMember: INTELLIGENCE,
  removeMember: INTELLIGENCE,
  linkThreats: INTELLIGENCE,
  unlinkThreats: INTELLIGENCE,
  createNominal: PEOPLE,
  updateNominal: PEOPLE,
  retainRecord: RETENTION_REVIEWERS,
  disposeRecord: RETENTION_REVIEWERS,
  createAssessment: ASSESSORS,
  reviseAssessment: ASSESSORS,
  submitAssessment: ASSESSORS,
  approveAssessment: APPROVERS,
  returnAssessment: APPROVERS,
  publishAssessmentModel: ADMINS,
  createPlan: INTELLIGENCE,
  updatePlan: INTELLIGENCE,
  changePlanStatus: INTELLIGENCE,
  addObjective: INTELLIGENCE,
  updateObjective: INTELLIGENCE,
  removeObjective: INTELLIGENCE,
  addAction: INTELLIGENCE,
  updateAction: ACTION_OWNERS,
  removeAction: INTELLIGENCE,
  addPlanPartner: INTELLIGENCE,
  removePlanPartner: INTELLIGENCE,
  addPlanEntry: INTELLIGENCE,
  resolveIntelligenceGap: INTELLIGENCE,
  recordPlanReview: INTELLIGENCE,
  createDisruption: CLAIMANTS,
  updateDisruption: CLAIMANTS,
  submitDisruption: CLAIMANTS,
  supersedeDisruption: CLAIMANTS,
  validateDisruption: VALIDATORS,
  returnDisruption: VALIDATORS,
  rejectDisruption: VALIDATORS,
  createReferral: SAFEGUARDING,
  acknowledgeReferral: SAFEGUARDING,
  startReferralWork: SAFEGUARDING,
  recordReferralDecision: SAFEGUARDING,
  closeReferral: SAFEGUARDING,
  addReferralNote: SAFEGUARDING,
  recordReferralFeedback: SAFEGUARDING,
  createPractice: PRACTITIONERS,
  updatePractice: PRACTITIONERS,
  endorsePractice: PRACTITIONERS,
  withdrawEndorsement: PRACTITIONERS,
  createSharingAgreement: ADMINS,
  updateSharingAgreement: ADMINS,
  activateSharingAgreement: ADMINS,
  suspendSharingAgreement: ADMINS,
  reinstateSharingAgreement: ADMINS,
  expireSharingAgreement: ADMINS,
  setAccessRoleGrants: ADMINS,
  statePurpose: EVERYONE,
  createUser: ADMINS,
  changeUserRoles: ADMINS,
  changeUserClearance: ADMINS,
  deactivateUser: ADMINS,
  createApiKey: ADMINS,
  revokeApiKey: ADMINS,
  createIntelligenceReport: INTELLIGENCE,
  updateIntelligenceReport: INTELLIGENCE,
  disseminateIntelligence: INTELLIGENCE,
  checkIdentifier: INTELLIGENCE,
  recordIdentifier: INTELLIGENCE,
  removeIdentifier: INTELLIGENCE,
  createAnalyticalRequest: ANALYSIS_REQUESTERS,
  acceptAnalyticalRequest: ANALYSIS_MANAGERS,
  declineAnalyticalRequest: ANALYSIS_MANAGERS,
  assignAnalyticalRequest: ANALYSIS_MANAGERS,
  startAnalyticalRequest: ANALYSTS,
  deliverAnalyticalRequest: ANALYSTS,
};

/** A role in words for a person: DISRUPTION_VALIDATOR → disruption validator (LRO and SRO stay). */
const roleWords = (role: Role) => (role.length <= 3 ? role : role.toLowerCase().replace(/_/g, ' '));

/** Refuses a mutation, before it runs, to a caller none of whose roles the table lists for it (audited as DENIED). */
export function requireMutationRoles(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const allowed = MUTATION_ROLES[field.name] ?? [];
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: { viewer?: User; audit?: AuditCollector } | undefined, info) => {
      const roles = context?.viewer?.roles ?? [];
      if (!roles.some((role) => allowed.includes(role))) {
        const message = allowed.length ? `Only someone with one of these roles can do this: ${allowed.map(roleWords).join(', ')}.` : 'No one can do this yet.';
        context?.audit?.setOperation(info.operation.name?.value);
        context?.audit?.denied(null, [], { code: 'FORBIDDEN', field: info.fieldName, message });
        throw new ForbiddenError(message);
      }
      return resolve(source, args, context, info);
    };
  }
  return schema;
}
