import type { NonEmptyArray } from 'type-graphql';
import { identityModule } from './identity';

/** Every feature module, in one explicit list: no globs, no registration by import side effects. */
const featureModules = [identityModule];

export const allEntities = featureModules.flatMap((m) => [...m.entities]);
export const allResolvers = featureModules.flatMap((m) => [...m.resolvers]) as unknown as NonEmptyArray<Function>;
