import { graphql } from '../../gql';

/** Everything the plan editor shows; every plan mutation returns it, so the cache and the gate refresh. */
export const PlanEditorFields = graphql(`
  fragment PlanEditorFields on FourPPlan {
    id
    version
    status
    nextReviewDue
    reviewFrequencyDays
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
