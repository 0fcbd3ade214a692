import { GraphQLJSON } from 'graphql-scalars';
import { Ctx, Field, FieldResolver, Int, InterfaceType, ObjectType, Resolver, Root, registerEnumType, type ClassType } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { groupByKey } from '../graphql/loaders';
import { Node } from '../graphql/node';
import { ProtectiveMarking } from '../modules/identity/identity.enums';
import { Organisation } from '../modules/identity/organisation.entity';
import { User } from '../modules/identity/user.entity';
import { organisationLoader, userLoader } from '../modules/identity/identity.loaders';
import { Sharing } from './sharing';
import { unlessWithheldByName } from '../access/redaction';
import { asDate } from './sql';
import { historyAsItWas } from './history-as-it-was';

/**
 * Fields every shared record has (docs/domain.md): owner, marking, sharing, who made and changed it,
 * and its version for optimistic concurrency. Related objects load through request loaders.
 */
@InterfaceType({
  implements: Node,
  description: 'A record shared between organisations: owner, marking, sharing, authorship and version.',
  resolveType: (value: { __typename?: string }) => value.__typename,
})
export abstract class SharedRecord extends Node {
  /** Database id; `id` is the global one. */
  dbId!: string;
  owningOrganisationId!: string;
  sharedWithIds!: string[];
  createdById!: string;
  updatedById!: string;

  @Field(() => ProtectiveMarking)
  protectiveMarking!: ProtectiveMarking;

  @Field(() => Sharing)
  sharing!: Sharing;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date)
  updatedAt!: Date;

  @Field(() => Int, { description: 'Increases with every change; send it back as expectedVersion.' })
  version!: number;
}

/** The shared columns, selected under the names the row mapper expects. */
export function sharedColumns(alias: string): string[] {
  return [
    `${alias}.id`,
    `${alias}.owning_organisation_id`,
    `${alias}.protective_marking`,
    `${alias}.sharing`,
    `${alias}.shared_with`,
    `${alias}.created_by`,
    `${alias}.created_at`,
    `${alias}.updated_by`,
    `${alias}.updated_at`,
    `${alias}.version`,
  ];
}

/**
 * Maps the shared columns of a row (see {@link sharedColumns}). Mappers add their own fields
 * with `Object.assign(mapShared(...), { ... })`: spreading it into a new literal measured about
 * ten times slower (some 25 µs a row, 3% of the server's CPU on a page of threats).
 */
export function mapShared(typename: string, toGlobal: (id: string) => string, row: Record<string, any>) {
  return {
    __typename: typename,
    id: toGlobal(row.id),
    dbId: row.id as string,
    owningOrganisationId: row.owning_organisation_id as string,
    protectiveMarking: row.protective_marking as ProtectiveMarking,
    sharing: row.sharing as Sharing,
    sharedWithIds: (row.shared_with ?? []) as string[],
    createdById: row.created_by as string,
    createdAt: asDate(row.created_at as string),
    updatedById: row.updated_by as string,
    updatedAt: asDate(row.updated_at as string),
    version: row.version as number,
  };
}

export enum HistoryAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
}
registerEnumType(HistoryAction, { name: 'HistoryAction' });

@ObjectType({ description: 'One field as it was before and after a change.' })
export class FieldChange {
  @Field(() => String) field!: string;
  @Field(() => GraphQLJSON, { nullable: true }) from!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) to!: unknown;
}

@ObjectType({ description: 'One change to a record or to one of its parts (an activity, an action, ...).' })
export class RecordVersion {
  actorId!: string | null;

  @Field(() => Int, { nullable: true, description: "The record's version after the change; null for changes to a part." })
  version!: number | null;

  @Field(() => Date) at!: Date;
  @Field(() => HistoryAction) action!: HistoryAction;
  @Field(() => String, { nullable: true, description: 'Which part changed (e.g. criminalActivity), or null for the record itself.' })
  part!: string | null;
  @Field(() => String, { nullable: true }) partId!: string | null;
  @Field(() => [FieldChange]) changes!: FieldChange[];
}

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * A record's history, oldest first, loaded for a whole page of records at once. Record ids are
 * UUIDs, unique across tables, so one loader serves every kind of record (agreements too).
 */
export function historyLoader(ctx: RequestContext) {
  return ctx.loaders.get<string, RecordVersion[]>('history', async (ids) => {
    const rows = await ctx.db
      .knex('record_version')
      .select('record_id', 'version', 'at', 'action', 'part', 'part_id', 'changes', 'actor_id')
      .whereIn('record_id', ids as string[])
      .orderBy('id');
    const versions = rows.map((r) => ({
      recordId: r.record_id as string,
      actorId: r.actor_id,
      version: r.version,
      at: asDate(r.at),
      action: r.action,
      part: r.part,
      partId: r.part_id,
      changes: Object.entries(r.changes as Record<string, { from: unknown; to: unknown }>).map(([field, c]) => ({
        field: camel(field),
        from: c.from,
        to: c.to,
      })),
    }));
    return groupByKey(ids, versions, (v) => v.recordId);
  });
}

@Resolver(() => RecordVersion)
export class RecordVersionResolver {
  @FieldResolver(() => User, { nullable: true, description: 'Who made the change; null for system changes.' })
  actor(@Root() v: RecordVersion, @Ctx() ctx: RequestContext) {
    return v.actorId ? userLoader(ctx).load(v.actorId) : null;
  }
}

/**
 * Field resolvers every shared record type gets: extend it with
 * `@Resolver(() => Threat) class ThreatResolver extends SharedRecordResolver(Threat) {}`.
 */
export function SharedRecordResolver<T extends SharedRecord>(type: ClassType<T>) {
  @Resolver(() => type)
  abstract class SharedRecordResolverBase {
    @FieldResolver(() => Organisation)
    owningOrganisation(@Root() r: SharedRecord, @Ctx() ctx: RequestContext) {
      return organisationLoader(ctx).load(r.owningOrganisationId);
    }

    @FieldResolver(() => [Organisation], { description: 'The organisations named when sharing is NAMED_ORGANISATIONS.' })
    async sharedWith(@Root() r: SharedRecord, @Ctx() ctx: RequestContext) {
      return (await organisationLoader(ctx).loadMany(r.sharedWithIds)).filter((o) => o && !(o instanceof Error));
    }

    @FieldResolver(() => User)
    createdBy(@Root() r: SharedRecord, @Ctx() ctx: RequestContext) {
      return userLoader(ctx).load(r.createdById);
    }

    @FieldResolver(() => User)
    updatedBy(@Root() r: SharedRecord, @Ctx() ctx: RequestContext) {
      return userLoader(ctx).load(r.updatedById);
    }

    @FieldResolver(() => [RecordVersion], { nullable: true, description: 'Every change to this record and its parts, oldest first; null when withheld from you.' })
    history(@Root() r: SharedRecord, @Ctx() ctx: RequestContext) {
      return unlessWithheldByName(ctx, r.__typename ?? '', 'history', async () => historyAsItWas(ctx, { typename: r.__typename ?? '', owningOrganisationId: r.owningOrganisationId }, await historyLoader(ctx).load(r.dbId)), r);
    }
  }
  return SharedRecordResolverBase;
}
