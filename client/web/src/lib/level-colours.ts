import type { DisruptionLevel } from '../gql/graphql';

/**
 * One colour per national disruption level, for charts: each at least 3:1 against white (WCAG
 * 1.4.11 for graphics); legends, titles and tables carry the meaning as well.
 */
export const levelColour: Record<DisruptionLevel, string> = {
  MAJOR: '#12263f',
  MODERATE: '#1d5fa8',
  MINOR: '#3d85c6',
  NONE: '#767676',
  NEGATIVE: '#9b1c1c',
};
