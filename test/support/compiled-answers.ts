/**
 * What the tests of compiled answers share (test/graphql/compiled-page.test.ts and
 * compiled-node.test.ts): who asks, the field that sends a selection to the resolvers, and a
 * threat's every compiled field.
 */

// SEROCU, a force, HMRC, children's services (a partner), an auditor, an admin.
export const COMPARED_USERS = ['serocu.analyst', 'tvp.investigator', 'hmrc.officer', 'oxon.mash', 'serocu.auditor', 'serocu.admin'];

/** A field the compiler does not write: a selection holding it is answered by the resolvers (taken out of the answer by withoutForced). */
export const FORCE_RESOLVERS = 'forceResolvers: createdAt';

export const withoutForced = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutForced);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'forceResolvers').map(([key, v]) => [key, withoutForced(v)]));
};

/** Every field of a threat the compiler writes, with aliases, fragments on its interfaces and every part, as a fragment's body. */
export const EVERY_THREAT_FIELD = `__typename key: id urn name ... on SharedRecord { protectiveMarking sharing version } ... on Node { id }
      subjectType taskingLevel geographicScope archiveReason identifiedOn assessedOn adoptedOn closedOn nextReviewDue
      summary riskScore priority withheld { field reason } w2: withheld { __typename field }
      leadOrganisation { __typename id code name type region isLawEnforcement }
      acts: criminalActivities { __typename id category subCategory description firstIdentified lastEvidenced withheld { field reason }
        assessment { __typename id riskScore priority status assessedBy { __typename id username displayName } } }
      plan { __typename id status closureReason reviewFrequencyDays nextReviewDue protectiveMarking sharing version withheld { field reason }
        quality { __typename score passes checksMade checksPassed problems { __typename code strand } } }`;
