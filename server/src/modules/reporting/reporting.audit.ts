import type { RequestContext } from '../../graphql/context';
import { AuditAction } from '../../audit/audit.enums';
import { PurposeRequiredError } from '../../audit/purpose';
import { allowedPurposes } from '../../access/purpose-roles';

/**
 * SQL counting the rows of a statistic that are sensitive (marked OFFICIAL_SENSITIVE or above)
 * over the shared record table aliased `alias`, in the same statement as the figures.
 */
export function sensitiveCountSql(alias: string, distinctId = false): string {
  const what = distinctId ? `distinct ${alias}.id` : '*';
  // A plain comparison rather than soc_marking_rank(): this runs on every row of a large aggregate.
  return `count(${what}) filter (where ${alias}.protective_marking <> 'OFFICIAL')::int`;
}

/**
 * Audits a statistic as the audit middleware audits a list. Figures are not records, so the
 * middleware (which looks at the records a field returns) cannot see what they were computed
 * from: each statistic counts the sensitive records it aggregated in the same SQL statement
 * and reports that count here. None: nothing to audit. Some: the caller must have stated a
 * purpose (PURPOSE_REQUIRED and a DENIED event otherwise, as for a list of such records), and a
 * READ event names the statistic and how many sensitive records it covered. The record ids are
 * not listed: an aggregate over 200,000 disruptions would otherwise write them all into one event.
 */
export function auditAggregate(ctx: RequestContext, recordType: string, statistic: string, sensitiveRecords: number): void {
  if (sensitiveRecords <= 0) return;
  const detail = { aggregates: { statistic, sensitiveRecords } };
  if (!ctx.purpose) {
    ctx.audit.record(AuditAction.DENIED, recordType, [], { refusals: { code: 'PURPOSE_REQUIRED', field: statistic }, ...detail });
    throw new PurposeRequiredError(recordType, allowedPurposes(ctx.viewer.roles));
  }
  ctx.audit.record(AuditAction.READ, recordType, [], detail);
}

/**
 * Audits the records named in a statistic's answer (insights quote names and references): each
 * sensitive one is a READ of that record, exactly as if it had been listed; without a stated
 * purpose, the answer is refused.
 */
export function auditNamedRecords(ctx: RequestContext, records: { type: string; dbId: string; sensitive: boolean }[], statistic: string): void {
  const byType = new Map<string, string[]>();
  for (const r of records) if (r.sensitive) byType.set(r.type, [...(byType.get(r.type) ?? []), r.dbId]);
  if (!byType.size) return;
  if (!ctx.purpose) {
    for (const [type, ids] of byType) ctx.audit.denied(type, ids, { code: 'PURPOSE_REQUIRED', field: statistic });
    throw new PurposeRequiredError([...byType.keys()].join(', '), allowedPurposes(ctx.viewer.roles));
  }
  for (const [type, ids] of byType) ctx.audit.read(type, ids);
}
