import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { organisationLoader, userLoader } from '../modules/identity/identity.loaders';
import { Organisation } from '../modules/identity/organisation.entity';
import { User } from '../modules/identity/user.entity';
import { auditEvents, verifyAuditChain } from './audit.service';
import { AuditChainVerification, AuditEvent, AuditEventConnection, AuditEventsArgs } from './audit.types';

@Resolver(() => AuditEvent)
export class AuditEventResolver {
  @Query(() => AuditEventConnection, {
    description: "The audit trail, newest first (auditors only): a regional unit's auditor sees the region's events, others their own organisation's.",
  })
  auditEvents(@Args(() => AuditEventsArgs) args: AuditEventsArgs, @Ctx() ctx: RequestContext) {
    return auditEvents(ctx, args);
  }

  @Query(() => AuditChainVerification, { description: 'Recomputes the hash chain over the whole trail (auditors only).' })
  verifyAuditChain(@Ctx() ctx: RequestContext) {
    return verifyAuditChain(ctx);
  }

  @FieldResolver(() => User)
  user(@Root() e: AuditEvent, @Ctx() ctx: RequestContext) {
    return userLoader(ctx).load(e.userId);
  }

  @FieldResolver(() => Organisation)
  organisation(@Root() e: AuditEvent, @Ctx() ctx: RequestContext) {
    return organisationLoader(ctx).load(e.organisationId);
  }
}
