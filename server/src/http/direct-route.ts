import type { ErrorRequestHandler, Express, NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One route's handlers run in order without Express's router: what a POST to `/graphql` goes
 * through on every request. The router matches each request against every layer mounted before
 * the one that answers it (the probes, metrics, sign-in, the web client...), and that matching,
 * with its `next` bookkeeping, was a measurable share of a small request's CPU (docs/benchmarks.md).
 * The handlers are the same functions Express runs for the route, in the same order, given the
 * request and response Express would give them (`req.get`, `req.ip`, `res.status`, `res.json`,
 * `res.locals`); an error passed on or thrown, or a handler's rejected promise, goes to
 * `onError` as it would in Express.
 */
export type DirectRoute = (req: IncomingMessage, res: ServerResponse) => void;

export function directRoute(app: Express, handlers: readonly RequestHandler[], onError: ErrorRequestHandler): DirectRoute {
  return (incoming, outgoing) => {
    const { req, res } = asExpress(app, incoming, outgoing);
    let index = 0;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return; // one answer per request: a second error after the first is Express's to ignore too
      failed = true;
      onError(err, req, res, () => endUnanswered(res));
    };
    const next: NextFunction = (err?: unknown) => {
      if (err !== undefined && err !== 'route' && err !== 'router') return fail(err);
      const handler = handlers[index++];
      if (!handler) return endUnanswered(res);
      try {
        const result: unknown = handler(req, res, next);
        if (result instanceof Promise) result.catch(fail);
      } catch (thrown) {
        fail(thrown);
      }
    };
    next();
  };
}

/** The request and response as Express's `app.handle` prepares them (express/lib/application.js). */
function asExpress(app: Express, incoming: IncomingMessage, outgoing: ServerResponse): { req: Request; res: Response } {
  const req = Object.setPrototypeOf(incoming, app.request) as Request;
  const res = Object.setPrototypeOf(outgoing, app.response) as Response;
  req.res = res;
  res.req = req;
  res.locals ??= Object.create(null);
  req.originalUrl = req.url;
  req.baseUrl = '';
  return { req, res };
}

/** A route's handlers all passed the request on: nothing answered it (a programming error). */
function endUnanswered(res: Response): void {
  if (res.headersSent) return void res.end();
  res.status(500).json({ errors: [{ message: 'Internal server error. The incident has been logged.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
}
