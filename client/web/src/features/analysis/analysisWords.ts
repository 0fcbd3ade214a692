import type { AnalyticalProduct, AnalyticalRequestPriority, AnalyticalRequestStatus, DeclineReason } from '../../gql/graphql';
import type { Viewer } from '../auth/viewer';

/** Analytical requests in the words the unit uses. */
export const productWords: Record<AnalyticalProduct, string> = {
  PROFILE: 'Profile',
  NETWORK_CHART: 'Network chart',
  PROBLEM_PROFILE: 'Problem profile',
  TACTICAL_ASSESSMENT: 'Tactical assessment',
};

export const priorityWords: Record<AnalyticalRequestPriority, string> = { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };

export const statusWords: Record<AnalyticalRequestStatus, string> = {
  REQUESTED: 'Waiting for a decision',
  ACCEPTED: 'Accepted',
  IN_PROGRESS: 'In progress',
  DELIVERED: 'Delivered',
  DECLINED: 'Declined',
};

export const declineWords: Record<DeclineReason, string> = {
  LACK_OF_CAPACITY: 'No analyst free in time (lack of capacity)',
  OUT_OF_SCOPE: 'Not work for the regional unit',
  INSUFFICIENT_INFORMATION: 'Too little to work from',
  DUPLICATE: 'Already asked for or produced',
};

/** The roles that may request analysis (server/src/access/mutation-roles.ts, ANALYSIS_REQUESTERS), law enforcement only. */
const REQUESTERS = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR'];
export const mayRequestAnalysis = (viewer: Viewer) => viewer.organisation.isLawEnforcement && viewer.roles.some((r) => REQUESTERS.includes(r));

/** The regional unit's intelligence managers (analytical-request.moves.ts, isRegionalManager): the home panel is theirs. */
export const isRegionalManager = (viewer: Viewer) => viewer.organisation.type === 'ROCU' && viewer.roles.includes('OCG_COORDINATOR');

/** API spellings in the server's messages, in words. */
export function analysisWords(message: string): string {
  return message.replace(/\bOFFICIAL_SENSITIVE\b/g, 'official sensitive').replace(/\bOFFICIAL\b/g, 'official').replace(/\bSECRET\b/g, 'secret');
}
