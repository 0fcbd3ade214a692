import type { RequestContext } from '../../graphql/context';
import { byKey, groupByKey } from '../../graphql/loaders';
import type { RecordVersion } from '../../shared/shared-record';
import { asDate } from '../../shared/sql';
import { agreementsByIds, type AgreementScope } from './sharing.repository';

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Request-scoped batch loaders for agreements and their history. The history mapping repeats
 * shared-record.ts's (whose loader is private to SharedRecordResolver, and an agreement is not a
 * shared record): the same record_version rows, the same RecordVersion objects.
 */
export const sharingLoaders = {
  agreement: (ctx: RequestContext, scope: AgreementScope) =>
    ctx.loaders.get('sharingAgreement', async (ids: readonly string[]) => byKey(ids, await agreementsByIds(ctx.db.knex, scope, ids), (a) => a.dbId)),
  history: (ctx: RequestContext) =>
    ctx.loaders.get<string, (RecordVersion & { recordId: string })[]>('sharingAgreementHistory', async (ids) => {
      const rows = await ctx.db
        .knex('record_version')
        .select('record_id', 'version', 'at', 'action', 'part', 'part_id', 'changes', 'actor_id')
        .where('record_type', 'InformationSharingAgreement')
        .whereIn('record_id', ids as string[])
        .orderBy('id');
      const versions = rows.map((r) => ({
        recordId: r.record_id as string,
        actorId: r.actor_id,
        version: r.version,
        at: asDate(r.at),
        action: r.action,
        part: r.part,
        partId: r.part_id,
        changes: Object.entries(r.changes as Record<string, { from: unknown; to: unknown }>).map(([field, c]) => ({ field: camel(field), from: c.from, to: c.to })),
      }));
      return groupByKey(ids, versions, (v) => v.recordId);
    }),
};
