import type { RequestContext } from '../../graphql/context';
import { Problems } from '../../shared/validation';
import { Urgency } from '../referrals/referral.enums';
import { acknowledgementHours } from '../referrals/referral-rules';
import { referralQuery, type ReferralCriteria } from '../referrals/referral.repository';
import { checkFiscalYears, fiscalQuarterNumberSql, fiscalStartYearSql, fiscalYearLabel } from './fiscal';
import { auditAggregate } from './reporting.audit';
import { ReferralStatsDimension } from './reporting.enums';
import type { ReferralStatsArgs } from './reporting.inputs';
import { checkGroupBy, checkRange, groupedBy, keysOf, withinFiscalYears, type Dimension } from './reporting.shared';
import type { ReferralStats } from './reporting.types';

/** The UTC calendar day of submission: referral lists filter by it the same way. */
const SUBMITTED_ON = `(r.submitted_at at time zone 'UTC')::date`;

const DIMENSIONS: Record<ReferralStatsDimension, Dimension> = {
  REFERRAL_TYPE: { sql: 'r.referral_type', field: 'referralType' },
  REFERRING_ORGANISATION: { sql: 'r.referring_organisation_id', field: 'referringOrganisationId' },
  RECEIVING_ORGANISATION: { sql: 'r.receiving_organisation_id', field: 'receivingOrganisationId' },
  FISCAL_YEAR: { sql: fiscalStartYearSql(SUBMITTED_ON), field: 'fiscalYear', label: fiscalYearLabel },
  QUARTER: { sql: fiscalQuarterNumberSql(SUBMITTED_ON), field: 'quarter', label: (q) => `Q${q}` },
  URGENCY: { sql: 'r.urgency', field: 'urgency' },
  STATUS: { sql: 'r.status', field: 'status' },
  OUTCOME: { sql: 'r.outcome', field: 'outcome' },
};
const ROW_KEYS = ['referralType', 'referringOrganisationId', 'receivingOrganisationId', 'fiscalYear', 'quarter', 'urgency', 'status', 'outcome'] as const;

/** The acknowledgement counts every breakdown carries (the referral list's flags, counted). */
const ACKNOWLEDGEMENT_COUNTS = [
  'count(*)::int as count',
  'count(r.acknowledged_at)::int as acknowledged',
  'count(*) filter (where r.acknowledged_at <= r.acknowledgement_due_at)::int as within_target',
  'count(*) filter (where r.acknowledged_at is null)::int as awaiting',
  // As referral.repository.ts computes isAcknowledgementOverdue: by the database's clock.
  'count(*) filter (where r.acknowledged_at is null and r.acknowledgement_due_at < now())::int as overdue',
];

function parse(args: ReferralStatsArgs): { criteria: ReferralCriteria; fiscalYears: string[] } {
  const p = new Problems('');
  const f = args.filter ?? {};
  checkGroupBy(args.groupBy, p);
  checkRange(f.from, f.to, p);
  const fiscalYears = checkFiscalYears(f.fiscalYears, 'filter.fiscalYears', p);
  p.throwIfAny();
  return {
    criteria: { submittedFrom: f.from ?? undefined, submittedTo: f.to ?? undefined, referralTypes: f.referralTypes ?? undefined, urgencies: f.urgencies ?? undefined },
    fiscalYears,
  };
}

/**
 * Referral figures over the referrals list's query (only the referring and receiving
 * organisations, and auditors, see a referral), counted in the database. Every referral read
 * is audited whatever its marking (docs/domain.md), so every referral counted is a sensitive one.
 */
export async function referralStats(ctx: RequestContext, args: ReferralStatsArgs): Promise<ReferralStats> {
  const { knex } = ctx.db;
  const { criteria, fiscalYears } = parse(args);
  const selection = () => {
    const q = referralQuery(ctx.access, criteria).clearSelect();
    withinFiscalYears(q, SUBMITTED_ON, fiscalYears);
    return q;
  };
  const dims = args.groupBy.map((d) => DIMENSIONS[d]);
  const rows: Record<string, any>[] = await groupedBy(selection(), knex, dims).select(ACKNOWLEDGEMENT_COUNTS.map((c) => knex.raw(c)));
  const total = rows.reduce((n, r) => n + r.count, 0);
  auditAggregate(ctx, 'SafeguardingReferral', 'referralStats', total);
  const byUrgency: Record<string, any>[] = await selection().select('r.urgency', ...ACKNOWLEDGEMENT_COUNTS.map((c) => knex.raw(c))).groupBy('r.urgency');
  const outcomes: Record<string, any>[] = await selection()
    .select('r.outcome', knex.raw('count(*)::int as count'))
    .whereNotNull('r.outcome')
    .groupBy('r.outcome')
    .orderByRaw('2 desc, 1');
  return {
    rows: rows
      .filter((r) => dims.length === 0 || r.count > 0)
      .map((r) => ({
        ...keysOf(r, dims, ROW_KEYS),
        count: r.count,
        acknowledged: r.acknowledged,
        acknowledgedWithinTarget: r.within_target,
        awaitingAcknowledgement: r.awaiting,
        overdue: r.overdue,
      })),
    total,
    acknowledgementByUrgency: [Urgency.RED, Urgency.AMBER, Urgency.GREEN].map((urgency) => {
      const r = byUrgency.find((u) => u.urgency === urgency);
      return {
        urgency,
        targetHours: acknowledgementHours(urgency),
        referrals: r?.count ?? 0,
        acknowledged: r?.acknowledged ?? 0,
        acknowledgedWithinTarget: r?.within_target ?? 0,
        awaitingAcknowledgement: r?.awaiting ?? 0,
        overdue: r?.overdue ?? 0,
      };
    }),
    outcomes: outcomes.map((r) => ({ outcome: r.outcome, count: r.count })),
  };
}
