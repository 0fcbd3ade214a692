import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import { toGlobalId } from '../../graphql/global-id';
import { mapShared, sharedColumns } from '../../shared/shared-record';
import { asDate } from '../../shared/sql';
import type { AnalyticalRequestStatus } from './analytical-request.enums';
import type { AnalyticalRequest } from './analytical-request.types';
import type { ReadScope } from '../../access/read-scope';

/** Reads for analytical requests: plain SQL through the access policy, one statement per level of a page. */

const COLUMNS = [
  ...sharedColumns('ar'),
  'ar.reference', 'ar.question', 'ar.product_type', 'ar.priority', 'ar.due_on', 'ar.status', 'ar.threat_id', 'ar.plan_id', 'ar.assigned_analyst_id',
  'ar.decline_reason', 'ar.decline_explanation', 'ar.accepted_at', 'ar.declined_at', 'ar.delivered_at',
];

/** Delivered on time: on or before the due date, both as calendar dates (UTC, the database's). */
export const ON_TIME_SQL = "(ar.delivered_at at time zone 'UTC')::date <= ar.due_on";

export function mapRequest(row: Record<string, any>): AnalyticalRequest {
  return Object.assign(mapShared('AnalyticalRequest', (id) => toGlobalId('AnalyticalRequest', id), row), {
    reference: row.reference,
    question: row.question,
    productType: row.product_type,
    priority: row.priority,
    dueOn: row.due_on,
    status: row.status,
    threatId: row.threat_id,
    planId: row.plan_id,
    assignedAnalystId: row.assigned_analyst_id,
    declineReason: row.decline_reason,
    declineExplanation: row.decline_explanation,
    acceptedAt: row.accepted_at ? asDate(row.accepted_at) : null,
    declinedAt: row.declined_at ? asDate(row.declined_at) : null,
    deliveredAt: row.delivered_at ? asDate(row.delivered_at) : null,
    deliveredOnTime: row.delivered_at ? row.on_time : null,
  });
}

export interface AnalyticalRequestCriteria {
  statuses?: AnalyticalRequestStatus[];
  assignedTo?: string;
}

/** A query over analytical_request (alias ar), narrowed to what the caller may read. */
export function requestQuery(scope: ReadScope, c: AnalyticalRequestCriteria = {}): Knex.QueryBuilder {
  const { knex } = scope;
  const q = onlyReadable(
    knex('analytical_request as ar').select([...COLUMNS, knex.raw(`${ON_TIME_SQL} as on_time`)]),
    scope,
    'ANALYTICAL_REQUEST',
    'ar',
  );
  if (c.statuses?.length) q.whereIn('ar.status', c.statuses);
  if (c.assignedTo) q.where('ar.assigned_analyst_id', c.assignedTo);
  return q;
}

export async function requestsByIds(scope: ReadScope, ids: readonly string[]): Promise<AnalyticalRequest[]> {
  return (await requestQuery(scope).whereIn('ar.id', ids as string[])).map(mapRequest);
}
