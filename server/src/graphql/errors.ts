import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/unavailable';

/**
 * The catalogue of errors a client can cause. Each has a stable `extensions.code` that scripts
 * can switch on; messages are written for the person reading them.
 */
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT' | 'CONFLICT' | 'PURPOSE_REQUIRED' | 'CURSOR_EXPIRED' | 'SERVICE_UNAVAILABLE';

/** Base class: anything that is not an AppError is unexpected, logged, and masked outside development. */
export abstract class AppError extends GraphQLError {
  abstract readonly code: ErrorCode;
  protected constructor(message: string, code: ErrorCode, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
  }
}

/** No valid token, an expired one, a forged one, or a user the platform does not know. HTTP 401. */
export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Sign in first: send a valid token as "Authorization: Bearer <token>".') {
    super(message, 'UNAUTHENTICATED', { http: { status: 401 } });
  }
}

/** The caller is known but may not do this. */
export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  constructor(message: string) {
    super(message, 'FORBIDDEN');
  }
}

/** No such record, or one the caller may not see: the two are deliberately indistinguishable. */
export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
  constructor(what: string) {
    super(`${what} not found.`, 'NOT_FOUND');
  }
}

/** One problem with one input field, by its path from the mutation's input (e.g. `input.date`). */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Every invalid field in one response, not only the first. */
export class BadUserInputError extends AppError {
  readonly code = 'BAD_USER_INPUT';
  constructor(readonly problems: FieldProblem[]) {
    super(
      problems.length === 1
        ? `${problems[0].field}: ${problems[0].message}`
        : `${problems.length} fields are invalid: ${problems.map((p) => p.field).join(', ')}.`,
      'BAD_USER_INPUT',
      { fields: problems },
    );
  }
}

/** The record changed since the caller read it (stale `expectedVersion`). */
export class ConflictError extends AppError {
  readonly code = 'CONFLICT';
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(message, 'CONFLICT', extra);
  }
}

/**
 * The database could not be reached, dropped the connection, or no pooled connection came free
 * in time. Clients should retry; nothing of the request was kept (its transaction did not commit).
 */
export class ServiceUnavailableError extends AppError {
  readonly code = 'SERVICE_UNAVAILABLE';
  constructor(message = 'The database is unavailable or too busy right now; nothing was changed. Try again in a few seconds.') {
    super(message, 'SERVICE_UNAVAILABLE', { retryable: true, http: { status: 503 } });
  }
}

/** Codes that graphql-js and Apollo produce themselves for malformed requests; safe to show. */
const clientFacingCodes = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PURPOSE_REQUIRED',
  'CURSOR_EXPIRED',
  'SERVICE_UNAVAILABLE',
  'TRUSTED_DOCUMENT_REQUIRED',
  'LIST_TOO_LONG',
]);

/** Whether an error is one a client can cause (its code is safe to show), by its `extensions.code`. */
function isClientFacing(code: unknown): boolean {
  return typeof code === 'string' && clientFacingCodes.has(code);
}

/**
 * Whether an error is a fault of ours, to be logged and (outside development) masked: not one a
 * client can cause, not a write the database's policies refused, not the database being away.
 * The one decision both {@link makeErrorFormatter} and the request's error log
 * ({@link logUnexpectedErrors}) follow.
 */
export function isUnexpectedError(code: unknown, error: unknown): boolean {
  return !isClientFacing(code) && !isDatabaseRefusal(error) && !isDatabaseUnavailable(error);
}

/**
 * Apollo's `formatError`: client errors pass through; anything else is replaced, unless
 * `exposeDetails`, by a generic message so no internals reach the client. It has no request to
 * hand, so unexpected errors are logged by {@link logUnexpectedErrors}, with the request's id.
 */
export function makeErrorFormatter(options: { exposeDetails: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (isClientFacing(code)) {
      if (options.exposeDetails) return formatted;
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    // PostgreSQL's row-level security refused a statement (SQLSTATE 42501): the caller tried to
    // write something the policies do not allow. That is the caller's doing, not a fault.
    if (isDatabaseRefusal(error)) {
      return { message: 'You may not make this change.', locations: formatted.locations, path: formatted.path, extensions: { code: 'FORBIDDEN' } };
    }
    // The database went away or is out of connections: the client may retry; nothing was kept.
    if (isDatabaseUnavailable(error)) {
      return { message: new ServiceUnavailableError().message, locations: formatted.locations, path: formatted.path, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } };
    }
    if (options.exposeDetails) return formatted;
    return {
      message: 'Internal server error. The incident has been logged.',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** Logs each of an operation's errors that {@link isUnexpectedError} says is a fault, on the request's own logger. */
export function logUnexpectedErrors(log: { error(object: object, message: string): void }, errors: readonly unknown[]): void {
  for (const err of errors) {
    if (isUnexpectedError((err as GraphQLError)?.extensions?.code, err)) log.error({ err }, 'unexpected GraphQL error');
  }
}

function isDatabaseRefusal(error: unknown): boolean {
  const original = (error as { originalError?: { code?: string } })?.originalError;
  return original?.code === '42501';
}
