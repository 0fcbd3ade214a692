import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import type { RequestContext } from '../../graphql/context';
import { toGlobalId } from '../../graphql/global-id';
import { plainDate } from '../../shared/plain-dates';
import { plainWords } from '../../shared/plain-words';
import { Problems, addDays, today } from '../../shared/validation';
import { DisruptionStatus } from '../disruptions/disruption.enums';
import { PlanStatus } from '../plans/plan.enums';
import { planQuery } from '../plans/plan.repository';
import { agreementQuery } from '../sharing/sharing.repository';
import { agreementScope } from '../sharing/sharing.service';
import { ThreatStatus } from '../threats/threat.enums';
import { threatQuery } from '../threats/threat.repository';
import { auditNamedRecords } from './reporting.audit';
import { InsightKind } from './reporting.enums';
import type { InsightsArgs } from './reporting.inputs';
import type { Insights, NamedRecord } from './reporting.types';

/**
 * The routine analysis a short-staffed unit does not get round to (inspection finding 1). Each
 * kind is one SQL statement built on the module's own list query (its policy filter, in the
 * request's transaction): a finding names only records the caller may read, and a possible link
 * only when the caller may read both threats and the person they share.
 */

interface Finding {
  summary: string;
  records: NamedRecord[];
}

interface KindResult {
  total: number;
  findings: Finding[];
}

interface Options {
  today: string;
  limit: number;
  noDisruptionDays: number;
}

type Analysis = (ctx: RequestContext, o: Options) => Promise<KindResult>;

const CURRENT = Object.values(ThreatStatus).filter((s) => s !== ThreatStatus.ARCHIVED && s !== ThreatStatus.REJECTED);
const ADOPTED = [ThreatStatus.ADOPTED, ThreatStatus.UNDER_REVIEW];
const PLANS_IN_FORCE = [PlanStatus.ACTIVE, PlanStatus.UNDER_REVIEW];
const TOTAL = 'count(*) over ()::int as total';

const sensitive = (marking: string) => marking !== 'OFFICIAL';
const threat = (r: Record<string, any>, prefix = ''): NamedRecord => ({ type: 'SocThreat', dbId: r[`${prefix}id`], sensitive: sensitive(r[`${prefix}marking`]) });
const named = (r: Record<string, any>, prefix = '') => `${r[`${prefix}name`]} (${r[`${prefix}urn`]})`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function result(rows: Record<string, any>[], finding: (r: Record<string, any>) => Finding): KindResult {
  return { total: rows[0]?.total ?? 0, findings: rows.map(finding) };
}

const THREAT_NAME = ['t.id', 't.name', 't.urn', 't.protective_marking as marking'];

const singleActivityThreats: Analysis = async (ctx, o) => {
  const { knex } = ctx.db;
  const rows = await threatQuery(ctx.access, { statuses: CURRENT })
    .clearSelect()
    .select(...THREAT_NAME, knex.raw('min(ca.category) as category'), knex.raw(TOTAL))
    .join('criminal_activity as ca', 'ca.threat_id', 't.id')
    .groupBy('t.id')
    .havingRaw('count(*) = 1')
    .orderBy('t.urn')
    .limit(o.limit);
  return result(rows, (r) => ({
    summary: `${named(r)} has a single recorded criminal activity (${plainWords(r.category)}): are the group's other criminal activities recorded and assessed?`,
    records: [threat(r)],
  }));
};

const activitiesWithoutPlanAction: Analysis = async (ctx, o) => {
  const { knex } = ctx.db;
  const query = threatQuery(ctx.access, { statuses: ADOPTED })
    .clearSelect()
    .join('fourp_plan as p', 'p.threat_id', 't.id')
    .join('criminal_activity as ca', 'ca.threat_id', 't.id')
    .whereNot('p.status', PlanStatus.CLOSED)
    // The gate's ACTIVITY_NOT_ADDRESSED check, per activity: no action but a cancelled one addresses it.
    .whereNotExists((a) =>
      a.select(knex.raw('1')).from('plan_action as a').whereRaw('a.plan_id = p.id').whereNot('a.status', 'CANCELLED').whereRaw('ca.id = any (a.addresses_activity_ids)'),
    );
  const rows = await onlyReadable(query, ctx.access, 'PLAN', 'p')
    .select(...THREAT_NAME, 'ca.id as activity_id', 'ca.category', 'p.id as plan_id', 'p.protective_marking as plan_marking', knex.raw(TOTAL))
    .orderBy(['t.urn', 'ca.category', 'ca.id'])
    .limit(o.limit);
  return result(rows, (r) => ({
    summary: `No action in the 4P plan for ${named(r)} addresses its ${plainWords(r.category)} activity.`,
    records: [
      { type: 'CriminalActivity', dbId: r.activity_id, sensitive: sensitive(r.marking) },
      threat(r),
      { type: 'FourPPlan', dbId: r.plan_id, sensitive: sensitive(r.plan_marking) },
    ],
  }));
};

/**
 * Criminal activities of current threats that intelligence reports are about but no approved
 * assessment covers: criminality the unit holds intelligence on and has not assessed (inspection
 * finding 2). Only reports the caller may read count, so a finding never tells of hidden intelligence.
 */
const unassessedIntelligence: Analysis = async (ctx, o) => {
  const { knex } = ctx.db;
  const query = threatQuery(ctx.access, { statuses: CURRENT })
    .clearSelect()
    .join('criminal_activity as ca', 'ca.threat_id', 't.id')
    .joinRaw('join intelligence_report as i on ca.id = any (i.activity_ids)')
    .whereNotExists((a) => a.select(knex.raw('1')).from('threat_assessment as a').whereRaw('a.criminal_activity_id = ca.id').where('a.status', 'APPROVED'));
  const rows = await onlyReadable(query, ctx.access, 'INTELLIGENCE', 'i')
    .select(...THREAT_NAME, 'ca.id as activity_id', 'ca.category', knex.raw('count(distinct i.id)::int as reports'),
      knex.raw('(array_agg(i.id order by i.received_on desc, i.id))[1] as report_id'), knex.raw(TOTAL))
    .groupBy('t.id', 'ca.id')
    .orderBy(['t.urn', 'ca.category', 'ca.id'])
    .limit(o.limit);
  return result(rows, (r) => ({
    summary: `${plural(r.reports, 'intelligence report')} about the ${plainWords(r.category)} activity of ${named(r)}, which has no approved assessment.`,
    records: [
      { type: 'CriminalActivity', dbId: r.activity_id, sensitive: sensitive(r.marking) },
      threat(r),
      // Every intelligence read is audited, whatever its marking.
      { type: 'IntelligenceReport', dbId: r.report_id, sensitive: true },
    ],
  }));
};

/**
 * Crime the intelligence tells of that a threat's profile does not list (inspection finding 3:
 * assessment missing part of a group's criminality). A report counts for a threat when it is about
 * the threat or about one of its people; the report, and the person, must be readable by the
 * caller, or the finding would tell of them.
 */
const unlistedCrimeCategories: Analysis = async (ctx, o) => {
  const { knex } = ctx.db;
  const readableReports = (alias: string) => onlyReadable(knex(`intelligence_report as ${alias}`), ctx.access, 'INTELLIGENCE', alias);
  const aboutThreat = readableReports('about_t').select('about_t.id as report_id', 'about_t.crime_categories', knex.raw('unnest(about_t.threat_ids) as threat_id'));
  const aboutMember = onlyReadable(
    readableReports('about_m')
      .joinRaw('join membership as about_mm on about_mm.nominal_id = any (about_m.nominal_ids)')
      .join('nominal as about_n', 'about_n.id', 'about_mm.nominal_id'),
    ctx.access,
    'NOMINAL',
    'about_n',
  ).select('about_m.id as report_id', 'about_m.crime_categories', 'about_mm.threat_id');
  const rows = await threatQuery(ctx.access, { statuses: CURRENT })
    .clearSelect()
    .join(aboutThreat.union([aboutMember]).as('about'), 'about.threat_id', 't.id')
    .joinRaw('cross join lateral unnest(about.crime_categories) as mention(category)')
    .whereNotExists((a) => a.select(knex.raw('1')).from('criminal_activity as listed').whereRaw('listed.threat_id = t.id and listed.category = mention.category'))
    .select(...THREAT_NAME, 'mention.category', knex.raw('count(distinct about.report_id)::int as reports'),
      knex.raw('(array_agg(about.report_id order by about.report_id))[1] as report_id'), knex.raw(TOTAL))
    .groupBy('t.id', 'mention.category')
    .orderBy(['t.urn', 'mention.category'])
    .limit(o.limit);
  return result(rows, (r) => ({
    summary: `${plural(r.reports, 'intelligence report')} about ${named(r)} or its people ${r.reports === 1 ? 'mentions' : 'mention'} ${plainWords(r.category)}, which the threat does not list: is part of its criminality missing from the profile?`,
    records: [threat(r), { type: 'IntelligenceReport', dbId: r.report_id, sensitive: true }],
  }));
};

const assessmentReviewsOverdue: Analysis = async (ctx, o) => {
  const { knex } = ctx.db;
  const rows = await threatQuery(ctx.access, { statuses: ADOPTED, reviewDueBefore: o.today })
    .clearSelect()
    .select(...THREAT_NAME, knex.raw('t.next_review_due::text as due'), knex.raw(TOTAL))
    .orderBy(['t.next_review_due', 't.urn'])
    .limit(o.limit);
  return result(rows, (r) => ({ summary: `The assessment of ${named(r)} was due for review on ${plainDate(r.due)}.`, records: [threat(r)] }));
};

const planReviewsOverdue: Analysis = async (ctx, o) => {
  const { knex } = ctx.db;
  const rows = await planQuery(ctx.access, { today: o.today, statuses: PLANS_IN_FORCE, reviewOverdue: true })
    .clearSelect()
    .select('p.id as plan_id', 'p.protective_marking as plan_marking', knex.raw('p.next_review_due::text as due'), ...THREAT_NAME, knex.raw(TOTAL))
    .orderByRaw('p.next_review_due nulls first, t.urn')
    .limit(o.limit);
  return result(rows, (r) => ({
    summary: r.due ? `The 4P plan for ${named(r)} was due for review on ${plainDate(r.due)}.` : `The 4P plan for ${named(r)} is in force but has no review date.`,
    records: [{ type: 'FourPPlan', dbId: r.plan_id, sensitive: sensitive(r.plan_marking) }, threat(r)],
  }));
};

const noRecentDisruption: Analysis = async (ctx, o) => {
  const { knex } = ctx.db;
  const lastValidated = onlyReadable(
    knex('disruption as d').max('d.date').whereRaw('d.threat_id = t.id').where('d.status', DisruptionStatus.VALIDATED),
    ctx.access,
    'DISRUPTION',
    'd',
  );
  const threats = threatQuery(ctx.access, { statuses: ADOPTED })
    .clearSelect()
    .select(...THREAT_NAME, 't.adopted_on', 't.identified_on', knex.raw('(?) as last_date', [lastValidated]));
  const rows = await knex
    .queryBuilder()
    .from(threats.as('x'))
    .select('x.id', 'x.name', 'x.urn', 'x.marking', knex.raw('x.last_date::text as last_date'), knex.raw('coalesce(x.adopted_on, x.identified_on)::text as adopted_on'))
    .select(knex.raw('current_date - coalesce(x.last_date, x.adopted_on, x.identified_on) as days'), knex.raw(TOTAL))
    .whereRaw('coalesce(x.last_date, x.adopted_on, x.identified_on) < ?::date', [addDays(o.today, -o.noDisruptionDays)])
    .orderByRaw('7 desc, x.urn')
    .limit(o.limit);
  return result(rows, (r) => ({
    summary: r.last_date
      ? `No validated disruption of ${named(r)} for ${r.days} days: the last was on ${plainDate(r.last_date)}.`
      : `No validated disruption of ${named(r)} since it was adopted on ${plainDate(r.adopted_on)} (${r.days} days ago).`,
    records: [threat(r)],
  }));
};

const possibleLinks: Analysis = async (ctx, o) => {
  const { knex } = ctx.db;
  const query = knex('membership as m1')
    .join('membership as m2', (j) => j.on('m2.nominal_id', 'm1.nominal_id').andOn('m2.threat_id', '>', 'm1.threat_id'))
    .join('soc_threat as t1', 't1.id', 'm1.threat_id')
    .join('soc_threat as t2', 't2.id', 'm2.threat_id')
    .join('nominal as n', 'n.id', 'm1.nominal_id');
  // Both sides and the person they share must be readable: otherwise the finding would tell.
  onlyReadable(onlyReadable(onlyReadable(query, ctx.access, 'THREAT', 't1'), ctx.access, 'THREAT', 't2'), ctx.access, 'NOMINAL', 'n');
  const rows = await query
    .whereIn('t1.status', CURRENT)
    .whereIn('t2.status', CURRENT)
    .whereNotExists((l) =>
      l
        .select(knex.raw('1'))
        .from('threat_link as l')
        .whereRaw('(l.threat_id = t1.id and l.linked_threat_id = t2.id) or (l.threat_id = t2.id and l.linked_threat_id = t1.id)'),
    )
    .groupBy('t1.id', 't2.id')
    .select('t1.id as a_id', 't1.name as a_name', 't1.urn as a_urn', 't1.protective_marking as a_marking')
    .select('t2.id as b_id', 't2.name as b_name', 't2.urn as b_urn', 't2.protective_marking as b_marking')
    .select(knex.raw('array_agg(distinct n.id) as nominal_ids'), knex.raw(`array_agg(distinct n.id) filter (where n.protective_marking <> 'OFFICIAL') as sensitive_nominal_ids`))
    .select(knex.raw(TOTAL))
    .orderByRaw('count(distinct n.id) desc, t1.urn, t2.urn')
    .limit(o.limit);
  return result(rows, (r) => {
    const people: string[] = r.nominal_ids;
    const sensitivePeople = new Set<string>(r.sensitive_nominal_ids ?? []);
    return {
      summary: `${named(r, 'a_')} and ${named(r, 'b_')} share ${plural(people.length, 'member')} but are not linked: a possible link.`,
      records: [threat(r, 'a_'), threat(r, 'b_'), ...people.map((id) => ({ type: 'Nominal', dbId: id, sensitive: sensitivePeople.has(id) }))],
    };
  });
};

/** Agreements in force expiring within this many days (docs/domain.md, "Figures people ask for"). */
const AGREEMENT_WARNING_DAYS = 60;

const agreementsExpiring: Analysis = async (ctx, o) => {
  const { knex } = ctx.db;
  // Only agreements the caller may see (administrators and auditors: all; others: their organisation's).
  const rows = await agreementQuery(knex, agreementScope(ctx), { expiringWithinDays: AGREEMENT_WARNING_DAYS })
    .select(knex.raw('a.expires_on::text as expires'), knex.raw(TOTAL))
    .orderBy(['a.expires_on', 'a.title'])
    .limit(o.limit);
  return result(rows, (r) => ({
    summary: `The sharing agreement "${r.title}" expires on ${plainDate(r.expires)} (in ${plural(Number(r.expires_in_days), 'day')}).`,
    records: [{ type: 'InformationSharingAgreement', dbId: r.id, sensitive: false }],
  }));
};

const WITHHELD_FROM_PARTNERS = 'This analysis reads intelligence (plans, assessments, members or disruptions) withheld from partner organisations.';

const ANALYSES: Record<InsightKind, { run: Analysis; partners: boolean }> = {
  SINGLE_ACTIVITY_THREAT: { run: singleActivityThreats, partners: true },
  ACTIVITY_WITHOUT_PLAN_ACTION: { run: activitiesWithoutPlanAction, partners: false },
  ASSESSMENT_REVIEW_OVERDUE: { run: assessmentReviewsOverdue, partners: false },
  PLAN_REVIEW_OVERDUE: { run: planReviewsOverdue, partners: false },
  NO_RECENT_DISRUPTION: { run: noRecentDisruption, partners: false },
  POSSIBLE_LINK: { run: possibleLinks, partners: false },
  AGREEMENT_EXPIRING: { run: agreementsExpiring, partners: true },
  UNASSESSED_INTELLIGENCE: { run: unassessedIntelligence, partners: false },
  UNLISTED_CRIME_CATEGORY: { run: unlistedCrimeCategories, partners: false },
};

function parse(args: InsightsArgs): Options & { kinds: InsightKind[] } {
  const p = new Problems('');
  p.when(!Number.isInteger(args.noDisruptionDays) || args.noDisruptionDays < 1 || args.noDisruptionDays > 3650, 'noDisruptionDays', 'must be between 1 and 3650');
  p.when(args.limit < 1 || args.limit > 100, 'limit', 'must be between 1 and 100');
  p.throwIfAny();
  const kinds = args.kinds?.length ? Object.values(InsightKind).filter((k) => args.kinds!.includes(k)) : Object.values(InsightKind);
  return { kinds, today: today(), limit: args.limit, noDisruptionDays: args.noDisruptionDays };
}

/**
 * Runs each kind asked for that the caller may have (partner organisations do not get those that
 * read intelligence withheld from them), one statement each. The records a finding names are
 * audited as reads, as if listed, and need a stated purpose when sensitive.
 */
export async function insights(ctx: RequestContext, args: InsightsArgs): Promise<Insights> {
  const options = parse(args);
  const out: Insights = { items: [], counts: [], withheld: [] };
  for (const kind of options.kinds) {
    const analysis = ANALYSES[kind];
    if (!analysis.partners && !ctx.access.caller.isLawEnforcement) {
      out.withheld.push({ kind, reason: WITHHELD_FROM_PARTNERS });
      continue;
    }
    const { total, findings } = await analysis.run(ctx, options);
    out.counts.push({ kind, total });
    for (const f of findings) out.items.push({ kind, summary: f.summary, recordIds: f.records.map((r) => toGlobalId(r.type, r.dbId)), namedRecords: f.records });
  }
  auditNamedRecords(ctx, out.items.flatMap((i) => i.namedRecords), 'insights');
  return out;
}
