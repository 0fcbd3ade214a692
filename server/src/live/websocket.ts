import type { MikroORM } from '@mikro-orm/postgresql';
import { createSourceEventStream, execute, getOperationAST, GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type http from 'node:http';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { commitWithAuditEvents, nothingSavedErrors, parsePurpose, writeAuditEvents, type Purpose } from '../audit';
import type { LiveConfig } from '../config';
import { authenticateCaller, forOperation, type ContextDeps, type RequestContext } from '../graphql/context';
import { UnauthenticatedError } from '../graphql/errors';
import { answerAfterFailedCommit } from '../graphql/commit-failure';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { NodeFetchers } from '../graphql/node';
import type { User } from '../modules/identity/user.entity';
import { LiveHub } from './hub';
import type { LiveContext } from './live.resolver';

/** What a WebSocket connection carries: its user, and the operations in flight with their contexts. */
type WebSocketExtra = {
  viewer?: User;
  /** The purpose stated in connection_init, for every operation on the connection. */
  purpose?: Purpose | null;
  operations?: Map<string, RequestContext | LiveContext>;
  /** Operation ids started and not yet ended, counted as they arrive (before their contexts exist). */
  active?: Set<string>;
};

/** WebSocket close code for a connection_init `purpose` that is not one of the six. */
export const WS_CLOSE_BAD_PURPOSE = 4400;

/** WebSocket close code for a missing or invalid token in `connection_init`. */
export const WS_CLOSE_UNAUTHORIZED = 4401;

/** WebSocket close code (standard) when the database is unavailable at connection time. */
export const WS_CLOSE_TRY_AGAIN_LATER = 1013;

/** WebSocket close code when the user is deactivated while connected. */
export const WS_CLOSE_DEACTIVATED = 4403;

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
 * SERVICE_UNAVAILABLE (retryable; nothing was kept); a mutation whose answer was refused for want
 * of a purpose is rolled back and says so.
 */
function executeThenCommit(orm: MikroORM) {
  return async (args: ExecutionArgs): Promise<Result> => {
    const result = (await execute(args)) as Result;
    const context = args.contextValue as RequestContext | LiveContext | undefined;
    if (!isQueryContext(context)) return result;
    const isMutation = getOperationAST(args.document, args.operationName)?.operation === 'mutation';
    const refused = isMutation ? nothingSavedErrors(result.errors) : undefined;
    if (refused) {
      context.db.abort();
      await context.db.finish().catch((err) => context.log.error({ err }, 'rollback failed'));
      await writeAuditEvents(context, orm); // in a transaction of their own, marked rolled back
      return { data: null, errors: refused.map((e) => new GraphQLError(e.message, { path: e.path, extensions: e.extensions })) };
    }
    try {
      await commitWithAuditEvents(context, orm);
      return result;
    } catch (err) {
      context.log.error({ err }, 'WebSocket operation transaction did not commit');
      return answerAfterFailedCommit(result, isMutation, err).answer as Result;
    }
  };
}

async function finishOperation(extra: WebSocketExtra, id: string, orm: MikroORM): Promise<void> {
  extra.active?.delete(id);
  const context = extra.operations?.get(id);
  extra.operations?.delete(id);
  if (!isQueryContext(context)) return; // a subscription holds no transaction
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
  const hub = new LiveHub(deps, options.fetchers, schema, options.databaseUrl, live, {
    userDeactivated: (userId) => sockets.closeAll(userId, WS_CLOSE_DEACTIVATED, 'Account deactivated'),
  });
  await hub.start();

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const pinger = keepAlive(wsServer, live.keepAliveMs);
  const cleanup = useServer<Record<string, unknown>, WebSocketExtra>(
    {
      schema,
      validate: options.validate,
      subscribe: subscribeLive,
      execute: executeThenCommit(orm),
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
        if (sockets.add(viewer.id, ctx.extra.socket) > live.maxConnectionsPerUser) {
          sockets.remove(viewer.id, ctx.extra.socket);
          ctx.extra.socket.close(WS_CLOSE_TOO_MANY, `At most ${live.maxConnectionsPerUser} connections per user`);
          return false;
        }
        ctx.extra.viewer = viewer;
        ctx.extra.operations = new Map();
        return true;
      },
      onSubscribe: (ctx, id) => {
        const active = (ctx.extra.active ??= new Set());
        if (active.size >= live.maxOperationsPerConnection) {
          ctx.extra.socket.close(WS_CLOSE_TOO_MANY, `At most ${live.maxOperationsPerConnection} operations per connection`);
          return [new GraphQLError('Too many operations on this connection.')];
        }
        active.add(id);
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
            }
          : await forOperation(deps, ctx.extra.viewer!, undefined, origin);
        ctx.extra.operations!.set(id, context);
        return context as unknown as Record<string, unknown>;
      },
      onComplete: (ctx, id) => finishOperation(ctx.extra, id, orm),
      onError: (ctx, id) => finishOperation(ctx.extra, id, orm),
      onClose: async (ctx) => {
        if (ctx.extra.viewer) sockets.remove(ctx.extra.viewer.id, ctx.extra.socket);
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
