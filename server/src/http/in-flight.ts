import type { Response } from 'express';

/**
 * The requests an instance is answering, each with what it is doing now: for saying what a
 * request that has not been answered for long is waiting on (a test's report of a slow page, an
 * operator's question), without a debugger. A stage is set where a request moves on: counting
 * its caller's allowance, signing in and opening its transaction, running its operation, ending
 * its transaction, sending its answer.
 */
export class RequestsInFlight {
  private readonly answering = new Map<Response, { started: number; method: string; route: string }>();

  begin(res: Response, method: string, route: string): void {
    this.answering.set(res, { started: performance.now(), method, route });
  }

  /** The response was sent, or its client went away. */
  end(res: Response): void {
    this.answering.delete(res);
  }

  /** Each request in flight: method, route, operation, how long it has run and what it is doing. */
  describe(): string[] {
    const now = performance.now();
    return [...this.answering].map(([res, r]) => {
      const operation = typeof res.locals.operationName === 'string' ? ` ${res.locals.operationName}` : '';
      const db = (res.locals.db as { describe(): string } | undefined)?.describe();
      return `${r.method} ${r.route}${operation}, ${Math.round(now - r.started)} ms: ${String(res.locals.stage ?? 'in the middleware')}${db ? ` (database: ${db})` : ''}`;
    });
  }
}

/** Records what the request is doing now (RequestsInFlight). */
export function enterStage(res: Pick<Response, 'locals'>, stage: string): void {
  res.locals.stage = stage;
}

/** Records the request's database transaction, so that its state can be described (RequestDb.describe). */
export function attachRequestDb(res: Pick<Response, 'locals'>, db: { describe(): string } | undefined): void {
  res.locals.db = db;
}
