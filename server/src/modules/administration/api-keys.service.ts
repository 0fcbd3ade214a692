import type { Knex } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../graphql/context';
import { NotFoundError } from '../../graphql/errors';
import { fromGlobalId, requireGlobalId } from '../../graphql/global-id';
import { insertApiKey } from '../../auth/api-keys';
import { isIsoDate, Problems, today } from '../../shared/validation';
import { toOrganisation } from '../identity/identity.resolver';
import { administeredOrganisations, requireAdministrator } from './administration.scope';
import type { ApiKeyFilter, CreateApiKeyInput, RevokeApiKeyInput } from './administration.inputs';
import { ApiKey, ApiKeyState, CreatedApiKey } from './administration.types';

type Ctx = RequestContext;

const STATE = `case when k.revoked_at is not null then 'REVOKED' when k.expires_at <= now() then 'EXPIRED' else 'ACTIVE' end`;

/** Keys of the organisations the administrator administers, with what the list shows; never the hashes. */
function keyRows(ctx: Ctx, knex: Knex): Knex.QueryBuilder {
  return knex('api_key as k')
    .join('organisation as o', 'o.id', 'k.organisation_id')
    .join('app_user as u', 'u.id', 'k.service_user_id')
    .whereIn('k.organisation_id', administeredOrganisations(ctx))
    .select('k.id', 'k.name', 'k.created_at', 'k.created_by', 'k.expires_at', 'k.revoked_at', 'u.roles', 'u.clearance')
    .select('o.id as org_id', 'o.code as org_code', 'o.name as org_name', 'o.type as org_type', 'o.region as org_region', 'o.is_law_enforcement as org_is_law_enforcement')
    .select(knex.raw(`${STATE} as state`), knex.raw('soc_api_key_last_used(k.id) as last_used_at'));
}

const when = (v: string | Date | null) => (v === null ? null : new Date(v));

function toApiKey(r: Record<string, any>): ApiKey {
  return Object.assign(new ApiKey(), {
    dbId: r.id,
    name: r.name,
    organisation: toOrganisation({ id: r.org_id, code: r.org_code, name: r.org_name, type: r.org_type, region: r.org_region, is_law_enforcement: r.org_is_law_enforcement }),
    state: r.state as ApiKeyState,
    role: r.roles[0],
    clearance: r.clearance,
    createdAt: when(r.created_at)!,
    createdBy: r.created_by,
    expiresAt: when(r.expires_at),
    revokedAt: when(r.revoked_at),
    lastUsedAt: when(r.last_used_at),
  });
}

/** The keys of the organisations the administrator administers, newest first. */
export async function listApiKeys(ctx: Ctx, filter: ApiKeyFilter | null | undefined): Promise<ApiKey[]> {
  requireAdministrator(ctx, 'API keys');
  const q = keyRows(ctx, ctx.db.knex).orderBy([{ column: 'k.created_at', order: 'desc' }, { column: 'k.id' }]);
  if (filter?.state?.length) q.whereIn(ctx.db.knex.raw(STATE) as any, filter.state);
  if (filter?.organisationIds?.length) q.whereIn('k.organisation_id', filter.organisationIds.map((g, i) => requireGlobalId(g, 'Organisation', `filter.organisationIds[${i}]`)));
  return (await q).map(toApiKey);
}

/** Creates a key for an organisation the administrator administers; the answer holds the key, once. */
export async function createApiKey(ctx: Ctx, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  return ctx.db.transaction(async (trx) => {
    const p = new Problems();
    const name = input.name.trim();
    p.text(input.name, 'name', { max: 200 });
    let expiresAt: Date | null = null;
    if (input.expiresOn != null) {
      if (!p.when(!isIsoDate(input.expiresOn), 'expiresOn', 'is not a date')) {
        p.when(input.expiresOn <= today(), 'expiresOn', 'must be a day after today');
        expiresAt = new Date(`${input.expiresOn}T00:00:00Z`);
      }
    }
    const orgId = input.organisationId == null ? ctx.viewer.organisation.id : fromGlobalId(input.organisationId)?.id;
    const organisation = orgId
      ? await trx('organisation').whereIn('id', administeredOrganisations(ctx)).where({ id: orgId }).first('id', 'code', 'is_law_enforcement')
      : undefined;
    p.when(!organisation, 'organisationId', 'is not an organisation whose keys you administer');
    p.throwIfAny();
    const created = await insertApiKey(trx, organisation, { name, expiresAt, createdBy: ctx.viewer.username });
    const apiKey = toApiKey(await keyRows(ctx, trx).where('k.id', created.id).first());
    return Object.assign(new CreatedApiKey(), { dbId: created.id, key: created.key, apiKey });
  });
}

/** Revokes a key at once (its next request is refused) and deactivates its service account. */
export async function revokeApiKey(ctx: Ctx, input: RevokeApiKeyInput): Promise<ApiKey> {
  return ctx.db.transaction(async (trx) => {
    const parsed = fromGlobalId(input.id);
    const row = parsed?.type === 'ApiKey' ? await trx('api_key').whereIn('organisation_id', administeredOrganisations(ctx)).where({ id: parsed.id }).forUpdate().first('id', 'service_user_id') : undefined;
    if (!row) throw new NotFoundError('API key');
    await trx('api_key').where({ id: row.id }).update({ revoked_at: trx.raw('coalesce(revoked_at, now())') });
    await trx('app_user').where({ id: row.service_user_id }).update({ active: false, updated_at: trx.fn.now() });
    return toApiKey(await keyRows(ctx, trx).where('k.id', row.id).first());
  });
}
