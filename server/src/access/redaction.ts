import { Field, ObjectType } from 'type-graphql';
import type { RequestContext } from '../graphql/context';

/**
 * Field-level redaction: partner organisations (not law enforcement) see sanitised views
 * (DOMAIN.md, "Access"): a threat's name, areas, exploitation types and LRO contact, but not
 * intelligence: assessments, grading, members, links, narrative, history. Withheld fields come
 * back as null and are listed, with the reason, in the record's `withheld`, so a client can show
 * "withheld: reason" rather than a blank that looks like "not recorded".
 */
@ObjectType({ description: 'A field this record has but you are not shown, and why.' })
export class WithheldField {
  @Field(() => String) field!: string;
  @Field(() => String) reason!: string;
}

const INTELLIGENCE = 'Intelligence is withheld from partner organisations: they see a sanitised summary.';
const PEOPLE = 'Details of people in organised crime groups are withheld from partner organisations.';
const ASSESSMENT = 'Threat assessments and their grading are withheld from partner organisations.';
const HISTORY = 'The record\'s change history is withheld from partner organisations.';
const OTHERS_ACTIONS = 'Partner organisations are shown only their own organisation\'s actions.';

/** What partners do not see, per GraphQL type and field. */
const PARTNER_WITHHELD: Record<string, Record<string, string>> = {
  SocThreat: {
    summary: INTELLIGENCE,
    priority: ASSESSMENT,
    riskScore: ASSESSMENT,
    currentAssessment: ASSESSMENT,
    assessmentHistory: ASSESSMENT,
    unassessedActivities: ASSESSMENT,
    members: PEOPLE,
    linkedThreats: INTELLIGENCE,
    history: HISTORY,
  },
  CriminalActivity: { description: INTELLIGENCE, assessment: ASSESSMENT },
  Nominal: { aliases: PEOPLE, vulnerabilityFlags: PEOPLE, memberships: PEOPLE, history: HISTORY },
  // Partners see a plan's summary and their own actions (DOMAIN.md): not other organisations'
  // actions, the intelligence gaps, the reviews, or the gate (whose problems quote intelligence).
  FourPPlan: {
    actions: OTHERS_ACTIONS,
    intelligenceGaps: INTELLIGENCE,
    reviews: 'Plan reviews are withheld from partner organisations.',
    quality: 'The quality gate quotes intelligence and is withheld from partner organisations.',
    history: HISTORY,
  },
};

/** Fields that stay but are narrowed for partners rather than nulled (see PARTNER_WITHHELD). */
const NARROWED = new Set(['FourPPlan.actions']);

/** Whether the caller sees sanitised views (any organisation that is not law enforcement). */
function seesSanitised(ctx: RequestContext): boolean {
  return !ctx.access.caller.isLawEnforcement;
}

/** The fields of `typename` withheld from the caller, with reasons (empty for police). */
export function withheldFields(ctx: RequestContext, typename: string): WithheldField[] {
  if (!seesSanitised(ctx)) return [];
  return Object.entries(PARTNER_WITHHELD[typename] ?? {}).map(([field, reason]) => ({ field, reason }));
}

export function isWithheld(ctx: RequestContext, typename: string, field: string): boolean {
  return seesSanitised(ctx) && field in (PARTNER_WITHHELD[typename] ?? {}) && !NARROWED.has(`${typename}.${field}`);
}

/** Whether a list is narrowed to the caller's own organisation's items (partners). */
export function isNarrowed(ctx: RequestContext, typename: string, field: string): boolean {
  return seesSanitised(ctx) && NARROWED.has(`${typename}.${field}`);
}

/** The value, or null when the field is withheld from the caller. */
export function unlessWithheld<T>(ctx: RequestContext, typename: string, field: string, value: () => T): T | null {
  return isWithheld(ctx, typename, field) ? null : value();
}
