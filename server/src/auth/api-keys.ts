import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { defaultFieldResolver, GraphQLError, type GraphQLSchema } from 'graphql';
import { parsePurpose, PURPOSE_HEADER } from '../audit/purpose';
import { AuditAction, Purpose } from '../audit/audit.enums';
import type { AuditCollector } from '../audit/audit.collector';
import { UnauthenticatedError } from '../graphql/errors';
import { markingRank, ProtectiveMarking, Role } from '../modules/identity/identity.enums';
import { User } from '../modules/identity/user.entity';
import { bearerToken } from './authenticate';

/**
 * API keys for service accounts: how scripts (reports, exports) call the API.
 *
 * A key reads `soc_<id>_<secret>`: `id` is the key's row (32 hex digits, so lookup is by
 * primary key) and `secret` 32 random bytes in base64url. Only SHA-256 of the secret is stored;
 * for a high-entropy secret that is enough (nothing to brute-force), and the hashes are compared
 * in constant time. Sent as `Authorization: Bearer soc_…`, like a token, so any GraphQL client
 * can use one.
 *
 * Each key acts as its own service-account user (`svc.<org>.<id>`), which:
 * - belongs to the key's organisation, so sharing, agreements and row-level security apply as
 *   to any user of that organisation;
 * - holds one reading role, ANALYST for law-enforcement organisations and PARTNER_CONTRIBUTOR for
 *   others (roles with no administrative, audit or validation powers: the key reads what the
 *   role policy lets that role read, and follows the policy when an admin changes it);
 * - is cleared to OFFICIAL_SENSITIVE (law enforcement) or OFFICIAL (others), and never above the
 *   highest clearance held by an active person in the organisation.
 * Keys are read-only (any mutation is refused: FORBIDDEN, `reason: API_KEY_READ_ONLY`), always
 * state the purpose REPORTING, and each request is an EXPORT event on the audit trail naming the
 * key. A revoked or expired key is refused at once with UNAUTHENTICATED, as a bad token is.
 */

export const API_KEY_PREFIX = 'soc_';
/** Usernames of service accounts begin with this; tokens naming one are refused. */
export const SERVICE_ACCOUNT_PREFIX = 'svc.';
/** The reason given with FORBIDDEN when a key attempts a mutation. */
export const API_KEY_READ_ONLY = 'API_KEY_READ_ONLY';

const KEY_PATTERN = /^soc_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
const INVALID_KEY = 'The API key is not valid: it is unknown, revoked or expired.';
/** How long a WebSocket connection's key check stands before the next operation checks again. */
const RECHECK_AFTER_MS = 1000;

/** The key behind a request, as the request's context keeps it. */
export interface ApiKeyIdentity {
  readonly id: string;
  readonly name: string;
  /** When it was last found valid (ms since epoch). */
  checkedAt: number;
}

/**
 * Keys in use in this process, by their service account's user id (one entry per key used):
 * when each was last found valid, so a WebSocket connection's later operations can check again.
 */
const keysByServiceUser = new Map<string, ApiKeyIdentity>();

function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function uuidFromHex(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether an Authorization header carries an API key (rather than a token). */
export function isApiKeyHeader(authorization: unknown): boolean {
  return bearerToken(authorization)?.startsWith(API_KEY_PREFIX) ?? false;
}

/** A new key for row `id`: the text to give the person once, and the hash to store. */
export function generateApiKey(id: string = randomUUID()): { id: string; key: string; secretHash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { id, key: `${API_KEY_PREFIX}${id.replace(/-/g, '')}_${secret}`, secretHash: hashSecret(secret) };
}

interface KeyRow {
  id: string;
  name: string;
  service_user_id: string;
  secret_hash: string;
  in_force: boolean;
}

const IN_FORCE = '(revoked_at is null and (expires_at is null or expires_at > now())) as in_force';

/** A key's row, and whether it is in force (not revoked, not expired); read as the connecting user (no RLS). */
async function keyRow(knex: Knex, where: { id: string } | { service_user_id: string }): Promise<KeyRow | undefined> {
  return knex('api_key').where(where).first('id', 'name', 'service_user_id', 'secret_hash', knex.raw(IN_FORCE));
}

/**
 * The service-account user behind `Authorization: Bearer soc_…`, or UNAUTHENTICATED (one
 * message for unknown, wrong, revoked and expired keys alike).
 */
export async function authenticateApiKey(em: EntityManager, authorization: unknown): Promise<User> {
  const match = KEY_PATTERN.exec(bearerToken(authorization) ?? '');
  if (!match) throw new UnauthenticatedError(INVALID_KEY);
  const row = await keyRow(em.getConnection().getKnex(), { id: uuidFromHex(match[1]) });
  const presented = Buffer.from(hashSecret(match[2]), 'hex');
  const stored = Buffer.from(row?.secret_hash ?? '0'.repeat(64), 'hex');
  // Compared even for an unknown id, so timing says nothing about which ids exist.
  const secretMatches = timingSafeEqual(presented, stored);
  if (!row || !secretMatches || !row.in_force) throw new UnauthenticatedError(INVALID_KEY);
  const user = await em.findOne(User, { id: row.service_user_id });
  if (!user || !user.active) throw new UnauthenticatedError(INVALID_KEY);
  keysByServiceUser.set(user.id, { id: row.id, name: row.name, checkedAt: Date.now() });
  return user;
}

/** Refuses a token (not a key) that names a service account: those sign in with their key only. */
export function refuseServiceAccountToken(user: User): User {
  if (user.username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    throw new UnauthenticatedError(`"${user.username}" is a service account: it authenticates with its API key only.`);
  }
  return user;
}

/**
 * The key behind an authenticated viewer, still in force, or undefined for a person. Every
 * service account is a key's (tokens naming one are refused), so this fails closed: a service
 * account whose key is not in force is UNAUTHENTICATED. A WebSocket connection authenticates
 * once, so its later operations check the key again (at most once a second).
 */
export async function apiKeyInForce(orm: MikroORM, viewer: User): Promise<ApiKeyIdentity | undefined> {
  if (!viewer.username.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const known = keysByServiceUser.get(viewer.id);
  if (known && Date.now() - known.checkedAt < RECHECK_AFTER_MS) return known;
  const row = await keyRow(orm.em.getConnection().getKnex(), { service_user_id: viewer.id });
  if (!row?.in_force) throw new UnauthenticatedError(INVALID_KEY);
  const key = { id: row.id, name: row.name, checkedAt: Date.now() };
  keysByServiceUser.set(viewer.id, key);
  return key;
}

/** A key always reads for REPORTING: stated or not. Any other stated purpose is refused. */
export function apiKeyPurpose(raw: unknown): Purpose {
  const stated = parsePurpose(raw);
  if (stated && stated !== Purpose.REPORTING) {
    const message = `${stated} is not allowed with an API key: keys read for REPORTING only (send that, or no purpose).`;
    throw new GraphQLError(`${PURPOSE_HEADER}: ${message}`, {
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: PURPOSE_HEADER, message }], http: { status: 400 } },
    });
  }
  return Purpose.REPORTING;
}

/** Puts the request on the audit trail whatever it reads: one EXPORT event naming the key. */
export function auditApiKeyUse(audit: AuditCollector, key: ApiKeyIdentity): void {
  audit.record(AuditAction.EXPORT, 'ApiKey', [key.id], { apiKey: key.name });
}

/** FORBIDDEN, with a reason scripts can switch on: keys never change anything. */
export class ApiKeyReadOnlyError extends GraphQLError {
  constructor(mutation: string) {
    super(`API keys are read-only: ${mutation} needs a signed-in person.`, {
      extensions: { code: 'FORBIDDEN', reason: API_KEY_READ_ONLY },
    });
  }
}

/**
 * Wraps every root mutation field so that a request made with an API key is refused before
 * anything runs (and recorded as DENIED). Only the mutation roots are wrapped, so reads pay
 * nothing for it; this covers HTTP and WebSocket alike since both execute this schema.
 */
export function refuseMutationsWithApiKeys(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: { apiKey?: ApiKeyIdentity; audit?: AuditCollector } | undefined, info) => {
      if (context?.apiKey) {
        context.audit?.setOperation(info.operation.name?.value);
        context.audit?.denied(null, [], { code: 'FORBIDDEN', field: info.fieldName, message: API_KEY_READ_ONLY });
        throw new ApiKeyReadOnlyError(info.fieldName);
      }
      return resolve(source, args, context, info);
    };
  }
  return schema;
}

// ---- Administration (npm run apikey), as the connecting database user ----

/** The reading role and clearance a service account of an organisation gets (see the top of this file). */
export async function serviceAccountProfile(knex: Knex, organisation: { id: string; is_law_enforcement: boolean }) {
  const role = organisation.is_law_enforcement ? Role.ANALYST : Role.PARTNER_CONTRIBUTOR;
  const ceiling = organisation.is_law_enforcement ? ProtectiveMarking.OFFICIAL_SENSITIVE : ProtectiveMarking.OFFICIAL;
  const people = await knex('app_user')
    .where({ organisation_id: organisation.id, active: true })
    .whereNot('username', 'like', `${SERVICE_ACCOUNT_PREFIX}%`)
    .pluck('clearance');
  if (!people.length) return { role, clearance: ceiling };
  const highest = people.reduce((a: ProtectiveMarking, b: ProtectiveMarking) => (markingRank(b) > markingRank(a) ? b : a));
  return { role, clearance: markingRank(highest) < markingRank(ceiling) ? highest : ceiling };
}

export interface CreatedApiKey {
  id: string;
  /** The whole key: shown once, never stored. */
  key: string;
  username: string;
  role: Role;
  clearance: ProtectiveMarking;
  expiresAt: Date | null;
}

/** Problems with create's input, by option; thrown before anything is written. */
export class ApiKeyInputError extends Error {}

/**
 * Creates a key and its service-account user in one transaction.
 * @param expiresOn `YYYY-MM-DD`: the key stops working at the start of that day (UTC), like an agreement's `expiresOn`.
 */
export async function createApiKey(
  knex: Knex,
  input: { organisationCode: string; name: string; expiresOn?: string; createdBy?: string },
): Promise<CreatedApiKey> {
  const name = input.name.trim();
  if (!name || name.length > 200) throw new ApiKeyInputError('--name: give the key a name of 1 to 200 characters.');
  let expiresAt: Date | null = null;
  if (input.expiresOn !== undefined) {
    expiresAt = new Date(`${input.expiresOn}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(input.expiresOn) || Number.isNaN(expiresAt.getTime())) {
      throw new ApiKeyInputError(`--expires: "${input.expiresOn}" is not a date (YYYY-MM-DD).`);
    }
    if (expiresAt.getTime() <= Date.now()) throw new ApiKeyInputError(`--expires: ${input.expiresOn} is not in the future.`);
  }
  const organisation = await knex('organisation').where({ code: input.organisationCode.toUpperCase() }).first('id', 'code', 'name', 'is_law_enforcement');
  if (!organisation) throw new ApiKeyInputError(`--org: no organisation has the code "${input.organisationCode}".`);
  return knex.transaction((trx) => insertApiKey(trx, organisation, { name, expiresAt, createdBy: input.createdBy ?? null }));
}

/**
 * Writes a key and its service-account user within the caller's transaction (the command's own,
 * or a request's as an administrator, where row-level security checks they administer the organisation).
 */
export async function insertApiKey(
  trx: Knex,
  organisation: { id: string; code: string; is_law_enforcement: boolean },
  key: { name: string; expiresAt: Date | null; createdBy: string | null },
): Promise<CreatedApiKey> {
  const { role, clearance } = await serviceAccountProfile(trx, organisation);
  const { id, key: text, secretHash } = generateApiKey();
  const username = `${SERVICE_ACCOUNT_PREFIX}${organisation.code.toLowerCase().replace(/_/g, '-')}.${id.slice(0, 8)}`;
  const [user] = await trx('app_user')
    .insert({ username, display_name: `Service account: ${key.name} (${organisation.code})`, organisation_id: organisation.id, roles: [role], clearance })
    .returning('id');
  await trx('api_key').insert({
    id,
    organisation_id: organisation.id,
    service_user_id: user.id,
    name: key.name,
    secret_hash: secretHash,
    created_by: key.createdBy,
    expires_at: key.expiresAt,
  });
  return { id, key: text, username, role, clearance, expiresAt: key.expiresAt };
}

export interface ApiKeyListing {
  id: string;
  organisation: string;
  name: string;
  username: string;
  createdAt: Date;
  createdBy: string | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  state: 'ACTIVE' | 'REVOKED' | 'EXPIRED';
  /** The last request made with it, from the audit trail. */
  lastUsedAt: Date | null;
}

/** Every key (of one organisation, when given), newest first. Never the hashes. */
export async function listApiKeys(knex: Knex, organisationCode?: string): Promise<ApiKeyListing[]> {
  const q = knex('api_key as k')
    .join('organisation as o', 'o.id', 'k.organisation_id')
    .join('app_user as u', 'u.id', 'k.service_user_id')
    .select(
      'k.id',
      'o.code as organisation',
      'k.name',
      'u.username',
      'k.created_at',
      'k.created_by',
      'k.expires_at',
      'k.revoked_at',
      knex.raw(`case when k.revoked_at is not null then 'REVOKED' when k.expires_at <= now() then 'EXPIRED' else 'ACTIVE' end as state`),
      knex.raw(`(select max(e.at) from audit_event e where e.record_type = 'ApiKey' and e.action = 'EXPORT' and e.record_ids @> array[k.id]) as last_used_at`),
    )
    .orderBy('k.created_at', 'desc');
  if (organisationCode) q.where('o.code', organisationCode.toUpperCase());
  // The connection may hand timestamps back as text: made Dates here.
  const when = (v: string | Date | null) => (v === null ? null : new Date(v));
  const rows = await q;
  return rows.map((r) => ({
    id: r.id,
    organisation: r.organisation,
    name: r.name,
    username: r.username,
    createdAt: when(r.created_at)!,
    createdBy: r.created_by,
    expiresAt: when(r.expires_at),
    revokedAt: when(r.revoked_at),
    state: r.state,
    lastUsedAt: when(r.last_used_at),
  }));
}

/** Revokes a key (effective with the next request) and deactivates its service account. False if no such key. */
export async function revokeApiKey(knex: Knex, id: string): Promise<boolean> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return false;
  return knex.transaction(async (trx) => {
    const row = await trx('api_key').where({ id }).update({ revoked_at: trx.raw('coalesce(revoked_at, now())') }).returning('service_user_id');
    if (!row.length) return false;
    await trx('app_user').where({ id: row[0].service_user_id }).update({ active: false, updated_at: trx.fn.now() });
    return true;
  });
}
