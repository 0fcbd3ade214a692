import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../graphql/context';
import { toGlobalId } from '../../graphql/global-id';
import { onlyReadable } from '../../access/policy';
import { asDate } from '../../shared/sql';
import { Role, OrganisationType } from '../identity/identity.enums';
import { KIND_OF_TYPE } from './retention.enums';
import type { DisposedType, RetainedFacts, RetainedType } from './retention-periods';
import { DisposedRecord, RecordDueForReview, RetentionReview } from './retention.types';
import type { ReadScope } from '../../access/read-scope';

type RetainedTable = 'nominal' | 'intelligence_report' | 'soc_threat' | 'safeguarding_referral';

/** The tables of the kinds reviewed for retention, and their data categories (the access catalogue's). */
export const RETAINED_TABLES: Record<RetainedType, { table: RetainedTable; category: 'NOMINAL' | 'INTELLIGENCE' | 'THREAT' | 'REFERRAL'; label: string }> = {
  Nominal: { table: 'nominal', category: 'NOMINAL', label: 'Person' },
  IntelligenceReport: { table: 'intelligence_report', category: 'INTELLIGENCE', label: 'Intelligence report' },
  SocThreat: { table: 'soc_threat', category: 'THREAT', label: 'Threat' },
  SafeguardingReferral: { table: 'safeguarding_referral', category: 'REFERRAL', label: 'Safeguarding referral' },
};

/** The kinds a tombstone may name: those reviewed, and those disposed of with their threat. */
export const DISPOSED_TYPES: ReadonlySet<string> = new Set<DisposedType>([...(Object.keys(RETAINED_TABLES) as RetainedType[]), 'FourPPlan', 'Disruption', 'AnalyticalRequest']);

/**
 * What the review grouping reads of a record (retention-periods.ts), from its row: the caller's
 * own transaction, so row-level security applies; callers have already found the record readable.
 */
export async function retainedFacts(scope: ReadScope, type: RetainedType, id: string): Promise<RetainedFacts> {
  const { knex } = scope;
  switch (type) {
    case 'Nominal': {
      const row = await knex('nominal').first('vulnerability_flags').where({ id });
      return { vulnerabilityFlags: row?.vulnerability_flags };
    }
    case 'IntelligenceReport': {
      const row = await knex('intelligence_report').first('intelligence_assessment').where({ id });
      return { intelligenceAssessment: row?.intelligence_assessment };
    }
    case 'SocThreat': {
      const rows = await knex('criminal_activity').distinct('category').where({ threat_id: id });
      return { activityCategories: rows.map((r: { category: string }) => r.category) };
    }
    case 'SafeguardingReferral': {
      const row = await knex('safeguarding_referral').first('subject_is_child', 'exploitation_types').where({ id });
      return { subjectIsChild: row?.subject_is_child, exploitationTypes: row?.exploitation_types };
    }
  }
}

/**
 * The records of the caller's organisation, that the caller may read (the access policy), whose
 * review is due today or was due before: one query over every retained kind, for paging.
 */
export function dueForReviewQuery(scope: ReadScope, organisationId: string): Knex.QueryBuilder {
  const { knex } = scope;
  const kinds = (Object.keys(RETAINED_TABLES) as RetainedType[]).map((type) => {
    const { table, category } = RETAINED_TABLES[type];
    return onlyReadable(knex(`${table} as rec`).select(knex.raw('?::text as record_type', [type]), 'rec.id', 'rec.next_review_on'), scope, category, 'rec')
      .where('rec.owning_organisation_id', organisationId)
      .whereRaw('rec.next_review_on <= current_date');
  });
  return knex.from(knex.raw(`(${kinds.map(() => '?').join(' union all ')}) as due`, kinds)).select('due.*');
}

export function mapDue(row: Record<string, any>): RecordDueForReview {
  const type = row.record_type as RetainedType;
  return Object.assign(new RecordDueForReview(), {
    type,
    dbId: row.id,
    recordId: toGlobalId(type, row.id),
    kind: KIND_OF_TYPE[type],
    dueSince: row.next_review_on,
  });
}

/**
 * Tombstones the caller may read (row-level security states the same): their own organisation's,
 * and, for auditors, those of the organisations whose audit trail they read (a regional unit's
 * auditor, the region's).
 */
export function readableTombstones(ctx: Pick<RequestContext, 'db' | 'viewer'>): Knex.QueryBuilder {
  return ofOrganisationsReviewedBy(ctx, ctx.db.knex('disposed_record as d').select('d.*'), 'd.organisation_id');
}

/**
 * Narrows a query to the organisations whose retention the caller sees: their own, and for a
 * regional unit's auditor the region's (as they read its audit trail).
 */
export function ofOrganisationsReviewedBy(ctx: Pick<RequestContext, 'db' | 'viewer'>, query: Knex.QueryBuilder, column: string): Knex.QueryBuilder {
  const own = ctx.viewer.organisation;
  if (ctx.viewer.roles.includes(Role.AUDITOR) && own.type === OrganisationType.ROCU) {
    return query.whereIn(column, ctx.db.knex('organisation').select('id').where({ region: own.region }));
  }
  return query.where(column, own.id);
}

export function mapTombstone(row: Record<string, any>): DisposedRecord {
  const type = row.record_type as DisposedType;
  return Object.assign(new DisposedRecord(), {
    disposedWithId: row.disposed_with ? toGlobalId('SocThreat', row.disposed_with) : null,
    dbId: row.record_id,
    recordId: toGlobalId(type, row.record_id),
    kind: KIND_OF_TYPE[type],
    organisationId: row.organisation_id,
    disposedById: row.disposed_by,
    disposedOn: row.disposed_on,
    disposedAt: asDate(row.disposed_at),
    reason: row.reason,
  });
}

/** Earlier decisions to retain a record, newest first (its owner's people and auditors; row-level security too). */
export async function reviewsOf(ctx: Pick<RequestContext, 'db' | 'viewer'>, recordId: string): Promise<RetentionReview[]> {
  const rows = await ctx.db.knex('retention_review').select('*').where({ record_id: recordId, organisation_id: ctx.viewer.organisation.id }).orderBy('reviewed_at', 'desc');
  return rows.map((r: Record<string, any>) =>
    Object.assign(new RetentionReview(), { dbId: r.id, reviewedById: r.reviewed_by, reviewedAt: asDate(r.reviewed_at), reason: r.reason, nextReviewOn: r.next_review_on }),
  );
}
