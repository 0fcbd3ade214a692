import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import { toGlobalId } from '../../graphql/global-id';
import { mapShared, sharedColumns } from '../../shared/shared-record';
import { asDate, containsText } from '../../shared/sql';
import { seesWithheldFields } from '../../access/redaction';
import type { HandlingCode } from './intelligence.enums';
import type { IntelligenceDissemination, IntelligenceReport } from './intelligence.types';
import type { ReadScope } from '../../access/read-scope';

/** Reads for intelligence reports: plain SQL through the access policy, one statement per level of a page. */

const REPORT_COLUMNS = [
  ...sharedColumns('i'),
  'i.reference', 'i.received_on', 'i.source_evaluation', 'i.intelligence_assessment', 'i.handling_code', 'i.handling_conditions',
  'i.source_reference', 'i.sanitised_text', 'i.original_text', 'i.threat_ids', 'i.activity_ids', 'i.nominal_ids', 'i.crime_categories',
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
    crimeCategories: row.crime_categories ?? [],
  });
}

export interface IntelligenceCriteria {
  threatIds?: string[];
  handlingCodes?: HandlingCode[];
  receivedFrom?: string;
  receivedTo?: string;
  /** Words in the reference or sanitised text, or the original text where the caller is shown it. */
  text?: string;
}

/** A query over intelligence_report (alias i), narrowed to what the caller may read. */
export function reportQuery(scope: ReadScope, c: IntelligenceCriteria = {}): Knex.QueryBuilder {
  const { knex } = scope;
  const q = onlyReadable(knex('intelligence_report as i').select(REPORT_COLUMNS), scope, 'INTELLIGENCE', 'i');
  if (c.threatIds?.length) q.whereRaw('i.threat_ids && ?::uuid[]', [`{${c.threatIds.join(',')}}`]);
  if (c.handlingCodes?.length) q.whereIn('i.handling_code', c.handlingCodes);
  if (c.receivedFrom) q.where('i.received_on', '>=', c.receivedFrom);
  if (c.receivedTo) q.where('i.received_on', '<=', c.receivedTo);
  if (c.text?.trim()) {
    const text = c.text.trim();
    // The original text is withheld from partners: they find a report by what they are shown only.
    q.where((w) =>
      w
        .where(containsText(knex, 'i.reference', text))
        .orWhere(containsText(knex, 'i.sanitised_text', text))
        .orWhere((seen) => seen.where(seesWithheldFields(scope, 'i')).where(containsText(knex, 'i.original_text', text))),
    );
  }
  return q;
}

export async function reportsByIds(scope: ReadScope, ids: readonly string[]): Promise<IntelligenceReport[]> {
  return (await reportQuery(scope).whereIn('i.id', ids as string[])).map(mapReport);
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
export async function disseminationsBy(scope: ReadScope, column: 'report_id' | 'id', ids: readonly string[]): Promise<IntelligenceDissemination[]> {
  const { knex } = scope;
  return (await knex('intelligence_dissemination').select('*').whereIn(column, ids as string[]).orderBy(['disseminated_at', 'id'])).map(mapDissemination);
}
