import type { Knex } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import { NAMED, readableQuery } from '../../access/references';
import type { RequestContext } from '../../graphql/context';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { globalIdOrProblem, requireGlobalId, toGlobalId } from '../../graphql/global-id';
import { asDate } from '../../shared/sql';
import { Problems, today } from '../../shared/validation';
import { Role } from '../identity/identity.enums';
import type { User } from '../identity/user.entity';
import { managesThreat } from '../threats/threat.authority';
import { threatLoaders } from '../threats/threat.loaders';
import { onlyReadable } from '../../access/policy';
import { AssessmentStatus, PriorityBand, type Confidence } from './assessment.enums';
import type { AssessmentDecisionInput, AssessmentScoresInput, CreateAssessmentInput, PublishAssessmentModelInput, ReviseAssessmentInput } from './assessment.inputs';
import {
  HARM_FACTORS,
  LIKELIHOOD_FACTORS,
  POSITION_FACTORS,
  bandFor,
  defaultModel,
  modelDefinitionSchema,
  scoreAssessment,
  threatRisk,
  type FactorScores,
  type ModelDefinition,
} from './assessment-model';
import type { AssessmentModel, AssessmentModelPreview, PriorityBandMove, ThreatAssessment } from './assessment.types';
import { inSavepoint, type ReadScope } from '../../access/read-scope';
import { quotedStatus, statusAlternatives, type StatusWords } from '../../shared/plain-words';

type Ctx = Pick<RequestContext, 'db' | 'viewer'>;

const ASSESSORS = [Role.THREAT_ASSESSOR];
/** Who may approve or return an assessment: a second pair of eyes, never the assessor. */
const APPROVERS = [Role.THREAT_ASSESSOR, Role.SRO, Role.OCG_COORDINATOR];

function requireRole(viewer: User, roles: Role[], action: string): void {
  if (!viewer.roles.some((r) => roles.includes(r))) throw new ForbiddenError(`${action} needs one of these roles: ${roles.join(', ')}.`);
}

/*
 * Who may do what to an assessment (the two-person rule, and for which threats):
 * - create: a THREAT_ASSESSOR of an organisation that manages the threat (managesThreat: owns
 *   or leads it, or the regional unit), on a threat they can read;
 * - revise and submit: only its author (assessedBy), while DRAFT or RETURNED: a second assessor
 *   rewriting someone else's draft would leave the author's name on another's scores;
 * - approve and return: someone else than the author, holding an approving role, of an
 *   organisation that manages the threat.
 * An assessment of a threat the caller cannot read does not exist for them (NOT_FOUND).
 */

/** The threat as the caller may read it (both access layers), or null. */
function readableThreat(ctx: RequestContext, threatId: string) {
  return threatLoaders.threat(ctx).load(threatId);
}

function requireManages(ctx: RequestContext, threat: { owningOrganisationId: string; leadOrganisationId: string }, action: string): void {
  if (!managesThreat(ctx.viewer.organisation, threat)) {
    throw new ForbiddenError(`Only the organisation that owns or leads this threat, or the regional organised crime unit, can ${action} its assessments.`);
  }
}

/** Locks an assessment of a threat the caller can read and manages (NOT_FOUND for one they cannot read). */
async function lockManagedAssessment(ctx: RequestContext, scope: ReadScope, id: string, expectedVersion: number, from: AssessmentStatus[], action: string) {
  const row = await lockAssessment(scope, id, expectedVersion, from, action);
  const threat = await readableThreat(ctx, row.threat_id);
  if (!threat) throw new NotFoundError('Assessment');
  requireManages(ctx, threat, action);
  return row;
}

function requireAuthor(ctx: RequestContext, row: { assessed_by: string }, action: string): void {
  if (row.assessed_by !== ctx.viewer.id) throw new ForbiddenError(`Only the assessor who scored this assessment can ${action} it; return it to them, or make a new one.`);
}

/** The newest scoring model; the committed default becomes version 1 on first use. */
export async function currentModel(knex: Knex): Promise<{ version: number; definition: ModelDefinition }> {
  let row = await knex('assessment_model').orderBy('version', 'desc').first('version', 'definition');
  if (!row) {
    await knex('assessment_model').insert({ version: 1, definition: defaultModel, note: 'Committed default' }).onConflict('version').ignore();
    row = await knex('assessment_model').orderBy('version', 'desc').first('version', 'definition');
  }
  return { version: row.version, definition: modelDefinitionSchema.parse(row.definition) };
}

export function mapAssessment(row: Record<string, any>): ThreatAssessment {
  return {
    __typename: 'ThreatAssessment',
    id: toGlobalId('ThreatAssessment', row.id),
    dbId: row.id,
    threatId: row.threat_id,
    criminalActivityId: row.criminal_activity_id,
    assessedById: row.assessed_by,
    decidedById: row.decided_by,
    method: row.method,
    harm: row.scores.harm,
    likelihood: row.scores.likelihood,
    organisationalPosition: row.scores.organisationalPosition,
    confidence: row.confidence,
    rationale: row.rationale,
    modelVersion: row.model_version,
    harmScore: Number(row.harm_score),
    likelihoodScore: Number(row.likelihood_score),
    organisationalPositionScore: Number(row.organisational_position_score),
    riskScore: Number(row.risk_score),
    priority: row.priority,
    status: row.status,
    statusReason: row.status_reason,
    decidedAt: asDate(row.decided_at),
    reviewDue: row.review_due,
    createdAt: asDate(row.created_at),
    version: row.version,
  };
}

export async function assessmentsBy(scope: ReadScope, column: 'id' | 'threat_id' | 'criminal_activity_id', ids: readonly string[]): Promise<ThreatAssessment[]> {
  const { knex } = scope;
  return (await knex('threat_assessment').select('*').whereIn(column, ids as string[]).orderBy(['created_at', 'id'])).map(mapAssessment);
}

/** Every factor within the model's scale; problems name the factor (input.harm.physical). */
function checkScores(p: Problems, model: ModelDefinition, input: AssessmentScoresInput): void {
  const groups: [keyof FactorScores, readonly string[]][] = [
    ['harm', HARM_FACTORS],
    ['likelihood', LIKELIHOOD_FACTORS],
    ['organisationalPosition', POSITION_FACTORS],
  ];
  for (const [group, factors] of groups) {
    for (const factor of factors) {
      const value = (input[group] as unknown as Record<string, number>)[factor];
      p.when(value < model.scale.min || value > model.scale.max, `${group}.${factor}`, `must be between ${model.scale.min} and ${model.scale.max}`);
    }
  }
  p.text(input.rationale, 'rationale', { max: 8000 });
  if (input.reviewDue) p.when(input.reviewDue < today(), 'reviewDue', 'cannot be in the past');
}

function scoreColumns(model: { version: number; definition: ModelDefinition }, input: AssessmentScoresInput) {
  const scores: FactorScores = {
    harm: { ...input.harm },
    likelihood: { ...input.likelihood },
    organisationalPosition: { ...input.organisationalPosition },
  };
  const computed = scoreAssessment(model.definition, scores, input.confidence as Confidence);
  return {
    method: input.method,
    scores: JSON.stringify(scores),
    confidence: input.confidence,
    rationale: input.rationale.trim(),
    review_due: input.reviewDue ?? null,
    model_version: model.version,
    harm_score: computed.harmScore,
    likelihood_score: computed.likelihoodScore,
    organisational_position_score: computed.organisationalPositionScore,
    risk_score: computed.riskScore,
    priority: computed.priority,
  };
}

/** Scores a new draft assessment of a threat or of one of its activities with the current model. */
export async function createAssessment(ctx: RequestContext, input: CreateAssessmentInput): Promise<ThreatAssessment> {
  requireRole(ctx.viewer, ASSESSORS, 'Assessing a threat');
  const p = new Problems();
  const threatId = globalIdOrProblem(input.threatId, 'SocThreat', 'threatId', p);
  const threat = threatId ? await readableThreat(ctx, threatId) : null;
  if (threatId && !threat) p.add('threatId', 'no such threat');
  if (threat) requireManages(ctx, threat, 'make');
  return ctx.db.transaction(async (trx) => {
    let activityId: string | null = null;
    if (input.criminalActivityId) {
      activityId = globalIdOrProblem(input.criminalActivityId, 'CriminalActivity', 'criminalActivityId', p) ?? null;
      const activity = activityId ? await trx('criminal_activity').where({ id: activityId }).first('threat_id') : undefined;
      if (activityId && activity?.threat_id !== threatId) p.add('criminalActivityId', 'is not an activity of this threat');
    }
    const model = await currentModel(trx);
    checkScores(p, model.definition, input);
    p.throwIfAny();
    const [row] = await trx('threat_assessment')
      .insert({ threat_id: threatId, criminal_activity_id: activityId, assessed_by: ctx.viewer.id, ...scoreColumns(model, input) })
      .returning('*');
    return mapAssessment(row);
  });
}

/** An assessment's statuses in the web client's words (client/web/src/features/assessments/model.ts), where they differ from their spelling. */
const ASSESSMENT_STATUS_WORDS: StatusWords = { SUBMITTED: 'awaiting approval', RETURNED: 'returned for revision' };

/** Locks an assessment and checks its version; the status must be one of `from`. */
async function lockAssessment(scope: ReadScope, id: string, expectedVersion: number, from: AssessmentStatus[], action: string) {
  // Found only if its threat is readable, before its version or status is told: an assessment
  // of a hidden threat is as missing as none.
  const row = await readableQuery(scope, 'threat_assessment').select(`${NAMED}.*`).where(`${NAMED}.id`, id).forUpdate().first();
  if (!row) throw new NotFoundError('Assessment');
  if (row.version !== expectedVersion) {
    throw new ConflictError(`This assessment has changed since you read it (version ${row.version}, you sent ${expectedVersion}).`, { currentVersion: row.version });
  }
  if (!from.includes(row.status)) {
    throw new BadUserInputError([{ field: 'input.id', message: `cannot ${action} an assessment that is ${quotedStatus(row.status, ASSESSMENT_STATUS_WORDS)}; it must be ${statusAlternatives(from, ASSESSMENT_STATUS_WORDS)}` }]);
  }
  return row;
}

async function updateAssessment(trx: Knex.Transaction, id: string, changes: Record<string, unknown>): Promise<ThreatAssessment> {
  const [row] = await trx('threat_assessment')
    .update({ ...changes, version: trx.raw('version + 1'), updated_at: trx.fn.now() })
    .where({ id })
    .returning('*');
  return mapAssessment(row);
}

/** Rescores a draft or returned assessment (with the current model); it becomes a draft again. */
export async function reviseAssessment(ctx: RequestContext, input: ReviseAssessmentInput): Promise<ThreatAssessment> {
  requireRole(ctx.viewer, ASSESSORS, 'Revising an assessment');
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'ThreatAssessment', 'input.id');
    const row = await lockManagedAssessment(ctx, scope, id, input.expectedVersion, [AssessmentStatus.DRAFT, AssessmentStatus.RETURNED], 'revise');
    requireAuthor(ctx, row, 'revise');
    const model = await currentModel(trx);
    const p = new Problems();
    checkScores(p, model.definition, input);
    p.throwIfAny();
    return updateAssessment(trx, id, { ...scoreColumns(model, input), status: AssessmentStatus.DRAFT, status_reason: null });
  });
}

export async function submitAssessment(ctx: RequestContext, input: AssessmentDecisionInput): Promise<ThreatAssessment> {
  requireRole(ctx.viewer, ASSESSORS, 'Submitting an assessment');
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'ThreatAssessment', 'input.id');
    const row = await lockManagedAssessment(ctx, scope, id, input.expectedVersion, [AssessmentStatus.DRAFT, AssessmentStatus.RETURNED], 'submit');
    requireAuthor(ctx, row, 'submit');
    return updateAssessment(trx, id, { status: AssessmentStatus.SUBMITTED });
  });
}

/** Approves a submitted assessment (not one's own) and recomputes the threat's overall priority. */
export async function approveAssessment(ctx: RequestContext, input: AssessmentDecisionInput): Promise<ThreatAssessment> {
  requireRole(ctx.viewer, APPROVERS, 'Approving an assessment');
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'ThreatAssessment', 'input.id');
    const row = await lockManagedAssessment(ctx, scope, id, input.expectedVersion, [AssessmentStatus.SUBMITTED], 'approve');
    if (row.assessed_by === ctx.viewer.id) throw new ForbiddenError('An assessment needs a second pair of eyes: you cannot approve your own.');
    const approved = await updateAssessment(trx, id, { status: AssessmentStatus.APPROVED, decided_by: ctx.viewer.id, decided_at: trx.fn.now(), status_reason: null });
    await recomputeThreatPriority(trx, row.threat_id);
    return approved;
  });
}

export async function returnAssessment(ctx: RequestContext, input: AssessmentDecisionInput): Promise<ThreatAssessment> {
  requireRole(ctx.viewer, APPROVERS, 'Returning an assessment');
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'ThreatAssessment', 'input.id');
    const p = new Problems();
    p.text(input.reason, 'reason', { max: 2000 });
    p.throwIfAny();
    const row = await lockManagedAssessment(ctx, scope, id, input.expectedVersion, [AssessmentStatus.SUBMITTED], 'return');
    if (row.assessed_by === ctx.viewer.id) throw new ForbiddenError('An assessment needs a second pair of eyes: you cannot return your own; revise it instead.');
    return updateAssessment(trx, id, { status: AssessmentStatus.RETURNED, status_reason: input.reason!.trim(), decided_by: ctx.viewer.id, decided_at: trx.fn.now() });
  });
}

/**
 * A threat's overall risk and priority from the latest approved assessment of the whole threat
 * and of every one of its activities (see threatRisk), under the current model's bands.
 */
export async function recomputeThreatPriority(trx: Knex, threatId: string): Promise<void> {
  const rows: { criminal_activity_id: string | null; risk_score: string }[] = (
    await trx.raw(
      `select distinct on (criminal_activity_id) criminal_activity_id, risk_score
         from threat_assessment
        where threat_id = ? and status = 'APPROVED'
        order by criminal_activity_id nulls first, decided_at desc, id desc`,
      [threatId],
    )
  ).rows;
  const model = await currentModel(trx);
  const whole = rows.find((r) => r.criminal_activity_id === null);
  const risk = threatRisk(
    model.definition,
    whole ? Number(whole.risk_score) : null,
    rows.filter((r) => r.criminal_activity_id !== null).map((r) => Number(r.risk_score)),
  );
  await trx('soc_threat')
    .update({ risk_score: risk, priority: risk == null ? null : bandFor(model.definition, risk) })
    .where({ id: threatId });
}

export function mapModel(row: Record<string, any>): AssessmentModel {
  return { version: row.version, definition: row.definition, note: row.note, createdAt: asDate(row.created_at), createdById: row.created_by };
}

export async function getModel(knex: Knex, version?: number | null): Promise<AssessmentModel | null> {
  if (version == null) await currentModel(knex);
  const q = knex('assessment_model').select('*');
  const row = version == null ? await q.orderBy('version', 'desc').first() : await q.where({ version }).first();
  return row ? mapModel(row) : null;
}

/** The definition as the model's schema reads it, or BAD_USER_INPUT naming each field at fault (input.definition.harm.physical). */
function parseDefinition(definition: unknown): ModelDefinition {
  const parsed = modelDefinitionSchema.safeParse(definition);
  if (!parsed.success) {
    throw new BadUserInputError(
      parsed.error.issues.map((i) => ({ field: ['input', 'definition', ...i.path.map(String)].join('.'), message: plainMessage(i) })),
    );
  }
  return parsed.data;
}

/** A schema problem in the words a person filling the form reads (the refinements' own are already). */
function plainMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'array') return `needs exactly ${issue.minimum}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array' ? `needs exactly ${issue.maximum}` : `must be at most ${issue.maximum}`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'must be a whole number';
      if (issue.expected === 'number') return 'must be a number';
      return issue.expected === 'string' ? 'must be text' : 'is missing';
    case 'invalid_value':
      return `must be ${issue.values.map(String).join(' or ')}`;
    default:
      return issue.message;
  }
}

/** Publishes a new model version (admins). Existing assessments keep the version they were scored with. */
export async function publishAssessmentModel(ctx: Ctx, input: PublishAssessmentModelInput): Promise<AssessmentModel> {
  requireRole(ctx.viewer, [Role.ADMIN], 'Publishing an assessment model');
  const definition = parseDefinition(input.definition);
  return ctx.db.transaction(async (trx) => {
    // Publishers take turns, so two publishing at once cannot claim the same version number.
    await trx.raw("select pg_advisory_xact_lock(hashtext('assessment_model'))");
    const { version } = await currentModel(trx);
    const [row] = await trx('assessment_model')
      .insert({ version: version + 1, definition, note: input.note ?? null, created_by: ctx.viewer.id })
      .returning('*');
    return mapModel(row);
  });
}

/** How many move between bands, highest first. */
function movesOf(pairs: { from: PriorityBand | null; to: PriorityBand }[]): PriorityBandMove[] {
  const rank = (b: PriorityBand | null) => (b == null ? 99 : Object.values(PriorityBand).indexOf(b));
  const counts = new Map<string, PriorityBandMove>();
  for (const { from, to } of pairs) {
    const key = `${from}>${to}`;
    const move = counts.get(key) ?? { from, to, count: 0 };
    move.count++;
    counts.set(key, move);
  }
  return [...counts.values()].sort((a, b) => rank(a.from) - rank(b.from) || rank(a.to) - rank(b.to));
}

/**
 * What publishing `input` would change (admins), over what the caller can read: the latest
 * approved assessment of each threat and activity, rescored under the new model, against the
 * band it was given; and each threat's priority as the new model would work it out from those
 * assessments' stored risk scores (recomputeThreatPriority), against the one it has. Checked as
 * publishing checks it; nothing is written.
 */
export async function previewAssessmentModel(ctx: RequestContext, input: PublishAssessmentModelInput): Promise<AssessmentModelPreview> {
  requireRole(ctx.viewer, [Role.ADMIN], 'Previewing an assessment model');
  const next = parseDefinition(input.definition);
  const scope = ctx.access;
  const { knex } = scope;
  const current = (await getModel(knex))!;
  const rows: { threat_id: string; threat_priority: PriorityBand | null; criminal_activity_id: string | null; scores: FactorScores; confidence: Confidence; risk_score: string; priority: PriorityBand }[] =
    await onlyReadable(
      knex('threat_assessment as a')
        .join('soc_threat as t', 't.id', 'a.threat_id')
        .distinctOn(['a.threat_id', 'a.criminal_activity_id'])
        .select('a.threat_id', 't.priority as threat_priority', 'a.criminal_activity_id', 'a.scores', 'a.confidence', 'a.risk_score', 'a.priority')
        .where('a.status', AssessmentStatus.APPROVED)
        .orderBy(['a.threat_id', 'a.criminal_activity_id', { column: 'a.decided_at', order: 'desc' }, { column: 'a.id', order: 'desc' }]),
      scope,
      'THREAT',
      't',
    );
  const rescored = rows.map((r) => ({ from: r.priority, to: scoreAssessment(next, r.scores, r.confidence).priority }));
  const byThreat = new Map<string, typeof rows>();
  for (const r of rows) byThreat.set(r.threat_id, [...(byThreat.get(r.threat_id) ?? []), r]);
  const threats = [...byThreat.entries()].map(([threatId, assessed]) => {
    const whole = assessed.find((r) => r.criminal_activity_id === null);
    const risk = threatRisk(
      next,
      whole ? Number(whole.risk_score) : null,
      assessed.filter((r) => r.criminal_activity_id !== null).map((r) => Number(r.risk_score)),
    );
    return { threatId, from: assessed[0].threat_priority, to: bandFor(next, risk!) };
  });
  const changedAssessments = rescored.filter((m) => m.from !== m.to);
  const changedThreats = threats.filter((t) => t.from !== t.to);
  return {
    current,
    nextVersion: current.version + 1,
    approvedAssessments: rows.length,
    assessmentsChangingBand: changedAssessments.length,
    assessmentMoves: movesOf(changedAssessments),
    assessedThreats: threats.length,
    threatsChangingPriority: changedThreats.length,
    threatMoves: movesOf(changedThreats),
    threatChanges: changedThreats.slice(0, 25),
  };
}
