import type { Knex } from '@mikro-orm/postgresql';
import { BadUserInputError, ConflictError, NotFoundError } from '../../graphql/errors';
import { globalIdOrProblem, requireGlobalId } from '../../graphql/global-id';
import { readableRow, requireReadable } from '../../access/references';
import { accessColumns, creationColumns, lockForChange, requireExisting, saveVersion } from '../../shared/records';
import { randomReference } from '../../shared/reference';
import { Problems, addDays, today } from '../../shared/validation';
import type { RequestContext } from '../../graphql/context';
import { currentModel } from '../assessments/assessment.service';
import { ThreatStatus, threatTransitions } from './threat.enums';
import type {
  AddCriminalActivityInput,
  AddMemberInput,
  ChangeThreatStatusInput,
  CreateNominalInput,
  CreateThreatInput,
  CriminalActivityInput,
  LinkThreatsInput,
  UnlinkThreatsInput,
  RemoveCriminalActivityInput,
  RemoveMemberInput,
  UpdateCriminalActivityInput,
  UpdateNominalInput,
  UpdateThreatInput,
} from './threat.inputs';
import { insertNominal, nominalsByIds, threatsByIds } from './threat.repository';
import type { Nominal, SocThreat } from './threat.types';
import { firstReviewOn } from '../retention/retention-periods';
import { inSavepoint, type ReadScope } from '../../access/read-scope';
import { keepPersonIdentifiers, recordNewPersonIdentifiers } from '../deconfliction/deconfliction.service';
import { quotedStatus, refusedMove } from '../../shared/plain-words';

type Ctx = Pick<RequestContext, 'db' | 'viewer' | 'access'>;

/** Re-reads a threat after a change, inside the same transaction. */
async function reload(scope: ReadScope, id: string): Promise<SocThreat> {
  const [threat] = await threatsByIds(scope, [id]);
  return threat;
}

function checkActivity(p: Problems, a: CriminalActivityInput, field: string): void {
  p.text(a.description, `${field}.description`, { max: 4000 });
  p.when(a.firstIdentified > today(), `${field}.firstIdentified`, 'cannot be in the future');
  if (a.lastEvidenced) {
    p.when(a.lastEvidenced > today(), `${field}.lastEvidenced`, 'cannot be in the future');
    p.when(a.lastEvidenced < a.firstIdentified, `${field}.lastEvidenced`, 'cannot be before firstIdentified');
  }
  if (a.subCategory != null) {
    p.when(!/^[A-Z][A-Z0-9_]{1,63}$/.test(a.subCategory), `${field}.subCategory`, 'must be an UPPER_SNAKE_CASE code such as COUNTY_LINES');
  }
}

function activityColumns(a: CriminalActivityInput) {
  return {
    category: a.category,
    sub_category: a.subCategory ?? null,
    description: a.description.trim(),
    first_identified: a.firstIdentified,
    last_evidenced: a.lastEvidenced ?? null,
  };
}

/** Optional user references (LRO, SRO): decoded and checked to exist. */
async function userIds(knex: Knex, p: Problems, refs: Record<string, string | null | undefined>): Promise<Record<string, string | null | undefined>> {
  const out: Record<string, string | null | undefined> = {};
  for (const [field, ref] of Object.entries(refs)) {
    if (ref === undefined) continue;
    out[field] = ref === null ? null : globalIdOrProblem(ref, 'User', field, p);
    if (out[field]) await requireExisting(knex, 'app_user', [out[field]!], p, field);
  }
  return out;
}

async function organisationIds(knex: Knex, p: Problems, refs: string[], field: string): Promise<string[]> {
  const ids = refs.map((r, i) => globalIdOrProblem(r, 'Organisation', `${field}[${i}]`, p)).filter((x): x is string => !!x);
  await requireExisting(knex, 'organisation', ids, p, field);
  return [...new Set(ids)];
}

async function organisationId(knex: Knex, p: Problems, ref: string, field: string): Promise<string | undefined> {
  const id = globalIdOrProblem(ref, 'Organisation', field, p);
  if (id) await requireExisting(knex, 'organisation', [id], p, field);
  return id;
}

/**
 * Records a new threat with all of its known criminal activities, owned by the caller's
 * organisation and with its marking and sharing, in one transaction.
 */
export async function createThreat(ctx: Ctx, input: CreateThreatInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const p = new Problems();
    p.text(input.name, 'name', { max: 200 });
    p.text(input.summary, 'summary', { required: false, max: 8000 });
    const identifiedOn = input.identifiedOn ?? today();
    p.when(identifiedOn > today(), 'identifiedOn', 'cannot be in the future');
    p.when(input.criminalActivities.length === 0, 'criminalActivities', 'record at least one criminal activity');
    input.criminalActivities.forEach((a, i) => checkActivity(p, a, `criminalActivities[${i}]`));
    const lead = await organisationId(trx, p, input.leadOrganisationId, 'leadOrganisationId');
    const areas = await organisationIds(trx, p, input.areasAffectedIds ?? [], 'areasAffectedIds');
    const people = await userIds(trx, p, { lroId: input.lroId, sroId: input.sroId });
    const access = await accessColumns(trx, input.access, p);
    p.throwIfAny();

    const urn = randomReference('SE', identifiedOn.slice(0, 4));
    const [{ id }] = await trx('soc_threat')
      .insert({
        urn,
        name: input.name.trim(),
        summary: input.summary?.trim() || null,
        subject_type: input.subjectType,
        lead_organisation_id: lead,
        tasking_level: input.taskingLevel,
        geographic_scope: input.geographicScope,
        areas_affected: areas,
        identified_on: identifiedOn,
        lro_id: people.lroId ?? null,
        sro_id: people.sroId ?? null,
        next_review_on: firstReviewOn('SocThreat', { activityCategories: input.criminalActivities.map((a) => a.category) }, today()),
        ...access,
        ...creationColumns(ctx.viewer),
      })
      .returning('id');
    await trx('criminal_activity').insert(input.criminalActivities.map((a) => ({ threat_id: id, ...activityColumns(a) })));
    return reload(scope, id);
  });
}

/** Changes a threat's details; only the fields given change. */
export async function updateThreat(ctx: Ctx, input: UpdateThreatInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'SocThreat', 'input.id');
    await lockForChange(scope, 'soc_threat', id, input.expectedVersion, ctx.viewer, 'Threat');
    const p = new Problems();
    const changes: Record<string, unknown> = {};
    if (input.name != null) {
      p.text(input.name, 'name', { max: 200 });
      changes.name = input.name.trim();
    }
    if (input.summary !== undefined) {
      p.text(input.summary, 'summary', { required: false, max: 8000 });
      changes.summary = input.summary?.trim() || null;
    }
    if (input.leadOrganisationId != null) changes.lead_organisation_id = await organisationId(trx, p, input.leadOrganisationId, 'leadOrganisationId');
    if (input.areasAffectedIds != null) changes.areas_affected = await organisationIds(trx, p, input.areasAffectedIds, 'areasAffectedIds');
    if (input.taskingLevel != null) changes.tasking_level = input.taskingLevel;
    if (input.geographicScope != null) changes.geographic_scope = input.geographicScope;
    if (input.nextReviewDue !== undefined) changes.next_review_due = input.nextReviewDue;
    const people = await userIds(trx, p, { lroId: input.lroId, sroId: input.sroId });
    if (people.lroId !== undefined) changes.lro_id = people.lroId;
    if (people.sroId !== undefined) changes.sro_id = people.sroId;
    if (input.access) Object.assign(changes, await accessColumns(trx, input.access, p));
    p.throwIfAny();
    await saveVersion(trx, 'soc_threat', id, ctx.viewer, changes);
    return reload(scope, id);
  });
}

/** Whether the threat has an approved assessment of the whole threat. */
async function hasApprovedAssessment(knex: Knex, threatId: string): Promise<boolean> {
  const row = await knex('threat_assessment').where({ threat_id: threatId, status: 'APPROVED' }).whereNull('criminal_activity_id').first('id');
  return !!row;
}

/**
 * Moves a threat along its lifecycle (docs/domain.md). An illegal move is BAD_USER_INPUT naming the
 * allowed ones; ASSESSED and ADOPTED need an approved assessment of the whole threat; archiving
 * needs a reason. Adoption starts the review clock.
 */
export async function changeThreatStatus(ctx: Ctx, input: ChangeThreatStatusInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'SocThreat', 'input.id');
    const row = await lockForChange(scope, 'soc_threat', id, input.expectedVersion, ctx.viewer, 'Threat');
    const from = row.status as ThreatStatus;
    const allowed = threatTransitions[from];
    const p = new Problems();
    if (!allowed.includes(input.status)) {
      p.add('status', refusedMove('threat', from, input.status, allowed));
      p.throwIfAny();
    }
    const target = input.status;
    if (target === ThreatStatus.ARCHIVED) p.when(!input.archiveReason, 'archiveReason', 'is required to archive a threat');
    else p.when(!!input.archiveReason, 'archiveReason', 'only applies when archiving');
    if ((target === ThreatStatus.ASSESSED || target === ThreatStatus.ADOPTED) && !(await hasApprovedAssessment(trx, id))) {
      p.add('status', `to become ${quotedStatus(target)}, a threat needs an approved assessment of the whole threat first`);
    }
    p.throwIfAny();

    const changes: Record<string, unknown> = { status: target, archive_reason: input.archiveReason ?? null };
    if (target === ThreatStatus.ASSESSED && !row.assessed_on) changes.assessed_on = today();
    if (target === ThreatStatus.ADOPTED) {
      changes.adopted_on = today();
      changes.next_review_due = addDays(today(), (await currentModel(trx)).definition.reviewPeriodDays);
    }
    if (target === ThreatStatus.ARCHIVED || target === ThreatStatus.REJECTED) changes.closed_on = today();
    await saveVersion(trx, 'soc_threat', id, ctx.viewer, changes);
    return reload(scope, id);
  });
}

export async function addCriminalActivity(ctx: Ctx, input: AddCriminalActivityInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.threatId, 'SocThreat', 'input.threatId');
    await lockForChange(scope, 'soc_threat', id, input.expectedVersion, ctx.viewer, 'Threat');
    const p = new Problems();
    checkActivity(p, input.activity, 'activity');
    p.throwIfAny();
    await trx('criminal_activity').insert({ threat_id: id, ...activityColumns(input.activity) });
    await saveVersion(trx, 'soc_threat', id, ctx.viewer, {});
    return reload(scope, id);
  });
}

/** The threat an activity belongs to, locked for change. */
async function lockActivityThreat(scope: ReadScope, ctx: Ctx, activityGlobalId: string, expectedVersion: number) {
  const activityId = requireGlobalId(activityGlobalId, 'CriminalActivity', 'input.id');
  // Found only if its threat is readable: an activity of a hidden threat is as missing as none.
  const activity = await readableRow(scope, 'criminal_activity', activityId, ['threat_id']);
  if (!activity) throw new NotFoundError('Criminal activity');
  await lockForChange(scope, 'soc_threat', activity.threat_id, expectedVersion, ctx.viewer, 'Threat');
  return { activityId, threatId: activity.threat_id as string };
}

export async function updateCriminalActivity(ctx: Ctx, input: UpdateCriminalActivityInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const { activityId, threatId } = await lockActivityThreat(scope, ctx, input.id, input.expectedVersion);
    const p = new Problems();
    checkActivity(p, input.activity, 'activity');
    p.throwIfAny();
    await trx('criminal_activity').update(activityColumns(input.activity)).where({ id: activityId });
    await saveVersion(trx, 'soc_threat', threatId, ctx.viewer, {});
    return reload(scope, threatId);
  });
}

/** Removes an activity recorded in error; a threat always keeps at least one. */
export async function removeCriminalActivity(ctx: Ctx, input: RemoveCriminalActivityInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const { activityId, threatId } = await lockActivityThreat(scope, ctx, input.id, input.expectedVersion);
    const [{ count }] = await trx('criminal_activity').where({ threat_id: threatId }).count({ count: '*' });
    if (Number(count) <= 1) throw new BadUserInputError([{ field: 'input.id', message: 'a threat keeps at least one criminal activity; add another before removing this one' }]);
    const used = await trx('threat_assessment').where({ criminal_activity_id: activityId }).first('id');
    if (used) throw new BadUserInputError([{ field: 'input.id', message: 'this activity has assessments; it cannot be removed, update it instead' }]);
    await trx('criminal_activity').delete().where({ id: activityId });
    await saveVersion(trx, 'soc_threat', threatId, ctx.viewer, {});
    return reload(scope, threatId);
  });
}

export async function addMember(ctx: Ctx, input: AddMemberInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const threatId = requireGlobalId(input.threatId, 'SocThreat', 'input.threatId');
    await lockForChange(scope, 'soc_threat', threatId, input.expectedVersion, ctx.viewer, 'Threat');
    const p = new Problems();
    const nominalId = globalIdOrProblem(input.nominalId, 'Nominal', 'nominalId', p);
    if (nominalId) await requireReadable(scope, p, 'nominal', nominalId, 'nominalId', 'nominal');
    if (input.from && input.to) p.when(input.to < input.from, 'to', 'cannot be before from');
    p.throwIfAny();
    const existing = await trx('membership').where({ threat_id: threatId, nominal_id: nominalId }).whereNull('to_date').first('id');
    if (existing) throw new ConflictError('This person is already a current member of the threat.');
    await trx('membership').insert({
      threat_id: threatId,
      nominal_id: nominalId,
      role: input.role,
      from_date: input.from ?? null,
      to_date: input.to ?? null,
      under_offender_management: input.underOffenderManagement ?? false,
    });
    await saveVersion(trx, 'soc_threat', threatId, ctx.viewer, {});
    return reload(scope, threatId);
  });
}

export async function removeMember(ctx: Ctx, input: RemoveMemberInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const membershipId = requireGlobalId(input.membershipId, 'Membership', 'input.membershipId');
    const membership = await readableRow(scope, 'membership', membershipId, ['threat_id']);
    if (!membership) throw new NotFoundError('Membership');
    await lockForChange(scope, 'soc_threat', membership.threat_id, input.expectedVersion, ctx.viewer, 'Threat');
    await trx('membership').delete().where({ id: membershipId });
    await saveVersion(trx, 'soc_threat', membership.threat_id, ctx.viewer, {});
    return reload(scope, membership.threat_id);
  });
}

/** Records that two threats are linked (shared members, supply, territory), with the reason. */
export async function linkThreats(ctx: Ctx, input: LinkThreatsInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const threatId = requireGlobalId(input.threatId, 'SocThreat', 'input.threatId');
    await lockForChange(scope, 'soc_threat', threatId, input.expectedVersion, ctx.viewer, 'Threat');
    const p = new Problems();
    const otherId = globalIdOrProblem(input.linkedThreatId, 'SocThreat', 'linkedThreatId', p);
    if (otherId) {
      p.when(otherId === threatId, 'linkedThreatId', 'a threat cannot be linked to itself');
      await requireReadable(scope, p, 'soc_threat', otherId, 'linkedThreatId', 'threat');
    }
    p.text(input.reason, 'reason', { max: 1000 });
    p.throwIfAny();
    const [a, b] = [threatId, otherId!].sort();
    const inserted = await trx('threat_link')
      .insert({ threat_id: a, linked_threat_id: b, reason: input.reason.trim(), created_by: ctx.viewer.id })
      .onConflict(['threat_id', 'linked_threat_id'])
      .ignore()
      .returning('id');
    if (!inserted.length) throw new ConflictError('These threats are already linked.');
    await saveVersion(trx, 'soc_threat', threatId, ctx.viewer, {});
    return reload(scope, threatId);
  });
}

/**
 * Removes the link between two threats, whichever side recorded it: as linking, the caller must
 * be able to change the threat it is done from, and see the other one.
 */
export async function unlinkThreats(ctx: Ctx, input: UnlinkThreatsInput): Promise<SocThreat> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const threatId = requireGlobalId(input.threatId, 'SocThreat', 'input.threatId');
    await lockForChange(scope, 'soc_threat', threatId, input.expectedVersion, ctx.viewer, 'Threat');
    const p = new Problems();
    const otherId = globalIdOrProblem(input.linkedThreatId, 'SocThreat', 'linkedThreatId', p);
    if (otherId) await requireReadable(scope, p, 'soc_threat', otherId, 'linkedThreatId', 'threat');
    p.throwIfAny();
    const [a, b] = [threatId, otherId!].sort();
    const removed = await trx('threat_link').delete().where({ threat_id: a, linked_threat_id: b }).returning('id');
    if (!removed.length) throw new BadUserInputError([{ field: 'input.linkedThreatId', message: 'these threats are not linked' }]);
    await saveVersion(trx, 'soc_threat', threatId, ctx.viewer, {});
    return reload(scope, threatId);
  });
}

function checkNominal(p: Problems, input: { name?: string | null; dateOfBirth?: string | null; aliases?: string[] | null }) {
  if (input.name !== undefined) p.text(input.name, 'name', { max: 200 });
  if (input.dateOfBirth) p.when(input.dateOfBirth > today(), 'dateOfBirth', 'cannot be in the future');
  input.aliases?.forEach((a, i) => p.text(a, `aliases[${i}]`, { max: 200 }));
}

/**
 * One statement writes the nominal and reads it back, sent with the request's BEGIN: where a
 * savepoint, the insert and the read took three. No savepoint is needed: a statement is all or
 * nothing, and a mutation that fails undoes its whole request (graphql/undone-mutation.ts), the
 * identifiers for deconfliction included, which are recorded and checked from the row as written
 * (deconfliction.service.ts).
 */
export async function createNominal(ctx: RequestContext, input: CreateNominalInput): Promise<Nominal> {
  const scope = ctx.access;
  const { knex } = scope;
  const p = new Problems();
  checkNominal(p, input);
  const access = await accessColumns(knex, input.access, p);
  p.throwIfAny();
  const nominal = await insertNominal(scope, {
    name: input.name.trim(),
    aliases: (input.aliases ?? []).map((a) => a.trim()),
    date_of_birth: input.dateOfBirth ?? null,
    vulnerability_flags: input.vulnerabilityFlags ?? [],
    next_review_on: firstReviewOn('Nominal', input, today()),
    ...access,
    ...creationColumns(ctx.viewer),
  });
  // Not readable by its writer (row-level security): nothing of it is theirs to check.
  if (nominal) await recordNewPersonIdentifiers(ctx, scope, nominal.dbId, { name: nominal.name, aliases: nominal.aliases, dateOfBirth: nominal.dateOfBirth });
  return nominal;
}

/** Changes a person; a change of name, aliases or date of birth replaces the identifiers taken from them. */
export async function updateNominal(ctx: RequestContext, input: UpdateNominalInput): Promise<Nominal> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'Nominal', 'input.id');
    await lockForChange(scope, 'nominal', id, input.expectedVersion, ctx.viewer, 'Nominal');
    const p = new Problems();
    checkNominal(p, input);
    const changes: Record<string, unknown> = {};
    if (input.name != null) changes.name = input.name.trim();
    if (input.aliases != null) changes.aliases = input.aliases.map((a) => a.trim());
    if (input.dateOfBirth !== undefined) changes.date_of_birth = input.dateOfBirth;
    if (input.vulnerabilityFlags != null) changes.vulnerability_flags = input.vulnerabilityFlags;
    if (input.access) Object.assign(changes, await accessColumns(trx, input.access, p));
    p.throwIfAny();
    await saveVersion(trx, 'nominal', id, ctx.viewer, changes);
    if (['name', 'aliases', 'date_of_birth'].some((column) => column in changes)) await keepPersonIdentifiers(ctx, scope, id);
    return (await nominalsByIds(scope, [id]))[0];
  });
}
