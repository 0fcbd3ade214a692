import type { MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type http from 'node:http';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { parsePurpose, writeAuditEvents, type Purpose } from '../audit';
import { authenticateCaller, forOperation, type ContextDeps, type RequestContext } from '../graphql/context';
import { UnauthenticatedError } from '../graphql/errors';
import type { User } from '../modules/identity/user.entity';

/** What a WebSocket connection carries: its user, and the operations in flight with their contexts. */
type WebSocketExtra = {
  viewer?: User;
  /** The purpose stated in connection_init, for every operation on the connection. */
  purpose?: Purpose | null;
  operations?: Map<string, RequestContext>;
};

async function finishOperation(extra: WebSocketExtra, id: string, orm: MikroORM): Promise<void> {
  const context = extra.operations?.get(id);
  extra.operations?.delete(id);
  await writeAuditEvents(context, orm);
  await context?.db.finish();
}

/** WebSocket close code for a connection_init `purpose` that is not one of the six. */
export const WS_CLOSE_BAD_PURPOSE = 4400;

/** WebSocket close code for a missing or invalid token in `connection_init`. */
export const WS_CLOSE_UNAUTHORIZED = 4401;

export interface WebSocketDeps {
  httpServer: http.Server;
  schema: GraphQLSchema;
  deps: ContextDeps;
  orm: MikroORM;
  log: Logger;
}

/** GraphQL over graphql-ws on /graphql. Returns graphql-ws's handle (dispose closes sockets with 1001). */
export function serveGraphqlOverWebSocket({ httpServer, schema, deps, orm, log }: WebSocketDeps) {
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  return useServer<Record<string, unknown>, WebSocketExtra>(
    {
      schema,
      // Authenticate once, in connection_init; a bad token closes the socket with 4401.
      onConnect: async (ctx) => {
        try {
          ctx.extra.purpose = parsePurpose(ctx.connectionParams?.purpose);
        } catch (err) {
          ctx.extra.socket.close(WS_CLOSE_BAD_PURPOSE, (err as Error).message.slice(0, 120));
          return false;
        }
        try {
          ctx.extra.viewer = await authenticateCaller(deps, ctx.connectionParams?.authorization);
          ctx.extra.operations = new Map();
          return true;
        } catch (err) {
          if (!(err instanceof UnauthenticatedError)) log.error({ err }, 'WebSocket authentication failed');
          ctx.extra.socket.close(WS_CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
      },
      // Each operation gets its own context and database transaction, finished when it ends.
      context: async (ctx, id) => {
        const context = await forOperation(deps, ctx.extra.viewer!, undefined, {
          purpose: ctx.extra.purpose,
          clientAddress: ctx.extra.request.socket.remoteAddress ?? null,
        });
        ctx.extra.operations!.set(id, context);
        return context;
      },
      onComplete: (ctx, id) => finishOperation(ctx.extra, id, orm),
      onError: (ctx, id) => finishOperation(ctx.extra, id, orm),
      onClose: async (ctx) => {
        for (const id of [...(ctx.extra.operations?.keys() ?? [])]) await finishOperation(ctx.extra, id, orm);
      },
    },
    wsServer,
  );

}
