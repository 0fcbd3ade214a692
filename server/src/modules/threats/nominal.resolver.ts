import { Arg, Args, Ctx, FieldResolver, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { ConnectionType, SortDirection, paginate } from '../../graphql/connection';
import { requireGlobalId } from '../../graphql/global-id';
import { SharedRecordResolver } from '../../shared/shared-record';
import { unlessWithheld, withheldFields, WithheldField } from '../../access/redaction';
import { CreateNominalInput, NominalsArgs, UpdateNominalInput } from './threat.inputs';
import { threatLoaders } from './threat.loaders';
import { mapNominal, nominalQuery } from './threat.repository';
import * as threats from './threat.service';
import { Membership, Nominal } from './threat.types';

@ObjectType()
export class NominalConnection extends ConnectionType(Nominal) {}

@Resolver(() => Nominal)
export class NominalResolver extends SharedRecordResolver(Nominal) {
  @Query(() => NominalConnection, { description: 'People known to the partnership, by name or alias.' })
  nominals(@Args(() => NominalsArgs) args: NominalsArgs, @Ctx() ctx: RequestContext) {
    const f = args.filter ?? {};
    const criteria = {
      text: f.text,
      isChild: f.isChild,
      owningOrganisationIds: f.owningOrganisationIds?.map((g, i) => requireGlobalId(g, 'Organisation', `filter.owningOrganisationIds[${i}]`)),
    };
    return paginate(nominalQuery(ctx.access, criteria), args, [
      { column: 'n.name', direction: SortDirection.ASC },
      { column: 'n.id', direction: SortDirection.ASC },
    ], mapNominal);
  }

  @FieldResolver(() => [Membership], { nullable: true, description: 'The threats this person is part of, and in what role.' })
  memberships(@Root() n: Nominal, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'Nominal', 'memberships', () => threatLoaders.membershipsOfNominal(ctx).load(n.dbId), n);
  }

  @FieldResolver(() => [WithheldField], { description: 'Fields you are not shown (null above), and why.' })
  withheld(@Root() n: Nominal, @Ctx() ctx: RequestContext) {
    return withheldFields(ctx, 'Nominal', n);
  }

  @FieldResolver(() => [String], { nullable: true })
  aliases(@Root() n: Nominal, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'Nominal', 'aliases', () => n.aliases, n);
  }

  @FieldResolver(() => [String], { nullable: true })
  vulnerabilityFlags(@Root() n: Nominal, @Ctx() ctx: RequestContext) {
    return unlessWithheld(ctx, 'Nominal', 'vulnerabilityFlags', () => n.vulnerabilityFlags, n);
  }

  @Mutation(() => Nominal)
  createNominal(@Arg('input', () => CreateNominalInput) input: CreateNominalInput, @Ctx() ctx: RequestContext) {
    return threats.createNominal(ctx, input);
  }

  @Mutation(() => Nominal)
  updateNominal(@Arg('input', () => UpdateNominalInput) input: UpdateNominalInput, @Ctx() ctx: RequestContext) {
    return threats.updateNominal(ctx, input);
  }
}
