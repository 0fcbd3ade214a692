import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../graphql/context';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { fromGlobalId } from '../../graphql/global-id';
import { onlyReadable } from '../../access/policy';
import { RETENTION_REVIEWERS } from '../../access/mutation-roles';
import { lockReadable, saveVersion } from '../../shared/records';
import { Problems, isIsoDate, today } from '../../shared/validation';
import { plainDate } from '../../shared/plain-dates';
import { nominalsByIds, threatsByIds } from '../threats/threat.repository';
import { reportsByIds } from '../intelligence/intelligence.repository';
import { referralsByIds } from '../referrals/referral.repository';
import { addYears, reviewGroup, type RetainedFacts, type RetainedType } from './retention-periods';
import { RETAINED_TABLES, mapTombstone, retainedFacts } from './retention.repository';
import type { DisposeRecordInput, RetainRecordInput } from './retention.inputs';
import type { DisposedRecord } from './retention.types';
import { inSavepoint, type ReadScope } from '../../access/read-scope';

type Ctx = Pick<RequestContext, 'db' | 'viewer' | 'access'>;

/** Retention reviews are for the roles that manage records (mutation-roles.ts); others are refused. */
export function requireReviewer(ctx: Ctx): void {
  if (!ctx.viewer.roles.some((r) => RETENTION_REVIEWERS.includes(r))) {
    throw new ForbiddenError('Retention reviews are for intelligence officers, LROs and SROs.');
  }
}

/** The record an input names: a person, an intelligence report, a threat or a safeguarding referral, by its ID. */
function retainedId(globalId: string): { type: RetainedType; id: string } {
  const parsed = fromGlobalId(globalId);
  if (!parsed || !(parsed.type in RETAINED_TABLES)) {
    throw new BadUserInputError([{ field: 'input.id', message: 'must be the ID of a person, an intelligence report, a threat or a safeguarding referral' }]);
  }
  return { type: parsed.type as RetainedType, id: parsed.id };
}

/**
 * Locks a record the caller may read for the rest of the transaction. One they may not read is
 * NOT_FOUND, as one that does not exist; another organisation's is FORBIDDEN (its owner reviews it).
 */
async function lockOwnRecord(scope: ReadScope, ctx: Ctx, type: RetainedType, id: string): Promise<Record<string, any>> {
  const { knex: trx } = scope;
  const { table, category, label } = RETAINED_TABLES[type];
  const { row, locked } = await lockReadable(() => onlyReadable(trx(`${table} as rec`).select('rec.*'), scope, category, 'rec').where('rec.id', id));
  if (!row) throw new NotFoundError(label);
  if (row.owning_organisation_id !== ctx.viewer.organisation.id || !locked) {
    throw new ForbiddenError(`Only the owning organisation reviews this ${label.toLowerCase()}.`);
  }
  return row;
}

const RELOAD: Record<RetainedType, (scope: ReadScope, ids: string[]) => Promise<unknown[]>> = {
  Nominal: nominalsByIds,
  IntelligenceReport: reportsByIds,
  SocThreat: threatsByIds,
  SafeguardingReferral: referralsByIds,
};

async function reload(scope: ReadScope, type: RetainedType, id: string) {
  return (await RELOAD[type](scope, [id]))[0];
}

/** The latest next review date a reviewer may set today: one review period from today. */
export function latestNextReview(type: RetainedType, facts: RetainedFacts): string {
  return addYears(today(), reviewGroup(type, facts).years);
}

/** Keeps a record: the reason and the next review date are recorded, and the record moves to its next version. */
export async function retainRecord(ctx: Ctx, input: RetainRecordInput) {
  requireReviewer(ctx);
  const { type, id } = retainedId(input.id);
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const row = await lockOwnRecord(scope, ctx, type, id);
    const facts = await retainedFacts(scope, type, id);
    const p = new Problems();
    p.text(input.reason, 'reason', { max: 2000 });
    const latest = latestNextReview(type, facts);
    if (!input.nextReviewOn) p.add('nextReviewOn', 'is required');
    else if (!isIsoDate(input.nextReviewOn)) p.add('nextReviewOn', 'must be a date');
    else if (input.nextReviewOn <= today()) p.add('nextReviewOn', 'must be after today');
    else if (input.nextReviewOn > latest) {
      const group = reviewGroup(type, facts);
      p.add('nextReviewOn', `must be no later than ${plainDate(latest)}: ${group.description} are reviewed at least every ${group.years} years`);
    }
    p.throwIfAny();
    if (input.expectedVersion != null && input.expectedVersion !== row.version) {
      throw new ConflictError(`This record has changed since you read it (you sent version ${input.expectedVersion}; it is now ${row.version}). Reload it and review it again.`, {
        currentVersion: row.version,
      });
    }
    await trx('retention_review').insert({
      record_type: type,
      record_id: id,
      organisation_id: ctx.viewer.organisation.id,
      reviewed_by: ctx.viewer.id,
      reason: input.reason.trim(),
      next_review_on: input.nextReviewOn,
    });
    await saveVersion(trx, RETAINED_TABLES[type].table, id, ctx.viewer, { next_review_on: input.nextReviewOn! });
    return reload(scope, type, id);
  });
}

/**
 * A person who is the subject of a safeguarding referral stays while the referral does: the
 * referral names them, and is reviewed on its own terms.
 */
async function refuseIfStillNeeded(trx: Knex.Transaction, type: RetainedType, id: string): Promise<void> {
  if (type !== 'Nominal') return;
  const [{ held }] = (await trx.raw('select soc_nominal_is_referral_subject(?) as held', [id])).rows;
  if (held) throw new ConflictError('This person is the subject of a safeguarding referral, and is kept while the referral is.');
}

/**
 * What goes with a record before its row is deleted, beyond what the database's cascades take:
 * a person's memberships of threats (whoever owns them); a threat's 4P plan, disruptions and
 * analytical requests (each with a tombstone of its own naming the threat).
 */
async function removeDependants(trx: Knex.Transaction, type: RetainedType, id: string): Promise<void> {
  if (type === 'Nominal') await trx.raw('select soc_remove_disposed_memberships(?)', [id]);
  if (type === 'SocThreat') await trx.raw('select soc_dispose_threat_dependants(?)', [id]);
}

/**
 * Disposes of a record: a tombstone (kind, ID, owner, date, reviewer, reason) is kept, and
 * everything else goes: the row (with a person's memberships, a report's disseminations, a
 * threat's activities, members, links, assessments, plan, disruptions and requests, a referral's
 * timeline), its earlier retention reasons, and the values in its history rows.
 */
export async function disposeRecord(ctx: Ctx, input: DisposeRecordInput): Promise<DisposedRecord> {
  requireReviewer(ctx);
  const { type, id } = retainedId(input.id);
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    await lockOwnRecord(scope, ctx, type, id);
    const p = new Problems();
    p.text(input.reason, 'reason', { max: 2000 });
    p.throwIfAny();
    await refuseIfStillNeeded(trx, type, id);
    const { table } = RETAINED_TABLES[type];
    const [tombstone] = await trx('disposed_record')
      .insert({ record_id: id, record_type: type, organisation_id: ctx.viewer.organisation.id, disposed_by: ctx.viewer.id, reason: input.reason.trim() })
      .returning('*');
    await trx('retention_review').where({ record_id: id }).delete();
    // First a change, then the deletion: the record's live event for this transaction is then a
    // change (the first history row decides), which followers who can no longer read the record
    // are told as WITHDRAWN (live/hub.ts), as for any record leaving their reach.
    await saveVersion(trx, table, id, ctx.viewer, { next_review_on: null });
    await removeDependants(trx, type, id);
    await trx(table).where({ id }).delete();
    await trx.raw('select soc_purge_disposed_history(?)', [id]);
    // A link's history is filed under both threats: the other side's copy holds its reason too.
    if (type === 'SocThreat') await trx.raw('select soc_purge_disposed_threat_links(?)', [id]);
    // Named as the kind disposed of, so the audit trail's DELETE event says what went (audit.middleware.ts).
    return Object.assign(mapTombstone(tombstone), { __typename: type });
  });
}
