import type { NodeFetchers } from '../../graphql/node';
import { DeconflictionInterestResolver, DeconflictionMatchResolver, DeconflictionResolver, NominalIdentifiersResolver, ReportIdentifiersResolver } from './deconfliction.resolver';
import { interestsByIds } from './deconfliction.service';

/** Deconfliction: hit / no hit on people, phone numbers, vehicles and addresses held across organisations. */
export const deconflictionModule = {
  entities: [],
  resolvers: [DeconflictionResolver, DeconflictionMatchResolver, DeconflictionInterestResolver, NominalIdentifiersResolver, ReportIdentifiersResolver],
  nodes: {
    DeconflictionInterest: (ctx, ids) => interestsByIds(ctx, ids),
  } satisfies NodeFetchers,
} as const;
