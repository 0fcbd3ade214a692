import type { Knex } from '@mikro-orm/postgresql';
import { databaseNow } from '../../db/clock';
import { onlyReadable } from '../../access/policy';
import { requireReadable } from '../../access/references';
import type { RequestContext } from '../../graphql/context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { globalIdOrProblem, requireGlobalId } from '../../graphql/global-id';
import { creationColumns, lockReadable, requireExisting, saveVersion } from '../../shared/records';
import { Sharing } from '../../shared/sharing';
import { randomReference } from '../../shared/reference';
import { Problems, today } from '../../shared/validation';
import { firstReviewOn } from '../retention/retention-periods';
import { markingRank, ProtectiveMarking } from '../identity/identity.enums';
import type { User } from '../identity/user.entity';
import { nominalsByIds } from '../threats/threat.repository';
import { acknowledgementHours, referralRules } from './referral-rules';
import {
  ADULT_ONLY_EXPLOITATION,
  CHILD_ONLY_EXPLOITATION,
  NRM_OUTCOMES,
  ReferralStatus,
  ReferralType,
  ReferralUpdateKind,
  Urgency,
  referralTransitions,
} from './referral.enums';
import type { CreateReferralInput, ReferralDecisionInput, ReferralStepInput, ReferralTextInput } from './referral.inputs';
import { referralsByIds } from './referral.repository';
import type { ReferralRulesInfo, SafeguardingReferral } from './referral.types';
import { inSavepoint, type ReadScope } from '../../access/read-scope';
import { plainWords, refusedMove, type StatusWords } from '../../shared/plain-words';

type Ctx = Pick<RequestContext, 'db' | 'viewer' | 'access'>;

/** Recorded as the reason for the share made on creation when none is given. */
export const CONSENT_REASON = 'consent obtained';
const MS1_REASON = 'statutory duty to notify the Home Office (anonymous, Modern Slavery Act 2015 s52)';

/** The configured acknowledgement targets, RED first. */
export function rulesInfo(): ReferralRulesInfo {
  return {
    note: referralRules.note ?? null,
    acknowledgementTargets: Object.values(Urgency).map((urgency) => ({ urgency, hours: acknowledgementHours(urgency) })),
  };
}

async function reload(scope: ReadScope, id: string): Promise<SafeguardingReferral> {
  return (await referralsByIds(scope, [id]))[0];
}

interface TimelineEntry {
  kind: ReferralUpdateKind;
  fromStatus?: ReferralStatus | null;
  toStatus?: ReferralStatus;
  text?: string | null;
  shareReason?: string;
  sharedWithOrganisationId?: string;
}

async function addToTimeline(trx: Knex, referralId: string, viewer: User, e: TimelineEntry): Promise<void> {
  await trx('referral_update').insert({
    referral_id: referralId,
    by_user_id: viewer.id,
    organisation_id: viewer.organisation.id,
    kind: e.kind,
    from_status: e.fromStatus ?? null,
    to_status: e.toStatus ?? null,
    text: e.text?.trim() || null,
    share_reason: e.shareReason ?? null,
    shared_with_organisation_id: e.sharedWithOrganisationId ?? null,
  });
}

/**
 * The subject nominal is one the referrer may read (an unreadable one is "no such nominal", as a
 * missing one: access/references.ts), agrees with subjectIsChild when its date
 * of birth is known, and is owned by one of the referral's two parties. A referral makes its
 * subject readable to both parties (the catalogue's REFERRAL_SUBJECT rule), so a referrer that does
 * not own the person could otherwise pass them to an organisation the owner never shared them
 * with. With the owner a party, the owner is the one sharing (it refers its own person) or the one
 * told (a partner refers a person back to the organisation that recorded them); anything else the
 * referrer asks of the owner, who may refer the person themselves.
 */
async function checkSubject(scope: ReadScope, p: Problems, subjectId: string, subjectIsChild: boolean, parties: string[]): Promise<void> {
  const { knex } = scope;
  if (!(await requireReadable(scope, p, 'nominal', subjectId, 'subjectId', 'nominal')).size) return;
  const [nominal] = await nominalsByIds(scope, [subjectId]);
  if (nominal.isChild != null && nominal.isChild !== subjectIsChild) {
    p.add('subjectIsChild', `does not agree with the subject's date of birth: the nominal is ${nominal.isChild ? 'a child' : 'an adult'}`);
  }
  if (!parties.includes(nominal.owningOrganisationId)) {
    const owner = await knex('organisation').first('name').where('id', nominal.owningOrganisationId);
    p.add('subjectId', `was recorded by ${owner.name}: refer this person to ${owner.name}, or ask ${owner.name} to make the referral`);
  }
}

/**
 * The rules of docs/domain.md for who a referral is about and whether it may be shared: an MS1 is
 * anonymous and only for adults; an adult NRM referral needs consent; any share without consent
 * needs its reason recorded (a child needs no consent for sharing with safeguarding partners).
 */
async function checkSubjectAndConsent(scope: ReadScope, p: Problems, input: CreateReferralInput, parties: string[]): Promise<string | null> {
  const isMs1 = input.referralType === ReferralType.DUTY_TO_NOTIFY_MS1;
  let subjectId: string | null = null;
  if (isMs1) {
    p.when(input.subjectIsChild, 'subjectIsChild', 'an MS1 duty-to-notify is only for adults; refer a child to the NRM (a child needs no consent)');
    p.when(input.subjectId != null, 'subjectId', 'an MS1 duty-to-notify for an adult is anonymous and holds no identifying fields');
  } else if (input.subjectId != null) {
    subjectId = globalIdOrProblem(input.subjectId, 'Nominal', 'subjectId', p) ?? null;
    if (subjectId) await checkSubject(scope, p, subjectId, input.subjectIsChild, parties);
  }
  if (input.referralType === ReferralType.NRM_REFERRAL && !input.subjectIsChild) {
    p.when(!input.consentObtained, 'consentObtained', "an adult's NRM referral needs their consent; without it, make a DUTY_TO_NOTIFY_MS1 instead");
  }
  if (input.referralType === ReferralType.ADULT_SAFEGUARDING_CONCERN) {
    p.when(input.subjectIsChild, 'referralType', 'an adult safeguarding concern is for adults; for a child use MASH_CONTACT or EARLY_HELP');
  }
  if (!input.consentObtained && !isMs1 && !input.sharingReason?.trim()) {
    p.add('sharingReason', 'is required when consent was not obtained: record why the information is shared without it');
  } else {
    p.text(input.sharingReason, 'sharingReason', { required: false, max: 2000 });
  }
  return subjectId;
}

function checkExploitation(p: Problems, input: CreateReferralInput): void {
  if (p.when(input.exploitationTypes.length === 0, 'exploitationTypes', 'record at least one exploitation type')) return;
  const wrong = input.exploitationTypes.filter((t) => (input.subjectIsChild ? ADULT_ONLY_EXPLOITATION : CHILD_ONLY_EXPLOITATION).includes(t));
  p.when(wrong.length > 0, 'exploitationTypes', `${wrong.join(', ')} cannot apply to ${input.subjectIsChild ? 'a child' : 'an adult'}`);
}

/** A referral's statuses in the web client's words (client/web/src/features/referrals/referralWords.ts), where they differ from their spelling. */
const REFERRAL_STATUS_WORDS: StatusWords = { DECISION: 'decision made' };

/**
 * A referral must reach someone: the receiving organisation reads it only through its users
 * whose roles may read referrals (the role policy) and whose clearance covers its marking. One
 * marked above every such user's clearance would be accepted and then be in no one's inbox, and
 * a child at risk would silently vanish; so it is refused here, naming what the receiver can read.
 */
async function checkReceiverCanRead(knex: Knex, p: Problems, receivingId: string, marking: ProtectiveMarking): Promise<void> {
  const receiver = await knex('organisation as o')
    .where('o.id', receivingId)
    .first(
      'o.name',
      knex.raw(`(select max(soc_marking_rank(u.clearance)) from app_user u
                  where u.organisation_id = o.id and u.active
                    and exists (select 1 from access_role_grant g where g.data_category = 'REFERRAL' and g.role = any (u.roles))) as readable_rank`),
    );
  // No reader yet (an organisation whose people are not on the platform, such as the NCA for
  // MS1 notifications): nothing to compare with; it is read when they join.
  if (!receiver || receiver.readable_rank === null) return;
  if (markingRank(marking) <= receiver.readable_rank) return;
  const highest = Object.values(ProtectiveMarking).find((m) => markingRank(m) === receiver.readable_rank)!;
  p.add(
    'protectiveMarking',
    `${receiver.name} can read referrals marked up to ${plainWords(highest)}: mark this referral ${plainWords(highest)} or refer to another organisation`,
  );
}

async function checkOrganisationAndThreats(scope: ReadScope, p: Problems, viewer: User, input: CreateReferralInput) {
  const { knex } = scope;
  const receivingId = globalIdOrProblem(input.receivingOrganisationId, 'Organisation', 'receivingOrganisationId', p);
  if (receivingId) {
    p.when(receivingId === viewer.organisation.id, 'receivingOrganisationId', 'must be another organisation than yours, the referring one');
    await requireExisting(knex, 'organisation', [receivingId], p, 'receivingOrganisationId');
    await checkReceiverCanRead(knex, p, receivingId, input.protectiveMarking);
  }
  const given = (input.linkedThreatIds ?? []).map((g, i) => globalIdOrProblem(g, 'SocThreat', `linkedThreatIds[${i}]`, p));
  // Only threats the referrer may read: linking a hidden one would tell them it exists.
  await requireReadable(scope, p, 'soc_threat', given, 'linkedThreatIds', 'threat');
  const threatIds = given.filter((x): x is string => !!x);
  return { receivingId: receivingId!, threatIds: [...new Set(threatIds)] };
}

/**
 * Records a referral from the caller's organisation to another, shared with the receiving
 * organisation only, with its acknowledgement due time from the configured target for its
 * urgency. The timeline starts with the submission and the share (with its reason).
 */
export async function createReferral(ctx: Ctx, input: CreateReferralInput): Promise<SafeguardingReferral> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const p = new Problems();
    const { receivingId, threatIds } = await checkOrganisationAndThreats(scope, p, ctx.viewer, input);
    const subjectId = await checkSubjectAndConsent(scope, p, input, [ctx.viewer.organisation.id, receivingId]);
    checkExploitation(p, input);
    p.text(input.summary, 'summary', { max: 8000 });
    p.throwIfAny();

    const reference = randomReference('SR', new Date(databaseNow()).getUTCFullYear());
    const [{ id }] = await trx('safeguarding_referral')
      .insert({
        reference,
        subject_id: subjectId,
        subject_is_child: input.subjectIsChild,
        referral_type: input.referralType,
        exploitation_types: [...new Set(input.exploitationTypes)],
        referring_organisation_id: ctx.viewer.organisation.id,
        receiving_organisation_id: receivingId,
        urgency: input.urgency,
        consent_obtained: input.consentObtained,
        summary: input.summary.trim(),
        acknowledgement_due_at: trx.raw('now() + make_interval(hours => ?)', [acknowledgementHours(input.urgency)]),
        linked_threat_ids: threatIds,
        next_review_on: firstReviewOn('SafeguardingReferral', input, today()),
        protective_marking: input.protectiveMarking,
        sharing: Sharing.NAMED_ORGANISATIONS,
        shared_with: [receivingId],
        ...creationColumns(ctx.viewer),
      })
      .returning('id');
    await addToTimeline(trx, id, ctx.viewer, { kind: ReferralUpdateKind.STATUS_CHANGE, toStatus: ReferralStatus.SUBMITTED });
    const shareReason = input.sharingReason?.trim() || (input.consentObtained ? CONSENT_REASON : MS1_REASON);
    await addToTimeline(trx, id, ctx.viewer, { kind: ReferralUpdateKind.SHARE, shareReason, sharedWithOrganisationId: receivingId });
    return reload(scope, id);
  });
}

type Party = 'RECEIVING' | 'EITHER';

/**
 * Locks a referral for a change by one of its parties. lockForChange is for owners only, and
 * most moves belong to the receiving organisation, so referrals have their own: NOT_FOUND,
 * FORBIDDEN for an organisation that may not make the change, CONFLICT for a stale version.
 */
async function lockReferral(scope: ReadScope, globalId: string, expectedVersion: number, viewer: User, party: Party, action: string) {
  const { knex: trx } = scope;
  const id = requireGlobalId(globalId, 'SafeguardingReferral', 'input.id');
  // Through the access policy: a referral the caller may not read is missing, not forbidden (in both
  // layers); a reader who is not a party (the regional unit, for one linked to a threat) hears FORBIDDEN.
  const { row, locked } = await lockReadable(() => onlyReadable(trx('safeguarding_referral as rec').select('rec.*'), scope, 'REFERRAL', 'rec').where('rec.id', id));
  if (!row) throw new NotFoundError('Referral');
  const allowed = party === 'RECEIVING' ? [row.receiving_organisation_id] : [row.receiving_organisation_id, row.referring_organisation_id];
  if (!allowed.includes(viewer.organisation.id) || !locked) {
    throw new ForbiddenError(
      party === 'RECEIVING'
        ? `Only the receiving organisation can ${action} a referral.`
        : `Only the referring and receiving organisations can ${action} a referral.`,
    );
  }
  if (row.version !== expectedVersion) {
    throw new ConflictError(`This referral has changed since you read it (you sent version ${expectedVersion}; it is now ${row.version}). Reload it and apply your change again.`, {
      currentVersion: row.version,
    });
  }
  return row as Record<string, any> & { id: string; status: ReferralStatus; referral_type: ReferralType };
}

/**
 * One step along the lifecycle by the receiving organisation: only the next status is allowed
 * (an illegal move is refused naming the allowed one), the version moves on, and the timeline
 * records the change with its comment.
 */
async function moveReferral(
  ctx: Ctx,
  input: { id: string; expectedVersion: number; note?: string | null },
  target: ReferralStatus,
  action: string,
  more: (row: Record<string, any>, p: Problems, trx: Knex) => Record<string, unknown> = () => ({}),
): Promise<SafeguardingReferral> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const row = await lockReferral(scope, input.id, input.expectedVersion, ctx.viewer, 'RECEIVING', action);
    const p = new Problems();
    const next = referralTransitions[row.status];
    if (next?.to !== target) {
      p.add('', refusedMove('referral', row.status, target, next ? [next.to] : [], REFERRAL_STATUS_WORDS));
    }
    p.text(input.note, 'note', { required: false, max: 8000 });
    const changes = more(row, p, trx);
    p.throwIfAny();
    await saveVersion(trx, 'safeguarding_referral', row.id, ctx.viewer, { status: target, ...changes });
    await addToTimeline(trx, row.id, ctx.viewer, { kind: ReferralUpdateKind.STATUS_CHANGE, fromStatus: row.status, toStatus: target, text: input.note });
    return reload(scope, row.id);
  });
}

/** SUBMITTED → ACKNOWLEDGED, timed against the due time. */
export function acknowledgeReferral(ctx: Ctx, input: ReferralStepInput) {
  return moveReferral(ctx, input, ReferralStatus.ACKNOWLEDGED, 'acknowledge', (_row, _p, trx) => ({ acknowledged_at: trx.fn.now() }));
}

/** ACKNOWLEDGED → IN_PROGRESS. */
export function startReferralWork(ctx: Ctx, input: ReferralStepInput) {
  return moveReferral(ctx, input, ReferralStatus.IN_PROGRESS, 'start work on');
}

/** IN_PROGRESS → DECISION with the outcome; NRM decisions only for NRM referrals. */
export function recordReferralDecision(ctx: Ctx, input: ReferralDecisionInput) {
  return moveReferral(ctx, input, ReferralStatus.DECISION, 'record the decision on', (row, p) => {
    p.when(
      NRM_OUTCOMES.includes(input.outcome) && row.referral_type !== ReferralType.NRM_REFERRAL,
      'outcome',
      `${input.outcome} is an NRM decision; this is a ${row.referral_type} referral`,
    );
    return { outcome: input.outcome };
  });
}

/** DECISION → CLOSED. */
export function closeReferral(ctx: Ctx, input: ReferralStepInput) {
  return moveReferral(ctx, input, ReferralStatus.CLOSED, 'close');
}

/** A note on the timeline, from either party. */
export async function addReferralNote(ctx: Ctx, input: ReferralTextInput): Promise<SafeguardingReferral> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const row = await lockReferral(scope, input.id, input.expectedVersion, ctx.viewer, 'EITHER', 'add a note to');
    const p = new Problems();
    p.text(input.text, 'text', { max: 8000 });
    p.throwIfAny();
    await saveVersion(trx, 'safeguarding_referral', row.id, ctx.viewer, {});
    await addToTimeline(trx, row.id, ctx.viewer, { kind: ReferralUpdateKind.NOTE, text: input.text });
    return reload(scope, row.id);
  });
}

/** Feedback from the receiving organisation to the referrer; feedbackToReferrerAt is the latest. */
export async function recordReferralFeedback(ctx: Ctx, input: ReferralTextInput): Promise<SafeguardingReferral> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const row = await lockReferral(scope, input.id, input.expectedVersion, ctx.viewer, 'RECEIVING', 'give feedback on');
    const p = new Problems();
    p.text(input.text, 'text', { max: 8000 });
    p.throwIfAny();
    await saveVersion(trx, 'safeguarding_referral', row.id, ctx.viewer, { feedback_to_referrer_at: trx.fn.now() });
    await addToTimeline(trx, row.id, ctx.viewer, { kind: ReferralUpdateKind.FEEDBACK, text: input.text });
    return reload(scope, row.id);
  });
}
