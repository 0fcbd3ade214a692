import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { directRoute, type DirectRoute } from './direct-route';
import { httpDrainer, type HttpDrainer } from './drain';
import { RequestsInFlight } from './in-flight';
import { healthRouter, type Lifecycle } from './health';
import { requestScope } from './logging';
import { metricsHandler } from './metrics';

/** The HTTP server, listening before the rest of the platform is wired onto it. */
/**
 * Connections the kernel may hold waiting to be accepted. Node's default (511) overflowed when a
 * control room's clients all reconnected at once: the kernel dropped the overflow and their
 * connections were reset (test/live/connection-burst.test.ts). The kernel caps it at
 * net.core.somaxconn (see docs/operations.md).
 */
const LISTEN_BACKLOG = 4096;

/**
 * On shutdown, how long no new connection must arrive before the server stops listening (see
 * drain.ts): deploy/nginx.conf stops choosing a replica after three 503s, within milliseconds
 * under load; a second leaves room for a loaded machine.
 */
const LISTEN_UNTIL_QUIET_MS = 1000;

export interface EarlyServer {
  readonly app: Express;
  readonly httpServer: http.Server;
  readonly port: number;
  /** Stops it without failing a request a load balancer sends meanwhile (see drain.ts). */
  readonly drainer: HttpDrainer;
  /** The requests being answered, and what each is doing (RequestsInFlight). */
  readonly inFlight: RequestsInFlight;
  /**
   * Serves POSTs to `path` with `handlers` after the gate every request passes (its id and log
   * line, then 503 unless ready), without Express's router (see direct-route.ts). Anything else
   * sent to `path` (GET, a trailing slash) still goes through `app`, where the same handlers
   * must be mounted.
   */
  postDirectly(path: string, handlers: readonly RequestHandler[], onError: ErrorRequestHandler): void;
  /** Stops listening (start-up failed). */
  close(): Promise<void>;
}

/**
 * Opens the port before migrations run, with the probes and metrics only: `/healthz` says the
 * process is alive (so a long migration is not mistaken for a hung process and killed),
 * `/readyz` says 503 `starting`, and anything else gets 503 SERVICE_UNAVAILABLE until the
 * lifecycle says ready. Everything mounted on `app` later comes after this gate.
 */
export async function openEarly(config: Config, orm: MikroORM, lifecycle: Lifecycle, log: Logger): Promise<EarlyServer> {
  const app = express();
  const inFlight = new RequestsInFlight();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const scope = requestScope(log, inFlight);
  app.use(scope);
  app.use(healthRouter(orm, lifecycle));
  app.get('/metrics', metricsHandler(config.metricsToken));
  // Starting or stopping, nothing is run: a 503 tells a balancer to send the request elsewhere.
  const readyGate: RequestHandler = (_req, res, next) => {
    if (lifecycle.state === 'ready') return next();
    const message = lifecycle.state === 'starting' ? 'The server is starting. Try again shortly.' : 'The server is stopping. Try again.';
    res
      .status(503)
      .set('Retry-After', lifecycle.state === 'starting' ? '5' : '1')
      .json({ errors: [{ message, extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true } }] });
  };
  app.use(readyGate);
  const direct = new Map<string, DirectRoute>();
  const httpServer = http.createServer((req, res) => {
    const route = req.method === 'POST' ? direct.get(pathOf(req.url)) : undefined;
    if (route) route(req, res);
    else app(req, res);
  });
  const drainer = httpDrainer(httpServer, {
    idleConnectionMs: config.shutdownIdleConnectionMs,
    // Behind a balancer (idle connections left to it), listen on until it has stopped sending.
    quietMs: Math.min(LISTEN_UNTIL_QUIET_MS, config.shutdownIdleConnectionMs),
    gracePeriodMs: 10_000,
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  return {
    app,
    httpServer,
    drainer,
    inFlight,
    port: (httpServer.address() as AddressInfo).port,
    postDirectly: (path, handlers, onError) => void direct.set(path, directRoute(app, [scope, readyGate, ...handlers], onError)),
    close: () => new Promise<void>((resolve) => httpServer.close(() => resolve())),
  };
}

/** The path of a request's URL, without its query string. */
function pathOf(url: string | undefined): string {
  const query = url?.indexOf('?') ?? -1;
  return query === -1 ? (url ?? '') : url!.slice(0, query);
}
