import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import { readableRows, requireReadable } from '../../access/references';
import type { RequestContext } from '../../graphql/context';
import { ForbiddenError, NotFoundError } from '../../graphql/errors';
import { globalIdOrProblem, requireGlobalId } from '../../graphql/global-id';
import { markingRank, type ProtectiveMarking } from '../identity/identity.enums';
import { accessColumns, creationColumns, lockForChange, lockReadable, saveVersion } from '../../shared/records';
import { Problems, isIsoDate, today } from '../../shared/validation';
import { randomReference } from '../../shared/reference';
import { databaseNow } from '../../db/clock';
import type { CreateIntelligenceReportInput, DisseminateIntelligenceInput, UpdateIntelligenceReportInput } from './intelligence.inputs';
import { checkEntryRules, intelligenceRules, type ReportFields } from './intelligence.rules';
import { reportsByIds } from './intelligence.repository';
import type { IntelligenceReport } from './intelligence.types';
import { firstReviewOn } from '../retention/retention-periods';
import { inSavepoint, type ReadScope } from '../../access/read-scope';
import { keepReportIdentifiers } from '../deconfliction/deconfliction.service';

type Ctx = Pick<RequestContext, 'db' | 'viewer' | 'access'>;

async function reload(scope: ReadScope, id: string): Promise<IntelligenceReport> {
  return (await reportsByIds(scope, [id]))[0];
}

const trimmed = (value: string | null | undefined) => (value == null ? value : value.trim() || null);

function checkReceivedOn(p: Problems, receivedOn: string | null | undefined): void {
  if (receivedOn == null || receivedOn === '') return; // "is required" comes from the entry rules
  if (!p.when(!isIsoDate(receivedOn), 'receivedOn', 'must be a date, YYYY-MM-DD')) p.when(receivedOn > today(), 'receivedOn', 'cannot be in the future');
}

/** A report is about a few threats, activities and people; each list is read back whole (graphql/answer-size.ts). */
const MAX_LINKS = 50;

/** Global ids of one type, each checked, as database ids, in the order given (undefined where not an id of the type). */
function idsOf(p: Problems, refs: string[], type: string, field: string): (string | undefined)[] {
  if (p.when(refs.length > MAX_LINKS, field, `at most ${MAX_LINKS}`)) return [];
  return refs.map((r, i) => globalIdOrProblem(r, type, `${field}[${i}]`, p));
}

const unique = (ids: (string | undefined)[]) => [...new Set(ids.filter((x): x is string => !!x))];

type LinkRefs = { threatIds?: string[] | null; activityIds?: string[] | null; nominalIds?: string[] | null };
type StoredLinks = { threat_ids: string[]; activity_ids: string[] };

/**
 * The threats, activities and people a report is about, for the lists given: each one the caller
 * can read, and every activity linked (given now, or already) one of a linked threat: an activity
 * is known through its threat. Returns the columns to write.
 */
async function checkLinks(scope: ReadScope, p: Problems, refs: LinkRefs, stored: StoredLinks = { threat_ids: [], activity_ids: [] }): Promise<Record<string, string[]>> {
  const columns: Record<string, string[]> = {};
  if (refs.threatIds) {
    const ids = idsOf(p, refs.threatIds, 'SocThreat', 'threatIds');
    columns.threat_ids = unique(ids);
    // Each only if the caller may read it: a hidden record is as missing as one that does not exist.
    await requireReadable(scope, p, 'soc_threat', ids, 'threatIds', 'threat');
  }
  if (refs.nominalIds) {
    const ids = idsOf(p, refs.nominalIds, 'Nominal', 'nominalIds');
    columns.nominal_ids = unique(ids);
    await requireReadable(scope, p, 'nominal', ids, 'nominalIds', 'person');
  }
  const threats = columns.threat_ids ?? stored.threat_ids;
  const given = refs.activityIds ? idsOf(p, refs.activityIds, 'CriminalActivity', 'activityIds') : undefined;
  if (given) columns.activity_ids = unique(given);
  const activities = columns.activity_ids ?? stored.activity_ids;
  if (!activities.length || (!given && !refs.threatIds)) return columns;
  const rows = await readableRows(scope, 'criminal_activity', activities, ['threat_id']);
  const threatOf = new Map<string, string>([...rows.values()].map((r) => [r.id, r.threat_id]));
  if (given) {
    given.forEach((id, i) => {
      if (!id) return;
      const threat = threatOf.get(id);
      if (!threat) p.add(`activityIds[${i}]`, 'no such criminal activity');
      else p.when(!threats.includes(threat), `activityIds[${i}]`, 'belongs to a threat the report is not linked to: link its threat too');
    });
  } else {
    // Threats changed, activities kept: none may be left without its threat.
    const orphaned = activities.some((id) => threatOf.has(id) && !threats.includes(threatOf.get(id)!));
    p.when(orphaned, 'threatIds', 'the report is linked to criminal activities of a threat left out: remove them from activityIds too');
  }
  return columns;
}

/** Records a graded intelligence report, owned by the caller's organisation, with its linked people's identifiers for deconfliction (checked). */
export async function createIntelligenceReport(ctx: RequestContext, input: CreateIntelligenceReportInput): Promise<IntelligenceReport> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const p = new Problems();
    checkEntryRules(intelligenceRules, p, input);
    checkReceivedOn(p, input.receivedOn);
    const links = await checkLinks(scope, p, { threatIds: input.threatIds ?? [], activityIds: input.activityIds ?? [], nominalIds: input.nominalIds ?? [] });
    const access = await accessColumns(trx, input.access, p);
    p.throwIfAny();
    const [{ id }] = await trx('intelligence_report')
      .insert({
        // Random, as threat URNs and referral references are: a running number told every user how many reports the region holds.
        reference: randomReference('INT', new Date(databaseNow()).getUTCFullYear()),
        received_on: input.receivedOn,
        source_evaluation: input.sourceEvaluation,
        intelligence_assessment: input.intelligenceAssessment,
        handling_code: input.handlingCode,
        handling_conditions: trimmed(input.handlingConditions) ?? null,
        source_reference: trimmed(input.sourceReference) ?? null,
        sanitised_text: input.sanitisedText!.trim(),
        original_text: input.originalText!.trim(),
        crime_categories: [...new Set(input.crimeCategories ?? [])],
        next_review_on: firstReviewOn('IntelligenceReport', input, input.receivedOn!),
        ...links,
        ...access,
        ...creationColumns(ctx.viewer),
      })
      .returning('id');
    await keepReportIdentifiers(ctx, scope, id);
    return reload(scope, id);
  });
}

const COLUMNS: Record<keyof ReportFields, string> = {
  receivedOn: 'received_on',
  sourceEvaluation: 'source_evaluation',
  intelligenceAssessment: 'intelligence_assessment',
  handlingCode: 'handling_code',
  handlingConditions: 'handling_conditions',
  sanitisedText: 'sanitised_text',
  originalText: 'original_text',
  sourceReference: 'source_reference',
};

/** Changes a report (owning organisation only); the entry rules judge the report as it will be. New links to people add their identifiers; removed ones take theirs away. */
export async function updateIntelligenceReport(ctx: RequestContext, input: UpdateIntelligenceReportInput): Promise<IntelligenceReport> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'IntelligenceReport', 'input.id');
    const row = await lockForChange(scope, 'intelligence_report', id, input.expectedVersion, ctx.viewer, 'Intelligence report');
    const p = new Problems();
    const changes: Record<string, unknown> = {};
    const after: ReportFields = {};
    for (const [field, column] of Object.entries(COLUMNS) as [keyof ReportFields, string][]) {
      const given = input[field];
      // An explicit null clears an optional text; the rules below refuse clearing a required one.
      if (given !== undefined) changes[column] = typeof given === 'string' ? trimmed(given) : given;
      (after as Record<string, unknown>)[field] = given !== undefined ? given : row[column];
    }
    checkEntryRules(intelligenceRules, p, after);
    if (input.receivedOn !== undefined) checkReceivedOn(p, input.receivedOn);
    Object.assign(changes, await checkLinks(scope, p, input, { threat_ids: row.threat_ids, activity_ids: row.activity_ids }));
    if (input.access) Object.assign(changes, await accessColumns(trx, input.access, p));
    if (input.crimeCategories) changes.crime_categories = [...new Set(input.crimeCategories)];
    p.throwIfAny();
    await saveVersion(trx, 'intelligence_report', id, ctx.viewer, changes);
    if ('nominal_ids' in changes) await keepReportIdentifiers(ctx, scope, id);
    return reload(scope, id);
  });
}

/** Whether an agreement in force between the two organisations covers intelligence at the marking. */
async function agreementCovers(knex: Knex, owner: string, recipient: string, marking: ProtectiveMarking): Promise<boolean> {
  const rows = await knex('information_sharing_agreement')
    .select('max_protective_marking')
    .where('status', 'ACTIVE')
    .whereRaw('current_date >= effective_from and current_date < expires_on')
    .whereRaw('?::uuid = any (parties) and ?::uuid = any (parties)', [owner, recipient])
    .whereRaw(`'INTELLIGENCE' = any (data_categories)`);
  return rows.some((r) => markingRank(r.max_protective_marking) >= markingRank(marking));
}

/**
 * The organisation a report may be disseminated to: a partner agency (police read intelligence
 * through its sharing), not the owner, with an agreement in force with the owner covering
 * intelligence at the report's marking (otherwise it could not read what it is given).
 */
async function checkRecipient(knex: Knex, p: Problems, ref: string, report: Record<string, any>): Promise<string> {
  const field = 'recipientOrganisationId';
  const id = globalIdOrProblem(ref, 'Organisation', field, p);
  if (!id) return '';
  const recipient = await knex('organisation').where({ id }).first('id', 'is_law_enforcement');
  if (!recipient) p.add(field, 'no such organisation');
  else if (recipient.id === report.owning_organisation_id) p.add(field, 'your own organisation recorded this intelligence');
  else if (recipient.is_law_enforcement) p.add(field, 'law enforcement organisations read intelligence through its sharing; dissemination is for partner agencies');
  else if (!(await agreementCovers(knex, report.owning_organisation_id, recipient.id, report.protective_marking))) {
    p.add(field, `no information sharing agreement in force with this organisation covers intelligence marked ${report.protective_marking}`);
  }
  return id;
}

/**
 * Gives a report to a partner organisation: a recorded act (audited as EXPORT) carrying the
 * handling code and conditions as they stand, and the sanitised text as it was given. Only the
 * owning organisation disseminates; only to a partner (police read intelligence through its
 * sharing) that an agreement in force covering intelligence at the report's marking allows. The
 * report itself does not change (its version stays), so the owner's next edit is not refused.
 */
export async function disseminateIntelligence(ctx: Ctx, input: DisseminateIntelligenceInput): Promise<IntelligenceReport> {
  return ctx.db.transaction(async (trx) => {
    const scope = inSavepoint(ctx.access, trx);
    const id = requireGlobalId(input.id, 'IntelligenceReport', 'input.id');
    const { row, locked } = await lockReadable(() => onlyReadable(trx('intelligence_report as rec').select('rec.*'), scope, 'INTELLIGENCE', 'rec').where('rec.id', id));
    if (!row) throw new NotFoundError('Intelligence report');
    if (row.owning_organisation_id !== ctx.viewer.organisation.id || !locked) throw new ForbiddenError('Only the organisation that recorded this intelligence can disseminate it.');
    const p = new Problems();
    const recipientId = await checkRecipient(trx, p, input.recipientOrganisationId, row);
    p.throwIfAny();
    await trx('intelligence_dissemination').insert({
      report_id: id,
      recipient_organisation_id: recipientId,
      handling_code: row.handling_code,
      handling_conditions: row.handling_conditions,
      sanitised_text: row.sanitised_text,
      disseminated_by: ctx.viewer.id,
    });
    return reload(scope, id);
  });
}
