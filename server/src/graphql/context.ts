import type { EntityManager, Knex, MikroORM } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../auth/token-verifier';
import type { CursorCodec } from '../live/event-log';
import type { AuditAnchors } from '../audit/anchors';
import { mayActAs, userFromAccount, verifiedUsername } from '../auth/authenticate';
import { apiKeyInForce, apiKeyPurpose, auditApiKeyUse, authenticateApiKey, isApiKeyHeader, refuseServiceAccountToken, type ApiKeyIdentity } from '../auth/api-keys';
import type { User } from '../modules/identity/user.entity';
import { lookUpAccount, openRequestDb, openRequestDbAs, type AccountCache, type RequestDb } from '../db/request-db';
import type { Caller } from '../access/caller';
import type { AccessLayers } from '../access/layers';
import { readScopeOf, type ReadScope } from '../access/read-scope';
import { AuditCollector } from '../audit/audit.collector';
import type { Purpose } from '../audit/audit.enums';
import { parsePurpose, PURPOSE_HEADER } from '../audit/purpose';
import { commitWithAuditEvents } from '../audit/audit.writer';
import { PurposeNotAllowedError, requireAllowedPurpose } from '../access/purpose-roles';
import { Loaders } from './loaders';
import { isDatabaseUnavailable } from '../db/unavailable';
import { ServiceUnavailableError } from './errors';

/** What every resolver receives. Built by one function for HTTP and WebSocket alike. */
export interface RequestContext {
  /** The signed-in user, organisation loaded. */
  readonly viewer: User;
  /** This operation's own entity manager: nothing is shared between requests. */
  readonly em: EntityManager;
  /** SQL access for this request; writes go through `db.transaction`. */
  readonly db: RequestDb;
  /** This request's DataLoaders. */
  readonly loaders: Loaders;
  /**
   * What this request reads through (access/read-scope.ts): the caller as the access rules see
   * them, which enforcement layers are on, the stated purpose, and the request's transaction.
   * Handed to every repository function; a savepoint derives its own (`inSavepoint`).
   */
  readonly access: ReadScope;
  readonly requestId: string;
  readonly log: Logger;
  /** The purpose stated with the request (X-Purpose / connection_init `purpose`), if any. */
  readonly purpose: Purpose | null;
  /** This request's audit events, written in its transaction when it finishes. */
  readonly audit: AuditCollector;
  /** The API key the request came with (a service account: read-only, purpose REPORTING); absent for a person. */
  readonly apiKey?: ApiKeyIdentity;
  /** Where the audit chain's head is published (absent in contexts that never verify it). */
  readonly auditAnchors?: AuditAnchors;
  /** Makes and reads the live event log's opaque cursors (absent in contexts that never give one out). */
  readonly cursors?: CursorCodec;
  /** Where explainAccess reads the facts it explains: a pool of its own, as the owner (access/explanation-db.ts). */
  readonly explanationDb: Knex;
}

/** What the transport knows about a request besides its token. */
export interface RequestOrigin {
  /** The raw stated purpose; checked here (BAD_USER_INPUT when it is not one of the six). */
  purpose?: unknown;
  clientAddress?: string | null;
}

export interface ContextDeps {
  orm: MikroORM;
  verifyToken: TokenVerifier;
  log: Logger;
  accessLayers: AccessLayers;
  /** Where the audit chain's head is published, for verifyAuditChain to check against. */
  auditAnchors?: AuditAnchors;
  cursors?: CursorCodec;
  /** See RequestContext.explanationDb. */
  explanationDb: Knex;
  /**
   * Accounts remembered between requests (db/request-db.ts, AccountCache), checked in each
   * request's first message instead of looked up: only where a request whose account changed is
   * answered again (http/graphql-handler.ts).
   */
  accounts?: AccountCache;
}

/**
 * Authenticates the caller and gives the operation a fresh entity-manager fork.
 * @param authorization the `Authorization` header, or `connection_init`'s `authorization` field.
 */
export async function buildContext(
  deps: ContextDeps,
  authorization: unknown,
  requestId: string = randomUUID(),
  origin: RequestOrigin = {},
): Promise<RequestContext> {
  parsePurpose(origin.purpose); // a bad purpose is refused before anything else happens
  try {
    if (isApiKeyHeader(authorization)) return await forOperation(deps, await authenticateCaller(deps, authorization), requestId, origin);
    return await signedInOperation(deps, await verifiedUsername(deps.verifyToken, authorization), requestId, origin);
  } catch (err) {
    // No database: a retryable 503, not a 500.
    if (isDatabaseUnavailable(err)) throw new ServiceUnavailableError();
    throw err;
  }
}

/** The user behind an Authorization header (or connection_init's authorization), or UNAUTHENTICATED. */
export async function authenticateCaller(deps: ContextDeps, authorization: unknown): Promise<User> {
  // `Bearer soc_…` is an API key (server/src/auth/api-keys.ts); anything else a token.
  if (isApiKeyHeader(authorization)) return authenticateApiKey(deps.orm.em.fork() as EntityManager, authorization);
  const username = await verifiedUsername(deps.verifyToken, authorization);
  const account = await lookUpAccount(deps.orm, username);
  return refuseServiceAccountToken(mayActAs(username, account && userFromAccount(account)));
}

/**
 * A person's request with a verified token: the account lookup shares its round trip with the
 * transaction's BEGIN (openRequestDbAs). An unknown, deactivated or service account is refused,
 * and the transaction opened for it rolled back.
 */
async function signedInOperation(deps: ContextDeps, username: string, requestId: string, origin: RequestOrigin): Promise<RequestContext> {
  const opened = await openRequestDbAs(deps.orm, username, deps.accessLayers, deps.accounts);
  try {
    const viewer = refuseServiceAccountToken(mayActAs(username, opened && userFromAccount(opened.account)));
    const purpose = parsePurpose(origin.purpose);
    await refuseDisallowedPurpose(deps, viewer, opened!.db, requestId, origin, purpose);
    return contextFor(deps, viewer, opened!.db, requestId, origin, undefined, purpose);
  } catch (err) {
    opened?.db.abort();
    await opened?.db.finish().catch(() => undefined);
    throw err;
  }
}

/**
 * A context for one operation by an already authenticated user (each WebSocket operation gets
 * one). It opens the operation's database transaction: whoever creates it must `db.finish()`.
 */
export async function forOperation(
  deps: ContextDeps,
  viewer: User,
  requestId: string = randomUUID(),
  origin: RequestOrigin = {},
): Promise<RequestContext> {
  const apiKey = await apiKeyInForce(deps.orm, viewer);
  const purpose = apiKey ? apiKeyPurpose(origin.purpose) : parsePurpose(origin.purpose);
  const db = await openRequestDb(deps.orm, callerOf(viewer), deps.accessLayers);
  if (!apiKey) {
    try {
      await refuseDisallowedPurpose(deps, viewer, db, requestId, origin, purpose);
    } catch (err) {
      await db.finish().catch(() => undefined);
      throw err;
    }
  }
  return contextFor(deps, viewer, db, requestId, origin, apiKey, purpose);
}

/**
 * A stated purpose none of the viewer's roles allows (access/purpose-roles.ts) is refused before
 * anything runs: a DENIED event (under no purpose, since the one stated was not theirs to state)
 * is committed in the request's transaction, which is then over, and PurposeNotAllowedError thrown.
 */
async function refuseDisallowedPurpose(deps: ContextDeps, viewer: User, db: RequestDb, requestId: string, origin: RequestOrigin, purpose: Purpose | null): Promise<void> {
  try {
    requireAllowedPurpose(viewer.roles, purpose);
  } catch (err) {
    if (!(err instanceof PurposeNotAllowedError)) throw err;
    await auditPurposeRefusal(contextFor(deps, viewer, db, requestId, origin, undefined, null), err, deps.orm);
    throw err;
  }
}

/** The same, for a refusal outside any request (a WebSocket's connection_init): in a transaction of its own. */
export async function auditPurposeRefusalOf(deps: ContextDeps, viewer: User, refusal: PurposeNotAllowedError, origin: RequestOrigin): Promise<void> {
  const db = await openRequestDb(deps.orm, callerOf(viewer), deps.accessLayers);
  await auditPurposeRefusal(contextFor(deps, viewer, db, randomUUID(), origin, undefined, null), refusal, deps.orm);
}

/** Writes a refused purpose as a DENIED event of record type StatedPurpose, and ends the context's transaction. */
export async function auditPurposeRefusal(ctx: RequestContext, refusal: PurposeNotAllowedError, orm: MikroORM): Promise<void> {
  ctx.audit.denied('StatedPurpose', [], { code: 'FORBIDDEN', field: PURPOSE_HEADER, message: refusal.message });
  await commitWithAuditEvents(ctx, orm);
}

/** The caller as the access rules see them. */
function callerOf(viewer: User): Caller {
  return {
    userId: viewer.id,
    organisationId: viewer.organisation.id,
    isLawEnforcement: viewer.organisation.isLawEnforcement,
    roles: viewer.roles,
    clearance: viewer.clearance,
  };
}

function contextFor(
  deps: ContextDeps,
  viewer: User,
  db: RequestDb,
  requestId: string,
  origin: RequestOrigin,
  apiKey: ApiKeyIdentity | undefined,
  purpose: Purpose | null,
): RequestContext {
  // `em` comes from the prototype (lazyEntityManager), forked on first use.
  const context: RequestContext = Object.assign(Object.create(lazyEntityManager(deps.orm)) as { em: EntityManager }, {
    viewer,
    access: readScopeOf(db, purpose),
    db,
    loaders: new Loaders((dispatch) => db.whenIdle(dispatch)),
    requestId,
    log: deps.log.child({ requestId, userId: viewer.id }), // an id, not a name: logs hold no personal data
    purpose,
    audit: new AuditCollector({
      userId: viewer.id,
      username: viewer.username,
      organisationId: viewer.organisation.id,
      purpose,
      clientAddress: origin.clientAddress ?? null,
      requestId,
    }),
    apiKey,
    auditAnchors: deps.auditAnchors,
    cursors: deps.cursors,
    explanationDb: deps.explanationDb,
  });
  if (apiKey) auditApiKeyUse(context.audit, apiKey);
  return context;
}

const FORKED = Symbol('forkedEntityManager');
const lazyEntityManagers = new WeakMap<MikroORM, object>();

/**
 * A prototype for contexts whose `em` is forked on first use: most operations read through `db`
 * and never touch it (a fork per request was 2% of the server's CPU under node(id) load). On the
 * prototype, not the context itself: Apollo Server copies each operation's context with
 * `Object.assign` onto an object of the same prototype, which would call an own getter, forking
 * for every request.
 */
function lazyEntityManager(orm: MikroORM): object {
  let prototype = lazyEntityManagers.get(orm);
  if (!prototype) {
    prototype = Object.defineProperty({}, 'em', {
      get(this: { [FORKED]?: EntityManager }) {
        return (this[FORKED] ??= orm.em.fork() as EntityManager);
      },
    });
    lazyEntityManagers.set(orm, prototype);
  }
  return prototype;
}
