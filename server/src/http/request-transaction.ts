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
 * client disconnects could commit half a mutation.
 */
export function unstartedRequestCloser<TContext extends HasRequestDb>() {
  const started = new WeakSet<TContext>();
  return {
    /** Marks each operation Apollo starts. */
    plugin: {
      async requestDidStart({ contextValue }) {
        started.add(contextValue);
      },
    } satisfies ApolloServerPlugin<TContext>,
    /** Finishes the context's transaction once the response is over, unless an operation started. */
    closeWithResponse(res: Response, context: TContext): TContext {
      res.once('close', () => {
        // Nothing ran; closing a connection that has already died is no error here (and must not
        // become an unhandled rejection, which would end the process).
        if (!started.has(context)) context.db?.finish().catch(() => undefined);
      });
      return context;
    },
  };
}
