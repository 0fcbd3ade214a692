/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Government Security Classifications, lowest first. */
export type ProtectiveMarking =
  | 'OFFICIAL'
  | 'OFFICIAL_SENSITIVE'
  | 'SECRET'
  | 'TOP_SECRET';

export type Role =
  | 'ADMIN'
  | 'ANALYST'
  | 'AUDITOR'
  | 'DISRUPTION_VALIDATOR'
  | 'INTELLIGENCE_OFFICER'
  | 'INVESTIGATOR'
  | 'LRO'
  | 'OCG_COORDINATOR'
  | 'PARTNER_CONTRIBUTOR'
  | 'SAFEGUARDING_PRACTITIONER'
  | 'SRO'
  | 'THREAT_ASSESSOR';

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { username: string, displayName: string, roles: Array<Role>, clearance: ProtectiveMarking, organisation: { code: string, name: string } } };


export const ViewerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"viewer"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"displayName"}},{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"clearance"}},{"kind":"Field","name":{"kind":"Name","value":"organisation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<ViewerQuery, ViewerQueryVariables>;