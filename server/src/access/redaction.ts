import type { Knex } from '@mikro-orm/postgresql';
import { Field, ObjectType } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import type { ReadScope } from './read-scope';
import {
  NARROWED_FOR_PARTNERS,
  PARTNER_WITHHELD,
  partShownIn,
  rowProperty,
  type ListedPartRow,
  type ListedPartTable,
  type ListedPartType,
  type WITHHELD_FROM_PARTNERS,
} from './catalogue';

/**
 * Field-level redaction: partner organisations (not law enforcement) see sanitised views
 * (docs/domain.md, "Access"): a threat's name, areas, exploitation types and LRO contact, but not
 * intelligence: assessments, grading, members, links, narrative, history. Withheld fields come
 * back as null and are listed, with the reason, in the record's `withheld`, so a client can show
 * "withheld: reason" rather than a blank that looks like "not recorded".
 */
@ObjectType({ description: 'A field this record has but you are not shown, and why.' })
export class WithheldField {
  @Field(() => String) field!: string;
  @Field(() => String) reason!: string;
}

/** What partners do not see, per GraphQL type and field, and the lists narrowed rather than nulled: the access catalogue. */
const NARROWED = NARROWED_FOR_PARTNERS;

/** A GraphQL type with fields withheld from partners (catalogue.ts, WITHHELD_FROM_PARTNERS). */
export type WithholdingType = keyof typeof WITHHELD_FROM_PARTNERS;
/** A field the catalogue withholds from partners on that type: a resolver naming any other does not compile. */
export type WithheldFieldOf<T extends WithholdingType> = Extract<keyof (typeof WITHHELD_FROM_PARTNERS)[T], string>;

/**
 * A record's owner, when it has one: an organisation is never shown a sanitised view of its own
 * records. For a part (a threat's criminal activity), its record's owner: the part is passed
 * carrying it, since a part with no owner given is sanitised for every partner, its owner included.
 */
export interface Owned {
  owningOrganisationId?: string;
}

/** Whether the caller sees a sanitised view: an organisation that is not law enforcement, of someone else's record. */
function seesSanitised(ctx: RequestContext, record?: Owned): boolean {
  return !ctx.access.caller.isLawEnforcement && record?.owningOrganisationId !== ctx.access.caller.organisationId;
}

/**
 * Where-clause, the same decision in SQL: the caller sees every field of the record under `alias`
 * (law enforcement, or the record's own organisation). A search or filter over a field that may
 * be withheld must hold only where this does, so that what a partner finds, and in what order,
 * never depends on what is withheld from them: a search by a withheld alias would otherwise tell
 * the partner the alias.
 */
export function seesWithheldFields({ caller }: ReadScope, alias: string) {
  return (w: Knex.QueryBuilder) => (caller.isLawEnforcement ? w.whereRaw('true') : w.where(`${alias}.owning_organisation_id`, caller.organisationId));
}

/** Where-clause: the caller is shown the plan action under `alias` of the plan under `planAlias` (partners: their own). */
export function seesAction(scope: ReadScope, alias: string, planAlias: string) {
  const { caller } = scope;
  return (w: Knex.QueryBuilder) => w.where(seesWithheldFields(scope, planAlias)).orWhere(`${alias}.owner_organisation_id`, caller.organisationId);
}

/**
 * Where-clause, node(id)'s decision for a part in SQL: the caller is shown the part under `alias`
 * of the record under `parentAlias`. Not shown: a part listed in a field withheld from the caller
 * (a threat's members and assessments, a plan's intelligence gaps, for partners) and, in a list
 * narrowed to the caller's own items (a plan's actions), another organisation's. A mutation or an
 * input naming such a part finds it missing, as one that does not exist (access/references.ts),
 * rather than FORBIDDEN, which would tell a partner it is there. Where the part is listed is the
 * catalogue's (`listedIn`), which showsPart, the same decision in memory, reads too.
 */
export function seesPart(scope: ReadScope, table: ListedPartTable, alias: string, parentAlias: string) {
  const { caller } = scope;
  const { parentType, listing } = partShownIn(table);
  const shownWhole = seesWithheldFields(scope, parentAlias);
  const shownIn = (field: string) => (w: Knex.QueryBuilder) => {
    const key = `${parentType}.${field}`;
    if (NARROWED.has(key)) return w.where(shownWhole).orWhere(`${alias}.${listing.itemOwnerColumn}`, caller.organisationId);
    if (field in (PARTNER_WITHHELD[parentType] ?? {})) return w.where(shownWhole);
    return w.whereRaw('true');
  };
  return (w: Knex.QueryBuilder) =>
    w.where((any) => {
      for (const { field, kind } of listing.fields) any.orWhere((one) => (kind ? one.where(`${alias}.${listing.kindColumn}`, kind).where(shownIn(field)) : one.where(shownIn(field))));
    });
}

/**
 * seesPart's decision in memory, for a part loaded by ID (graphql/node.ts, childFetcher): whether
 * the caller is shown `part`, of type `typename`, on `parent` (already known readable). The part
 * carries the columns its listing names (catalogue.ts, ListedPartRow).
 */
export function showsPart<T extends ListedPartType>(ctx: RequestContext, typename: T, part: ListedPartRow<T>, parent: Owned): boolean {
  const { parentType, listing } = partShownIn(typename);
  const value = (column: string | undefined) => (column ? (part as Record<string, unknown>)[rowProperty(column)] : undefined);
  const field = listing.fields.find((f) => !f.kind || f.kind === value(listing.kindColumn))?.field;
  if (!field) return false;
  if (isWithheldByName(ctx, parentType, field, parent)) return false;
  return !isNarrowedByName(ctx, parentType, field, parent) || value(listing.itemOwnerColumn) === ctx.access.caller.organisationId;
}

/** The fields of `typename` withheld from the caller, with reasons (empty for police and for one's own records). */
export function withheldFields(ctx: RequestContext, typename: string, record?: Owned): WithheldField[] {
  return seesSanitised(ctx, record) ? withheldFromPartners(typename) : [];
}

/** Whether the field is withheld from the caller (null to them). */
export function isWithheld<T extends WithholdingType>(ctx: RequestContext, typename: T, field: WithheldFieldOf<T>, record?: Owned): boolean {
  return isWithheldByName(ctx, typename, field, record);
}

/** isWithheld, for generic code that learns the type and field only at run time (node.ts, shared-record.ts). */
export function isWithheldByName(ctx: RequestContext, typename: string, field: string, record?: Owned): boolean {
  return seesSanitised(ctx, record) && nulledForPartners(typename, field);
}

/** Whether a list is narrowed to the caller's own organisation's items (partners). */
export function isNarrowed<T extends WithholdingType>(ctx: RequestContext, typename: T, field: WithheldFieldOf<T>, record?: Owned): boolean {
  return isNarrowedByName(ctx, typename, field, record);
}

/** isNarrowed, for generic code that learns the type and field only at run time. */
export function isNarrowedByName(ctx: RequestContext, typename: string, field: string, record?: Owned): boolean {
  return seesSanitised(ctx, record) && NARROWED.has(`${typename}.${field}`);
}

/** The value, or null when the field is withheld from the caller. */
export function unlessWithheld<T extends WithholdingType, V>(ctx: RequestContext, typename: T, field: WithheldFieldOf<T>, value: () => V, record?: Owned): V | null {
  return unlessWithheldByName(ctx, typename, field, value, record);
}

/** unlessWithheld, for generic code that learns the type and field only at run time. */
export function unlessWithheldByName<V>(ctx: RequestContext, typename: string, field: string, value: () => V, record?: Owned): V | null {
  return isWithheldByName(ctx, typename, field, record) ? null : value();
}

/**
 * seesSanitised's decision as a SQL condition, for statements that build answers in PostgreSQL
 * (graphql/compiled-answer.ts): true where the caller sees every field of a record whose owner
 * (for a part, its record's owner) is `ownerSql`. `bind` places the caller's organisation.
 */
export function seesWholeSql({ caller }: ReadScope, ownerSql: string, bind: (value: unknown) => string): string {
  return caller.isLawEnforcement ? 'true' : `(${ownerSql} = ${bind(caller.organisationId)}::uuid)`;
}

/** What withheldFields lists for a sanitised view of `typename`, in its order: the same catalogue. */
export function withheldFromPartners(typename: string): WithheldField[] {
  return Object.entries(PARTNER_WITHHELD[typename] ?? {}).map(([field, reason]) => ({ field, reason }));
}

/** Whether a field of `typename` is nulled for a sanitised view (withheld, and not a narrowed list). */
export function nulledForPartners(typename: string, field: string): boolean {
  return field in (PARTNER_WITHHELD[typename] ?? {}) && !NARROWED.has(`${typename}.${field}`);
}
