import type { ApolloServerPlugin } from '@apollo/server';
import type { Response } from 'express';

interface HasRequestDb {
  db?: { finish(): Promise<void> };
}

/**
 * Closes the transaction of a request Apollo Server refused before running it. The context (and
 * with it the request's transaction) is built first; but when Apollo then refuses the request
 * itself (a mutation sent by GET, `variables` that are not an object, an `Accept` it cannot
 * serve) no request hook runs, so `willSendResponse` never finishes the transaction and a pooled
 * connection stays "idle in transaction" for good: ten such requests stopped the server.
 *
 * A transaction whose operation did start is left to `willSendResponse`: finishing it when the
 * client disconnects could commit half a mutation, lose a read's audit events (they go with
 * COMMIT), and hand the connection back to the pool while the operation still sends statements
 * on it, which then ran outside any transaction, or held up the next request on that connection
 * for good (a browser test's page that navigated away mid-request, then asked for something that
 * needs no statement, waited for ever).
 *
 * An operation is known by its transaction (`db`), not by its context: Apollo hands the plugins a
 * shallow copy of the context object for each operation, so the context itself is never the one
 * they see, and every request the client left was taken for one that had not started.
 */
export function unstartedRequestCloser<TContext extends HasRequestDb>() {
  const started = new WeakSet<object>();
  return {
    /** Marks each operation Apollo starts, by its transaction. */
    plugin: {
      async requestDidStart({ contextValue }) {
        if (contextValue.db) started.add(contextValue.db);
      },
    } satisfies ApolloServerPlugin<TContext>,
    /** Finishes the context's transaction once the response is over, unless an operation started. */
    closeWithResponse(res: Response, context: TContext): TContext {
      res.once('close', () => {
        // Nothing ran; closing a connection that has already died is no error here (and must not
        // become an unhandled rejection, which would end the process).
        if (context.db && !started.has(context.db)) context.db.finish().catch(() => undefined);
      });
      return context;
    },
  };
}
