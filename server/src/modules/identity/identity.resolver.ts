import { Ctx, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { User } from './user.entity';

@Resolver()
export class IdentityResolver {
  @Query(() => User, { description: 'The signed-in user: who they are, their organisation, roles and clearance.' })
  viewer(@Ctx() ctx: RequestContext): User {
    return ctx.viewer;
  }
}
