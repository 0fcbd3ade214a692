import { GraphQLError } from 'graphql';
import { Purpose } from '../audit/audit.enums';
import { Role } from '../modules/identity/identity.enums';

/**
 * Which purposes each role may state: one table, checked before anything runs on every request
 * and WebSocket operation (graphql/context.ts, live/websocket.ts) and by `statePurpose`. A user may
 * state a purpose when any of their roles lists it; a user with no roles may state none. A purpose
 * grants nothing by itself (roles, clearance, sharing and agreements decide what is read); it says
 * why the person is working with the data, and is kept on every audit event, so a purpose a role
 * has no business stating would make the trail say something untrue (issue 13: any role could
 * state any purpose). Code, like MUTATION_ROLES beside it, and not admin-editable data: the
 * database never sees the purpose (it is the application's and the audit trail's), and a change
 * of what a role may state is a change of the platform's rules, reviewed as code. API keys are
 * outside this table: a key always reads for REPORTING (auth/api-keys.ts). docs/access.md explains
 * each line.
 */
export const PURPOSE_ROLES: Readonly<Record<Role, readonly Purpose[]>> = {
  // Analysts build the picture (ANALYSIS), support investigations and tasking with it, produce the
  // region's figures (REPORTING), and make and work on safeguarding referrals (MUTATION_ROLES).
  [Role.ANALYST]: [Purpose.ANALYSIS, Purpose.INVESTIGATION, Purpose.TASKING, Purpose.REPORTING, Purpose.SAFEGUARDING],
  // Intelligence officers develop intelligence for investigations and tasking.
  [Role.INTELLIGENCE_OFFICER]: [Purpose.INVESTIGATION, Purpose.ANALYSIS, Purpose.TASKING],
  // Investigators investigate, and refer or act on the exploited people they meet (referrals).
  [Role.INVESTIGATOR]: [Purpose.INVESTIGATION, Purpose.SAFEGUARDING],
  // A lead responsible officer runs the 4P plan (TASKING), its Pursue work (INVESTIGATION), its
  // Prevent and Protect work with safeguarding partners, and reports on it to the tasking forum.
  [Role.LRO]: [Purpose.TASKING, Purpose.INVESTIGATION, Purpose.SAFEGUARDING, Purpose.REPORTING],
  // A senior responsible officer oversees investigations and plans and answers for their results.
  [Role.SRO]: [Purpose.TASKING, Purpose.INVESTIGATION, Purpose.REPORTING],
  // OCG coordinators run the region's tasking and the picture of its groups, and report on it.
  [Role.OCG_COORDINATOR]: [Purpose.TASKING, Purpose.ANALYSIS, Purpose.INVESTIGATION, Purpose.REPORTING],
  // Threat assessors score threats (ANALYSIS) for the tasking process to prioritise them.
  [Role.THREAT_ASSESSOR]: [Purpose.ANALYSIS, Purpose.TASKING],
  // Validators decide whether claimed disruptions count in the region's figures: REPORTING.
  [Role.DISRUPTION_VALIDATOR]: [Purpose.REPORTING],
  // Safeguarding practitioners protect the people referred to them, and nothing else.
  [Role.SAFEGUARDING_PRACTITIONER]: [Purpose.SAFEGUARDING],
  // Partners safeguard, and do the Prevent and Protect actions they are tasked with in a plan.
  [Role.PARTNER_CONTRIBUTOR]: [Purpose.SAFEGUARDING, Purpose.TASKING],
  // Auditors oversee: AUDIT, and only that.
  [Role.AUDITOR]: [Purpose.AUDIT],
  // Admins administer and read no intelligence (the role policy); the one sensitive thing they ask
  // is `explainAccess` about another user's access to a record, which checks the access rules: AUDIT.
  [Role.ADMIN]: [Purpose.AUDIT],
};

/** Allowed purposes by set of roles (a handful of combinations): every request asks. */
const allowedByRoles = new Map<string, readonly Purpose[]>();

/** The purposes a user with these roles may state, in the order of the Purpose enum. */
export function allowedPurposes(roles: readonly Role[]): readonly Purpose[] {
  const key = [...roles].sort().join(',');
  let purposes = allowedByRoles.get(key);
  if (!purposes) {
    const allowed = new Set(roles.flatMap((role) => PURPOSE_ROLES[role] ?? []));
    purposes = Object.freeze(Object.values(Purpose).filter((purpose) => allowed.has(purpose)));
    allowedByRoles.set(key, purposes);
  }
  return purposes;
}

/** A purpose in words for a person: INVESTIGATION → investigation. */
const purposeWords = (purpose: Purpose) => purpose.toLowerCase();

/**
 * A stated purpose none of the caller's roles allows: refused before anything runs, HTTP 403,
 * with the header as the field at fault and the caller's own allowed purposes.
 */
export class PurposeNotAllowedError extends GraphQLError {
  constructor(
    readonly purpose: Purpose,
    readonly allowed: readonly Purpose[],
    field = 'X-Purpose',
  ) {
    const message = allowed.length
      ? `Your roles do not allow you to work for the purpose ${purposeWords(purpose)}: state one of ${allowed.map(purposeWords).join(', ')}.`
      : `Your roles do not allow you to state a purpose (you have none that allows one): send no purpose, or ask an administrator.`;
    super(message, {
      extensions: { code: 'FORBIDDEN', fields: [{ field, message }], allowedPurposes: [...allowed], http: { status: 403 } },
    });
  }
}

/** Refuses a stated purpose the roles do not allow (no purpose is always allowed: reads that need one say so). */
export function requireAllowedPurpose(roles: readonly Role[], purpose: Purpose | null, field?: string): void {
  if (purpose === null) return;
  const allowed = allowedPurposes(roles);
  if (!allowed.includes(purpose)) throw new PurposeNotAllowedError(purpose, allowed, field);
}
