import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { requestLogOf } from './logging';

/**
 * The last Express handler: a request Express itself could not take (malformed JSON, a body over
 * the size cap) gets a GraphQL-shaped JSON error with a stable code instead of Express's HTML
 * page, which would show a stack trace. Anything else is logged and answered with a bare 500.
 */
export function requestErrorHandler(log: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    // Every request passed requestScope first, which gives it a logger carrying its id.
    if (status === 500) (res.locals.requestLog ? requestLogOf(res) : log).error({ err }, 'unexpected error handling a request');
    const message =
      err?.type === 'entity.too.large'
        ? `The request body is larger than the limit (${err.limit} bytes).`
        : err?.type === 'entity.parse.failed'
          ? 'The request body is not valid JSON.'
          : status === 500
            ? 'Internal server error. The incident has been logged.'
            : 'The request could not be processed.';
    const code = err?.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
