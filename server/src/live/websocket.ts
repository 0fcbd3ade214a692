import type { MikroORM } from '@mikro-orm/postgresql';
import { createSourceEventStream, execute, getOperationAST, GraphQLError, parse, type DocumentNode, type OperationDefinitionNode, type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type ParseOptions } from 'graphql';
import { decodeJwt } from 'jose';
import { useServer } from 'graphql-ws/use/ws';
import type http from 'node:http';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { commitWithAuditEvents, parsePurpose, type Purpose } from '../audit';
import type { LiveConfig } from '../config';
import { auditPurposeRefusalOf, authenticateCaller, forOperation, type ContextDeps, type RequestContext } from '../graphql/context';
import { PurposeNotAllowedError, requireAllowedPurpose } from '../access/purpose-roles';
import { logUnexpectedErrors, UnauthenticatedError } from '../graphql/errors';
import { endOperation } from '../graphql/end-operation';
import { answerSizeRefusal, oversizedAnswer } from '../graphql/answer-size';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { NodeFetchers } from '../graphql/node';
import type { User } from '../modules/identity/user.entity';
import { isApiKeyHeader } from '../auth/api-keys';
import { bearerToken, NoAccountError } from '../auth/authenticate';
import { spendOnWebSocket, type CallerAllowance } from '../http/rate-limit';
import type { SharedLimits } from '../limits/shared-limits';
import { LiveHub } from './hub';
import type { LiveContext } from './live.resolver';

/** What a WebSocket connection carries: its user, and the operations in flight with their contexts. */
type WebSocketExtra = {
  viewer?: User;
  /** connection_init's credential, checked again before every operation. */
  authorization?: unknown;
  /** Closes the socket when its token expires. */
  expiryTimer?: NodeJS.Timeout;
  /** The purpose stated in connection_init, for every operation on the connection. */
  purpose?: Purpose | null;
  operations?: Map<string, RequestContext | LiveContext>;
  /** Operation ids started and not yet ended, counted as they arrive (before their contexts exist). */
  active?: Set<string>;
};

/** The largest message a client may send: HTTP's body limit (100 kB) with room for the envelope. */
export const WS_MAX_PAYLOAD_BYTES = 128 * 1024;

/** WebSocket close code for a connection_init `purpose` that is not one of the six. */
export const WS_CLOSE_BAD_PURPOSE = 4400;

/** WebSocket close code for a missing or invalid token in `connection_init`. */
export const WS_CLOSE_UNAUTHORIZED = 4401;

/** WebSocket close code (standard) when the database is unavailable at connection time. */
export const WS_CLOSE_TRY_AGAIN_LATER = 1013;

/**
 * How long a socket may stay open without its connection_init (then closed 4408, graphql-ws's
 * "Connection initialisation timeout"). graphql-ws's default, 3 s, counts from the socket's
 * opening, and a busy instance may not read a message that arrived in time before the timer
 * fires (timers run before the event loop reads sockets): in a burst of reconnecting clients, it
 * refused clients that had done nothing wrong, which then reconnected and added to the burst.
 * Still short enough that sockets that never sign in are not kept.
 */
export const CONNECTION_INIT_WAIT_MS = 10_000;

/** WebSocket close code when the user is deactivated while connected. */
export const WS_CLOSE_DEACTIVATED = 4403;

/** WebSocket close code when the account changed (roles, clearance, organisation) while connected. */
export const WS_CLOSE_ACCOUNT_CHANGED = 4403;

/** What the access rules depend on: a change means every answer on the socket could be wrong. */
function identityOf(user: User): string {
  return JSON.stringify([user.id, user.organisation.id, user.clearance, [...user.roles].sort()]);
}

/** When a bearer JWT expires (ms), or undefined for an API key or a token without `exp`. */
function tokenExpiry(authorization: unknown): number | undefined {
  const token = bearerToken(authorization);
  if (!token || isApiKeyHeader(authorization)) return undefined;
  try {
    const exp = decodeJwt(token).exp;
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Closes the socket once the operation's error, sent in this turn, is on its way. */
function closeAfterAnswer(socket: WebSocket, code: number, reason: string): void {
  setImmediate(() => socket.close(code, reason));
}

/**
 * The caller, checked again for one operation on an open socket, as HTTP checks every request:
 * an expired or revoked credential closes the socket with 4401, a deactivated or changed account
 * (roles, clearance, organisation) with 4403; either way the operation is refused. Without this
 * a socket kept the identity it connected with for as long as it stayed open.
 */
async function recheckCaller(deps: ContextDeps, extra: WebSocketExtra & { socket: WebSocket }, log: Logger): Promise<GraphQLError[] | undefined> {
  let current: User;
  try {
    current = await authenticateCaller(deps, extra.authorization);
  } catch (err) {
    if (isDatabaseUnavailable(err)) return [new GraphQLError('The service is unavailable; try again shortly.', { extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } })];
    if (!(err instanceof UnauthenticatedError)) log.error({ err }, 'WebSocket re-authentication failed');
    const deactivated = err instanceof NoAccountError && err.deactivated;
    closeAfterAnswer(extra.socket, deactivated ? WS_CLOSE_DEACTIVATED : WS_CLOSE_UNAUTHORIZED, deactivated ? 'Account deactivated' : 'Sign in again');
    return [new GraphQLError('Your session has ended: sign in again.', { extensions: { code: 'UNAUTHENTICATED' } })];
  }
  if (identityOf(current) !== identityOf(extra.viewer!)) {
    closeAfterAnswer(extra.socket, WS_CLOSE_ACCOUNT_CHANGED, 'Account changed; sign in again');
    return [new GraphQLError('Your account has changed since you connected: sign in again.', { extensions: { code: 'UNAUTHENTICATED' } })];
  }
  // The purpose stated in connection_init, against the roles held now (access/purpose-roles.ts).
  if (!isApiKeyHeader(extra.authorization)) {
    try {
      requireAllowedPurpose(current.roles, extra.purpose ?? null);
    } catch (err) {
      if (!(err instanceof PurposeNotAllowedError)) throw err;
      await auditPurposeRefusalOf(deps, current, err, {}).catch((e: unknown) => log.warn({ err: e }, 'a refused purpose could not be audited'));
      return [err];
    }
  }
  return undefined;
}

/**
 * WebSocket close code when the client stopped reading and its results passed the bound
 * (LIVE_MAX_QUEUED_RESULTS). Not one graphql-ws's client treats as fatal: it reconnects, and
 * resuming from its last cursor loses nothing.
 */
export const WS_CLOSE_FELL_BEHIND = 4413;

/**
 * Closes a socket whose client is not reading. The close frame waits behind what is in flight, so
 * the client sees 4413 if it reads again within `graceMs` (a keepalive interval, after which an
 * unresponsive socket would be cut anyway); otherwise the socket is cut and its memory freed.
 */
function dropSlowSocket(socket: WebSocket, graceMs: number): void {
  if (socket.readyState !== socket.OPEN) return;
  socket.close(WS_CLOSE_FELL_BEHIND, 'Fell behind: reconnect and resume from your last cursor');
  setTimeout(() => socket.terminate(), graceMs).unref();
}

/**
 * connection_init's purpose against the caller's roles: one their roles do not allow is audited
 * (DENIED) and the socket closed with 4400, as for a purpose that is not one of the six. API keys
 * read for REPORTING whatever is stated (forOperation refuses any other).
 */
async function refusePurposeOnSocket(deps: ContextDeps, viewer: User, authorization: unknown, extra: WebSocketExtra & { socket: WebSocket; request: http.IncomingMessage }, log: Logger): Promise<boolean> {
  if (isApiKeyHeader(authorization)) return false;
  try {
    requireAllowedPurpose(viewer.roles, extra.purpose ?? null);
    return false;
  } catch (err) {
    if (!(err instanceof PurposeNotAllowedError)) throw err;
    await auditPurposeRefusalOf(deps, viewer, err, { clientAddress: extra.request.socket.remoteAddress ?? null }).catch((e: unknown) => log.warn({ err: e }, 'a refused purpose could not be audited'));
    extra.socket.close(WS_CLOSE_BAD_PURPOSE, err.message.slice(0, 120));
    return true;
  }
}

/** WebSocket close code when a user opens too many connections, or a connection too many operations. */
export const WS_CLOSE_TOO_MANY = 4429;

export interface WebSocketDeps {
  httpServer: http.Server;
  schema: GraphQLSchema;
  deps: ContextDeps;
  orm: MikroORM;
  log: Logger;
  databaseUrl: string;
  live: LiveConfig;
  fetchers: NodeFetchers;
  /** The document limits (depth, aliases, ...) and production rules, as for HTTP. */
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
  /** The parser's limits (tokens), as for HTTP. */
  parseOptions: ParseOptions;
  /** Prices page sizes given in variables, as for HTTP (graphql/limits.ts pageSizePricer). */
  pricePageSizes?: (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode | undefined | null, variables: Record<string, unknown> | undefined | null) => GraphQLError | undefined;
  /** The most objects and bytes one answer may hold, as for HTTP (graphql/answer-size.ts). */
  maxAnswerObjects?: number;
  maxResponseBytes?: number;
  /** The callers' request allowance, shared with HTTP (http/rate-limit.ts). */
  allowance?: CallerAllowance;
  /** Each user's connections on every instance (limits/shared-limits.ts); without it, this instance's only. */
  connections?: Pick<SharedLimits, 'openConnection' | 'closeConnection'>;
  /** In production, a browser session's documents must be the web client's (graphql/trusted-documents.ts). */
  trustedDocumentRefusal?: (authorization: string | undefined, source: string) => GraphQLError | undefined;
  /** HTTP's error formatter (graphql/errors.ts): an unexpected error is masked, a database refusal is FORBIDDEN... */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
}

export interface WebSocketService {
  readonly hub: LiveHub;
  /** Closes every socket with 1001 and stops the hub. */
  dispose(): Promise<void>;
}

function isQueryContext(context: RequestContext | LiveContext | undefined): context is RequestContext {
  return !!context && 'db' in context;
}

/**
 * Queries and mutations run as usual, then their transaction ends before the answer is sent, as
 * over HTTP: graphql-ws sends the result first and reports completion after, so an answer sent
 * before COMMIT could say "done" of a change that was not kept. A commit that fails answers
 * SERVICE_UNAVAILABLE (retryable; nothing was kept); a mutation whose answer says it failed, or
 * was refused for want of a purpose, is rolled back: graphql/end-operation.ts, shared with HTTP.
 */
function executeThenCommit(orm: MikroORM, maxResponseBytes: number | undefined) {
  return async (args: ExecutionArgs): Promise<Result> => {
    const context = args.contextValue as RequestContext | LiveContext | undefined;
    if (!isQueryContext(context)) return (await execute(args)) as Result;
    running.add(context.db);
    try {
      let result = (await execute(args)) as Result;
      // HTTP's cap on an answer's bytes (graphql/answer-size.ts): replaced whole, a mutation's change then undone below.
      const oversized = maxResponseBytes === undefined ? undefined : oversizedAnswer(result, maxResponseBytes);
      if (oversized) result = { errors: [new GraphQLError(oversized.message, { extensions: oversized.extensions })] };
      const ended = await endOperation(context, orm, result, getOperationAST(args.document, args.operationName)?.operation === 'mutation');
      if (ended.outcome !== 'undone') return ended.answer as Result;
      return { data: null, errors: ended.answer.errors?.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })) };
    } finally {
      running.delete(context.db);
    }
  };
}

/**
 * The transactions of queries and mutations being executed: theirs to end (executeThenCommit).
 * A socket that closes meanwhile must not end them: committed mid-operation, a mutation would
 * keep half its change and a read lose its audit events, as over HTTP (http/request-transaction.ts).
 */
const running = new WeakSet<object>();

/** The errors of a result as HTTP formats them (logged first when unexpected); nothing to change without errors. */
function formattedResult(result: ExecutionResult, format: WebSocketDeps['formatError'], log: Logger): FormattedExecutionResult | undefined {
  if (!result.errors?.length) return undefined;
  logUnexpectedErrors(log, result.errors);
  return { ...result, errors: result.errors.map((error) => format(error.toJSON(), error)) };
}

/** The operation's own logger (its request id on the line) when it has one; the server's otherwise. */
function operationLog(extra: WebSocketExtra, id: string, fallback: Logger): Logger {
  const context = extra.operations?.get(id);
  return isQueryContext(context) ? context.log : fallback;
}

async function finishOperation(extra: WebSocketExtra, id: string, orm: MikroORM): Promise<void> {
  extra.active?.delete(id);
  const context = extra.operations?.get(id);
  extra.operations?.delete(id);
  if (!isQueryContext(context)) return; // a subscription holds no transaction
  if (running.has(context.db)) return; // still executing: executeThenCommit ends it when it has run
  try {
    // Already done by executeThenCommit unless the operation never ran (the socket closed first):
    // both steps are then no-ops.
    await commitWithAuditEvents(context, orm);
  } catch (err) {
    // graphql-ws does not wait for this: an error must not escape as an unhandled rejection.
    context.log.warn({ err }, 'WebSocket operation transaction did not commit');
  }
}

/** Sockets by user, to cap them and to close them all when the user is deactivated. */
class SocketsByUser {
  private readonly sockets = new Map<string, Set<WebSocket>>();

  add(userId: string, socket: WebSocket): number {
    const set = this.sockets.get(userId) ?? new Set();
    set.add(socket);
    this.sockets.set(userId, set);
    return set.size;
  }

  remove(userId: string, socket: WebSocket): void {
    const set = this.sockets.get(userId);
    set?.delete(socket);
    if (set && !set.size) this.sockets.delete(userId);
  }

  closeAll(userId: string, code: number, reason: string): void {
    for (const socket of this.sockets.get(userId) ?? []) socket.close(code, reason);
  }
}

/** Pings every socket; one that has not answered the previous ping is gone and is terminated. */
function keepAlive(wsServer: WebSocketServer, intervalMs: number): NodeJS.Timeout {
  const alive = new WeakSet<WebSocket>();
  wsServer.on('connection', (socket) => {
    alive.add(socket);
    socket.on('pong', () => alive.add(socket));
  });
  const timer = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return timer;
}

/**
 * Subscriptions run their subscribe resolver (which registers with the hub) and stream what the
 * hub has already executed for the subscriber; queries and mutations run as usual.
 */
type Result = ExecutionResult<Record<string, unknown>>;
function subscribeLive(args: ExecutionArgs): Promise<AsyncIterable<Result> | Result> {
  return createSourceEventStream(args) as Promise<AsyncIterable<Result> | Result>;
}

/** GraphQL over graphql-ws on /graphql, with live updates from the event log. */
export async function serveGraphqlOverWebSocket(options: WebSocketDeps): Promise<WebSocketService> {
  const { httpServer, schema, deps, orm, log, live } = options;
  const sockets = new SocketsByUser();
  /** Counts the user's connection here and on every instance; closes the socket when over the cap. */
  const admitConnection = async (userId: string, socket: WebSocket): Promise<boolean> => {
    const here = sockets.add(userId, socket);
    let total = here;
    try {
      if (options.connections) total = await options.connections.openConnection(userId);
    } catch (err) {
      options.connections!.closeConnection(userId);
      sockets.remove(userId, socket);
      if (!isDatabaseUnavailable(err) && !(err instanceof Error && /timeout/i.test(err.message))) log.error({ err }, 'WebSocket connection could not be counted');
      socket.close(WS_CLOSE_TRY_AGAIN_LATER, 'Service unavailable; reconnect shortly');
      return false;
    }
    // A socket that closed while it was being counted has had its onClose without a viewer.
    if (total <= live.maxConnectionsPerUser && socket.readyState === socket.OPEN) return true;
    options.connections?.closeConnection(userId);
    sockets.remove(userId, socket);
    socket.close(WS_CLOSE_TOO_MANY, `At most ${live.maxConnectionsPerUser} connections per user`);
    return false;
  };
  const hub = new LiveHub(deps, options.fetchers, schema, options.databaseUrl, live, {
    userDeactivated: (userId) => sockets.closeAll(userId, WS_CLOSE_DEACTIVATED, 'Account deactivated'),
  });
  await hub.start();

  // Frames as large as HTTP's largest body and a little over (ws's default is 100 MiB).
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: WS_MAX_PAYLOAD_BYTES });
  const pinger = keepAlive(wsServer, live.keepAliveMs);
  const cleanup = useServer<Record<string, unknown>, WebSocketExtra>(
    {
      schema,
      connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
      validate: options.validate,
      subscribe: subscribeLive,
      execute: executeThenCommit(orm, options.maxResponseBytes),
      // Authenticate once, in connection_init; a bad token closes the socket with 4401.
      onConnect: async (ctx) => {
        try {
          ctx.extra.purpose = parsePurpose(ctx.connectionParams?.purpose);
        } catch (err) {
          ctx.extra.socket.close(WS_CLOSE_BAD_PURPOSE, (err as Error).message.slice(0, 120));
          return false;
        }
        let viewer: User;
        try {
          viewer = await authenticateCaller(deps, ctx.connectionParams?.authorization);
        } catch (err) {
          if (isDatabaseUnavailable(err)) {
            // Not the client's fault: "try again later", so that it reconnects instead of signing out.
            ctx.extra.socket.close(WS_CLOSE_TRY_AGAIN_LATER, 'Service unavailable; reconnect shortly');
            return false;
          }
          if (!(err instanceof UnauthenticatedError)) log.error({ err }, 'WebSocket authentication failed');
          ctx.extra.socket.close(WS_CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        if (await refusePurposeOnSocket(deps, viewer, ctx.connectionParams?.authorization, ctx.extra, log)) return false;
        if (!(await admitConnection(viewer.id, ctx.extra.socket))) return false;
        ctx.extra.viewer = viewer;
        ctx.extra.authorization = ctx.connectionParams?.authorization;
        ctx.extra.operations = new Map();
        const expiresAt = tokenExpiry(ctx.extra.authorization);
        if (expiresAt !== undefined) {
          // setTimeout's longest delay is about 24.8 days; a later expiry is still checked per operation.
          ctx.extra.expiryTimer = setTimeout(() => ctx.extra.socket.close(WS_CLOSE_UNAUTHORIZED, 'Token expired'), Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1));
          ctx.extra.expiryTimer.unref();
        }
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const active = (ctx.extra.active ??= new Set());
        if (active.size >= live.maxOperationsPerConnection) {
          ctx.extra.socket.close(WS_CLOSE_TOO_MANY, `At most ${live.maxOperationsPerConnection} operations per connection`);
          return [new GraphQLError('Too many operations on this connection.')];
        }
        // Counted on arrival, before anything is awaited, so a burst cannot slip past the cap.
        active.add(id);
        // Parsed here first, with HTTP's token limit: a syntax error or an over-long document fails
        // this operation alone (graphql-ws would otherwise close the whole socket).
        let refused: readonly GraphQLError[] | undefined;
        try {
          const document = parse(payload.query, options.parseOptions);
          refused = await recheckCaller(deps, ctx.extra, log);
          const overAllowance = refused ? undefined : await spendOnWebSocket(options.allowance, ctx.extra.viewer!.username);
          const operation = getOperationAST(document, payload.operationName);
          const overCost =
            options.pricePageSizes?.(options.schema, document, operation, payload.variables) ??
            (options.maxAnswerObjects === undefined ? undefined : answerSizeRefusal(options.schema, document, operation, payload.variables, options.maxAnswerObjects));
          const untrusted = options.trustedDocumentRefusal?.(typeof ctx.extra.authorization === 'string' ? ctx.extra.authorization : undefined, payload.query);
          const refusal = overAllowance ?? untrusted ?? overCost;
          if (!refused && refusal) refused = [refusal];
        } catch (err) {
          refused = [err instanceof GraphQLError ? err : new GraphQLError('The document could not be parsed.', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        if (refused) active.delete(id);
        return refused as GraphQLError[] | undefined;
      },
      // A query or mutation gets its own transaction, finished when it ends; a subscription gets
      // none (each event runs in a short transaction of its own).
      context: async (ctx, id, _payload, args) => {
        const origin = { purpose: ctx.extra.purpose, clientAddress: ctx.extra.request.socket.remoteAddress ?? null };
        const isSubscription = getOperationAST(args.document, args.operationName)?.operation === 'subscription';
        const context: RequestContext | LiveContext = isSubscription
          ? {
              viewer: ctx.extra.viewer!,
              purpose: ctx.extra.purpose ?? null,
              clientAddress: origin.clientAddress,
              live: hub,
              gone: () => ctx.extra.socket.readyState !== ctx.extra.socket.OPEN,
              fellBehind: () => dropSlowSocket(ctx.extra.socket, live.keepAliveMs),
            }
          : await forOperation(deps, ctx.extra.viewer!, undefined, origin);
        ctx.extra.operations!.set(id, context);
        return context as unknown as Record<string, unknown>;
      },
      // Every result is formatted as HTTP's are, before it is sent: graphql-ws would otherwise send
      // an unexpected error's own message (SQL text, table names) to the client.
      onNext: (ctx, id, _payload, _args, result) => formattedResult(result, options.formatError, operationLog(ctx.extra, id, log)),
      onComplete: (ctx, id) => finishOperation(ctx.extra, id, orm),
      onError: (ctx, id) => finishOperation(ctx.extra, id, orm),
      onClose: async (ctx) => {
        clearTimeout(ctx.extra.expiryTimer);
        if (ctx.extra.viewer) {
          sockets.remove(ctx.extra.viewer.id, ctx.extra.socket);
          options.connections?.closeConnection(ctx.extra.viewer.id);
        }
        for (const id of [...(ctx.extra.operations?.keys() ?? [])]) await finishOperation(ctx.extra, id, orm);
      },
    },
    wsServer,
  );
  return {
    hub,
    async dispose() {
      clearInterval(pinger);
      await cleanup.dispose();
      await hub.stop();
    },
  };
}
