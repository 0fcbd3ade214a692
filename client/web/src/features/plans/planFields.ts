import { graphql } from '../../gql';
import { label } from '../../lib/ui';

/** A dated entry of the plan: an intelligence gap (and how it was filled), an outcome or learning. */
export const PlanEntryFields = graphql(`
  fragment PlanEntryFields on PlanEntry {
    id
    kind
    text
    recordedOn
    recordedBy {
      id
      displayName
    }
    resolution
    resolvedOn
    resolvedBy {
      id
      displayName
    }
  }
`);

/** Everything the plan editor shows; every plan mutation returns it, so the cache and the gate refresh. */
export const PlanEditorFields = graphql(`
  fragment PlanEditorFields on FourPPlan {
    id
    version
    status
    closureReason
    nextReviewDue
    reviewFrequencyDays
    protectiveMarking
    sharing
    withheld {
      field
      reason
    }
    owningOrganisation {
      id
      code
    }
    lro {
      id
      displayName
    }
    sro {
      id
      displayName
    }
    updatedBy {
      id
      displayName
    }
    threat {
      id
      urn
      name
      criminalActivities {
        id
        category
        description
        withheld {
          field
          reason
        }
      }
    }
    quality {
      score
      passes
      checksMade
      checksPassed
      problems {
        code
        message
        strand
        criminalActivity {
          id
        }
      }
    }
    strandExemptions {
      strand
      reason
    }
    objectives {
      id
      strand
      description
      successMeasure
    }
    actions {
      id
      strand
      tactic
      description
      status
      dueDate
      isOverdue
      objective {
        id
      }
      ownerOrganisation {
        id
        code
      }
      addressesActivities {
        id
        category
      }
    }
    reviews {
      date
      forum
      decisions
      reviewer {
        id
        displayName
      }
    }
    intelligenceGaps {
      ...PlanEntryFields
    }
    outcomes {
      ...PlanEntryFields
    }
    learning {
      ...PlanEntryFields
    }
    partners {
      role
      strands
      organisation {
        id
        code
        name
      }
    }
  }
`);

/** The plan editor's page: the plan by its ID. */
export const PlanEditorDocument = graphql(`
  query PlanEditor($id: ID!) {
    node(id: $id) {
      __typename
      id
      ...PlanEditorFields
    }
  }
`);

/** The plan's own fields (LRO, exemptions, …): only those given change; exemptions are replaced as a whole. */
export const UpdatePlanDocument = graphql(`
  mutation UpdatePlan($input: UpdatePlanInput!) {
    updatePlan(input: $input) {
      ...PlanEditorFields
    }
  }
`);

/** Today in the user's time zone as YYYY-MM-DD (for date fields' default and latest allowed value). */
export function todayIso(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Value spellings the server's messages may quote (e.g. "allowed: ACTIVE, CLOSED"), in words. */
const SPELLINGS = /\b(DRAFT|ACTIVE|UNDER_REVIEW|CLOSED|PURSUE|PREVENT|PROTECT|PREPARE|PLANNED|IN_PROGRESS|BLOCKED|COMPLETE|CANCELLED|INTELLIGENCE_GAP|OUTCOME|LEARNING)\b/g;

/** A server message about a plan with value spellings in plain words ("set its status to Cancelled"). */
export function planWords(message: string): string {
  return message.replace(SPELLINGS, (v) => label(v));
}

/** The roles that may open and change plans (server/src/access/mutation-roles.ts, INTELLIGENCE). */
export const PLAN_ROLES: readonly string[] = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR'];
