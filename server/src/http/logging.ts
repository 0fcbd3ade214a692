import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../config';
import { metrics, routeLabel } from './metrics';
import type { Span } from '@opentelemetry/api';
import { endRequestSpan, traceRequest } from '../tracing';
import type { RequestsInFlight } from './in-flight';

/**
 * Anything that could identify a person or act as a credential, wherever it turns up in a log
 * object: tokens and headers, GraphQL variables, and the values PostgreSQL quotes in an error's
 * `detail` (e.g. "Key (name)=(…) already exists").
 */
const REDACTED_PATHS = [
  'authorization',
  'token',
  'variables',
  'headers',
  'req.headers',
  'err.detail',
  'err.parameters',
  'err.params',
  'err.originalError.detail',
  'err.originalError.parameters',
  'err.originalError.params',
  'err.variables',
];

/**
 * The process's logger: JSON lines, secrets and personal fields redacted. A line about a request
 * is written through that request's own logger ({@link requestLogOf}, or the GraphQL context's
 * `log`), which carries its id. The id is passed explicitly rather than found through an
 * AsyncLocalStorage: one `run()` per request switched on Node's promise hooks for the whole
 * process, a cost on every promise of every request (6.5% of the server's CPU under the bench).
 */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/** A client's own request id is kept when it is a plain token of at most 128 characters. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** This request's id, as set by {@link requestScope}. */
export function requestIdOf(res: { locals: Record<string, unknown> }): string {
  return res.locals.requestId as string;
}

/** A logger whose every line carries this request's id (made on first use: most requests log only their summary line). */
export function requestLogOf(res: { locals: Record<string, unknown> }): Logger {
  return (res.locals.requestLog as () => Logger)();
}

/**
 * Gives every request an id (the client's `X-Request-Id` when it sends a sensible one, else a new
 * UUID), returns it in the `X-Request-Id` response header, logs one line when the response is
 * sent or the client goes away (method, route, status, duration: never the query string, headers
 * or body) and counts it.
 */
export function requestScope(log: Logger, inFlight?: RequestsInFlight): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get(REQUEST_ID_HEADER);
    const requestId = incoming && CLIENT_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    let requestLog: Logger | undefined;
    res.locals.requestLog = () => (requestLog ??= log.child({ requestId }));
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const started = process.hrtime.bigint();
    const route = routeLabel(req.originalUrl.split('?')[0]);
    const probe = route === '/healthz' || route === '/readyz' || route === '/metrics';
    if (!probe) inFlight?.begin(res, req.method, route);
    let span: Span | undefined;
    // 'close' comes after the response is sent, or when the client goes away before it is.
    res.once('close', () => {
      inFlight?.end(res);
      const status = res.writableFinished ? String(res.statusCode) : 'aborted';
      metrics.httpResponses.inc({ route, status });
      endRequestSpan(span, res.writableFinished ? res.statusCode : 'aborted');
      if (probe) return; // probes: counted, not logged or traced
      const ms = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
      log.info({ requestId, method: req.method, route, status: res.writableFinished ? res.statusCode : 'aborted', ms }, 'request');
    });
    if (probe) next();
    else span = traceRequest(req.method, route, requestId, next);
  };
}
