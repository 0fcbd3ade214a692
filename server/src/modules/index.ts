import type { NonEmptyArray } from 'type-graphql';
import { createNodeResolver } from '../graphql/node.resolver';
import type { CompiledNodes, NodeFetchers } from '../graphql/node';
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
import { deconflictionModule } from './deconfliction';
import { analyticalRequestsModule } from './analytical-requests';
import { sharingModule } from './sharing';
import { reportingModule } from './reporting';
import { searchModule } from './search';
import { administrationModule } from './administration';
import { retentionModule } from './retention';
import { liveModule } from '../live';
import { addThreatsPrefetches } from './threats/threat.prefetch';
import { addCompiledThreatFields } from './threats/threat.compiled';

/** Every feature module, in one explicit list: no globs, no registration by import side effects. */
const featureModules = [identityModule, threatsModule, assessmentsModule, plansModule, disruptionsModule, referralsModule, practiceModule, intelligenceModule, deconflictionModule, analyticalRequestsModule, sharingModule, reportingModule, searchModule, administrationModule, retentionModule, liveModule];

export const allEntities = featureModules.flatMap((m) => [...m.entities]);

// What a page of threats fetches ahead for other modules' fields on a threat.
addThreatsPrefetches(featureModules.flatMap((m) => ('threatsPrefetches' in m ? [...m.threatsPrefetches] : [])));
// And the fields they hang on a threat, written in SQL for compiled answers.
for (const m of featureModules) if ('threatsCompiledFields' in m) addCompiledThreatFields(m.threatsCompiledFields);

/** How node(id) finds each type: merged from the modules. */
export const nodeFetchers: NodeFetchers = Object.assign({}, ...featureModules.map((m) => m.nodes));

/** The types whose node(id) a compiled statement answers where it can, merged from the modules. */
const compiledNodes: CompiledNodes = Object.assign({}, ...featureModules.map((m) => ('compiledNodes' in m ? m.compiledNodes : {})));

export const allResolvers = [
  ...featureModules.flatMap((m) => [...m.resolvers]),
  RecordVersionResolver,
  AccessResolver,
  createNodeResolver(nodeFetchers, compiledNodes),
] as unknown as NonEmptyArray<Function>;
