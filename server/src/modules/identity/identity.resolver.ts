import { Args, ArgsType, Ctx, Field, InputType, ObjectType, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { ConnectionArgs, ConnectionType, SortDirection, paginate } from '../../graphql/connection';
import { containsPattern } from '../../shared/sql';
import { OrganisationType } from './identity.enums';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

@ObjectType()
export class OrganisationConnection extends ConnectionType(Organisation) {}

@InputType()
export class OrganisationFilter {
  @Field(() => [OrganisationType], { nullable: true }) type?: OrganisationType[];
  @Field(() => Boolean, { nullable: true }) isLawEnforcement?: boolean;
  @Field(() => String, { nullable: true, description: 'Words in the code or name.' }) text?: string;
}

@ArgsType()
export class OrganisationsArgs extends ConnectionArgs {
  @Field(() => OrganisationFilter, { nullable: true }) filter?: OrganisationFilter | null;
}

@Resolver()
export class IdentityResolver {
  @Query(() => User, { description: 'The signed-in user: who they are, their organisation, roles and clearance.' })
  viewer(@Ctx() ctx: RequestContext): User {
    return ctx.viewer;
  }

  @Query(() => OrganisationConnection, { description: 'The organisations of the partnership, by code.' })
  organisations(@Args(() => OrganisationsArgs) args: OrganisationsArgs, @Ctx() ctx: RequestContext) {
    const f = args.filter ?? {};
    const q = ctx.db.knex('organisation as o').select('o.id', 'o.code', 'o.name', 'o.type', 'o.region', 'o.is_law_enforcement');
    if (f.type?.length) q.whereIn('o.type', f.type);
    if (f.isLawEnforcement != null) q.where('o.is_law_enforcement', f.isLawEnforcement);
    if (f.text?.trim()) q.where((w) => w.whereILike('o.code', containsPattern(f.text!.trim())).orWhereILike('o.name', containsPattern(f.text!.trim())));
    return paginate(q, args, [
      { column: 'o.code', direction: SortDirection.ASC },
      { column: 'o.id', direction: SortDirection.ASC },
    ], toOrganisation);
  }
}

/** A plain row as an Organisation (the class supplies the global ID). */
export function toOrganisation(row: Record<string, any>): Organisation {
  return Object.assign(new Organisation(), {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    region: row.region,
    isLawEnforcement: row.is_law_enforcement,
  });
}

