/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query DisruptionsByForceByQuarter($from: LocalDate, $to: LocalDate, $orgIds: [ID!]) {\n  disruptionStats(\n    filter: {from: $from, to: $to, organisationIds: $orgIds}\n    groupBy: [ORGANISATION, FISCAL_YEAR, QUARTER]\n  ) {\n    rows {\n      organisation {\n        code\n      }\n      fiscalYear\n      quarter\n      countingCount\n      count\n      lateCount\n    }\n  }\n}": typeof types.DisruptionsByForceByQuarterDocument,
    "query DisruptionsExport($from: LocalDate, $to: LocalDate, $orgIds: [ID!], $first: Int, $after: String) {\n  disruptions(\n    first: $first\n    after: $after\n    filter: {dateFrom: $from, dateTo: $to, claimingOrganisationIds: $orgIds}\n    orderBy: [{field: DATE, direction: ASC}]\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        date\n        status\n        countsAsDisruption\n        claimingOrganisation {\n          code\n        }\n        contributors {\n          code\n        }\n        threat {\n          urn\n          name\n        }\n        strand\n        level\n        tactic\n        validation {\n          levelAgreed\n          strandAgreed\n          decision\n          at\n        }\n        isLate\n        submittedAt\n        description\n        impactNarrative\n        evidenceRefs\n        protectiveMarking\n      }\n    }\n  }\n}": typeof types.DisruptionsExportDocument,
    "query PlanQuality {\n  planStats {\n    adoptedThreats\n    withPlanInForce\n    withPlanInForceAndLro\n    plansChecked\n    plansFailingGate\n    gateFailures {\n      problem\n      plans\n    }\n    actionsByOwner {\n      organisation {\n        code\n      }\n      open\n      overdue\n    }\n  }\n}": typeof types.PlanQualityDocument,
    "query ReferralTimeliness($from: LocalDate, $to: LocalDate) {\n  referralStats(\n    filter: {from: $from, to: $to}\n    groupBy: [REFERRAL_TYPE, RECEIVING_ORGANISATION, FISCAL_YEAR, QUARTER]\n  ) {\n    acknowledgementByUrgency {\n      urgency\n      targetHours\n      referrals\n      acknowledged\n      acknowledgedWithinTarget\n      awaitingAcknowledgement\n      overdue\n    }\n    rows {\n      referralType\n      receivingOrganisation {\n        code\n      }\n      fiscalYear\n      quarter\n      count\n      acknowledged\n      acknowledgedWithinTarget\n      awaitingAcknowledgement\n      overdue\n    }\n    outcomes {\n      outcome\n      count\n    }\n  }\n}": typeof types.ReferralTimelinessDocument,
    "query ThreatPicture($orgIds: [ID!]) {\n  threatStats(\n    filter: {leadOrganisationIds: $orgIds, statuses: [TRIGGER_SUBMITTED, UNDER_ASSESSMENT, ASSESSED, ADOPTED, UNDER_REVIEW]}\n    groupBy: [SUBJECT_TYPE, PRIORITY_BAND, LEAD_ORGANISATION, CATEGORY]\n  ) {\n    total\n    rows {\n      subjectType\n      priority\n      leadOrganisation {\n        code\n      }\n      category\n      count\n    }\n  }\n}": typeof types.ThreatPictureDocument,
};
const documents: Documents = {
    "query DisruptionsByForceByQuarter($from: LocalDate, $to: LocalDate, $orgIds: [ID!]) {\n  disruptionStats(\n    filter: {from: $from, to: $to, organisationIds: $orgIds}\n    groupBy: [ORGANISATION, FISCAL_YEAR, QUARTER]\n  ) {\n    rows {\n      organisation {\n        code\n      }\n      fiscalYear\n      quarter\n      countingCount\n      count\n      lateCount\n    }\n  }\n}": types.DisruptionsByForceByQuarterDocument,
    "query DisruptionsExport($from: LocalDate, $to: LocalDate, $orgIds: [ID!], $first: Int, $after: String) {\n  disruptions(\n    first: $first\n    after: $after\n    filter: {dateFrom: $from, dateTo: $to, claimingOrganisationIds: $orgIds}\n    orderBy: [{field: DATE, direction: ASC}]\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        date\n        status\n        countsAsDisruption\n        claimingOrganisation {\n          code\n        }\n        contributors {\n          code\n        }\n        threat {\n          urn\n          name\n        }\n        strand\n        level\n        tactic\n        validation {\n          levelAgreed\n          strandAgreed\n          decision\n          at\n        }\n        isLate\n        submittedAt\n        description\n        impactNarrative\n        evidenceRefs\n        protectiveMarking\n      }\n    }\n  }\n}": types.DisruptionsExportDocument,
    "query PlanQuality {\n  planStats {\n    adoptedThreats\n    withPlanInForce\n    withPlanInForceAndLro\n    plansChecked\n    plansFailingGate\n    gateFailures {\n      problem\n      plans\n    }\n    actionsByOwner {\n      organisation {\n        code\n      }\n      open\n      overdue\n    }\n  }\n}": types.PlanQualityDocument,
    "query ReferralTimeliness($from: LocalDate, $to: LocalDate) {\n  referralStats(\n    filter: {from: $from, to: $to}\n    groupBy: [REFERRAL_TYPE, RECEIVING_ORGANISATION, FISCAL_YEAR, QUARTER]\n  ) {\n    acknowledgementByUrgency {\n      urgency\n      targetHours\n      referrals\n      acknowledged\n      acknowledgedWithinTarget\n      awaitingAcknowledgement\n      overdue\n    }\n    rows {\n      referralType\n      receivingOrganisation {\n        code\n      }\n      fiscalYear\n      quarter\n      count\n      acknowledged\n      acknowledgedWithinTarget\n      awaitingAcknowledgement\n      overdue\n    }\n    outcomes {\n      outcome\n      count\n    }\n  }\n}": types.ReferralTimelinessDocument,
    "query ThreatPicture($orgIds: [ID!]) {\n  threatStats(\n    filter: {leadOrganisationIds: $orgIds, statuses: [TRIGGER_SUBMITTED, UNDER_ASSESSMENT, ASSESSED, ADOPTED, UNDER_REVIEW]}\n    groupBy: [SUBJECT_TYPE, PRIORITY_BAND, LEAD_ORGANISATION, CATEGORY]\n  ) {\n    total\n    rows {\n      subjectType\n      priority\n      leadOrganisation {\n        code\n      }\n      category\n      count\n    }\n  }\n}": types.ThreatPictureDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DisruptionsByForceByQuarter($from: LocalDate, $to: LocalDate, $orgIds: [ID!]) {\n  disruptionStats(\n    filter: {from: $from, to: $to, organisationIds: $orgIds}\n    groupBy: [ORGANISATION, FISCAL_YEAR, QUARTER]\n  ) {\n    rows {\n      organisation {\n        code\n      }\n      fiscalYear\n      quarter\n      countingCount\n      count\n      lateCount\n    }\n  }\n}"): (typeof documents)["query DisruptionsByForceByQuarter($from: LocalDate, $to: LocalDate, $orgIds: [ID!]) {\n  disruptionStats(\n    filter: {from: $from, to: $to, organisationIds: $orgIds}\n    groupBy: [ORGANISATION, FISCAL_YEAR, QUARTER]\n  ) {\n    rows {\n      organisation {\n        code\n      }\n      fiscalYear\n      quarter\n      countingCount\n      count\n      lateCount\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query DisruptionsExport($from: LocalDate, $to: LocalDate, $orgIds: [ID!], $first: Int, $after: String) {\n  disruptions(\n    first: $first\n    after: $after\n    filter: {dateFrom: $from, dateTo: $to, claimingOrganisationIds: $orgIds}\n    orderBy: [{field: DATE, direction: ASC}]\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        date\n        status\n        countsAsDisruption\n        claimingOrganisation {\n          code\n        }\n        contributors {\n          code\n        }\n        threat {\n          urn\n          name\n        }\n        strand\n        level\n        tactic\n        validation {\n          levelAgreed\n          strandAgreed\n          decision\n          at\n        }\n        isLate\n        submittedAt\n        description\n        impactNarrative\n        evidenceRefs\n        protectiveMarking\n      }\n    }\n  }\n}"): (typeof documents)["query DisruptionsExport($from: LocalDate, $to: LocalDate, $orgIds: [ID!], $first: Int, $after: String) {\n  disruptions(\n    first: $first\n    after: $after\n    filter: {dateFrom: $from, dateTo: $to, claimingOrganisationIds: $orgIds}\n    orderBy: [{field: DATE, direction: ASC}]\n  ) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    edges {\n      node {\n        id\n        date\n        status\n        countsAsDisruption\n        claimingOrganisation {\n          code\n        }\n        contributors {\n          code\n        }\n        threat {\n          urn\n          name\n        }\n        strand\n        level\n        tactic\n        validation {\n          levelAgreed\n          strandAgreed\n          decision\n          at\n        }\n        isLate\n        submittedAt\n        description\n        impactNarrative\n        evidenceRefs\n        protectiveMarking\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query PlanQuality {\n  planStats {\n    adoptedThreats\n    withPlanInForce\n    withPlanInForceAndLro\n    plansChecked\n    plansFailingGate\n    gateFailures {\n      problem\n      plans\n    }\n    actionsByOwner {\n      organisation {\n        code\n      }\n      open\n      overdue\n    }\n  }\n}"): (typeof documents)["query PlanQuality {\n  planStats {\n    adoptedThreats\n    withPlanInForce\n    withPlanInForceAndLro\n    plansChecked\n    plansFailingGate\n    gateFailures {\n      problem\n      plans\n    }\n    actionsByOwner {\n      organisation {\n        code\n      }\n      open\n      overdue\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ReferralTimeliness($from: LocalDate, $to: LocalDate) {\n  referralStats(\n    filter: {from: $from, to: $to}\n    groupBy: [REFERRAL_TYPE, RECEIVING_ORGANISATION, FISCAL_YEAR, QUARTER]\n  ) {\n    acknowledgementByUrgency {\n      urgency\n      targetHours\n      referrals\n      acknowledged\n      acknowledgedWithinTarget\n      awaitingAcknowledgement\n      overdue\n    }\n    rows {\n      referralType\n      receivingOrganisation {\n        code\n      }\n      fiscalYear\n      quarter\n      count\n      acknowledged\n      acknowledgedWithinTarget\n      awaitingAcknowledgement\n      overdue\n    }\n    outcomes {\n      outcome\n      count\n    }\n  }\n}"): (typeof documents)["query ReferralTimeliness($from: LocalDate, $to: LocalDate) {\n  referralStats(\n    filter: {from: $from, to: $to}\n    groupBy: [REFERRAL_TYPE, RECEIVING_ORGANISATION, FISCAL_YEAR, QUARTER]\n  ) {\n    acknowledgementByUrgency {\n      urgency\n      targetHours\n      referrals\n      acknowledged\n      acknowledgedWithinTarget\n      awaitingAcknowledgement\n      overdue\n    }\n    rows {\n      referralType\n      receivingOrganisation {\n        code\n      }\n      fiscalYear\n      quarter\n      count\n      acknowledged\n      acknowledgedWithinTarget\n      awaitingAcknowledgement\n      overdue\n    }\n    outcomes {\n      outcome\n      count\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ThreatPicture($orgIds: [ID!]) {\n  threatStats(\n    filter: {leadOrganisationIds: $orgIds, statuses: [TRIGGER_SUBMITTED, UNDER_ASSESSMENT, ASSESSED, ADOPTED, UNDER_REVIEW]}\n    groupBy: [SUBJECT_TYPE, PRIORITY_BAND, LEAD_ORGANISATION, CATEGORY]\n  ) {\n    total\n    rows {\n      subjectType\n      priority\n      leadOrganisation {\n        code\n      }\n      category\n      count\n    }\n  }\n}"): (typeof documents)["query ThreatPicture($orgIds: [ID!]) {\n  threatStats(\n    filter: {leadOrganisationIds: $orgIds, statuses: [TRIGGER_SUBMITTED, UNDER_ASSESSMENT, ASSESSED, ADOPTED, UNDER_REVIEW]}\n    groupBy: [SUBJECT_TYPE, PRIORITY_BAND, LEAD_ORGANISATION, CATEGORY]\n  ) {\n    total\n    rows {\n      subjectType\n      priority\n      leadOrganisation {\n        code\n      }\n      category\n      count\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;