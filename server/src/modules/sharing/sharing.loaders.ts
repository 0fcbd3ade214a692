import type { RequestContext } from '../../graphql/context';
import { byKey } from '../../graphql/loaders';
import { agreementsByIds, type AgreementScope } from './sharing.repository';

/** Request-scoped batch loaders for agreements (their history uses shared-record.ts's historyLoader). */
export const sharingLoaders = {
  agreement: (ctx: RequestContext, scope: AgreementScope) =>
    ctx.loaders.get('sharingAgreement', async (ids: readonly string[]) => byKey(ids, await agreementsByIds(ctx.db.knex, scope, ids), (a) => a.dbId)),
};
