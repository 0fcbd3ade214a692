import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import { NAMED, readableQuery } from '../../access/references';
import { seesWithheldFields } from '../../access/redaction';
import { toGlobalId } from '../../graphql/global-id';
import { keysOf, type KeySet } from '../../graphql/loaders';
import { toOrganisation } from '../identity/identity.resolver';
import { mapShared, sharedColumns } from '../../shared/shared-record';
import { withReadableThreat } from '../../shared/records';
import { asDate, containsText, quotedColumns } from '../../shared/sql';
import type { PriorityBand } from '../assessments/assessment.enums';
import type { CrimeCategory, SubjectType, TaskingLevel, ThreatStatus } from './threat.enums';
import { CriminalActivity, SocThreat, type Membership, type Nominal, type ThreatLink } from './threat.types';
import type { ReadScope } from '../../access/read-scope';

/**
 * Reads for threats, their activities, members and links: plain SQL returning plain objects,
 * so a page costs one statement per level and no entity hydration.
 */

const THREAT_COLUMNS = quotedColumns([
  ...sharedColumns('t'),
  't.urn', 't.name', 't.summary', 't.subject_type', 't.lead_organisation_id', 't.tasking_level', 't.geographic_scope',
  't.areas_affected', 't.status', 't.archive_reason', 't.identified_on', 't.assessed_on', 't.adopted_on', 't.closed_on',
  't.lro_id', 't.sro_id', 't.next_review_due', 't.priority', 't.risk_score',
]);

/**
 * The row's fields on an object of the GraphQL type's class: type-graphql hands field resolvers
 * an instance of the class, and copies a plain object into a new one for every field resolver
 * call (each threat of a page, once per resolved field); an instance is used as it is.
 */
function instanceOf<T extends object>(type: new () => T, fields: Omit<T, never>): T {
  return Object.assign(Object.create(type.prototype) as T, fields);
}

export function mapThreat(row: Record<string, any>): SocThreat {
  return instanceOf(SocThreat, Object.assign(mapShared('SocThreat', (id) => toGlobalId('SocThreat', id), row), {
    urn: row.urn,
    name: row.name,
    summary: row.summary,
    subjectType: row.subject_type,
    leadOrganisationId: row.lead_organisation_id,
    taskingLevel: row.tasking_level,
    geographicScope: row.geographic_scope,
    areasAffectedIds: row.areas_affected ?? [],
    status: row.status,
    archiveReason: row.archive_reason,
    identifiedOn: row.identified_on,
    assessedOn: row.assessed_on,
    adoptedOn: row.adopted_on,
    closedOn: row.closed_on,
    lroId: row.lro_id,
    sroId: row.sro_id,
    nextReviewDue: row.next_review_due,
    priority: row.priority,
    riskScore: row.risk_score == null ? null : Number(row.risk_score),
    leadOrganisation: row.lead_organisation ? toOrganisation(row.lead_organisation) : undefined,
  }));
}

/** What a threat list can be narrowed by; every field optional, all given ones must hold. */
export interface ThreatCriteria {
  statuses?: ThreatStatus[];
  subjectTypes?: SubjectType[];
  taskingLevels?: TaskingLevel[];
  leadOrganisationIds?: string[];
  owningOrganisationIds?: string[];
  categories?: CrimeCategory[];
  priorities?: PriorityBand[];
  identifiedFrom?: string;
  identifiedTo?: string;
  reviewDueBefore?: string;
  text?: string;
}

/** A query over soc_threat (alias t) with the criteria applied and the threat columns selected. */
export function threatQuery(scope: ReadScope, c: ThreatCriteria = {}): Knex.QueryBuilder {
  const { knex } = scope;
  const q = onlyReadable(knex('soc_threat as t').select(knex.raw(THREAT_COLUMNS)), scope, 'THREAT', 't');
  if (c.statuses?.length) q.whereIn('t.status', c.statuses);
  if (c.subjectTypes?.length) q.whereIn('t.subject_type', c.subjectTypes);
  if (c.taskingLevels?.length) q.whereIn('t.tasking_level', c.taskingLevels);
  if (c.leadOrganisationIds?.length) q.whereIn('t.lead_organisation_id', c.leadOrganisationIds);
  if (c.owningOrganisationIds?.length) q.whereIn('t.owning_organisation_id', c.owningOrganisationIds);
  if (c.priorities?.length) q.whereIn('t.priority', c.priorities);
  if (c.identifiedFrom) q.where('t.identified_on', '>=', c.identifiedFrom);
  if (c.identifiedTo) q.where('t.identified_on', '<=', c.identifiedTo);
  if (c.reviewDueBefore) q.where('t.next_review_due', '<', c.reviewDueBefore);
  if (c.categories?.length) {
    q.whereExists((sub) => sub.select(knex.raw('1')).from('criminal_activity as ca').whereRaw('ca.threat_id = t.id').whereIn('ca.category', c.categories!));
  }
  if (c.text?.trim()) q.whereIn('t.id', threatsContaining(scope, c.text.trim()));
  return q;
}

/**
 * Ids of the threats whose name or URN contains `text`, or whose summary or an activity's
 * description does where the caller is shown them (both are withheld from partners on others'
 * threats). A union of index searches: as one OR with the activities' EXISTS, PostgreSQL checked
 * every threat in turn, each under the access rules (4 times slower on the benchmark data).
 */
function threatsContaining(scope: ReadScope, text: string): Knex.QueryBuilder {
  const { knex } = scope;
  const own = knex('soc_threat as mt')
    .select('mt.id')
    .where((w) =>
      w
        .where(containsText(knex, 'mt.name', text))
        .orWhere(containsText(knex, 'mt.urn', text))
        .orWhere((seen) => seen.where(seesWithheldFields(scope, 'mt')).where(containsText(knex, 'mt.summary', text))),
    );
  const byActivity = knex('criminal_activity as ca')
    .join('soc_threat as at', 'at.id', 'ca.threat_id')
    .select('ca.threat_id')
    .where(seesWithheldFields(scope, 'at'))
    .where(containsText(knex, 'ca.description', text));
  return own.unionAll(byActivity);
}

/**
 * Threats by id (node(id), a plan's or disruption's threat, live events), each with its lead
 * organisation read in the same statement: shown with nearly every threat, it cost a round trip
 * of its own after the threat's.
 */
export async function threatsByIds(scope: ReadScope, ids: readonly string[]): Promise<SocThreat[]> {
  const { knex } = scope;
  const leadOrganisation = knex.raw(
    `(select json_build_object('id', lo.id, 'code', lo.code, 'name', lo.name, 'type', lo.type, 'region', lo.region, 'is_law_enforcement', lo.is_law_enforcement)
        from organisation lo where lo.id = t.lead_organisation_id) as lead_organisation`,
  );
  return (await threatQuery(scope).select(leadOrganisation).whereIn('t.id', ids as string[])).map(mapThreat);
}

export function mapActivity(row: Record<string, any>): CriminalActivity {
  return instanceOf(CriminalActivity, {
    __typename: 'CriminalActivity',
    id: toGlobalId('CriminalActivity', row.id),
    dbId: row.id,
    threatId: row.threat_id,
    owningOrganisationId: row.owning_organisation_id,
    category: row.category,
    subCategory: row.sub_category,
    description: row.description,
    firstIdentified: row.first_identified,
    lastEvidenced: row.last_evidenced,
  });
}

// With its threat's owner, read in the same statement: the redaction rules show an organisation
// its own threat's activities whole (access/redaction.ts, Owned).
const ACTIVITY_COLUMNS = `${quotedColumns(['id', 'threat_id', 'category', 'sub_category', 'description', 'first_identified', 'last_evidenced'])},
  (select activity_threat.owning_organisation_id from soc_threat activity_threat where activity_threat.id = criminal_activity.threat_id) as owning_organisation_id`;

export async function activitiesByThreatIds(scope: ReadScope, threatIds: KeySet): Promise<CriminalActivity[]> {
  const { knex } = scope;
  const rows = await knex('criminal_activity').select(knex.raw(ACTIVITY_COLUMNS)).whereIn('threat_id', keysOf(threatIds)).orderBy('seq');
  return rows.map(mapActivity);
}

export async function activitiesByIds(scope: ReadScope, ids: readonly string[]): Promise<CriminalActivity[]> {
  const { knex } = scope;
  return (await knex('criminal_activity').select(knex.raw(ACTIVITY_COLUMNS)).whereIn('id', ids as string[])).map(mapActivity);
}

function mapMembership(row: Record<string, any>): Membership {
  return {
    __typename: 'Membership',
    id: toGlobalId('Membership', row.id),
    dbId: row.id,
    threatId: row.threat_id,
    nominalId: row.nominal_id,
    role: row.role,
    from: row.from_date,
    to: row.to_date,
    underOffenderManagement: row.under_offender_management,
  };
}

export async function membershipsBy(scope: ReadScope, column: 'threat_id' | 'nominal_id' | 'id', ids: readonly string[]): Promise<Membership[]> {
  const { knex } = scope;
  const q = knex('membership as m').select('m.*').whereIn(`m.${column}`, ids as string[]).orderBy('m.id');
  // A person's memberships (or one by ID) only in threats the caller may read: a membership
  // names its threat, which is never null. By threat, the threat is already the caller's to read.
  if (column !== 'threat_id') withReadableThreat(q, scope, 'm.threat_id');
  return (await q).map(mapMembership);
}

/**
 * Links touching any of the threats, seen from each side: `threatId` is the one asked about. Only
 * links both of whose threats the caller may read: a link's reason speaks of both, so one to a
 * threat hidden from the caller is not theirs to read (row-level security says the same).
 */
export async function linksByThreatIds(scope: ReadScope, threatIds: readonly string[]): Promise<(ThreatLink & { threatId: string })[]> {
  const { knex } = scope;
  const readable = (column: string) => readableQuery(scope, 'soc_threat').clearSelect().select(knex.raw('1')).whereRaw(`${NAMED}.id = threat_link.${column}`);
  const rows = await knex('threat_link')
    .select('threat_id', 'linked_threat_id', 'reason', 'created_at')
    .where((w) => w.whereIn('threat_id', threatIds as string[]).orWhereIn('linked_threat_id', threatIds as string[]))
    .whereExists(readable('threat_id'))
    .whereExists(readable('linked_threat_id'));
  const wanted = new Set(threatIds);
  return rows.flatMap((r) => [
    ...(wanted.has(r.threat_id) ? [{ threatId: r.threat_id, otherThreatId: r.linked_threat_id, reason: r.reason, createdAt: asDate(r.created_at) }] : []),
    ...(wanted.has(r.linked_threat_id) ? [{ threatId: r.linked_threat_id, otherThreatId: r.threat_id, reason: r.reason, createdAt: asDate(r.created_at) }] : []),
  ]);
}

const NOMINAL_COLUMNS = [...sharedColumns('n'), 'n.name', 'n.aliases', 'n.date_of_birth', 'n.vulnerability_flags',
  'n.date_of_birth > (current_date - interval \'18 years\') as is_child'];

/** The columns a nominal is read with (rows for {@link mapNominal}), from alias `n`. */
const nominalColumns = (knex: Knex) => NOMINAL_COLUMNS.map((col) => (col.includes(' as ') ? knex.raw(col) : col));

export function mapNominal(row: Record<string, any>): Nominal {
  return Object.assign(mapShared('Nominal', (id) => toGlobalId('Nominal', id), row), {
    name: row.name,
    aliases: row.aliases ?? [],
    dateOfBirth: row.date_of_birth,
    isChild: row.is_child,
    vulnerabilityFlags: row.vulnerability_flags ?? [],
  });
}

export interface NominalCriteria {
  text?: string;
  isChild?: boolean;
  owningOrganisationIds?: string[];
}

export function nominalQuery(scope: ReadScope, c: NominalCriteria = {}): Knex.QueryBuilder {
  const { knex } = scope;
  const q = onlyReadable(knex('nominal as n').select(nominalColumns(knex)), scope, 'NOMINAL', 'n');
  if (c.owningOrganisationIds?.length) q.whereIn('n.owning_organisation_id', c.owningOrganisationIds);
  if (c.isChild === true) q.whereRaw(`n.date_of_birth > current_date - interval '18 years'`);
  if (c.isChild === false) q.whereRaw(`n.date_of_birth <= current_date - interval '18 years'`);
  if (c.text?.trim()) {
    const text = c.text.trim();
    // Aliases are withheld from partners on others' records: found by name only.
    q.where((w) =>
      w.where(containsText(knex, 'n.name', text)).orWhere((seen) => seen.where(seesWithheldFields(scope, 'n')).where(containsText(knex, 'soc_search_text(n.aliases)', text))),
    );
  }
  return q;
}

export async function nominalsByIds(scope: ReadScope, ids: readonly string[]): Promise<Nominal[]> {
  return (await nominalQuery(scope).whereIn('n.id', ids as string[])).map(mapNominal);
}

/**
 * Inserts a nominal and reads it back as {@link nominalsByIds} would (the application's policy
 * judging the new row), in one statement. Row-level security judges it too: a new row the caller
 * could not read fails the insert's RETURNING, as it did when only its id was returned.
 */
export async function insertNominal(scope: ReadScope, row: Record<string, unknown>): Promise<Nominal> {
  const { knex } = scope;
  const created = knex('nominal').insert(row).returning('*');
  const query = knex.with('created', created).from('created as n').select(nominalColumns(knex));
  const [found] = await onlyReadable(query, scope, 'NOMINAL', 'n');
  return found && mapNominal(found);
}
