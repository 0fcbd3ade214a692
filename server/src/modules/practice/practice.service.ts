import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import type { RequestContext } from '../../graphql/context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { globalIdOrProblem, requireGlobalId } from '../../graphql/global-id';
import { accessColumns, creationColumns, lockForChange, requireExisting, saveVersion } from '../../shared/records';
import { Problems } from '../../shared/validation';
import { EvidenceRating, PracticeStage } from './practice.enums';
import type { CreatePracticeInput, EndorsePracticeInput, UpdatePracticeInput, WithdrawEndorsementInput } from './practice.inputs';
import { practicesByIds } from './practice.repository';
import type { PracticeEntry } from './practice.types';
import { inSavepoint, type ReadScope } from '../../access/read-scope';

type Ctx = Pick<RequestContext, 'db' | 'viewer' | 'access'>;

const MAX_TOPICS = 20;

async function reload(scope: ReadScope, id: string): Promise<PracticeEntry> {
  return (await practicesByIds(scope, [id]))[0];
}

/** Topics as stored: trimmed, single-spaced, lower-case, without repeats. */
export function normaliseTopic(topic: string): string {
  return topic.trim().replace(/\s+/g, ' ').toLowerCase();
}

function checkTopics(p: Problems, topics: string[]): string[] {
  if (p.when(topics.length === 0, 'topics', 'give at least one topic, so others can find the entry')) return [];
  p.when(topics.length > MAX_TOPICS, 'topics', `at most ${MAX_TOPICS} topics`);
  topics.forEach((t, i) => p.text(t, `topics[${i}]`, { max: 60 }));
  return [...new Set(topics.map(normaliseTopic))];
}

/**
 * The evidence rating has to be earned: an idea is untested by definition, and only an
 * evaluation can show a practice is effective.
 */
function checkEvidence(p: Problems, stage: PracticeStage, rating: EvidenceRating): void {
  p.when(stage === PracticeStage.IDEA && rating !== EvidenceRating.UNTESTED_NEW, 'evidenceRating', 'an IDEA is UNTESTED_NEW until it is tried');
  p.when(rating === EvidenceRating.EFFECTIVE && stage !== PracticeStage.EVALUATED, 'evidenceRating', 'EFFECTIVE needs an evaluation: set the stage to EVALUATED');
}

/** Partner organisations: they exist, and the owner is not its own partner. */
async function partnerIds(knex: Knex, p: Problems, refs: string[], ownerId: string): Promise<string[]> {
  const ids = refs.map((r, i) => globalIdOrProblem(r, 'Organisation', `partnerIds[${i}]`, p)).filter((x): x is string => !!x);
  p.when(ids.includes(ownerId), 'partnerIds', 'your own organisation owns the entry; list only other organisations');
  await requireExisting(knex, 'organisation', ids, p, 'partnerIds');
  return [...new Set(ids)];
}

/** Adds an entry to the register, owned by the caller's organisation. */
export async function createPractice(ctx: Ctx, input: CreatePracticeInput): Promise<PracticeEntry> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const p = new Problems();
    p.text(input.title, 'title', { max: 200 });
    p.text(input.aim, 'aim', { max: 2000 });
    p.text(input.description, 'description', { max: 20_000 });
    p.text(input.contact, 'contact', { max: 500 });
    const topics = checkTopics(p, input.topics);
    checkEvidence(p, input.stage, input.evidenceRating);
    const partners = await partnerIds(trx, p, input.partnerIds ?? [], ctx.viewer.organisation.id);
    const access = await accessColumns(trx, input.access, p);
    p.throwIfAny();
    const [{ id }] = await trx('practice_entry')
      .insert({
        title: input.title.trim(),
        aim: input.aim.trim(),
        description: input.description.trim(),
        topics,
        partners,
        stage: input.stage,
        evidence_rating: input.evidenceRating,
        contact: input.contact.trim(),
        ...access,
        ...creationColumns(ctx.viewer),
      })
      .returning('id');
    return reload(scope, id);
  });
}

/** Changes an entry (owning organisation only); only the fields given change. */
export async function updatePractice(ctx: Ctx, input: UpdatePracticeInput): Promise<PracticeEntry> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'PracticeEntry', 'input.id');
    const row = await lockForChange(scope, 'practice_entry', id, input.expectedVersion, ctx.viewer, 'Practice entry');
    const p = new Problems();
    const changes: Record<string, unknown> = {};
    for (const [field, column, max] of [['title', 'title', 200], ['aim', 'aim', 2000], ['description', 'description', 20_000], ['contact', 'contact', 500]] as const) {
      const value = input[field];
      if (value === undefined) continue;
      p.text(value, field, { max });
      changes[column] = value?.trim();
    }
    if (input.topics != null) changes.topics = checkTopics(p, input.topics);
    if (input.partnerIds != null) changes.partners = await partnerIds(trx, p, input.partnerIds, row.owning_organisation_id);
    if (input.stage != null) changes.stage = input.stage;
    if (input.evidenceRating != null) changes.evidence_rating = input.evidenceRating;
    checkEvidence(p, input.stage ?? row.stage, input.evidenceRating ?? row.evidence_rating);
    if (input.access) Object.assign(changes, await accessColumns(trx, input.access, p));
    p.throwIfAny();
    await saveVersion(trx, 'practice_entry', id, ctx.viewer, changes);
    return reload(scope, id);
  });
}

/** The entry if the caller may read it (both layers): one they may not is missing, for endorsing as for anything else. */
function readableEntry(scope: ReadScope, id: string): Promise<{ owning_organisation_id: string } | undefined> {
  const { knex: trx } = scope;
  return onlyReadable(trx('practice_entry as rec').select('rec.owning_organisation_id'), scope, 'PRACTICE', 'rec').where('rec.id', id).first();
}

/**
 * Endorsements come from other organisations (an organisation vouching for its own practice
 * adds nothing), one per user. They do not move the entry's version or its updatedBy: they are
 * not edits of the entry, and bumping would make the owner's next edit fail for no reason.
 * Their history is still kept, filed under the entry.
 */
export async function endorsePractice(ctx: Ctx, input: EndorsePracticeInput): Promise<PracticeEntry> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'PracticeEntry', 'input.id');
    const entry = await readableEntry(scope, id);
    if (!entry) throw new NotFoundError('Practice entry');
    if (entry.owning_organisation_id === ctx.viewer.organisation.id) {
      throw new ForbiddenError('Your organisation owns this practice entry; endorsements come from other organisations.');
    }
    const p = new Problems();
    p.text(input.comment, 'comment', { required: false, max: 2000 });
    p.throwIfAny();
    const inserted = await trx('practice_endorsement')
      .insert({ entry_id: id, user_id: ctx.viewer.id, organisation_id: ctx.viewer.organisation.id, comment: input.comment?.trim() || null })
      .onConflict(['entry_id', 'user_id'])
      .ignore()
      .returning('id');
    if (!inserted.length) throw new ConflictError('You have already endorsed this practice entry.');
    return reload(scope, id);
  });
}

/** Takes back the caller's own endorsement. */
export async function withdrawEndorsement(ctx: Ctx, input: WithdrawEndorsementInput): Promise<PracticeEntry> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'PracticeEntry', 'input.id');
    const deleted = (await readableEntry(scope, id)) ? await trx('practice_endorsement').delete().where({ entry_id: id, user_id: ctx.viewer.id }) : 0;
    if (!deleted) throw new NotFoundError('Your endorsement of this practice entry');
    return reload(scope, id);
  });
}
