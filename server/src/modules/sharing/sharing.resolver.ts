import { Arg, Args, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { ConnectionType, SortDirection, paginate, type OrderTerm } from '../../graphql/connection';
import { BadUserInputError } from '../../graphql/errors';
import { requireGlobalId } from '../../graphql/global-id';
import { historyLoader, RecordVersion } from '../../shared/shared-record';
import { organisationLoader, userLoader } from '../identity/identity.loaders';
import { Organisation } from '../identity/organisation.entity';
import { User } from '../identity/user.entity';
import { AgreementOrderField } from './sharing.enums';
import {
  AgreementStatusInput,
  CreateSharingAgreementInput,
  SetAccessRoleGrantsInput,
  SharingAgreementsArgs,
  SuspendSharingAgreementInput,
  UpdateSharingAgreementInput,
  type AgreementFilter,
} from './sharing.inputs';
import { sharingLoaders } from './sharing.loaders';
import { agreementQuery, mapAgreement, type AgreementCriteria } from './sharing.repository';
import * as sharing from './sharing.service';
import { AccessRoleGrant, InformationSharingAgreement } from './sharing.types';

@ObjectType()
export class InformationSharingAgreementConnection extends ConnectionType(InformationSharingAgreement) {}

function agreementCriteria(filter: AgreementFilter | null | undefined): AgreementCriteria {
  if (!filter) return {};
  if (filter.expiringWithinDays != null && filter.expiringWithinDays < 0) {
    throw new BadUserInputError([{ field: 'filter.expiringWithinDays', message: 'must be 0 or more' }]);
  }
  return {
    statuses: filter.status ?? undefined,
    organisationIds: filter.organisationIds?.map((g, i) => requireGlobalId(g, 'Organisation', `filter.organisationIds[${i}]`)),
    dataCategory: filter.dataCategory ?? undefined,
    inForce: filter.inForce ?? undefined,
    expiringWithinDays: filter.expiringWithinDays ?? undefined,
  };
}

const ORDER_COLUMNS: Record<AgreementOrderField, string> = {
  TITLE: 'lower(a.title)',
  EFFECTIVE_FROM: 'a.effective_from',
  EXPIRES_ON: 'a.expires_on',
  UPDATED_AT: 'a.updated_at',
};

function agreementOrder(args: SharingAgreementsArgs): OrderTerm[] {
  const requested = args.orderBy?.length ? args.orderBy : [{ field: AgreementOrderField.EXPIRES_ON, direction: SortDirection.ASC }];
  return [...requested.map((o) => ({ column: ORDER_COLUMNS[o.field], direction: o.direction })), { column: 'a.id', direction: SortDirection.ASC }];
}

@Resolver(() => InformationSharingAgreement)
export class SharingAgreementResolver {
  @Query(() => InformationSharingAgreementConnection, {
    description: 'Information sharing agreements: administrators and auditors see all; anyone else those their organisation is party to.',
  })
  sharingAgreements(@Args(() => SharingAgreementsArgs) args: SharingAgreementsArgs, @Ctx() ctx: RequestContext) {
    return paginate(agreementQuery(ctx.db.knex, sharing.agreementScope(ctx), agreementCriteria(args.filter)), args, agreementOrder(args), mapAgreement);
  }

  @FieldResolver(() => [Organisation])
  async parties(@Root() a: InformationSharingAgreement, @Ctx() ctx: RequestContext) {
    return (await organisationLoader(ctx).loadMany(a.partyIds)).filter((o) => o && !(o instanceof Error));
  }

  @FieldResolver(() => User, { nullable: true, description: 'Null for agreements loaded before the platform recorded authors.' })
  createdBy(@Root() a: InformationSharingAgreement, @Ctx() ctx: RequestContext) {
    return a.createdById ? userLoader(ctx).load(a.createdById) : null;
  }

  @FieldResolver(() => User, { nullable: true })
  updatedBy(@Root() a: InformationSharingAgreement, @Ctx() ctx: RequestContext) {
    return a.updatedById ? userLoader(ctx).load(a.updatedById) : null;
  }

  @FieldResolver(() => [RecordVersion], { description: 'Every change to this agreement, oldest first.' })
  history(@Root() a: InformationSharingAgreement, @Ctx() ctx: RequestContext) {
    return historyLoader(ctx).load(a.dbId);
  }

  @Mutation(() => InformationSharingAgreement, { description: 'Creates an agreement, DRAFT or ACTIVE. Administrators only.' })
  createSharingAgreement(@Arg('input', () => CreateSharingAgreementInput) input: CreateSharingAgreementInput, @Ctx() ctx: RequestContext) {
    return sharing.createAgreement(ctx, input);
  }

  @Mutation(() => InformationSharingAgreement, { description: 'Changes a DRAFT agreement, or extends an ACTIVE one. Administrators only.' })
  updateSharingAgreement(@Arg('input', () => UpdateSharingAgreementInput) input: UpdateSharingAgreementInput, @Ctx() ctx: RequestContext) {
    return sharing.updateAgreement(ctx, input);
  }

  @Mutation(() => InformationSharingAgreement, { description: 'DRAFT → ACTIVE. Administrators only.' })
  activateSharingAgreement(@Arg('input', () => AgreementStatusInput) input: AgreementStatusInput, @Ctx() ctx: RequestContext) {
    return sharing.activateAgreement(ctx, input);
  }

  @Mutation(() => InformationSharingAgreement, { description: 'ACTIVE → SUSPENDED: sharing under it stops at once. Administrators only.' })
  suspendSharingAgreement(@Arg('input', () => SuspendSharingAgreementInput) input: SuspendSharingAgreementInput, @Ctx() ctx: RequestContext) {
    return sharing.suspendAgreement(ctx, input);
  }

  @Mutation(() => InformationSharingAgreement, { description: 'SUSPENDED → ACTIVE: sharing resumes at once. Administrators only.' })
  reinstateSharingAgreement(@Arg('input', () => AgreementStatusInput) input: AgreementStatusInput, @Ctx() ctx: RequestContext) {
    return sharing.reinstateAgreement(ctx, input);
  }

  @Mutation(() => InformationSharingAgreement, { description: 'ACTIVE or SUSPENDED → EXPIRED: ends it now, for good. Administrators only.' })
  expireSharingAgreement(@Arg('input', () => AgreementStatusInput) input: AgreementStatusInput, @Ctx() ctx: RequestContext) {
    return sharing.expireAgreement(ctx, input);
  }
}

@Resolver(() => AccessRoleGrant)
export class AccessRoleGrantResolver {
  @Query(() => [AccessRoleGrant], { description: 'Which roles may read each kind of record (the default policy). Administrators and auditors.' })
  accessRoleGrants(@Ctx() ctx: RequestContext) {
    return sharing.accessRoleGrants(ctx);
  }

  @Mutation(() => AccessRoleGrant, { description: 'Sets the roles that may read one kind of record; effective at once. Administrators only.' })
  setAccessRoleGrants(@Arg('input', () => SetAccessRoleGrantsInput) input: SetAccessRoleGrantsInput, @Ctx() ctx: RequestContext) {
    return sharing.setAccessRoleGrants(ctx, input);
  }
}
