import type { ThreatPageQuery } from '../../gql/graphql';

/** The threat as the threat page reads it. */
export type ThreatDetail = Extract<NonNullable<ThreatPageQuery['node']>, { __typename: 'SocThreat' }>;
