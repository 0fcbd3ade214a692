import type { Knex } from '@mikro-orm/postgresql';
import { Field, ObjectType } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { boundCaller } from './policy';
import { NARROWED_FOR_PARTNERS, PARTNER_WITHHELD } from './catalogue';

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

/** A record's owner, when it has one: an organisation is never shown a sanitised view of its own records. */
export interface Owned {
  owningOrganisationId?: string;
}

/** Whether the caller sees a sanitised view: an organisation that is not law enforcement, of someone else's record. */
function seesSanitised(ctx: RequestContext, record?: Owned): boolean {
  return !ctx.access.caller.isLawEnforcement && record?.owningOrganisationId !== ctx.access.caller.organisationId;
}

/** The fields of `typename` withheld from the caller, with reasons (empty for police and for one's own records). */
/**
 * Where-clause, the same decision in SQL: the caller sees every field of the record under `alias`
 * (law enforcement, or the record's own organisation). A search or filter over a field that may
 * be withheld must hold only where this does, so that what a partner finds, and in what order,
 * never depends on what is withheld from them: a search by a withheld alias would otherwise tell
 * the partner the alias.
 */
export function seesWithheldFields(knex: Knex, alias: string) {
  const caller = boundCaller(knex);
  return (w: Knex.QueryBuilder) => (caller.isLawEnforcement ? w.whereRaw('true') : w.where(`${alias}.owning_organisation_id`, caller.organisationId));
}

/** Where-clause: the caller is shown the plan action under `alias` of the plan under `planAlias` (partners: their own). */
export function seesAction(knex: Knex, alias: string, planAlias: string) {
  const caller = boundCaller(knex);
  return (w: Knex.QueryBuilder) => w.where(seesWithheldFields(knex, planAlias)).orWhere(`${alias}.owner_organisation_id`, caller.organisationId);
}

export function withheldFields(ctx: RequestContext, typename: string, record?: Owned): WithheldField[] {
  if (!seesSanitised(ctx, record)) return [];
  return Object.entries(PARTNER_WITHHELD[typename] ?? {}).map(([field, reason]) => ({ field, reason }));
}

export function isWithheld(ctx: RequestContext, typename: string, field: string, record?: Owned): boolean {
  return seesSanitised(ctx, record) && field in (PARTNER_WITHHELD[typename] ?? {}) && !NARROWED.has(`${typename}.${field}`);
}

/** Whether a list is narrowed to the caller's own organisation's items (partners). */
export function isNarrowed(ctx: RequestContext, typename: string, field: string, record?: Owned): boolean {
  return seesSanitised(ctx, record) && NARROWED.has(`${typename}.${field}`);
}

/** The value, or null when the field is withheld from the caller. */
export function unlessWithheld<T>(ctx: RequestContext, typename: string, field: string, value: () => T, record?: Owned): T | null {
  return isWithheld(ctx, typename, field, record) ? null : value();
}
