import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../graphql/context';
import { ConflictError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { globalIdOrProblem, requireGlobalId } from '../../graphql/global-id';
import { Problems } from '../../shared/validation';
import { plainDate } from '../../shared/plain-dates';
import { Role } from '../identity/identity.enums';
import type { User } from '../identity/user.entity';
import { AgreementStatus, DataCategory, agreementMoves, type AgreementMove } from './sharing.enums';
import type {
  AgreementStatusInput,
  CreateSharingAgreementInput,
  SetAccessRoleGrantsInput,
  SuspendSharingAgreementInput,
  UpdateSharingAgreementInput,
} from './sharing.inputs';
import { agreementsByIds, roleGrants, type AgreementScope } from './sharing.repository';
import type { AccessRoleGrant, InformationSharingAgreement } from './sharing.types';
import { quotedStatus } from '../../shared/plain-words';

type Ctx = RequestContext;
const TABLE = 'information_sharing_agreement';

/**
 * Which agreements the caller sees: administrators and auditors all of them, anyone else those
 * their organisation is party to. With the application layer switched off (tests of the
 * database layer), the query leaves it to row-level security, which states the same rule.
 */
export function agreementScope(ctx: Ctx): AgreementScope {
  const { roles } = ctx.viewer;
  if (!ctx.access.layers.application || roles.includes(Role.ADMIN) || roles.includes(Role.AUDITOR)) return { all: true };
  return { all: false, organisationId: ctx.viewer.organisation.id };
}

function requireAdmin(viewer: User, action: string): void {
  if (!viewer.roles.includes(Role.ADMIN)) throw new ForbiddenError(`${action} needs the ${Role.ADMIN} role.`);
}

/** Today as the database sees it: the same `current_date` the row-level security policies use. */
async function databaseToday(knex: Knex): Promise<string> {
  const { rows } = await knex.raw(`select current_date::text as today`);
  return rows[0].today;
}

async function reload(trx: Knex.Transaction, id: string): Promise<InformationSharingAgreement> {
  return (await agreementsByIds(trx, { all: true }, [id]))[0];
}

/** The agreement's row, locked for the rest of the transaction, at the version the caller last read. */
async function lockAgreement(trx: Knex.Transaction, globalId: string, expectedVersion: number): Promise<Record<string, any>> {
  const id = requireGlobalId(globalId, 'InformationSharingAgreement', 'input.id');
  const row = await trx(TABLE).select('*').where({ id }).forUpdate().first();
  if (!row) throw new NotFoundError('Sharing agreement');
  if (row.version !== expectedVersion) {
    throw new ConflictError(`This sharing agreement has changed since you read it (you sent version ${expectedVersion}; it is now ${row.version}). Reload it and apply your change again.`, {
      currentVersion: row.version,
    });
  }
  return row;
}

async function saveVersion(trx: Knex.Transaction, id: string, viewer: User, changes: Record<string, unknown>): Promise<void> {
  await trx(TABLE).update({ ...changes, version: trx.raw('version + 1'), updated_by: viewer.id, updated_at: trx.fn.now() }).where({ id });
}

/**
 * The parties: at least two distinct organisations that exist, at least one of them not law
 * enforcement (police organisations share among themselves without an agreement, so an
 * agreement between police only would grant nothing).
 */
async function checkParties(knex: Knex, globalIds: string[], p: Problems): Promise<string[]> {
  const ids = globalIds.map((g, i) => globalIdOrProblem(g, 'Organisation', `partyIds[${i}]`, p));
  const valid = [...new Set(ids.filter((x): x is string => !!x))];
  p.when(valid.length < ids.filter(Boolean).length, 'partyIds', 'names the same organisation twice');
  const found = valid.length ? await knex('organisation').select('id', 'is_law_enforcement').whereIn('id', valid) : [];
  ids.forEach((id, i) => p.when(!!id && !found.some((o) => o.id === id), `partyIds[${i}]`, 'no such organisation'));
  if (p.when(globalIds.length < 2, 'partyIds', 'name at least two organisations')) return valid;
  if (found.length === valid.length && found.every((o) => o.is_law_enforcement)) {
    p.add('partyIds', 'at least one party must be an organisation that is not law enforcement (police organisations need no agreement to share)');
  }
  return valid;
}

interface AgreementFields {
  title: string;
  legalGateways: string[];
  purposes: string[];
  dataCategories: string[];
  effectiveFrom: string;
  expiresOn: string;
}

/** Rules every agreement meets, whether new or a changed draft. */
function checkFields(p: Problems, a: AgreementFields): void {
  p.text(a.title, 'title', { max: 200 });
  p.when(a.legalGateways.length === 0, 'legalGateways', 'name at least one legal gateway');
  p.when(a.dataCategories.length === 0, 'dataCategories', 'name at least one kind of record the agreement covers');
  a.purposes.forEach((purpose, i) => p.text(purpose, `purposes[${i}]`, { max: 500 }));
  p.when(a.expiresOn <= a.effectiveFrom, 'expiresOn', 'must be after effectiveFrom');
}

/** Creates an agreement, DRAFT (the default) or straight away ACTIVE. Administrators only. */
export async function createAgreement(ctx: Ctx, input: CreateSharingAgreementInput): Promise<InformationSharingAgreement> {
  requireAdmin(ctx.viewer, 'Creating a sharing agreement');
  return ctx.db.transaction(async (trx) => {
    const p = new Problems();
    const status = input.status ?? AgreementStatus.DRAFT;
    const purposes = input.purposes ?? [];
    checkFields(p, { ...input, purposes });
    const parties = await checkParties(trx, input.partyIds, p);
    p.when(status !== AgreementStatus.DRAFT && status !== AgreementStatus.ACTIVE, 'status', 'a new agreement is DRAFT or ACTIVE');
    if (status === AgreementStatus.ACTIVE) {
      p.when(input.expiresOn <= (await databaseToday(trx)), 'expiresOn', 'has already come: an agreement that has ended cannot be created ACTIVE');
    }
    p.throwIfAny();
    const [{ id }] = await trx(TABLE)
      .insert({
        title: input.title.trim(),
        parties,
        legal_gateways: [...new Set(input.legalGateways)],
        purposes: purposes.map((x) => x.trim()),
        data_categories: [...new Set(input.dataCategories)],
        max_protective_marking: input.maxProtectiveMarking,
        effective_from: input.effectiveFrom,
        expires_on: input.expiresOn,
        status,
        created_by: ctx.viewer.id,
        updated_by: ctx.viewer.id,
      })
      .returning('id');
    return reload(trx, id);
  });
}

const DRAFT_ONLY_FIELDS = ['title', 'partyIds', 'legalGateways', 'purposes', 'dataCategories', 'maxProtectiveMarking', 'effectiveFrom'] as const;

/**
 * Changes a DRAFT agreement; of an ACTIVE one only expiresOn, and only later (what was agreed
 * and is in force is not rewritten: a new agreement is drafted instead). Administrators only.
 */
export async function updateAgreement(ctx: Ctx, input: UpdateSharingAgreementInput): Promise<InformationSharingAgreement> {
  requireAdmin(ctx.viewer, 'Changing a sharing agreement');
  return ctx.db.transaction(async (trx) => {
    const row = await lockAgreement(trx, input.id, input.expectedVersion);
    const p = new Problems();
    const changes: Record<string, unknown> = {};
    if (row.status === AgreementStatus.ACTIVE) {
      for (const field of DRAFT_ONLY_FIELDS) {
        p.when(input[field] != null, field, 'can only be changed while the agreement is DRAFT; of an ACTIVE agreement only expiresOn can be extended');
      }
      if (input.expiresOn != null) {
        p.when(input.expiresOn <= row.expires_on, 'expiresOn', `can only be extended beyond ${plainDate(row.expires_on)} while the agreement is ACTIVE`);
        changes.expires_on = input.expiresOn;
      }
    } else if (row.status === AgreementStatus.DRAFT) {
      const merged = {
        title: input.title ?? row.title,
        legalGateways: input.legalGateways ?? row.legal_gateways,
        purposes: input.purposes ?? row.purposes,
        dataCategories: input.dataCategories ?? row.data_categories,
        effectiveFrom: input.effectiveFrom ?? row.effective_from,
        expiresOn: input.expiresOn ?? row.expires_on,
      };
      checkFields(p, merged);
      if (input.partyIds != null) changes.parties = await checkParties(trx, input.partyIds, p);
      if (input.title != null) changes.title = input.title.trim();
      if (input.legalGateways != null) changes.legal_gateways = [...new Set(input.legalGateways)];
      if (input.purposes != null) changes.purposes = input.purposes.map((x) => x.trim());
      if (input.dataCategories != null) changes.data_categories = [...new Set(input.dataCategories)];
      if (input.maxProtectiveMarking != null) changes.max_protective_marking = input.maxProtectiveMarking;
      if (input.effectiveFrom != null) changes.effective_from = input.effectiveFrom;
      if (input.expiresOn != null) changes.expires_on = input.expiresOn;
    } else {
      p.add('id', `an agreement that is ${quotedStatus(row.status)} cannot be changed; only draft agreements can, and the expiry of active ones extended`);
    }
    p.throwIfAny();
    await saveVersion(trx, row.id, ctx.viewer, changes);
    return reload(trx, row.id);
  });
}

/**
 * Makes one move of the lifecycle. A move that does not start from the agreement's status is
 * BAD_USER_INPUT naming the moves that do.
 */
async function moveAgreement(
  ctx: Ctx,
  input: { id: string; expectedVersion: number },
  via: AgreementMove,
  check: (row: Record<string, any>, p: Problems, today: string) => Record<string, unknown>,
): Promise<InformationSharingAgreement> {
  requireAdmin(ctx.viewer, 'Changing the status of a sharing agreement');
  return ctx.db.transaction(async (trx) => {
    const row = await lockAgreement(trx, input.id, input.expectedVersion);
    const from = row.status as AgreementStatus;
    const move = agreementMoves.find((m) => m.via === via && m.from === from);
    const p = new Problems();
    if (!move) {
      // Named by the move, in the words of the actions on screen: two moves lead to ACTIVE (activate and reinstate).
      const allowed = agreementMoves.filter((m) => m.from === from).map((m) => m.done);
      const refused = agreementMoves.find((m) => m.via === via)!.done;
      const next = allowed.length ? `it can only be ${allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : allowed[0]}` : `${quotedStatus(from)} is final`;
      p.add('id', `this agreement is ${quotedStatus(from)}, so it cannot be ${refused}; ${next}`);
      p.throwIfAny();
    }
    const changes = check(row, p, await databaseToday(trx));
    p.throwIfAny();
    await saveVersion(trx, row.id, ctx.viewer, { status: move!.to, ...changes });
    return reload(trx, row.id);
  });
}

/** DRAFT → ACTIVE: it grants access from effectiveFrom (at once, if that day has come). */
export function activateAgreement(ctx: Ctx, input: AgreementStatusInput): Promise<InformationSharingAgreement> {
  return moveAgreement(ctx, input, 'activateSharingAgreement', (row, p, today) => {
    p.when(row.expires_on <= today, 'id', `its expiry date (${plainDate(row.expires_on)}) has come; extend it before activating`);
    p.text(input.reason, 'reason', { required: false, max: 1000 });
    return { status_reason: input.reason?.trim() || null };
  });
}

/** ACTIVE → SUSPENDED, with the reason: sharing stops at once for every party. */
export function suspendAgreement(ctx: Ctx, input: SuspendSharingAgreementInput): Promise<InformationSharingAgreement> {
  return moveAgreement(ctx, input, 'suspendSharingAgreement', (_row, p) => {
    p.text(input.reason, 'reason', { max: 1000 });
    return { status_reason: input.reason?.trim() };
  });
}

/** SUSPENDED → ACTIVE: sharing resumes at once (within the agreement's dates). */
export function reinstateAgreement(ctx: Ctx, input: AgreementStatusInput): Promise<InformationSharingAgreement> {
  return moveAgreement(ctx, input, 'reinstateSharingAgreement', (_row, p) => {
    p.text(input.reason, 'reason', { required: false, max: 1000 });
    return { status_reason: input.reason?.trim() || null };
  });
}

/**
 * ACTIVE or SUSPENDED → EXPIRED: ends the agreement now, for good. expiresOn is brought forward
 * to today so the record shows when it really ended (unless it had not started yet, when the
 * dates stay as agreed: the status alone ends it).
 */
export function expireAgreement(ctx: Ctx, input: AgreementStatusInput): Promise<InformationSharingAgreement> {
  return moveAgreement(ctx, input, 'expireSharingAgreement', (row, p, today) => {
    p.text(input.reason, 'reason', { required: false, max: 1000 });
    const changes: Record<string, unknown> = { status_reason: input.reason?.trim() || null };
    if (today > row.effective_from && today < row.expires_on) changes.expires_on = today;
    return changes;
  });
}

const ALL_CATEGORIES = Object.values(DataCategory);

/** The role policy for every kind of record. Administrators and auditors. */
export function accessRoleGrants(ctx: Ctx): Promise<AccessRoleGrant[]> {
  if (!ctx.viewer.roles.some((r) => r === Role.ADMIN || r === Role.AUDITOR)) {
    throw new ForbiddenError(`Reading the role policy needs the ${Role.ADMIN} or ${Role.AUDITOR} role.`);
  }
  return roleGrants(ctx.db.knex, ALL_CATEGORIES);
}

/**
 * Replaces the roles that may read one kind of record; takes effect with the next statement of
 * any request, since the policies read the grants as data. At least one role must remain, so no
 * kind of record becomes unreadable by everyone. Administrators only.
 */
export async function setAccessRoleGrants(ctx: Ctx, input: SetAccessRoleGrantsInput): Promise<AccessRoleGrant> {
  requireAdmin(ctx.viewer, 'Changing the role policy');
  const roles = [...new Set(input.roles)];
  const p = new Problems();
  p.when(roles.length === 0, 'roles', `name at least one role: ${input.dataCategory} records must remain readable by someone`);
  p.throwIfAny();
  return ctx.db.transaction(async (trx) => {
    await trx('access_role_grant').delete().where({ data_category: input.dataCategory });
    await trx('access_role_grant').insert(roles.map((role) => ({ data_category: input.dataCategory, role })));
    return (await roleGrants(trx, [input.dataCategory]))[0];
  });
}
