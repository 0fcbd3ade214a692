import { Arg, Args, Ctx, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { ConnectionType } from '../../graphql/connection';
import { User } from '../identity/user.entity';
import {
  ApiKeyFilter,
  ChangeUserClearanceInput,
  ChangeUserRolesInput,
  CreateApiKeyInput,
  CreateUserInput,
  DeactivateUserInput,
  RevokeApiKeyInput,
  UsersArgs,
} from './administration.inputs';
import { ApiKey, CreatedApiKey } from './administration.types';
import * as keys from './api-keys.service';
import * as users from './users.service';

@ObjectType()
export class UserConnection extends ConnectionType(User) {}

const SCOPE = 'of their own organisation, or, at the regional unit, of every organisation in its region';

@Resolver()
export class UserAdministrationResolver {
  @Query(() => UserConnection, { description: `User accounts (people, not service accounts) an administrator administers: those ${SCOPE}. Administrators only.` })
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() ctx: RequestContext) {
    return users.listUsers(ctx, args);
  }

  @Mutation(() => User, { description: 'Creates a person’s account. Administrators only.' })
  createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: RequestContext) {
    return users.createUser(ctx, input);
  }

  @Mutation(() => User, { description: 'Sets a user’s roles; effective from their next request (open live sessions are closed). Administrators only.' })
  changeUserRoles(@Arg('input', () => ChangeUserRolesInput) input: ChangeUserRolesInput, @Ctx() ctx: RequestContext) {
    return users.changeUserRoles(ctx, input);
  }

  @Mutation(() => User, { description: 'Sets a user’s clearance, at most the administrator’s own. Administrators only.' })
  changeUserClearance(@Arg('input', () => ChangeUserClearanceInput) input: ChangeUserClearanceInput, @Ctx() ctx: RequestContext) {
    return users.changeUserClearance(ctx, input);
  }

  @Mutation(() => User, { description: 'Deactivates an account at once: its requests are refused and open live sessions closed (4403). Administrators only.' })
  deactivateUser(@Arg('input', () => DeactivateUserInput) input: DeactivateUserInput, @Ctx() ctx: RequestContext) {
    return users.deactivateUser(ctx, input);
  }
}

@Resolver()
export class ApiKeyAdministrationResolver {
  @Query(() => [ApiKey], { description: `API keys ${SCOPE}, newest first: state, expiry and last use, never the secret. Administrators only.` })
  apiKeys(@Arg('filter', () => ApiKeyFilter, { nullable: true }) filter: ApiKeyFilter | null, @Ctx() ctx: RequestContext) {
    return keys.listApiKeys(ctx, filter);
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates a read-only reporting key; the answer holds the whole key, shown once. Administrators only.' })
  createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: RequestContext) {
    return keys.createApiKey(ctx, input);
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key: refused from its next request. Administrators only.' })
  revokeApiKey(@Arg('input', () => RevokeApiKeyInput) input: RevokeApiKeyInput, @Ctx() ctx: RequestContext) {
    return keys.revokeApiKey(ctx, input);
  }
}
