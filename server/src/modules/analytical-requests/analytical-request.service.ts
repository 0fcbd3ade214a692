import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import { requireReadable } from '../../access/references';
import { databaseNow } from '../../db/clock';
import type { RequestContext } from '../../graphql/context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { globalIdOrProblem, requireGlobalId } from '../../graphql/global-id';
import { creationColumns, lockReadable, saveVersion } from '../../shared/records';
import { randomReference } from '../../shared/reference';
import { Sharing } from '../../shared/sharing';
import { Problems, isIsoDate, today } from '../../shared/validation';
import { markingRank, OrganisationType, Role } from '../identity/identity.enums';
import { AnalyticalRequestMove as Move, type AnalyticalRequestStatus } from './analytical-request.enums';
import type { AnalyticalRequestStepInput, AssignAnalyticalRequestInput, CreateAnalyticalRequestInput, DeclineAnalyticalRequestInput } from './analytical-request.inputs';
import { MOVES, WHO_MOVES, isMover, isRegionalManager, transitionProblem } from './analytical-request.moves';
import { requestsByIds } from './analytical-request.repository';
import type { AnalyticalRequest } from './analytical-request.types';
import { inSavepoint, type ReadScope } from '../../access/read-scope';

type Ctx = Pick<RequestContext, 'db' | 'viewer' | 'access'>;

const LABEL = 'Analytical request';
const MAX_QUESTION = 4000;
const MAX_EXPLANATION = 2000;

async function reload(scope: ReadScope, id: string): Promise<AnalyticalRequest> {
  return (await requestsByIds(scope, [id]))[0];
}

/** The threat or plan a request supports: exactly one, and one the requester may read (a hidden one is as missing as one that does not exist). */
async function supportedRecord(scope: ReadScope, p: Problems, input: CreateAnalyticalRequestInput): Promise<{ threat_id: string | null; plan_id: string | null }> {
  if (input.threatId && input.planId) {
    p.add('planId', 'give the threat or the plan the analysis supports, not both');
    return { threat_id: null, plan_id: null };
  }
  if (!input.threatId && !input.planId) {
    p.add('threatId', 'name the threat or the plan the analysis supports');
    return { threat_id: null, plan_id: null };
  }
  if (input.threatId) {
    const id = globalIdOrProblem(input.threatId, 'SocThreat', 'threatId', p);
    if (id) await requireReadable(scope, p, 'soc_threat', id, 'threatId', 'threat');
    return { threat_id: id ?? null, plan_id: null };
  }
  const id = globalIdOrProblem(input.planId!, 'FourPPlan', 'planId', p);
  if (id) await requireReadable(scope, p, 'fourp_plan', id, 'planId', 'plan');
  return { threat_id: null, plan_id: id ?? null };
}

/**
 * A request is owned by the requesting organisation and shared by name with the region's
 * regional unit, which is how SEROCU reads every request of the region (the catalogue's common
 * reach: owner or sharing). The requester does not choose its sharing.
 */
async function sharedWithRegionalUnit(knex: Knex, ownOrganisationId: string): Promise<{ sharing: Sharing; shared_with: string[] }> {
  const units: string[] = (await knex('organisation').select('id').where('type', OrganisationType.ROCU).whereNot('id', ownOrganisationId)).map((r) => r.id);
  return units.length ? { sharing: Sharing.NAMED_ORGANISATIONS, shared_with: units } : { sharing: Sharing.OWNER_ONLY, shared_with: [] };
}

/** Makes a request for analysis, owned by the caller's organisation (law enforcement only). */
export async function createAnalyticalRequest(ctx: Ctx, input: CreateAnalyticalRequestInput): Promise<AnalyticalRequest> {
  if (!ctx.viewer.organisation.isLawEnforcement) throw new ForbiddenError('Only law enforcement organisations request analysis from the regional unit.');
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const p = new Problems();
    p.text(input.question, 'question', { max: MAX_QUESTION });
    p.when(!input.productType, 'productType', 'is required');
    p.when(!input.priority, 'priority', 'is required');
    if (!input.dueOn) p.add('dueOn', 'is required');
    else if (!p.when(!isIsoDate(input.dueOn), 'dueOn', 'must be a date, YYYY-MM-DD')) p.when(input.dueOn < today(), 'dueOn', 'cannot be in the past');
    if (!input.protectiveMarking) p.add('protectiveMarking', 'is required');
    else p.when(markingRank(input.protectiveMarking) > markingRank(ctx.viewer.clearance), 'protectiveMarking', 'is above your clearance');
    const supported = await supportedRecord(scope, p, input);
    p.throwIfAny();
    const [{ id }] = await trx('analytical_request')
      .insert({
        reference: randomReference('AR', new Date(databaseNow()).getUTCFullYear()),
        question: input.question!.trim(),
        product_type: input.productType,
        priority: input.priority,
        due_on: input.dueOn,
        ...supported,
        protective_marking: input.protectiveMarking,
        ...(await sharedWithRegionalUnit(trx, ctx.viewer.organisation.id)),
        ...creationColumns(ctx.viewer),
      })
      .returning('id');
    return reload(scope, id);
  });
}

/**
 * Locks a request for a move: missing when the caller may not read it; FORBIDDEN to whoever does
 * not make this move; CONFLICT for a stale version; BAD_USER_INPUT (at `input.id`) for a move its
 * status does not allow.
 */
async function lockForMove(scope: ReadScope, ctx: Ctx, input: AnalyticalRequestStepInput, move: Move): Promise<Record<string, any>> {
  const { knex: trx } = scope;
  const id = requireGlobalId(input.id, 'AnalyticalRequest', 'input.id');
  const { row, locked } = await lockReadable(() => onlyReadable(trx('analytical_request as rec').select('rec.*'), scope, 'ANALYTICAL_REQUEST', 'rec').where('rec.id', id));
  if (!row) throw new NotFoundError(LABEL);
  if (!isMover(ctx.viewer, MOVES[move].by, row.assigned_analyst_id) || !locked) throw new ForbiddenError(WHO_MOVES[MOVES[move].by]);
  if (row.version !== input.expectedVersion) {
    throw new ConflictError(`This analytical request has changed since you read it (you sent version ${input.expectedVersion}; it is now ${row.version}). Reload it and apply your change again.`, {
      currentVersion: row.version,
    });
  }
  const p = new Problems();
  const problem = transitionProblem(move, row.status as AnalyticalRequestStatus, row.assigned_analyst_id);
  if (problem) p.add('id', problem);
  p.throwIfAny();
  return row;
}

/** One move: checks it, writes the new status (if it has one) with the move's own columns. */
async function move(ctx: Ctx, input: AnalyticalRequestStepInput, which: Move, columns: (trx: Knex.Transaction, p: Problems, row: Record<string, any>) => Promise<Record<string, unknown>> | Record<string, unknown> = () => ({})) {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const row = await lockForMove(scope, ctx, input, which);
    const p = new Problems();
    const changes = await columns(trx, p, row);
    p.throwIfAny();
    const to = MOVES[which].to;
    await saveVersion(trx, 'analytical_request', row.id, ctx.viewer, { ...(to ? { status: to } : {}), ...changes });
    return reload(scope, row.id);
  });
}

/** REQUESTED → ACCEPTED, by a regional manager. */
export function acceptAnalyticalRequest(ctx: Ctx, input: AnalyticalRequestStepInput) {
  return move(ctx, input, Move.ACCEPT, (trx) => ({ accepted_at: trx.fn.now() }));
}

/** REQUESTED or ACCEPTED → DECLINED, with a reason code and words (LACK_OF_CAPACITY is the figure the unit needs). */
export function declineAnalyticalRequest(ctx: Ctx, input: DeclineAnalyticalRequestInput) {
  return move(ctx, input, Move.DECLINE, (trx, p) => {
    p.when(!input.reason, 'reason', 'is required');
    p.text(input.explanation, 'explanation', { max: MAX_EXPLANATION });
    return { decline_reason: input.reason, decline_explanation: input.explanation?.trim(), declined_at: trx.fn.now() };
  });
}

/** The active analysts of the caller's organisation, by name: whom a regional manager may assign (none for anyone else). */
export async function analystsForAssignment(ctx: Ctx): Promise<string[]> {
  if (!isRegionalManager(ctx.viewer)) return [];
  const rows = await analystsOf(ctx.db.knex, ctx.viewer.organisation.id).select('u.id').orderBy('u.display_name');
  return rows.map((r: { id: string }) => r.id);
}

/** Active users with the analyst role at the organisation: the one rule for who may be assigned. */
function analystsOf(knex: Knex, organisationId: string): Knex.QueryBuilder {
  return knex('app_user as u').where('u.organisation_id', organisationId).where('u.active', true).whereRaw('? = any (u.roles)', [Role.ANALYST]);
}

/** Assigns (or reassigns) an analyst of the regional unit to an accepted request or one in progress. */
export function assignAnalyticalRequest(ctx: Ctx, input: AssignAnalyticalRequestInput) {
  return move(ctx, input, Move.ASSIGN, async (trx, p) => {
    const analystId = globalIdOrProblem(input.analystId, 'User', 'analystId', p);
    if (!analystId) return {};
    const analyst = await analystsOf(trx, ctx.viewer.organisation.id).where('u.id', analystId).first('u.id');
    p.when(!analyst, 'analystId', 'no such analyst at your organisation');
    return { assigned_analyst_id: analystId };
  });
}

/** ACCEPTED → IN_PROGRESS, by the assigned analyst. */
export function startAnalyticalRequest(ctx: Ctx, input: AnalyticalRequestStepInput) {
  return move(ctx, input, Move.START);
}

/** IN_PROGRESS → DELIVERED, by the assigned analyst: on time when on or before the due date. */
export function deliverAnalyticalRequest(ctx: Ctx, input: AnalyticalRequestStepInput) {
  return move(ctx, input, Move.DELIVER, (trx) => ({ delivered_at: trx.fn.now() }));
}
