import { ApiKeyAdministrationResolver, UserAdministrationResolver } from './administration.resolver';

/** Administration of user accounts and API keys (for the organisations an administrator administers). */
export const administrationModule = {
  entities: [],
  resolvers: [UserAdministrationResolver, ApiKeyAdministrationResolver],
  nodes: {},
} as const;
