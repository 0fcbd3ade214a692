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
