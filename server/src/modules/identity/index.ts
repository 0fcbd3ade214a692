import { IdentityResolver } from './identity.resolver';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

export const identityModule = {
  entities: [Organisation, User],
  resolvers: [IdentityResolver],
} as const;
