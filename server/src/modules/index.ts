import type { NonEmptyArray } from 'type-graphql';
import { createNodeResolver } from '../graphql/node.resolver';
import type { NodeFetchers } from '../graphql/node';
import { RecordVersionResolver } from '../shared/shared-record';
import { AccessResolver } from '../access/access.resolver';
import { assessmentsModule } from './assessments';
import { identityModule } from './identity';
import { threatsModule } from './threats';
import { plansModule } from './plans';
import { disruptionsModule } from './disruptions';
import { referralsModule } from './referrals';
import { practiceModule } from './practice';
import { intelligenceModule } from './intelligence';
import { sharingModule } from './sharing';
import { reportingModule } from './reporting';
import { searchModule } from './search';
import { administrationModule } from './administration';
import { liveModule } from '../live';

/** Every feature module, in one explicit list: no globs, no registration by import side effects. */
const featureModules = [identityModule, threatsModule, assessmentsModule, plansModule, disruptionsModule, referralsModule, practiceModule, intelligenceModule, sharingModule, reportingModule, searchModule, administrationModule, liveModule];

export const allEntities = featureModules.flatMap((m) => [...m.entities]);

/** How node(id) finds each type: merged from the modules. */
export const nodeFetchers: NodeFetchers = Object.assign({}, ...featureModules.map((m) => m.nodes));

export const allResolvers = [
  ...featureModules.flatMap((m) => [...m.resolvers]),
  RecordVersionResolver,
  AccessResolver,
  createNodeResolver(nodeFetchers),
] as unknown as NonEmptyArray<Function>;
