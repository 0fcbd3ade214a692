import { graphql } from '../../gql';

export const AssessmentModelDocument = graphql(`
  query AssessmentModelInForce {
    assessmentModel {
      version
      definition
      note
    }
  }
`);

export const AssessmentFields = graphql(`
  fragment AssessmentFields on ThreatAssessment {
    id
    status
    version
    statusReason
    decidedAt
    createdAt
    modelVersion
    method
    confidence
    rationale
    reviewDue
    harm {
      physical
      psychological
      financial
      communityEnvironment
      geographicScope
    }
    likelihood {
      victimVulnerability
      frequency
      trajectory
    }
    organisationalPosition {
      capacity
      capability
      opportunity
    }
    harmScore
    likelihoodScore
    organisationalPositionScore
    riskScore
    priority
    assessedBy {
      id
      displayName
    }
    decidedBy {
      id
      displayName
    }
    criminalActivity {
      id
      category
      subCategory
      description
    }
    threat {
      id
    }
  }
`);

export const CreateAssessmentDocument = graphql(`
  mutation CreateAssessment($input: CreateAssessmentInput!) {
    createAssessment(input: $input) {
      ...AssessmentFields
    }
  }
`);

export const ReviseAssessmentDocument = graphql(`
  mutation ReviseAssessment($input: ReviseAssessmentInput!) {
    reviseAssessment(input: $input) {
      ...AssessmentFields
    }
  }
`);

export const SubmitAssessmentDocument = graphql(`
  mutation SubmitAssessment($input: AssessmentDecisionInput!) {
    submitAssessment(input: $input) {
      ...AssessmentFields
    }
  }
`);

export const ApproveAssessmentDocument = graphql(`
  mutation ApproveAssessment($input: AssessmentDecisionInput!) {
    approveAssessment(input: $input) {
      ...AssessmentFields
    }
  }
`);

export const ReturnAssessmentDocument = graphql(`
  mutation ReturnAssessment($input: AssessmentDecisionInput!) {
    returnAssessment(input: $input) {
      ...AssessmentFields
    }
  }
`);
