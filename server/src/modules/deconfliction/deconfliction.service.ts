import type { Knex } from '@mikro-orm/postgresql';
import { readableQuery, readableRow, readableRows, NAMED } from '../../access/references';
import { MUTATION_ROLES } from '../../access/mutation-roles';
import { auditedByService } from '../../audit/audit.middleware';
import { allowedPurposes } from '../../access/purpose-roles';
import { AuditAction } from '../../audit/audit.enums';
import { PurposeRequiredError } from '../../audit/purpose';
import type { RequestContext } from '../../graphql/context';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../graphql/errors';
import { fromGlobalId, toGlobalId } from '../../graphql/global-id';
import { asDate } from '../../shared/sql';
import { Problems, isIsoDate, today } from '../../shared/validation';
import { PERSON_NAME_SIMILARITY_THRESHOLD, normaliseIdentifier } from './normalise';
import { identifierKey, personIdentifiers, type DerivedIdentifier, type Identifier, type PersonFields } from './derive';
import {
  DeconflictionInterest,
  DeconflictionResult,
  IdentifierKind,
  MatchStrength,
  RecordedIdentifier,
  type IdentifierInput,
  type RecordIdentifierInput,
  type RecordIdentifierResult,
} from './deconfliction.types';
import { inSavepoint, type ReadScope } from '../../access/read-scope';

/** The records identifiers are recorded on, by GraphQL type: their table and the identifier's column. */
const HOLDING_RECORDS: Record<string, { table: 'nominal' | 'intelligence_report'; column: 'nominal_id' | 'intelligence_report_id' }> = {
  Nominal: { table: 'nominal', column: 'nominal_id' },
  IntelligenceReport: { table: 'intelligence_report', column: 'intelligence_report_id' },
};

/** A person or report is known by a few identifiers; each list is read back whole (graphql/answer-size.ts). */
const MAX_IDENTIFIERS_PER_RECORD = 200;
const TOO_MANY = `would give this record more than the ${MAX_IDENTIFIERS_PER_RECORD} identifiers a record may hold`;

/** The identifier given, checked and normalised; every problem named at its field. */
function identifierOf(p: Problems, input: IdentifierInput): Identifier {
  const raw = (input.value ?? '').trim();
  let normalised = '';
  if (!raw) p.add('value', 'is required');
  else {
    const n = normaliseIdentifier(input.kind, raw);
    if (n.ok) normalised = n.value;
    else p.add('value', n.message);
  }
  const dateOfBirth = input.dateOfBirth?.trim() || null;
  if (input.kind === IdentifierKind.PERSON) {
    if (!dateOfBirth) p.add('dateOfBirth', 'is required for a person');
    else if (!isIsoDate(dateOfBirth)) p.add('dateOfBirth', 'must be a date, YYYY-MM-DD');
    else p.when(dateOfBirth > today(), 'dateOfBirth', 'cannot be in the future');
  } else {
    p.when(!!dateOfBirth, 'dateOfBirth', 'is only for a person');
  }
  return { kind: input.kind, raw, normalised, dateOfBirth };
}

/** Checking reveals that others hold something: it needs a stated purpose, as reading a sensitive record does. */
function requirePurpose(ctx: RequestContext): void {
  if (ctx.purpose) return;
  ctx.audit.denied('DeconflictionCheck', [], { code: 'PURPOSE_REQUIRED', field: 'input' });
  throw new PurposeRequiredError('DeconflictionCheck', allowedPurposes(ctx.viewer.roles), 'A deconfliction check');
}

/**
 * The check itself, in the database (deconfliction_check, security definer): it sees every
 * organisation's identifiers but answers only who holds a match and whom to contact; it records
 * each holder's interest, tells them live and writes their side of the audit. This side's audit:
 * one READ event of record type DeconflictionCheck per request, with the kinds checked, hit or no
 * hit, and the holders' organisations (never their records).
 */
async function check(ctx: RequestContext, knex: Knex, identifier: Identifier): Promise<DeconflictionResult> {
  const { rows } = await knex.raw('select holder_id, holder_contact, match_strength from deconfliction_check(?, ?, ?::date, ?, ?, ?, ?, ?)', [
    identifier.kind,
    identifier.normalised,
    identifier.dateOfBirth,
    PERSON_NAME_SIMILARITY_THRESHOLD,
    ctx.audit.operationName,
    ctx.purpose,
    ctx.audit.origin.clientAddress,
    ctx.requestId,
  ]);
  const matches = (rows as { holder_id: string; holder_contact: string; match_strength: MatchStrength }[]).map((r) => ({
    organisationId: r.holder_id,
    contact: r.holder_contact,
    kind: identifier.kind as IdentifierKind,
    strength: r.match_strength,
  }));
  matches.sort((a, b) => Number(b.strength === MatchStrength.EXACT) - Number(a.strength === MatchStrength.EXACT));
  ctx.audit.record(AuditAction.READ, 'DeconflictionCheck', [], {
    checks: { kind: identifier.kind, outcome: matches.length ? 'HIT' : 'NO_HIT', holders: matches.map((m) => m.organisationId) },
  });
  return { matched: matches.length > 0, matches };
}

/** A manual check: records nothing of the caller's, tells holders of a match. Its audit is the check's own READ (nothing changed). */
export async function checkIdentifier(ctx: RequestContext, input: IdentifierInput): Promise<DeconflictionResult> {
  requirePurpose(ctx);
  const p = new Problems();
  const identifier = identifierOf(p, input);
  p.throwIfAny();
  return auditedByService(await ctx.db.transaction((trx) => check(ctx, trx, identifier)));
}

/** A record identifiers are held on: its table's column and its id. */
interface Holding {
  column: 'nominal_id' | 'intelligence_report_id';
  id: string;
}

const ONCE = `(kind, normalised_value, coalesce(date_of_birth, '-infinity'::date), coalesce(nominal_id, intelligence_report_id))`;

/** Inserts identifiers on a record of the caller's organisation; returns those new to it, with their ids (one already held is left as it is). */
async function insertIdentifiers(ctx: RequestContext, trx: Knex, holding: Holding, identifiers: (Identifier & Partial<DerivedIdentifier>)[]): Promise<{ id: string; identifier: Identifier }[]> {
  if (!identifiers.length) return [];
  const rows = identifiers.map((i) => ({
    kind: i.kind,
    raw_value: i.raw,
    normalised_value: i.normalised,
    date_of_birth: i.dateOfBirth,
    derived_from: i.derivedFrom ?? null,
    source_nominal_id: i.sourceNominalId ?? null,
    [holding.column]: holding.id,
    holder_organisation_id: ctx.viewer.organisation.id,
    recorded_by: ctx.viewer.id,
    // Each row its own time, so that "oldest first" is the order they were given in.
    recorded_at: trx.raw('clock_timestamp()'),
  }));
  const inserted: { id: string; kind: Identifier['kind']; normalised_value: string; date_of_birth: string | null }[] = await trx('deconfliction_identifier')
    .insert(rows)
    .onConflict(trx.raw(ONCE))
    .ignore()
    .returning(['id', 'kind', 'normalised_value', 'date_of_birth']);
  const byKey = new Map(identifiers.map((i) => [identifierKey(i), i]));
  return inserted.map((r) => ({ id: r.id, identifier: byKey.get(identifierKey({ kind: r.kind, normalised: r.normalised_value, dateOfBirth: r.date_of_birth }))! }));
}

/** Checks an identifier held on a record and keeps the answer with it, for the holder's users to read again. */
async function checkAndKeep(ctx: RequestContext, trx: Knex, identifierId: string, identifier: Identifier): Promise<DeconflictionResult> {
  const result = await check(ctx, trx, identifier);
  const answer = result.matches.map(({ organisationId, contact, strength }) => ({ organisationId, contact, strength }));
  await trx('deconfliction_identifier').where({ id: identifierId }).update({ checked_at: trx.fn.now(), check_answer: JSON.stringify(answer) });
  return result;
}

/** Refuses a record more identifiers than it may hold, at the field that would add them. */
async function requireRoom(trx: Knex, holding: Holding, adding: number, field: string, message: string): Promise<void> {
  const [{ count }] = await trx('deconfliction_identifier').where(holding.column, holding.id).count({ count: '*' });
  if (Number(count) + adding > MAX_IDENTIFIERS_PER_RECORD) throw new BadUserInputError([{ field, message }]);
}

/**
 * Records an identifier on a person or intelligence report the caller's organisation holds, then
 * checks it. A record the caller may not read is not found, in the words one that does not exist
 * gets; one they read but their organisation does not hold is refused. Audited as a change of the
 * record and the check's READ.
 */
export async function recordIdentifier(ctx: RequestContext, input: RecordIdentifierInput): Promise<RecordIdentifierResult> {
  requirePurpose(ctx);
  const p = new Problems();
  const parsed = fromGlobalId(input.recordId ?? '');
  const holding = parsed && Object.hasOwn(HOLDING_RECORDS, parsed.type) ? HOLDING_RECORDS[parsed.type] : undefined;
  p.when(!holding, 'recordId', 'is not the ID of a person (Nominal) or an intelligence report');
  const identifier = identifierOf(p, input);
  p.throwIfAny();
  const on: Holding = { column: holding!.column, id: parsed!.id };
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const record = await readableRow(scope, holding!.table, on.id, ['owning_organisation_id']);
    if (!record) throw new NotFoundError('Record');
    if (record.owning_organisation_id !== ctx.viewer.organisation.id) {
      throw new ForbiddenError('Only the organisation that holds a record records identifiers on it.');
    }
    await requireRoom(trx, on, 1, 'input.recordId', `already holds ${MAX_IDENTIFIERS_PER_RECORD} identifiers, the most a record may hold`);
    await insertIdentifiers(ctx, trx, on, [identifier]);
    const row = await identifierRows(trx, ctx)
      .where(`i.${on.column}`, on.id)
      .where({ 'i.kind': identifier.kind, 'i.normalised_value': identifier.normalised })
      .whereRaw('i.date_of_birth is not distinct from ?::date', [identifier.dateOfBirth])
      .first();
    ctx.audit.changed(AuditAction.UPDATE, parsed!.type, [on.id], 'recordIdentifier');
    const deconfliction = await checkAndKeep(ctx, trx, row.id, identifier);
    const kept = await identifierRows(trx, ctx).where('i.id', row.id).first();
    return auditedByService({ identifier: toRecordedIdentifier(kept), deconfliction });
  });
}

/** Whether the caller checks what they record: the roles that may check by hand (access/mutation-roles.ts). */
const checksWhatTheyRecord = (ctx: RequestContext) => ctx.viewer.roles.some((role) => MUTATION_ROLES.checkIdentifier.includes(role));

/**
 * Keeps a record's identifiers of one derivation as its fields now give them: those no longer
 * given go, new ones are recorded and, for a caller whose roles check (with the purpose a check
 * needs, or the whole write is refused), checked at once. One left as it was is not checked
 * again: nothing about it changed. Those recorded by hand are left alone.
 */
async function keepDerived(ctx: RequestContext, trx: Knex, holding: Holding, scope: (q: Knex.QueryBuilder) => void, wanted: DerivedIdentifier[], field: string): Promise<void> {
  const held: { id: string; kind: Identifier['kind']; normalised_value: string; date_of_birth: string | null }[] = await trx('deconfliction_identifier')
    .where(holding.column, holding.id)
    .modify(scope)
    .select('id', 'kind', 'normalised_value', 'date_of_birth');
  const keyOf = (h: (typeof held)[number]) => identifierKey({ kind: h.kind, normalised: h.normalised_value, dateOfBirth: h.date_of_birth });
  const wantedKeys = new Set(wanted.map(identifierKey));
  const heldKeys = new Set(held.map(keyOf));
  const stale = held.filter((h) => !wantedKeys.has(keyOf(h))).map((h) => h.id);
  if (stale.length) await trx('deconfliction_identifier').whereIn('id', stale).delete();
  const fresh = wanted.filter((w) => !heldKeys.has(identifierKey(w)));
  if (!fresh.length) return;
  await requireRoom(trx, holding, fresh.length, field, TOO_MANY);
  await recordAndCheck(ctx, trx, holding, fresh);
}

/** Records derived identifiers new to their record and, for a caller whose roles check, checks each (the purpose required first). */
async function recordAndCheck(ctx: RequestContext, trx: Knex, holding: Holding, fresh: DerivedIdentifier[]): Promise<void> {
  const checks = checksWhatTheyRecord(ctx);
  if (checks) requirePurpose(ctx);
  for (const { id, identifier } of await insertIdentifiers(ctx, trx, holding, fresh)) {
    if (checks) await checkAndKeep(ctx, trx, id, identifier);
  }
}

/**
 * After a person is created, or their name, aliases or date of birth change, in the same
 * transaction: their identifiers as a person (name and each alias, with the date of birth).
 */
export async function keepPersonIdentifiers(ctx: RequestContext, scope: ReadScope, nominalId: string): Promise<void> {
  const person = await personAsStored(scope, nominalId);
  if (!person) return; // not readable by its writer (row-level security): nothing of it is theirs to check
  const wanted = personIdentifiers(person);
  await keepDerived(ctx, scope.knex, { column: 'nominal_id', id: nominalId }, (q) => q.whereIn('derived_from', ['NAME', 'ALIAS']), wanted, 'input.aliases');
}

/**
 * A person just created, as written: their identifiers as a person, recorded and checked as
 * {@link keepPersonIdentifiers} would. The record holds none yet, so there is nothing to compare
 * with, remove or count in the database: a person with no date of birth (no identifiers) costs
 * no statement at all, where reading what the new record held cost createNominal a round trip.
 */
export async function recordNewPersonIdentifiers(ctx: RequestContext, scope: ReadScope, nominalId: string, written: PersonFields): Promise<void> {
  const wanted = personIdentifiers(written);
  if (!wanted.length) return;
  if (wanted.length > MAX_IDENTIFIERS_PER_RECORD) throw new BadUserInputError([{ field: 'input.aliases', message: TOO_MANY }]);
  await recordAndCheck(ctx, scope.knex, { column: 'nominal_id', id: nominalId }, wanted);
}

async function personAsStored(scope: ReadScope, nominalId: string): Promise<PersonFields | undefined> {
  const { knex } = scope;
  const row = await knex('nominal').where({ id: nominalId }).first('name', 'aliases', 'date_of_birth');
  return row && { name: row.name, aliases: row.aliases, dateOfBirth: row.date_of_birth };
}

/**
 * After a report is created, or the people it is linked to change, in the same transaction: each
 * linked person by name and date of birth (their aliases may be withheld from the caller: not
 * taken). A person still linked keeps the identifiers taken when they were linked.
 */
export async function keepReportIdentifiers(ctx: RequestContext, scope: ReadScope, reportId: string): Promise<void> {
  const { knex } = scope;
  const report = await knex('intelligence_report').where({ id: reportId }).first('nominal_ids');
  const linked: string[] = report.nominal_ids ?? [];
  const holding: Holding = { column: 'intelligence_report_id', id: reportId };
  const kept: DerivedIdentifier[] = (
    await knex('deconfliction_identifier').where(holding.column, reportId).whereIn('source_nominal_id', linked).select('kind', 'raw_value', 'normalised_value', 'date_of_birth', 'source_nominal_id')
  ).map((r: Record<string, any>) => ({ kind: r.kind, raw: r.raw_value, normalised: r.normalised_value, dateOfBirth: r.date_of_birth, derivedFrom: 'LINKED_PERSON', sourceNominalId: r.source_nominal_id }));
  const already = new Set(kept.map((k) => k.sourceNominalId));
  const people = await readableRows(scope, 'nominal', linked.filter((id) => !already.has(id)), ['name', 'date_of_birth']);
  const wanted = linked.flatMap((id) => {
    const n = people.get(id);
    return n ? personIdentifiers({ name: n.name, aliases: null, dateOfBirth: n.date_of_birth }, id) : [];
  });
  await keepDerived(ctx, knex, holding, (q) => q.where('derived_from', 'LINKED_PERSON'), [...kept, ...wanted], 'input.nominalIds');
}

/**
 * Removes an identifier the caller's organisation holds, on a record the caller may read (as
 * reading one: another organisation's, or one on a hidden record, is not found). Answers with
 * the record it was on, so the change is audited as one of that record (audit.middleware.ts).
 */
export async function removeIdentifier(ctx: RequestContext, globalId: string): Promise<{ type: 'Nominal' | 'IntelligenceReport'; id: string }> {
  const parsed = fromGlobalId(globalId ?? '');
  if (!parsed || parsed.type !== IDENTIFIER_TYPE) throw new BadUserInputError([{ field: 'id', message: 'is not the ID of a recorded identifier' }]);
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const row = await identifierRows(trx, ctx).select('i.nominal_id', 'i.intelligence_report_id').where('i.id', parsed.id).first();
    if (!row) throw new NotFoundError('Identifier');
    const [type, table, recordId] = row.nominal_id ? (['Nominal', 'nominal', row.nominal_id] as const) : (['IntelligenceReport', 'intelligence_report', row.intelligence_report_id] as const);
    // Read through the record's own rules, as the identifier is (row-level security says it again).
    if (!(await readableRow(scope, table, recordId))) throw new NotFoundError('Identifier');
    await trx('deconfliction_identifier').where({ id: parsed.id }).delete();
    return { type, id: recordId };
  });
}

/** The caller's organisation's identifiers (row-level security says the same, and also that the record is readable). */
function identifierRows(knex: Knex, ctx: RequestContext): Knex.QueryBuilder {
  return knex('deconfliction_identifier as i')
    .select('i.id', 'i.kind', 'i.raw_value', 'i.normalised_value', 'i.date_of_birth', 'i.recorded_at', 'i.derived_from', 'i.checked_at', 'i.check_answer')
    .where('i.holder_organisation_id', ctx.viewer.organisation.id);
}

/** Global ids of recorded identifiers (not nodes: read with their record). */
export const IDENTIFIER_TYPE = 'RecordedIdentifier';

function toRecordedIdentifier(r: Record<string, any>): RecordedIdentifier {
  return {
    id: toGlobalId(IDENTIFIER_TYPE, r.id),
    kind: r.kind,
    value: r.raw_value,
    normalisedValue: r.normalised_value,
    dateOfBirth: r.date_of_birth,
    recordedAt: asDate(r.recorded_at),
    derivedFrom: r.derived_from ?? null,
    checkedAt: r.checked_at ? asDate(r.checked_at) : null,
    matches: ((r.check_answer ?? []) as { organisationId: string; contact: string; strength: MatchStrength }[]).map((m) => ({ ...m, kind: r.kind })),
  };
}

/** The identifiers recorded on a record the caller has read (its resolver was given it), oldest first. */
export async function identifiersOf(ctx: RequestContext, recordType: 'Nominal' | 'IntelligenceReport', recordId: string): Promise<RecordedIdentifier[]> {
  const rows = await identifierRows(ctx.db.knex, ctx).where(`i.${HOLDING_RECORDS[recordType].column}`, recordId).orderBy([{ column: 'i.recorded_at' }, { column: 'i.id' }]);
  return rows.map(toRecordedIdentifier);
}

/**
 * Interests in identifiers the caller's organisation holds, on records the caller may read (the
 * same filters as lists; row-level security says it again), most recent first.
 */
function interestRows(scope: ReadScope, ctx: RequestContext): Knex.QueryBuilder {
  const { knex } = scope;
  const readable = (table: 'nominal' | 'intelligence_report', column: string) =>
    readableQuery(scope, table).clearSelect().select(knex.raw('1')).whereRaw(`${NAMED}.id = i.${column}`);
  return knex('deconfliction_interest as d')
    .join('deconfliction_identifier as i', 'i.id', 'd.identifier_id')
    .select('d.id', 'd.checking_organisation_id', 'd.checked_by', 'd.strength', 'd.checked_at', 'i.kind', 'i.raw_value', 'i.nominal_id', 'i.intelligence_report_id')
    .where('d.holder_organisation_id', ctx.viewer.organisation.id)
    .where((q) => q.whereExists(readable('nominal', 'nominal_id')).orWhereExists(readable('intelligence_report', 'intelligence_report_id')));
}

function toInterest(r: Record<string, any>): DeconflictionInterest {
  return Object.assign(new DeconflictionInterest(), {
    __typename: 'DeconflictionInterest',
    id: toGlobalId('DeconflictionInterest', r.id),
    dbId: r.id,
    checkingOrganisationId: r.checking_organisation_id,
    checkedById: r.checked_by,
    nominalId: r.nominal_id,
    intelligenceReportId: r.intelligence_report_id,
    kind: r.kind,
    value: r.raw_value,
    strength: r.strength,
    checkedAt: asDate(r.checked_at),
  });
}

/** The most recent interests others have shown in what the caller's organisation holds. */
export async function recentInterests(ctx: RequestContext, limit: number): Promise<DeconflictionInterest[]> {
  const rows = await interestRows(ctx.access, ctx).orderBy([{ column: 'd.checked_at', order: 'desc' }, { column: 'd.id' }]).limit(limit);
  return rows.map(toInterest);
}

/** Interests by id, for node(id) and live events: null for one the caller may not read. */
export async function interestsByIds(ctx: RequestContext, ids: readonly string[]): Promise<(DeconflictionInterest | null)[]> {
  const rows = await interestRows(ctx.access, ctx).whereIn('d.id', [...ids]);
  const byId = new Map<string, DeconflictionInterest>(rows.map((r: Record<string, any>) => [r.id, toInterest(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}
