import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { Request, Response } from 'express';
import { parse } from 'node:url';
import { isAccountChanged } from '../db/request-db';
import { enterStage } from './in-flight';

interface HasAccountCheck {
  db?: { accountConfirmed(): Promise<boolean> };
}

/**
 * Makes a request's context; `freshAccount`: look the caller's account up, whatever is remembered.
 */
export type ContextMaker<TContext> = (req: Request, res: Response, options: { freshAccount: boolean }) => Promise<TContext>;

/**
 * `/graphql` over Apollo Server, as @as-integrations/express5's `expressMiddleware` serves it (the
 * same request, headers, status and body, streamed when incremental), with one addition: a
 * request whose remembered account turned out changed or deactivated (db/request-db.ts,
 * AccountCache) is answered again, once, from a fresh lookup. The check that found it ran before
 * anything else of the request, so nothing was read or written under the old account, and
 * nothing of the first answer is sent: the request is refused as a deactivated account is, or
 * served as the account now is, exactly as without the cache.
 */
export function graphqlHandler<TContext extends BaseContext & HasAccountCheck>(apollo: ApolloServer<TContext>, makeContext: ContextMaker<TContext>) {
  apollo.assertStarted('graphqlHandler()');
  return async (req: Request, res: Response): Promise<void> => {
    if (!('body' in req)) {
      res.status(500).send('`req.body` is not set: the json middleware must come before the GraphQL handler.');
      return;
    }
    const httpGraphQLRequest = requestOf(req);
    res.locals.operationName = operationNameOf(req.body);
    enterStage(res, 'signing in and opening its transaction');
    let response = await answer(apollo, httpGraphQLRequest, () => makeContext(req, res, { freshAccount: false }));
    if (response.accountChanged) {
      enterStage(res, 'answering again, its account looked up afresh');
      response = await answer(apollo, httpGraphQLRequest, () => makeContext(req, res, { freshAccount: true }));
    }
    enterStage(res, 'sending the answer');
    await send(res, response.http);
  };
}

/** The operation's name as the request gives it, or as its document's first operation is named: for RequestsInFlight. */
function operationNameOf(body: unknown): string | undefined {
  const { operationName, query } = (body ?? {}) as { operationName?: unknown; query?: unknown };
  if (typeof operationName === 'string') return operationName;
  return typeof query === 'string' ? /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(query.slice(0, 200))?.[1] : undefined;
}

function requestOf(req: Request): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  return { method: req.method.toUpperCase(), headers, search: parse(req.url).search ?? '', body: req.body };
}

/**
 * Apollo's answer, and whether the context's remembered account was found changed: while the
 * context was made, while the operation ran, or now (a request Apollo refused before running it,
 * which a deactivated account must not hear: it is refused first, as before the cache).
 */
async function answer<TContext extends BaseContext & HasAccountCheck>(
  apollo: ApolloServer<TContext>,
  httpGraphQLRequest: HTTPGraphQLRequest,
  makeContext: () => Promise<TContext>,
): Promise<{ http: HTTPGraphQLResponse; accountChanged: boolean }> {
  let context: TContext | undefined;
  let failedOnAccount = false;
  const http = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest,
    context: async () => {
      try {
        return (context = await makeContext());
      } catch (err) {
        failedOnAccount = isAccountChanged(err);
        throw err;
      }
    },
  });
  return { http, accountChanged: failedOnAccount || (context?.db ? !(await context.db.accountConfirmed()) : false) };
}

async function send(res: Response, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status || 200;
  if (response.body.kind === 'complete') {
    // Written as it is, not through Express's res.send: that hashes every answer for an ETag (a
    // SHA-1 of the body, 1-2% of the server's CPU under small requests), and an answer that
    // depends on who asks is never revalidated or cached.
    res.setHeader('Content-Length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) {
    res.write(chunk);
    (res as { flush?: () => void }).flush?.();
  }
  res.end();
}
