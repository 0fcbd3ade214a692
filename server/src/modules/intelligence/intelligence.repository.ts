import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import { toGlobalId } from '../../graphql/global-id';
import { mapShared, sharedColumns } from '../../shared/shared-record';
import { asDate } from '../../shared/sql';
import type { HandlingCode } from './intelligence.enums';
import type { IntelligenceDissemination, IntelligenceReport } from './intelligence.types';

/** Reads for intelligence reports: plain SQL through the access policy, one statement per level of a page. */

const REPORT_COLUMNS = [
  ...sharedColumns('i'),
  'i.reference', 'i.received_on', 'i.source_evaluation', 'i.intelligence_assessment', 'i.handling_code', 'i.handling_conditions',
  'i.source_reference', 'i.sanitised_text', 'i.original_text', 'i.threat_ids', 'i.activity_ids', 'i.nominal_ids',
];

/** The row as stored; fields withheld from partners are nulled by the resolvers, not here (the service reads them). */
export function mapReport(row: Record<string, any>): IntelligenceReport {
  return Object.assign(mapShared('IntelligenceReport', (id) => toGlobalId('IntelligenceReport', id), row), {
    reference: row.reference,
    receivedOn: row.received_on,
    sourceEvaluation: row.source_evaluation,
    intelligenceAssessment: row.intelligence_assessment,
    handlingCode: row.handling_code,
    handlingConditions: row.handling_conditions,
    sourceReference: row.source_reference,
    sanitisedText: row.sanitised_text,
    originalText: row.original_text,
    threatIds: row.threat_ids ?? [],
    activityIds: row.activity_ids ?? [],
    nominalIds: row.nominal_ids ?? [],
  });
}

export interface IntelligenceCriteria {
  threatIds?: string[];
  handlingCodes?: HandlingCode[];
  receivedFrom?: string;
  receivedTo?: string;
}

/** A query over intelligence_report (alias i), narrowed to what the caller may read. */
export function reportQuery(knex: Knex, c: IntelligenceCriteria = {}): Knex.QueryBuilder {
  const q = onlyReadable(knex('intelligence_report as i').select(REPORT_COLUMNS), knex, 'INTELLIGENCE', 'i');
  if (c.threatIds?.length) q.whereRaw('i.threat_ids && ?::uuid[]', [`{${c.threatIds.join(',')}}`]);
  if (c.handlingCodes?.length) q.whereIn('i.handling_code', c.handlingCodes);
  if (c.receivedFrom) q.where('i.received_on', '>=', c.receivedFrom);
  if (c.receivedTo) q.where('i.received_on', '<=', c.receivedTo);
  return q;
}

export async function reportsByIds(knex: Knex, ids: readonly string[]): Promise<IntelligenceReport[]> {
  return (await reportQuery(knex).whereIn('i.id', ids as string[])).map(mapReport);
}

function mapDissemination(row: Record<string, any>): IntelligenceDissemination {
  return {
    __typename: 'IntelligenceDissemination',
    id: toGlobalId('IntelligenceDissemination', row.id),
    dbId: row.id,
    reportId: row.report_id,
    recipientOrganisationId: row.recipient_organisation_id,
    disseminatedById: row.disseminated_by,
    handlingCode: row.handling_code,
    handlingConditions: row.handling_conditions,
    sanitisedText: row.sanitised_text,
    disseminatedAt: asDate(row.disseminated_at),
  };
}

/** Disseminations, oldest first (their report's visibility is the caller's business: see the loaders). */
export async function disseminationsBy(knex: Knex, column: 'report_id' | 'id', ids: readonly string[]): Promise<IntelligenceDissemination[]> {
  return (await knex('intelligence_dissemination').select('*').whereIn(column, ids as string[]).orderBy(['disseminated_at', 'id'])).map(mapDissemination);
}
