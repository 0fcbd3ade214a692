import type { Knex } from '@mikro-orm/postgresql';
import { readableRow } from '../../access/references';
import type { RequestContext } from '../../graphql/context';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { SortDirection, orderTerms, paginate, type Connection, type ConnectionArgs } from '../../graphql/connection';
import { globalIdOrProblem, requireGlobalId } from '../../graphql/global-id';
import { accessColumns, creationColumns, lockForChange, requireExisting, saveVersion } from '../../shared/records';
import { asDate } from '../../shared/sql';
import { Problems, today } from '../../shared/validation';
import { Role } from '../identity/identity.enums';
import type { User } from '../identity/user.entity';
import { type DisruptionLevel, DisruptionStatus, EDITABLE_STATUSES, ValidationDecision } from './disruption.enums';
import type {
  CreateDisruptionInput,
  DisruptionDecisionInput,
  DisruptionFilter,
  DisruptionsArgs,
  SubmitDisruptionInput,
  SupersedeDisruptionInput,
  UpdateDisruptionInput,
  ValidateDisruptionInput,
} from './disruption.inputs';
import { DisruptionOrderField } from './disruption.inputs';
import { disruptionQuery, disruptionsByIds, mapDisruption, type DisruptionCriteria } from './disruption.repository';
import {
  checkEntry,
  disruptionRules,
  illegalMove,
  isLateSubmission,
  isSeniorValidator,
  needsSeniorValidator,
  type DisruptionDraft,
  type EntryFacts,
} from './disruption.rules';
import type { Disruption, DisruptionRulesInfo } from './disruption.types';
import { inSavepoint, type ReadScope } from '../../access/read-scope';
import { quotedStatus, statusAlternatives } from '../../shared/plain-words';

type Ctx = Pick<RequestContext, 'db' | 'viewer' | 'access'>;

/** Re-reads a disruption after a change, inside the same transaction. */
async function reload(scope: ReadScope, id: string): Promise<Disruption> {
  return (await disruptionsByIds(scope, [id]))[0];
}

/** The rules in force, for the `disruptionRules` query. */
export function rulesInfo(): DisruptionRulesInfo {
  return { note: disruptionRules.note ?? null, levels: disruptionRules.levels, lateAfterDays: disruptionRules.lateAfterDays, majorClaimValidatorRoles: disruptionRules.majorClaimValidatorRoles };
}

// ---------------------------------------------------------------- entry rules

function organisationIds(refs: string[], p: Problems): string[] {
  return refs.map((g, i) => globalIdOrProblem(g, 'Organisation', `contributorIds[${i}]`, p)).filter((x): x is string => !!x);
}

function optionalRef(ref: string | null | undefined, type: string, field: string, p: Problems): string | null | undefined {
  return ref ? globalIdOrProblem(ref, type, field, p) : null;
}

function draftFromInput(input: CreateDisruptionInput, p: Problems): DisruptionDraft {
  return {
    threatId: globalIdOrProblem(input.threatId, 'SocThreat', 'threatId', p),
    criminalActivityId: optionalRef(input.criminalActivityId, 'CriminalActivity', 'criminalActivityId', p),
    planActionId: optionalRef(input.planActionId, 'PlanAction', 'planActionId', p),
    date: input.date ?? null,
    strand: input.strand ?? null,
    level: input.level ?? null,
    tactic: input.tactic ?? null,
    description: input.description ?? null,
    impactNarrative: input.impactNarrative ?? null,
    evidenceRefs: input.evidenceRefs ?? [],
    contributorIds: organisationIds(input.contributorIds ?? [], p),
  };
}

function draftFromRow(row: Record<string, any>): DisruptionDraft {
  return {
    threatId: row.threat_id,
    criminalActivityId: row.criminal_activity_id,
    planActionId: row.plan_action_id,
    date: row.date,
    strand: row.strand,
    level: row.level,
    tactic: row.tactic,
    description: row.description,
    impactNarrative: row.impact_narrative,
    evidenceRefs: row.evidence_refs,
    contributorIds: row.contributors,
  };
}

/** The stored draft with an update's fields laid over it: only the fields given change (null clears an optional reference). */
function overlay(d: DisruptionDraft, input: UpdateDisruptionInput, p: Problems): DisruptionDraft {
  const next = { ...d };
  if (input.threatId != null) next.threatId = globalIdOrProblem(input.threatId, 'SocThreat', 'threatId', p);
  if (input.criminalActivityId !== undefined) next.criminalActivityId = optionalRef(input.criminalActivityId, 'CriminalActivity', 'criminalActivityId', p);
  if (input.planActionId !== undefined) next.planActionId = optionalRef(input.planActionId, 'PlanAction', 'planActionId', p);
  if (input.contributorIds != null) next.contributorIds = organisationIds(input.contributorIds, p);
  for (const key of ['date', 'strand', 'level', 'tactic', 'description', 'impactNarrative', 'evidenceRefs'] as const) {
    if (input[key] != null) (next as Record<string, unknown>)[key] = input[key];
  }
  return next;
}

/**
 * Gathers what the entry rules need to know from the database: of the threat, activity and plan
 * action named, only those the caller may read (one they may not is "no such ...", as a missing one).
 */
async function entryFacts(scope: ReadScope, d: DisruptionDraft, claimingOrganisationId: string): Promise<EntryFacts> {
  const { knex } = scope;
  const threat = d.threatId ? await readableRow(scope, 'soc_threat', d.threatId, ['identified_on', 'assessed_on', 'closed_on']) : undefined;
  const activity = d.criminalActivityId ? await readableRow(scope, 'criminal_activity', d.criminalActivityId, ['threat_id']) : undefined;
  const action = d.planActionId ? await readableRow(scope, 'plan_action', d.planActionId, ['plan_id']) : undefined;
  const actionPlan = action ? await knex('fourp_plan').where({ id: action.plan_id }).first('threat_id') : undefined;
  return {
    threat: threat ? { identifiedOn: threat.identified_on, assessedOn: threat.assessed_on, closedOn: threat.closed_on } : null,
    activityThreatId: activity?.threat_id ?? null,
    planActionThreatId: actionPlan?.threat_id ?? null,
    claimingOrganisationId,
    today: today(),
  };
}

/** Every entry rule, problems added to `p`. */
async function checkDraft(scope: ReadScope, p: Problems, d: DisruptionDraft, claimingOrganisationId: string): Promise<void> {
  const { knex } = scope;
  await requireExisting(knex, 'organisation', d.contributorIds, p, 'contributorIds');
  checkEntry(p, d, await entryFacts(scope, d, claimingOrganisationId));
}

function draftColumns(d: DisruptionDraft) {
  return {
    threat_id: d.threatId,
    criminal_activity_id: d.criminalActivityId ?? null,
    plan_action_id: d.planActionId ?? null,
    date: d.date,
    strand: d.strand,
    level: d.level,
    tactic: d.tactic,
    description: d.description!.trim(),
    impact_narrative: d.impactNarrative!.trim(),
    evidence_refs: d.evidenceRefs.map((r) => r.trim()),
    contributors: [...new Set(d.contributorIds)],
  };
}

/**
 * A likely duplicate: an earlier live record (not REJECTED or SUPERSEDED) of the same threat,
 * date and tactic by the same organisation, or one where either side named the other as a
 * contributor (one event counts once, never once per agency). Flagged, never refused.
 */
async function findDuplicate(knex: Knex, d: DisruptionDraft, claimingOrganisationId: string, selfId?: string): Promise<string | null> {
  const q = knex('disruption')
    .first('id')
    .where({ threat_id: d.threatId, date: d.date, tactic: d.tactic })
    .whereNotIn('status', [DisruptionStatus.REJECTED, DisruptionStatus.SUPERSEDED])
    .where((w) =>
      w
        .where('claiming_organisation_id', claimingOrganisationId)
        .orWhereRaw('?::uuid = any (contributors)', [claimingOrganisationId])
        .orWhereIn('claiming_organisation_id', d.contributorIds),
    )
    .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  // Only records made before this one, so two duplicates never point at each other.
  if (selfId) q.whereNot('id', selfId).whereRaw('created_at < (select created_at from disruption where id = ?)', [selfId]);
  return (await q)?.id ?? null;
}

// ---------------------------------------------------------------- workflow

function refuseIllegalMove(from: DisruptionStatus, to: DisruptionStatus): void {
  const message = illegalMove(from, to);
  if (message) throw new BadUserInputError([{ field: 'input.id', message }]);
}

/** Locks a disruption for a validator's decision: validators are never of the owning organisation, so no owner check here. */
async function lockForDecision(scope: ReadScope, id: string, expectedVersion: number): Promise<Record<string, any>> {
  // Through the access rules, threat included: a validator may not decide on what they cannot see.
  const row = await disruptionQuery(scope).where('d.id', id).forUpdate().first();
  if (!row) throw new NotFoundError('Disruption');
  if (row.version !== expectedVersion) {
    throw new ConflictError(`This disruption has changed since you read it (you sent version ${expectedVersion}; it is now ${row.version}). Reload it and apply your change again.`, {
      currentVersion: row.version,
    });
  }
  return row;
}

/**
 * Who may decide on a claim: a DISRUPTION_VALIDATOR, of another organisation than the claimant
 * and not the person who made it; a MAJOR claim or MAJOR agreed level also needs the configured seniority.
 */
function checkValidator(viewer: User, row: Record<string, any>, levelAgreed?: DisruptionLevel | null): void {
  if (row.claiming_organisation_id === viewer.organisation.id) {
    throw new ForbiddenError(`A validator cannot decide on a claim from their own organisation (${viewer.organisation.code}): another organisation must validate it.`);
  }
  if (row.created_by === viewer.id) throw new ForbiddenError('A claim must be validated by another person than the claimant.');
  if (needsSeniorValidator(row.level, levelAgreed) && !isSeniorValidator(disruptionRules, viewer.roles)) {
    throw new ForbiddenError(
      `A MAJOR disruption (claimed or agreed) must be decided by a validator who also holds one of these roles: ${disruptionRules.majorClaimValidatorRoles.join(', ')}.`,
    );
  }
}

function requireValidatorRole(viewer: User, action: string): void {
  if (!viewer.roles.includes(Role.DISRUPTION_VALIDATOR)) throw new ForbiddenError(`${action} needs the ${Role.DISRUPTION_VALIDATOR} role.`);
}

/** Records a new DRAFT disruption claimed by the caller's organisation, checked against every entry rule. */
export async function createDisruption(ctx: Ctx, input: CreateDisruptionInput): Promise<Disruption> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const claimant = ctx.viewer.organisation.id;
    const p = new Problems();
    const d = draftFromInput(input, p);
    await checkDraft(scope, p, d, claimant);
    const access = await accessColumns(trx, input.access, p);
    p.throwIfAny();
    const [{ id }] = await trx('disruption')
      .insert({
        ...draftColumns(d),
        claiming_organisation_id: claimant,
        possible_duplicate_of: await findDuplicate(trx, d, claimant),
        ...access,
        ...creationColumns(ctx.viewer),
      })
      .returning('id');
    return reload(scope, id);
  });
}

/** Changes a DRAFT or RETURNED disruption (claiming organisation only); every entry rule is checked again. */
export async function updateDisruption(ctx: Ctx, input: UpdateDisruptionInput): Promise<Disruption> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'Disruption', 'input.id');
    const row = await lockForChange(scope, 'disruption', id, input.expectedVersion, ctx.viewer, 'Disruption');
    if (!EDITABLE_STATUSES.includes(row.status)) {
      throw new BadUserInputError([{ field: 'input.id', message: `only ${statusAlternatives(EDITABLE_STATUSES)} disruptions can be edited; this one is ${quotedStatus(row.status)}` }]);
    }
    const p = new Problems();
    const d = overlay(draftFromRow(row), input, p);
    await checkDraft(scope, p, d, row.claiming_organisation_id);
    const changes: Record<string, unknown> = draftColumns(d);
    if (input.access) Object.assign(changes, await accessColumns(trx, input.access, p));
    p.throwIfAny();
    changes.possible_duplicate_of = await findDuplicate(trx, d, row.claiming_organisation_id, id);
    await saveVersion(trx, 'disruption', id, ctx.viewer, changes);
    return reload(scope, id);
  });
}

/** The day the event was first reported: this record's first submission, or the one it corrects. */
async function firstReportedOn(trx: Knex, row: Record<string, any>): Promise<string> {
  let at = row.submitted_at;
  if (!at && row.supersedes_id) at = (await trx('disruption').where({ id: row.supersedes_id }).first('submitted_at'))?.submitted_at;
  return at ? asDate(at).toISOString().slice(0, 10) : today();
}

/**
 * Submits a DRAFT (or resubmits a RETURNED) claim for validation. The entry rules are checked
 * again (problems name the record's fields, `disruption.date`), the duplicate flag is refreshed,
 * and a claim first reported more than lateAfterDays after its date is flagged late.
 */
export async function submitDisruption(ctx: Ctx, input: SubmitDisruptionInput): Promise<Disruption> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'Disruption', 'input.id');
    const row = await lockForChange(scope, 'disruption', id, input.expectedVersion, ctx.viewer, 'Disruption');
    refuseIllegalMove(row.status, DisruptionStatus.SUBMITTED);
    const p = new Problems('disruption');
    const d = draftFromRow(row);
    await checkDraft(scope, p, d, row.claiming_organisation_id);
    p.throwIfAny();
    await saveVersion(trx, 'disruption', id, ctx.viewer, {
      status: DisruptionStatus.SUBMITTED,
      submitted_at: row.submitted_at ?? trx.fn.now(),
      is_late: isLateSubmission(disruptionRules, row.date, await firstReportedOn(trx, row)),
      possible_duplicate_of: await findDuplicate(trx, d, row.claiming_organisation_id, id),
      ...clearedDecision,
    });
    return reload(scope, id);
  });
}

const clearedDecision = { decision: null, decided_by: null, decided_at: null, level_agreed: null, strand_agreed: null, decision_reasons: null, status_reason: null };

/** Validates a submitted claim at an agreed level and strand; reasons are required where they differ from the claim. */
export async function validateDisruption(ctx: Ctx, input: ValidateDisruptionInput): Promise<Disruption> {
  requireValidatorRole(ctx.viewer, 'Validating a disruption');
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'Disruption', 'input.id');
    const row = await lockForDecision(scope, id, input.expectedVersion);
    refuseIllegalMove(row.status, DisruptionStatus.VALIDATED);
    checkValidator(ctx.viewer, row, input.levelAgreed);
    const p = new Problems();
    const differs = input.levelAgreed !== row.level || input.strandAgreed !== row.strand;
    if (!p.when(differs && !input.reasons?.trim(), 'reasons', 'is required when the agreed level or strand differs from the claim')) {
      p.text(input.reasons, 'reasons', { required: false, max: 2000 });
    }
    p.throwIfAny();
    await saveVersion(trx, 'disruption', id, ctx.viewer, {
      status: DisruptionStatus.VALIDATED,
      decision: ValidationDecision.VALIDATED,
      decided_by: ctx.viewer.id,
      decided_at: trx.fn.now(),
      level_agreed: input.levelAgreed,
      strand_agreed: input.strandAgreed,
      decision_reasons: input.reasons?.trim() || null,
      status_reason: null,
    });
    return reload(scope, id);
  });
}

/** Returns a submitted claim for correction, or rejects it; either needs a reason. */
async function decideAgainst(ctx: Ctx, input: DisruptionDecisionInput, decision: ValidationDecision.RETURNED | ValidationDecision.REJECTED): Promise<Disruption> {
  requireValidatorRole(ctx.viewer, decision === ValidationDecision.RETURNED ? 'Returning a disruption' : 'Rejecting a disruption');
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'Disruption', 'input.id');
    const row = await lockForDecision(scope, id, input.expectedVersion);
    refuseIllegalMove(row.status, decision as unknown as DisruptionStatus);
    checkValidator(ctx.viewer, row);
    const p = new Problems();
    p.text(input.reason, 'reason', { max: 2000 });
    p.throwIfAny();
    const reason = input.reason!.trim();
    await saveVersion(trx, 'disruption', id, ctx.viewer, {
      ...clearedDecision,
      status: decision,
      decision,
      decided_by: ctx.viewer.id,
      decided_at: trx.fn.now(),
      decision_reasons: reason,
      status_reason: reason,
    });
    return reload(scope, id);
  });
}

export const returnDisruption = (ctx: Ctx, input: DisruptionDecisionInput) => decideAgainst(ctx, input, ValidationDecision.RETURNED);
export const rejectDisruption = (ctx: Ctx, input: DisruptionDecisionInput) => decideAgainst(ctx, input, ValidationDecision.REJECTED);

/**
 * Corrects a VALIDATED disruption: it becomes SUPERSEDED (and stops counting) and a new DRAFT
 * copy that `supersedes` it is returned, to be edited, submitted and validated afresh.
 */
export async function supersedeDisruption(ctx: Ctx, input: SupersedeDisruptionInput): Promise<Disruption> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'Disruption', 'input.id');
    const row = await lockForChange(scope, 'disruption', id, input.expectedVersion, ctx.viewer, 'Disruption');
    refuseIllegalMove(row.status, DisruptionStatus.SUPERSEDED);
    const p = new Problems();
    p.text(input.reason, 'reason', { max: 2000 });
    p.throwIfAny();
    const [{ id: copyId }] = await trx('disruption')
      .insert({
        ...draftColumns(draftFromRow(row)),
        claiming_organisation_id: row.claiming_organisation_id,
        protective_marking: row.protective_marking,
        sharing: row.sharing,
        shared_with: row.shared_with,
        supersedes_id: id,
        ...creationColumns(ctx.viewer),
      })
      .returning('id');
    await saveVersion(trx, 'disruption', id, ctx.viewer, { status: DisruptionStatus.SUPERSEDED, superseded_by_id: copyId, status_reason: input.reason!.trim() });
    return reload(scope, copyId);
  });
}

// ---------------------------------------------------------------- lists

const orderColumns: Record<DisruptionOrderField, string> = {
  DATE: 'd.date',
  SUBMITTED_AT: 'd.submitted_at',
  UPDATED_AT: 'd.updated_at',
};

function criteria(filter: DisruptionFilter | null | undefined): DisruptionCriteria {
  if (!filter) return {};
  return {
    statuses: filter.status,
    threatIds: filter.threatIds?.map((g, i) => requireGlobalId(g, 'SocThreat', `filter.threatIds[${i}]`)),
    claimingOrganisationIds: filter.claimingOrganisationIds?.map((g, i) => requireGlobalId(g, 'Organisation', `filter.claimingOrganisationIds[${i}]`)),
    levels: filter.level,
    strands: filter.strand,
    dateFrom: filter.dateFrom,
    dateTo: filter.dateTo,
    isLate: filter.isLate,
    possibleDuplicate: filter.possibleDuplicate,
    text: filter.text,
  };
}

/** Disruptions, filtered and ordered (default: latest date first). */
export function listDisruptions(ctx: Ctx, args: DisruptionsArgs): Promise<Connection<Disruption>> {
  const order = orderTerms(args.orderBy, { field: DisruptionOrderField.DATE, direction: SortDirection.DESC }, orderColumns, 'd.id');
  return paginate(disruptionQuery(ctx.access, criteria(args.filter)), args, order, mapDisruption);
}

/** SUBMITTED claims the caller could validate (not their organisation's; MAJOR only with seniority), oldest first. */
export function validationQueue(ctx: Ctx, args: ConnectionArgs): Promise<Connection<Disruption>> {
  const q = disruptionQuery(ctx.access, {
    validatableBy: { organisationId: ctx.viewer.organisation.id, userId: ctx.viewer.id, seniorForMajor: isSeniorValidator(disruptionRules, ctx.viewer.roles) },
  });
  if (!ctx.viewer.roles.includes(Role.DISRUPTION_VALIDATOR)) q.whereRaw('false');
  return paginate(q, args, [
    { column: 'd.submitted_at', direction: SortDirection.ASC },
    { column: 'd.id', direction: SortDirection.ASC },
  ], mapDisruption);
}
