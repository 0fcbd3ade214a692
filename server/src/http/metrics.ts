import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { Knex } from '@mikro-orm/postgresql';
import type { Request, RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { poolOf, type PoolCounts } from '../db/driver-internals';

const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'soc_hub_' });

/**
 * The pools reported, by name: `requests` (every request's transaction, the server's jobs) and
 * `explanations` (explainAccess's own, access/explanation-db.ts), each with its own limit, so
 * that one exhausted is told from the other.
 */
export type PoolName = 'requests' | 'explanations';
const watchedPools = new Map<PoolCounts, PoolName>();
const POOL_NAMES: readonly PoolName[] = ['requests', 'explanations'];
const LATENCY_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * This process's metrics, served at `/metrics` in Prometheus's text format. One set per process
 * (a process runs one server). Other parts of the server update theirs directly:
 * `metrics.liveSubscribers.inc()` when a subscription starts, `.dec()` when it ends;
 * `metrics.eventLagSeconds.observe(seconds)` when an event reaches a subscriber.
 */
export const metrics = {
  registry,
  /** GraphQL operations answered, by operation name, type and outcome (`ok` or `error`). */
  operations: new Counter({
    name: 'soc_hub_graphql_operations_total',
    help: 'GraphQL operations answered over HTTP, by operation name, type and outcome.',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [registry],
  }),
  /** Time from a GraphQL request's start to its response, by operation name and type. */
  operationSeconds: new Histogram({
    name: 'soc_hub_graphql_operation_duration_seconds',
    help: 'Time to answer a GraphQL operation over HTTP, by operation name and type.',
    labelNames: ['operation', 'type'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  }),
  /** Errors in GraphQL responses, by `extensions.code`. */
  errors: new Counter({
    name: 'soc_hub_graphql_errors_total',
    help: 'Errors in GraphQL responses over HTTP, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [registry],
  }),
  /** Every HTTP response, by route and status, including those refused before GraphQL (401, 413, 429). */
  httpResponses: new Counter({
    name: 'soc_hub_http_responses_total',
    help: 'HTTP responses by route and status code.',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  }),
  /** Subscriptions being served over WebSocket now (set by the live-updates module). */
  liveSubscribers: new Gauge({
    name: 'soc_hub_live_subscribers',
    help: 'GraphQL subscriptions currently active over WebSocket on this instance.',
    registers: [registry],
  }),
  /** Seconds from an event's commit to its delivery to a subscriber (observed by the live-updates module). */
  eventLagSeconds: new Histogram({
    name: 'soc_hub_live_event_lag_seconds',
    help: 'Time from an event being committed to its delivery to a subscriber.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  }),
  /** Database connections of this instance's pools (requests, explanations): used, free, and acquisitions waiting for one. */
  dbPool: new Gauge({
    name: 'soc_hub_db_pool_connections',
    help: 'Database pools (requests, explanations): connections used and free, acquisitions and connection creations pending.',
    labelNames: ['pool', 'state'] as const,
    registers: [registry],
    collect() {
      for (const name of POOL_NAMES) {
        const totals = { used: 0, free: 0, pending_acquires: 0, pending_creates: 0 };
        for (const [pool, poolName] of watchedPools) {
          if (poolName !== name) continue;
          totals.used += pool.numUsed();
          totals.free += pool.numFree();
          totals.pending_acquires += pool.numPendingAcquires();
          totals.pending_creates += pool.numPendingCreates();
        }
        for (const [state, value] of Object.entries(totals)) this.set({ pool: name, state }, value);
      }
    },
  }),
};

/** Reports a knex instance's connection pool in {@link metrics.dbPool}, under `name`, until the returned function is called. */
export function watchPool(knex: Knex, name: PoolName): () => void {
  const pool = poolOf(knex);
  if (!pool) return () => undefined;
  watchedPools.set(pool, name);
  return () => void watchedPools.delete(pool);
}

/**
 * Operation names come from clients, so they are admitted as labels only when they look like
 * names, and only the first {@link MAX_OPERATION_NAMES}: a flood of made-up names cannot grow
 * the registry without bound.
 */
const MAX_OPERATION_NAMES = 200;
const knownOperations = new Set<string>();

export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'other';
  if (knownOperations.has(name)) return name;
  if (knownOperations.size >= MAX_OPERATION_NAMES) return 'other';
  knownOperations.add(name);
  return name;
}

type OperationLabels = { operation: string; type: string };

/**
 * Operations answered without errors, not yet counted: whether the answer fits is known only as it
 * is written out (graphql/answer-size.ts, answerWithinBytes), and one that does not is replaced by
 * RESPONSE_TOO_LARGE, which the client receives as the operation's outcome. Keyed by the answer's
 * `data`, the object Apollo Server hands on to `stringifyResult`.
 */
const countedWhenWritten = new WeakMap<object, OperationLabels>();

/**
 * An answer written out over HTTP, replaced by the error `replacedBy` if it was (RESPONSE_TOO_LARGE):
 * the operation whose count waited for it is counted now, as an error when it was replaced, and
 * the replacement's code is counted among the errors (the plugin below saw the answer before).
 */
export function answerWritten(answer: { data?: unknown }, replacedBy?: string): void {
  if (replacedBy) metrics.errors.inc({ code: replacedBy });
  const labels = answer.data && typeof answer.data === 'object' ? countedWhenWritten.get(answer.data) : undefined;
  if (!labels) return;
  countedWhenWritten.delete(answer.data as object);
  metrics.operations.inc({ ...labels, outcome: replacedBy ? 'error' : 'ok' });
}

/**
 * Counts and times every GraphQL operation over HTTP, and the error codes in the answers. An
 * answer without errors is counted when it is written (answerWritten), since it may yet be
 * replaced for its size; one never written (a 406 for the request's Accept header, after the
 * operation ran) is then left out of soc_hub_graphql_operations_total, and counted only among the
 * HTTP responses.
 */
export function metricsPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, response }) {
          const labels = { operation: operationLabel(operation ? operationName : null), type: operation?.operation ?? 'unresolved' };
          metrics.operationSeconds.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const errors = result?.errors;
          if (!errors?.length && result?.data && typeof result.data === 'object') countedWhenWritten.set(result.data, labels);
          else metrics.operations.inc({ ...labels, outcome: errors?.length ? 'error' : 'ok' });
          for (const error of errors ?? []) {
            const code = error.extensions?.code;
            metrics.errors.inc({ code: typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code) ? code : 'OTHER' });
          }
        },
      };
    },
  };
}

/** The fixed set of routes HTTP responses are counted under. */
export function routeLabel(path: string): string {
  if (path === '/graphql' || path === '/healthz' || path === '/readyz' || path === '/metrics') return path;
  if (path.startsWith('/auth/')) return '/auth';
  return 'other';
}

/**
 * `/metrics`. With a METRICS_TOKEN, only for `Authorization: Bearer <METRICS_TOKEN>`; without
 * one, only for connections from this machine (the socket's address: a forwarded header cannot
 * fake it). Anyone else gets 404, as if there were nothing here.
 */
export function metricsHandler(metricsToken: string | undefined): RequestHandler {
  return async (req, res) => {
    if (!mayReadMetrics(req, metricsToken)) return void res.status(404).type('text').send('Not found');
    res.type(registry.contentType).send(await registry.metrics());
  };
}

function mayReadMetrics(req: Request, metricsToken: string | undefined): boolean {
  if (metricsToken) return sameSecret(req.get('authorization') ?? '', `Bearer ${metricsToken}`);
  return isLoopback(req.socket.remoteAddress);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));
}
