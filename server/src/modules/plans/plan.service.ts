import type { Knex } from '@mikro-orm/postgresql';
import { plainDate } from '../../shared/plain-dates';
import { auditNamedRecords } from '../reporting/reporting.audit';
import type { RequestContext } from '../../graphql/context';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { globalIdOrProblem, requireGlobalId, toGlobalId } from '../../graphql/global-id';
import { NAMED, readableQuery, readableRow } from '../../access/references';
import { accessColumns, creationColumns, lockForChange, requireExisting, saveVersion } from '../../shared/records';
import { Problems, addDays, today } from '../../shared/validation';
import { markingRank, Role } from '../identity/identity.enums';
import { managesThreat } from '../threats/threat.authority';
import { threatLoaders } from '../threats/threat.loaders';
import { ThreatStatus } from '../threats/threat.enums';
import { PlanActionStatus, PlanEntryKind, PlanStatus, planTransitions, type Strand, type Tactic } from './plan.enums';
import type {
  ActionInput,
  AddActionInput,
  AddObjectiveInput,
  AddPlanEntryInput,
  AddPlanPartnerInput,
  ChangePlanStatusInput,
  CreatePlanInput,
  ObjectiveInput,
  PlanDraftInput,
  RecordPlanReviewInput,
  RemovePlanPartInput,
  RemovePlanPartnerInput,
  ResolveIntelligenceGapInput,
  StrandExemptionInput,
  UpdateActionInput,
  UpdateObjectiveInput,
  UpdatePlanInput,
} from './plan.inputs';
import { gateInputOf, planLoaders } from './plan.loaders';
import { assessPlanQuality, withDraft, type GateDraft } from './plan.quality';
import { plansBy } from './plan.repository';
import type { FourPPlan } from './plan.types';
import { inSavepoint, type ReadScope } from '../../access/read-scope';
import { quotedStatus, refusedMove, statusAlternatives } from '../../shared/plain-words';

type Ctx = Pick<RequestContext, 'db' | 'viewer' | 'access'>;

/** Threat statuses under which a plan may be opened: the threat is adopted (docs/domain.md, one plan per adopted threat). */
const PLANNABLE_THREAT_STATUSES = [ThreatStatus.ADOPTED, ThreatStatus.UNDER_REVIEW];

const DEFAULT_REVIEW_FREQUENCY_DAYS = 90;

async function reload(scope: ReadScope, id: string): Promise<FourPPlan> {
  const [plan] = await plansBy(scope, 'p.id', [id]);
  return plan;
}

/** Locks a plan for change (owner only, current version) and returns its row. */
async function lockPlan(scope: ReadScope, ctx: Ctx, planId: string, expectedVersion: number): Promise<Record<string, any>> {
  return lockForChange(scope, 'fourp_plan', planId, expectedVersion, ctx.viewer, 'Plan');
}

/** Objectives, actions, partners and reviews belong to a live plan; a closed one only takes entries (learning, outcomes). */
function requireOpen(plan: { status?: string }, field = 'input'): void {
  if (plan.status === PlanStatus.CLOSED) {
    throw new BadUserInputError([{ field, message: 'the plan is closed; only intelligence gaps, outcomes and learning can still be recorded' }]);
  }
}

/** The plan a part (objective, action, entry) belongs to, locked for change. */
async function lockPartPlan(scope: ReadScope, ctx: Ctx, table: 'plan_objective' | 'plan_action' | 'plan_entry', type: string, partGlobalId: string, expectedVersion: number) {
  const partId = requireGlobalId(partGlobalId, type, 'input.id');
  // Found only if its plan is readable: a part of a hidden plan is as missing as none.
  const part = await readableRow(scope, table, partId, ['*']);
  if (!part) throw new NotFoundError(type.replace(/([a-z])([A-Z])/g, '$1 $2'));
  const plan = await lockPlan(scope, ctx, part.plan_id, expectedVersion);
  return { partId, part, plan };
}

/**
 * The plan of an action, locked for change. The plan's owner may change any of its actions; an
 * organisation that owns an action in someone else's plan (a partner's Prevent or Protect work)
 * may record its progress, the action's status, and nothing else: the plan is its owner's.
 */
async function lockActionPlan(scope: ReadScope, ctx: Ctx, input: UpdateActionInput) {
  const partId = requireGlobalId(input.id, 'PlanAction', 'input.id');
  const part = await readableRow(scope, 'plan_action', partId, ['*']);
  if (!part) throw new NotFoundError('Plan action');
  const org = ctx.viewer.organisation.id;
  const ownsAction = part.owner_organisation_id === org;
  const plan = await lockForChange(scope, 'fourp_plan', part.plan_id, input.expectedVersion, ctx.viewer, 'Plan', (row) => row.owning_organisation_id === org || ownsAction);
  if (plan.owning_organisation_id !== org) {
    const others = ACTION_DETAILS.filter((field) => input[field] !== undefined && input[field] !== null);
    if (others.length) {
      throw new ForbiddenError(`Your organisation owns this action, not the plan: you can change its status only (not ${others.join(', ')}).`);
    }
  }
  return { partId, part, plan };
}

/** What only the plan's owner may change about an action. */
const ACTION_DETAILS = ['strand', 'objectiveId', 'description', 'tactic', 'ownerOrganisationId', 'dueDate', 'addressesActivityIds'] as const;

function checkFrequency(p: Problems, days: number | null | undefined, field: string): void {
  if (days != null) p.when(!Number.isInteger(days) || days < 7 || days > 365, field, 'must be between 7 and 365 days');
}

/**
 * The LRO and SRO, decoded and checked: each must be a user holding that role. `undefined`
 * leaves a field alone; `null` clears it.
 */
async function officerIds(knex: Knex, p: Problems, refs: { lroId?: string | null; sroId?: string | null }) {
  const wanted: [keyof typeof refs, Role][] = [
    ['lroId', Role.LRO],
    ['sroId', Role.SRO],
  ];
  const out: { lroId?: string | null; sroId?: string | null } = {};
  for (const [field, role] of wanted) {
    const ref = refs[field];
    if (ref === undefined) continue;
    if (ref === null) {
      out[field] = null;
      continue;
    }
    const id = globalIdOrProblem(ref, 'User', field, p);
    if (!id) continue;
    const user = await knex('app_user').where({ id }).first('roles', 'active');
    if (!user) p.add(field, 'no such user');
    else if (!user.roles.includes(role)) p.add(field, `must be a user with the ${role} role`);
    else if (!user.active) p.add(field, 'is not an active user');
    else out[field] = id;
  }
  return out;
}

/** Exemptions as the stored map strand → reason; each reason required, each strand once. */
function exemptionColumn(p: Problems, list: StrandExemptionInput[], field: string): Record<string, string> {
  const map: Record<string, string> = {};
  list.forEach((e, i) => {
    p.text(e.reason, `${field}[${i}].reason`, { max: 2000 });
    if (p.when(e.strand in map, `${field}[${i}].strand`, `${e.strand} is listed more than once`)) return;
    map[e.strand] = e.reason?.trim() ?? '';
  });
  return map;
}

/** A strand cannot both have objectives and be recorded as not applying. */
async function checkExemptionsAgainstObjectives(knex: Knex, p: Problems, planId: string, list: StrandExemptionInput[], field: string) {
  const withObjectives = new Set((await knex('plan_objective').select('strand').where({ plan_id: planId })).map((r) => r.strand));
  list.forEach((e, i) => {
    p.when(withObjectives.has(e.strand), `${field}[${i}].strand`, `${e.strand} has objectives; remove them before recording that it does not apply`);
  });
}

/**
 * Opens the 4P plan of an adopted threat, owned by the caller's organisation, which must manage
 * the threat (managesThreat: a partner owning a plan would read the gate's messages, which quote
 * intelligence withheld from it). One plan per threat: a second is CONFLICT.
 */
export async function createPlan(ctx: RequestContext, input: CreatePlanInput): Promise<FourPPlan> {
  const p = new Problems();
  const threatId = globalIdOrProblem(input.threatId, 'SocThreat', 'threatId', p);
  // Read as threats are read everywhere (both access layers): one the caller may not see is "no such threat".
  const threat = threatId ? await threatLoaders.threat(ctx).load(threatId) : null;
  if (threatId && !threat) p.add('threatId', 'no such threat');
  if (threat && !managesThreat(ctx.viewer.organisation, threat)) {
    throw new ForbiddenError("Only the organisation that owns or leads this threat, or the regional organised crime unit, can open its plan.");
  }
  if (threat && !PLANNABLE_THREAT_STATUSES.includes(threat.status)) {
    p.add('threatId', `a plan needs an adopted threat (${statusAlternatives(PLANNABLE_THREAT_STATUSES)}); this one is ${quotedStatus(threat.status)}`);
  }
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const officers = await officerIds(trx, p, { lroId: input.lroId ?? null, sroId: input.sroId ?? null });
    checkFrequency(p, input.reviewFrequencyDays, 'reviewFrequencyDays');
    const exemptions = exemptionColumn(p, input.strandExemptions ?? [], 'strandExemptions');
    const access = await accessColumns(trx, input.access, p);
    p.throwIfAny();

    // Named only when the caller may read it: the one-plan rule has to say a plan exists, but a
    // plan hidden from the caller must not be identified (the insert's conflict below answers it).
    const existing = await readableQuery(scope, 'fourp_plan').where(`${NAMED}.threat_id`, threatId).first(`${NAMED}.id`);
    if (existing) throw new ConflictError('This threat already has a plan; there is one plan per threat.', { planId: toGlobalId('FourPPlan', existing.id) });
    const inserted = await trx('fourp_plan')
      .insert({
        threat_id: threatId,
        lro_id: officers.lroId ?? null,
        sro_id: officers.sroId ?? null,
        review_frequency_days: input.reviewFrequencyDays ?? DEFAULT_REVIEW_FREQUENCY_DAYS,
        strand_exemptions: JSON.stringify(exemptions),
        ...access,
        ...creationColumns(ctx.viewer),
      })
      .onConflict('threat_id')
      .ignore()
      .returning('id');
    // Someone else opened one between our check and our insert.
    if (!inserted.length) throw new ConflictError('This threat already has a plan that is not shared with you; there is one plan per threat.');
    return reload(scope, inserted[0].id);
  });
}

/** Changes a plan's officers, review frequency, exemptions or access; only the fields given change. */
export async function updatePlan(ctx: Ctx, input: UpdatePlanInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'FourPPlan', 'input.id');
    await lockPlan(scope, ctx, id, input.expectedVersion);
    const p = new Problems();
    const changes: Record<string, unknown> = {};
    const officers = await officerIds(trx, p, { lroId: input.lroId, sroId: input.sroId });
    if (officers.lroId !== undefined) changes.lro_id = officers.lroId;
    if (officers.sroId !== undefined) changes.sro_id = officers.sroId;
    if (input.reviewFrequencyDays != null) {
      checkFrequency(p, input.reviewFrequencyDays, 'reviewFrequencyDays');
      changes.review_frequency_days = input.reviewFrequencyDays;
    }
    if (input.strandExemptions != null) {
      changes.strand_exemptions = JSON.stringify(exemptionColumn(p, input.strandExemptions, 'strandExemptions'));
      await checkExemptionsAgainstObjectives(trx, p, id, input.strandExemptions, 'strandExemptions');
    }
    if (input.access) Object.assign(changes, await accessColumns(trx, input.access, p));
    p.throwIfAny();
    await saveVersion(trx, 'fourp_plan', id, ctx.viewer, changes);
    return reload(scope, id);
  });
}

/**
 * Moves a plan along DRAFT → ACTIVE ⇄ UNDER_REVIEW → CLOSED (ACTIVE may also close). Illegal
 * moves are BAD_USER_INPUT naming the allowed ones; closing needs a reason; becoming active
 * starts the review clock when no review is due yet.
 */
export async function changePlanStatus(ctx: Ctx, input: ChangePlanStatusInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'FourPPlan', 'input.id');
    const row = await lockPlan(scope, ctx, id, input.expectedVersion);
    const from = row.status as PlanStatus;
    const allowed = planTransitions[from];
    const p = new Problems();
    if (!allowed.includes(input.status)) {
      p.add('status', refusedMove('plan', from, input.status, allowed));
      p.throwIfAny();
    }
    const closing = input.status === PlanStatus.CLOSED;
    if (closing) p.text(input.closureReason, 'closureReason', { max: 2000 });
    else p.when(input.closureReason != null, 'closureReason', 'only applies when closing a plan');
    p.throwIfAny();

    const changes: Record<string, unknown> = { status: input.status, closure_reason: closing ? input.closureReason!.trim() : null };
    if (input.status === PlanStatus.ACTIVE && !row.next_review_due) changes.next_review_due = addDays(today(), row.review_frequency_days);
    await saveVersion(trx, 'fourp_plan', id, ctx.viewer, changes);
    return reload(scope, id);
  });
}

function checkObjective(p: Problems, o: ObjectiveInput, field: string): void {
  p.text(o.description, `${field}.description`, { max: 4000 });
  p.text(o.successMeasure, `${field}.successMeasure`, { required: false, max: 4000 });
}

function objectiveColumns(o: ObjectiveInput) {
  return { strand: o.strand, description: o.description.trim(), success_measure: o.successMeasure?.trim() || null };
}

/** An objective cannot go under a strand recorded as not applying; `exemptions` is the stored map strand → reason. */
function checkNotExempt(p: Problems, exemptions: Record<string, string> | null, strand: Strand, field: string): void {
  p.when(exemptions?.[strand] != null, field, `${strand} is recorded as not applying to this threat; remove that exemption first`);
}

export async function addObjective(ctx: Ctx, input: AddObjectiveInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.planId, 'FourPPlan', 'input.planId');
    const plan = await lockPlan(scope, ctx, id, input.expectedVersion);
    requireOpen(plan);
    const p = new Problems();
    checkObjective(p, input.objective, 'objective');
    checkNotExempt(p, plan.strand_exemptions, input.objective.strand, 'objective.strand');
    p.throwIfAny();
    await trx('plan_objective').insert({ plan_id: id, ...objectiveColumns(input.objective) });
    await saveVersion(trx, 'fourp_plan', id, ctx.viewer, {});
    return reload(scope, id);
  });
}

/** Rewrites an objective; its strand can only change when none of its actions is under the old one. */
export async function updateObjective(ctx: Ctx, input: UpdateObjectiveInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const { partId, part, plan } = await lockPartPlan(scope, ctx, 'plan_objective', 'PlanObjective', input.id, input.expectedVersion);
    requireOpen(plan);
    const p = new Problems();
    checkObjective(p, input.objective, 'objective');
    if (input.objective.strand !== part.strand) {
      checkNotExempt(p, plan.strand_exemptions, input.objective.strand, 'objective.strand');
      const [{ count }] = await trx('plan_action').where({ objective_id: partId }).whereNot({ strand: input.objective.strand }).count({ count: '*' });
      p.when(Number(count) > 0, 'objective.strand', `${count} action(s) under this objective are ${part.strand} actions; change or unlink them first`);
    }
    p.throwIfAny();
    await trx('plan_objective').update(objectiveColumns(input.objective)).where({ id: partId });
    await saveVersion(trx, 'fourp_plan', plan.id, ctx.viewer, {});
    return reload(scope, plan.id);
  });
}

/** Removes an objective; its actions stay in the plan, no longer under an objective. */
export async function removeObjective(ctx: Ctx, input: RemovePlanPartInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const { partId, plan } = await lockPartPlan(scope, ctx, 'plan_objective', 'PlanObjective', input.id, input.expectedVersion);
    requireOpen(plan);
    await trx('plan_objective').delete().where({ id: partId });
    await saveVersion(trx, 'fourp_plan', plan.id, ctx.viewer, {});
    return reload(scope, plan.id);
  });
}

/** An action's fields once merged, before checking. */
interface ActionFields {
  strand: Strand;
  objectiveId: string | null;
  description: string;
  tactic: Tactic;
  ownerOrganisationId: string;
  dueDate: string | null;
  status: PlanActionStatus;
  addressesActivityIds: string[];
}

/**
 * Checks an action against its plan and returns its columns: the objective belongs to the plan
 * and has the same strand, the owner organisation exists, and every activity addressed is one of
 * the plan's threat's. `prefix` is where the fields sit in the input ('action.' or '').
 */
async function actionColumns(knex: Knex, p: Problems, plan: Record<string, any>, a: ActionFields, prefix: string) {
  p.text(a.description, `${prefix}description`, { max: 4000 });
  let objectiveId: string | null = null;
  if (a.objectiveId) {
    objectiveId = globalIdOrProblem(a.objectiveId, 'PlanObjective', `${prefix}objectiveId`, p) ?? null;
    if (objectiveId) {
      const objective = await knex('plan_objective').where({ id: objectiveId }).first('plan_id', 'strand');
      if (!objective || objective.plan_id !== plan.id) p.add(`${prefix}objectiveId`, 'is not an objective of this plan');
      else p.when(objective.strand !== a.strand, `${prefix}objectiveId`, `is a ${objective.strand} objective; the action is ${a.strand}`);
    }
  }
  const ownerId = globalIdOrProblem(a.ownerOrganisationId, 'Organisation', `${prefix}ownerOrganisationId`, p);
  if (ownerId) await requireExisting(knex, 'organisation', [ownerId], p, `${prefix}ownerOrganisationId`);
  const activityIds = await threatActivityIds(knex, p, plan.threat_id, a.addressesActivityIds, `${prefix}addressesActivityIds`);
  return {
    strand: a.strand,
    objective_id: objectiveId,
    description: a.description?.trim(),
    tactic: a.tactic,
    owner_organisation_id: ownerId,
    due_date: a.dueDate,
    status: a.status,
    addresses_activity_ids: activityIds,
  };
}

/** The criminal activities an action addresses, decoded, each checked to be one of the plan's threat's; each once. */
async function threatActivityIds(knex: Knex, p: Problems, threatId: string, globalIds: string[], field: string): Promise<string[]> {
  const ids = globalIds.map((g, i) => globalIdOrProblem(g, 'CriminalActivity', `${field}[${i}]`, p));
  const ofThreat = new Set((await knex('criminal_activity').select('id').where({ threat_id: threatId })).map((r) => r.id));
  ids.forEach((id, i) => {
    if (id) p.when(!ofThreat.has(id), `${field}[${i}]`, "is not a criminal activity of this plan's threat");
  });
  return [...new Set(ids.filter((x): x is string => !!x))];
}

function actionFields(a: ActionInput): ActionFields {
  return { ...a, objectiveId: a.objectiveId ?? null, dueDate: a.dueDate ?? null, status: a.status ?? PlanActionStatus.PLANNED };
}

export async function addAction(ctx: Ctx, input: AddActionInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.planId, 'FourPPlan', 'input.planId');
    const plan = await lockPlan(scope, ctx, id, input.expectedVersion);
    requireOpen(plan);
    const p = new Problems();
    const columns = await actionColumns(trx, p, plan, actionFields(input.action), 'action.');
    p.throwIfAny();
    await trx('plan_action').insert({ plan_id: id, ...columns });
    await saveVersion(trx, 'fourp_plan', id, ctx.viewer, {});
    return reload(scope, id);
  });
}

/** Changes an action (its status, most often); only the fields given change. */
export async function updateAction(ctx: Ctx, input: UpdateActionInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const { partId, part, plan } = await lockActionPlan(scope, ctx, input);
    requireOpen(plan);
    const merged: ActionFields = {
      strand: input.strand ?? part.strand,
      objectiveId: input.objectiveId !== undefined ? input.objectiveId : part.objective_id && toGlobalId('PlanObjective', part.objective_id),
      description: input.description ?? part.description,
      tactic: input.tactic ?? part.tactic,
      ownerOrganisationId: input.ownerOrganisationId ?? toGlobalId('Organisation', part.owner_organisation_id),
      dueDate: input.dueDate !== undefined ? input.dueDate : part.due_date,
      status: input.status ?? part.status,
      addressesActivityIds: input.addressesActivityIds ?? (part.addresses_activity_ids as string[]).map((a) => toGlobalId('CriminalActivity', a)),
    };
    const p = new Problems();
    const columns = await actionColumns(trx, p, plan, merged, '');
    p.throwIfAny();
    await trx('plan_action').update({ ...columns, updated_at: trx.fn.now() }).where({ id: partId });
    await saveVersion(trx, 'fourp_plan', plan.id, ctx.viewer, {});
    return reload(scope, plan.id);
  });
}

/** Removes an action recorded in error; to stop one that was real, set its status to CANCELLED instead. */
export async function removeAction(ctx: Ctx, input: RemovePlanPartInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const { partId, plan } = await lockPartPlan(scope, ctx, 'plan_action', 'PlanAction', input.id, input.expectedVersion);
    requireOpen(plan);
    // Other records (disruptions) may refer to the action; the database says so rather than this module knowing them all.
    try {
      await trx('plan_action').delete().where({ id: partId });
    } catch (err) {
      if ((err as { code?: string }).code !== '23503') throw err;
      throw new BadUserInputError([{ field: 'input.id', message: 'other records (such as disruptions) refer to this action; set its status to CANCELLED instead' }]);
    }
    await saveVersion(trx, 'fourp_plan', plan.id, ctx.viewer, {});
    return reload(scope, plan.id);
  });
}

/** Names a partner organisation for one or more strands; naming it again replaces its strands and role. */
export async function addPlanPartner(ctx: Ctx, input: AddPlanPartnerInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.planId, 'FourPPlan', 'input.planId');
    const plan = await lockPlan(scope, ctx, id, input.expectedVersion);
    requireOpen(plan);
    const p = new Problems();
    const partner = await partnerFields(trx, p, input, '');
    p.text(input.role, 'role', { required: false, max: 1000 });
    p.throwIfAny();
    await trx('plan_partner')
      .insert({ plan_id: id, organisation_id: partner.organisationId, strands: partner.strands, role: input.role?.trim() || null })
      .onConflict(['plan_id', 'organisation_id'])
      .merge(['strands', 'role']);
    await saveVersion(trx, 'fourp_plan', id, ctx.viewer, {});
    return reload(scope, id);
  });
}

/** A partner's organisation (which must exist) and strands (at least one, each once); `prefix` is where they sit in the input. */
async function partnerFields(knex: Knex, p: Problems, input: { organisationId: string; strands: Strand[] }, prefix: string) {
  const organisationId = globalIdOrProblem(input.organisationId, 'Organisation', `${prefix}organisationId`, p);
  if (organisationId) await requireExisting(knex, 'organisation', [organisationId], p, `${prefix}organisationId`);
  p.when(input.strands.length === 0, `${prefix}strands`, 'name at least one strand');
  return { organisationId: organisationId ?? '', strands: [...new Set(input.strands)] };
}

export async function removePlanPartner(ctx: Ctx, input: RemovePlanPartnerInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.planId, 'FourPPlan', 'input.planId');
    const plan = await lockPlan(scope, ctx, id, input.expectedVersion);
    requireOpen(plan);
    const organisationId = requireGlobalId(input.organisationId, 'Organisation', 'input.organisationId');
    const removed = await trx('plan_partner').delete().where({ plan_id: id, organisation_id: organisationId });
    if (!removed) throw new BadUserInputError([{ field: 'input.organisationId', message: 'is not a partner in this plan' }]);
    await saveVersion(trx, 'fourp_plan', id, ctx.viewer, {});
    return reload(scope, id);
  });
}

/** Records an intelligence gap, an outcome or learning; closed plans still take them. */
export async function addPlanEntry(ctx: Ctx, input: AddPlanEntryInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.planId, 'FourPPlan', 'input.planId');
    await lockPlan(scope, ctx, id, input.expectedVersion);
    const p = new Problems();
    p.text(input.text, 'text', { max: 4000 });
    const recordedOn = input.recordedOn ?? today();
    p.when(recordedOn > today(), 'recordedOn', 'cannot be in the future');
    p.throwIfAny();
    await trx('plan_entry').insert({ plan_id: id, kind: input.kind, text: input.text.trim(), recorded_on: recordedOn, recorded_by: ctx.viewer.id });
    await saveVersion(trx, 'fourp_plan', id, ctx.viewer, {});
    return reload(scope, id);
  });
}

/** Marks an intelligence gap as filled, saying how. */
export async function resolveIntelligenceGap(ctx: Ctx, input: ResolveIntelligenceGapInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const { partId, part, plan } = await lockPartPlan(scope, ctx, 'plan_entry', 'PlanEntry', input.id, input.expectedVersion);
    const p = new Problems();
    if (part.kind !== PlanEntryKind.INTELLIGENCE_GAP) p.add('id', `is ${part.kind === PlanEntryKind.OUTCOME ? 'an outcome' : 'learning'}; only intelligence gaps are resolved`);
    else if (part.resolved_on != null) p.add('id', `this gap was already resolved on ${plainDate(part.resolved_on)}`);
    p.text(input.resolution, 'resolution', { max: 4000 });
    const resolvedOn = input.resolvedOn ?? today();
    p.when(resolvedOn > today(), 'resolvedOn', 'cannot be in the future');
    p.when(resolvedOn < part.recorded_on, 'resolvedOn', `cannot be before the gap was recorded (${plainDate(part.recorded_on)})`);
    p.throwIfAny();
    await trx('plan_entry').update({ resolved_on: resolvedOn, resolved_by: ctx.viewer.id, resolution: input.resolution.trim() }).where({ id: partId });
    await saveVersion(trx, 'fourp_plan', plan.id, ctx.viewer, {});
    return reload(scope, plan.id);
  });
}

/**
 * Records a review of the plan. The next review falls reviewFrequencyDays after the latest
 * review recorded, so entering an older review late never brings the due date forward.
 */
export async function recordPlanReview(ctx: Ctx, input: RecordPlanReviewInput): Promise<FourPPlan> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.planId, 'FourPPlan', 'input.planId');
    const plan = await lockPlan(scope, ctx, id, input.expectedVersion);
    requireOpen(plan);
    const p = new Problems();
    p.when(input.date > today(), 'date', 'cannot be in the future');
    p.text(input.forum, 'forum', { max: 200 });
    p.text(input.decisions, 'decisions', { max: 8000 });
    let reviewerId: string | undefined = ctx.viewer.id;
    if (input.reviewerId != null) {
      reviewerId = globalIdOrProblem(input.reviewerId, 'User', 'reviewerId', p);
      if (reviewerId) await requireExisting(trx, 'app_user', [reviewerId], p, 'reviewerId');
    }
    p.throwIfAny();
    await trx('plan_review').insert({ plan_id: id, review_date: input.date, reviewer_id: reviewerId, forum: input.forum.trim(), decisions: input.decisions.trim() });
    const [{ latest }] = await trx('plan_review').where({ plan_id: id }).max({ latest: 'review_date' });
    await saveVersion(trx, 'fourp_plan', id, ctx.viewer, { next_review_due: addDays(latest, plan.review_frequency_days) });
    return reload(scope, id);
  });
}

/**
 * The plan the caller may change, read as the plan is read everywhere (NOT_FOUND when missing or
 * not theirs to see, so the two cannot be told apart), without locking it: FORBIDDEN for another
 * organisation's plan, as the mutations answer (lockForChange).
 */
async function editablePlan(ctx: RequestContext, planGlobalId: string): Promise<FourPPlan> {
  const plan = await planLoaders.plan(ctx).load(requireGlobalId(planGlobalId, 'FourPPlan', 'planId'));
  if (!plan) throw new NotFoundError('Plan');
  if (plan.owningOrganisationId !== ctx.viewer.organisation.id) throw new ForbiddenError('Only the owning organisation can change this plan.');
  return plan;
}

/**
 * Checks a draft as the mutations that would save it check their input (same helpers, same
 * messages; fields named from `draft`) and returns it with ids decoded. Free text (descriptions,
 * roles) is not part of a draft: the gate does not read it, and the mutations check it on save.
 */
async function checkedDraft(knex: Knex, plan: FourPPlan, draft: PlanDraftInput): Promise<GateDraft> {
  const p = new Problems('draft');
  const objectives = draft.objectives ?? [];
  const actions = draft.actions ?? [];
  const partners = draft.partners ?? [];
  if (objectives.length || actions.length || partners.length) requireOpen(plan, 'draft');

  const officers = await officerIds(knex, p, { lroId: draft.lroId });
  let exemptions = Object.fromEntries(plan.strandExemptions.map((e) => [e.strand, e.reason]));
  if (draft.strandExemptions != null) {
    exemptions = exemptionColumn(p, draft.strandExemptions, 'strandExemptions');
    await checkExemptionsAgainstObjectives(knex, p, plan.dbId, draft.strandExemptions, 'strandExemptions');
  }
  objectives.forEach((o, i) => checkNotExempt(p, exemptions, o.strand, `objectives[${i}].strand`));
  const checkedActions = await Promise.all(
    actions.map(async (a, i) => ({
      status: a.status ?? PlanActionStatus.PLANNED,
      addressesActivityIds: await threatActivityIds(knex, p, plan.threatId, a.addressesActivityIds, `actions[${i}].addressesActivityIds`),
    })),
  );
  const checkedPartners = await Promise.all(partners.map((partner, i) => partnerFields(knex, p, partner, `partners[${i}].`)));
  p.throwIfAny();
  return {
    lroId: officers.lroId,
    strandExemptions: draft.strandExemptions?.map((e) => ({ strand: e.strand })),
    objectives: objectives.map((o) => ({ strand: o.strand })),
    actions: checkedActions,
    partners: checkedPartners,
  };
}

/**
 * The quality gate of a plan as it would be with the editor's unsaved changes saved: the saved
 * plan, the draft applied by withDraft, and the gate's one implementation (assessPlanQuality).
 * Only for those who may change the plan; it writes nothing. Reading the plan's gate is reading
 * the plan, so it is audited as a read of it (and needs a stated purpose when the plan is
 * sensitive), as `node(id)` on the plan would be.
 */
export async function previewPlanQuality(ctx: RequestContext, planGlobalId: string, draft: PlanDraftInput) {
  const plan = await editablePlan(ctx, planGlobalId);
  const checked = await checkedDraft(ctx.db.knex, plan, draft);
  auditNamedRecords(ctx, [{ type: 'FourPPlan', dbId: plan.dbId, sensitive: markingRank(plan.protectiveMarking) >= 1 }], 'planQualityPreview');
  return assessPlanQuality(withDraft(await gateInputOf(ctx, plan), checked));
}

/** The roles a plan names an officer for (lroId, sroId). */
const OFFICER_ROLES: Role[] = [Role.LRO, Role.SRO];

/**
 * Who the editor offers as the plan's LRO (or SRO): the active users holding that role, the
 * plan's owning organisation's first, then by name. It is exactly what updatePlan accepts
 * (officerIds): the region's LROs often sit in SEROCU, which manages plans regionally, so a
 * force's plan may name one of them. Only for those who may change the plan, as the preview.
 */
export async function planOfficerCandidates(ctx: RequestContext, planGlobalId: string, role: Role): Promise<string[]> {
  const p = new Problems('');
  p.when(!OFFICER_ROLES.includes(role), 'role', `must be one of ${OFFICER_ROLES.join(', ')}`);
  p.throwIfAny();
  const plan = await editablePlan(ctx, planGlobalId);
  const rows = await ctx.db
    .knex('app_user')
    .select('id')
    .where('active', true)
    .whereRaw('? = any(roles)', [role])
    .orderByRaw('(organisation_id = ?) desc, display_name, id', [plan.owningOrganisationId]);
  return rows.map((r) => r.id);
}
