import path from 'node:path';
import { z } from 'zod';
import type { RequestTimeouts } from './db/request-db';

/**
 * The only reader of `process.env`. Everything else receives a typed, frozen {@link Config}
 * (tests build one directly with {@link loadConfig} and an object of their own).
 */
export interface Config {
  /** `development` (default), `test` or `production`. Production hides stack traces and demo users. */
  readonly nodeEnv: 'development' | 'test' | 'production';
  /** TCP port for HTTP and WebSocket. `PORT`, default 4000; 0 picks a free port (tests). */
  readonly port: number;
  /** Interface to listen on. `HOST`, default all interfaces. */
  readonly host: string | undefined;
  /**
   * PostgreSQL connection string (`DATABASE_URL`). When absent, `npm start` runs an embedded
   * PostgreSQL whose data lives under {@link dataDir}.
   */
  readonly databaseUrl: string | undefined;
  /** Where local state lives: embedded database, development signing key. `DATA_DIR`, default `.data`. */
  readonly dataDir: string;
  /** Largest number of pooled database connections per server instance. `DB_POOL_MAX`, default 10. */
  readonly dbPoolMax: number;
  /** Milliseconds a request waits for a pooled connection before a retryable 503. `DB_ACQUIRE_TIMEOUT_MS`, default 10000. */
  readonly dbAcquireTimeoutMs: number;
  /**
   * How long a request's statement may run, and wait for a lock, before PostgreSQL cancels it and
   * the request gets a retryable 503 with nothing kept; and how long a request's transaction may
   * sit idle before PostgreSQL ends its session (so a stuck request cannot hold locks for good).
   * `DB_STATEMENT_TIMEOUT_MS` 30000, `DB_LOCK_TIMEOUT_MS` 10000, `DB_IDLE_IN_TRANSACTION_TIMEOUT_MS` 60000; 0: no limit.
   */
  readonly requestTimeouts: RequestTimeouts;
  /** Load demo data into an empty database on start. `SEED_DEMO_DATA`, default true except in production. */
  readonly seedDemoData: boolean;
  /** Accept tokens signed by the local development key. `ALLOW_DEV_TOKENS`, default true except in production. */
  readonly allowDevTokens: boolean;
  /** OpenID Connect issuer whose tokens are accepted (`OIDC_ISSUER`); required in production without dev tokens. */
  readonly oidcIssuer: string | undefined;
  /** JWKS address of that issuer (`OIDC_JWKS_URL`), default `<issuer>/.well-known/jwks.json`. */
  readonly oidcJwksUrl: string | undefined;
  /**
   * The web client's client id at that issuer (`OIDC_CLIENT_ID`): a public client using the
   * authorization code flow with PKCE. Required in production without dev tokens, since without it
   * nobody can sign in to the web client.
   */
  readonly oidcClientId: string | undefined;
  /** Scopes the web client asks for (`OIDC_SCOPE`), default `openid profile`; must include `openid`. */
  readonly oidcScope: string;
  /**
   * Audience the issuer's tokens must name (`OIDC_AUDIENCE`), default {@link oidcClientId} (else
   * `soc-hub`). The web client sends its ID token, whose audience is its client id, so when both
   * are set they must be equal.
   */
  readonly oidcAudience: string;
  /** Which token claim holds the username (`OIDC_USERNAME_CLAIM`), default `preferred_username`. */
  readonly oidcUsernameClaim: string;
  /** pino log level (`LOG_LEVEL`), default `info` (`silent` in tests). */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Live updates (subscriptions); see {@link LiveConfig}. */
  readonly live: LiveConfig;
  /**
   * Requests one caller (one bearer token or API key; one client address when it sends neither)
   * may make per minute on one instance before getting HTTP 429. `RATE_LIMIT_PER_MINUTE`,
   * default 6000 (generous so benchmarks and tests are not throttled); 0 switches the limit off.
   */
  readonly rateLimitPerMinute: number;
  /**
   * Which proxies to believe about the client's address (`X-Forwarded-For`), as Express's
   * `trust proxy`: `TRUST_PROXY=false` (default: none), a number of hops (`1` behind one load
   * balancer), or a list of addresses or ranges (`loopback, uniquelocal`).
   */
  readonly trustProxy: boolean | number | string;
  /**
   * Bearer token Prometheus must send to read `/metrics` (`METRICS_TOKEN`, at least 16
   * characters). Unset: `/metrics` answers only connections from the loopback interface.
   */
  readonly metricsToken: string | undefined;
  /**
   * Where to send OpenTelemetry traces (an OTLP/HTTP collector's base URL, e.g.
   * http://collector:4318; `OTEL_EXPORTER_OTLP_ENDPOINT`, the standard name). Unset: no tracing.
   */
  readonly tracingEndpoint: string | undefined;
  /**
   * On shutdown, how long a kept-alive HTTP connection with no request in flight is left for its
   * client (the load balancer) to close before the server closes it (`SHUTDOWN_IDLE_CONNECTION_MS`,
   * default 5000 in production, above nginx's upstream keepalive_timeout in deploy/nginx.conf;
   * 0 otherwise, where no balancer holds connections and a stop should be quick). Closing it first
   * races with the balancer sending a request on it, which then fails with a 502.
   */
  readonly shutdownIdleConnectionMs: number;
  /** Limits checked before any operation runs; see {@link GraphqlLimits}. */
  readonly graphqlLimits: GraphqlLimits;
  /** Publishing the audit chain's head (audit/anchors.ts): how often, and the signing key (else one kept in DATA_DIR). */
  readonly auditAnchor: { readonly intervalMs: number; readonly key: string | undefined };
  /** How often this instance links committed audit events into the hash chain (audit/sequencer.ts). */
  readonly auditChainIntervalMs: number;
  /**
   * How often this instance looks for sharing agreements whose end date has come, to announce
   * their lapse live (`AGREEMENT_LAPSE_CHECK_MS`, default 30000: a partner's open screens lose what
   * a lapsed agreement granted within about that long after midnight); modules/sharing/agreement-lapses.ts.
   */
  readonly agreementLapseCheckMs: number;
}

/** Limits on one GraphQL document, checked after parsing and before execution; one over refuses it whole. */
export interface GraphqlLimits {
  /** Deepest selection nesting (`GRAPHQL_MAX_DEPTH`, default 12; the web client's deepest is 8). */
  readonly maxDepth: number;
  /** Aliases in one operation (`GRAPHQL_MAX_ALIASES`, default 15). */
  readonly maxAliases: number;
  /** Lexical tokens in one document (`GRAPHQL_MAX_TOKENS`, default 1000; the client's largest has 169). */
  readonly maxTokens: number;
  /** Directives in one operation (`GRAPHQL_MAX_DIRECTIVES`, default 10). */
  readonly maxDirectives: number;
  /**
   * Estimated cost, graphql-armor's measure: 1 per scalar, 2 per object, x1.5 per level, x`first`
   * (`GRAPHQL_MAX_COST`, default 30000; the web client's largest page, 100 threats, costs about 11,000).
   */
  readonly maxCost: number;
  /**
   * The most bytes one answer may take, as JSON (`GRAPHQL_MAX_RESPONSE_BYTES`, default 16 MiB;
   * the web client's largest page is well under 1 MiB): with at most MAX_ANSWER_OBJECTS objects
   * (graphql/answer-size.ts), the bound on any answer over HTTP or WebSocket.
   */
  readonly maxResponseBytes: number;
}

export interface LiveConfig {
  /**
   * The secret event cursors are encrypted with (`LIVE_CURSOR_KEY`, at least 32 characters), so
   * they do not show how many changes the platform records. Every instance must have the same:
   * set it, or give them one DATA_DIR (the key is then made there on first start).
   */
  readonly cursorKey: string | undefined;
  /** Fallback poll of the event log in case a notification is missed (`LIVE_POLL_MS`, default 2000). */
  readonly pollMs: number;
  /** How long the event log keeps events, so clients can resume (`LIVE_RETENTION_HOURS`, default 168). */
  readonly retentionHours: number;
  /** WebSocket connections one user may hold on one instance (`LIVE_MAX_CONNECTIONS_PER_USER`, default 20). */
  readonly maxConnectionsPerUser: number;
  /** Operations in flight on one connection (`LIVE_MAX_OPERATIONS_PER_CONNECTION`, default 25). */
  readonly maxOperationsPerConnection: number;
  /** Results one subscription may have waiting for a socket that does not read; past it the connection is dropped with 4413 (`LIVE_MAX_QUEUED_RESULTS`, default 1000). */
  readonly maxQueuedResults: number;
  /** Interval of WebSocket pings; a socket that misses one is closed (`LIVE_KEEPALIVE_MS`, default 30000). */
  readonly keepAliveMs: number;
}

/** Thrown when an environment variable has a value the platform cannot use. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; expected: string; received: unknown }[]) {
    super(
      'Invalid configuration:\n' +
        problems
          .map((p) => `  ${p.variable}: expected ${p.expected}, got ${JSON.stringify(p.received)}`)
          .join('\n'),
    );
    this.name = 'ConfigError';
  }
}

const booleanString = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v) && URL.canParse(v), 'a postgres:// connection URL');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).optional(),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  DB_POOL_MAX: z.coerce.number().int().min(2).max(500).default(10),
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  DB_LOCK_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  SEED_DEMO_DATA: booleanString.optional(),
  ALLOW_DEV_TOKENS: booleanString.optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_SCOPE: z
    .string()
    .refine((v) => v.split(/\s+/).includes('openid'))
    .default('openid profile'),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_USERNAME_CLAIM: z.string().min(1).default('preferred_username'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  LIVE_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(2000),
  LIVE_RETENTION_HOURS: z.coerce.number().min(0.001).max(24 * 366).default(168),
  LIVE_MAX_CONNECTIONS_PER_USER: z.coerce.number().int().min(1).max(100_000).default(20),
  LIVE_MAX_OPERATIONS_PER_CONNECTION: z.coerce.number().int().min(1).max(10_000).default(25),
  LIVE_MAX_QUEUED_RESULTS: z.coerce.number().int().min(1).max(100_000).default(1000),
  LIVE_KEEPALIVE_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(6000),
  TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d{1,2}|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/)
    .transform((v) => (v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v))
    .default(false),
  METRICS_TOKEN: z.string().min(16).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  SHUTDOWN_IDLE_CONNECTION_MS: z.coerce.number().int().min(0).max(60_000).optional(),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).max(100).default(12),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(15),
  GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(10).max(100_000).default(1000),
  GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(10),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(1).max(100_000_000).default(30_000),
  GRAPHQL_MAX_RESPONSE_BYTES: z.coerce.number().int().min(1024).max(1024 ** 3).default(16 * 1024 * 1024),
  AUDIT_ANCHOR_INTERVAL_MS: z.coerce.number().int().min(1000).max(86_400_000).default(300_000),
  AUDIT_ANCHOR_KEY: z.string().min(32).optional(),
  AUDIT_CHAIN_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  AGREEMENT_LAPSE_CHECK_MS: z.coerce.number().int().min(50).max(3_600_000).default(30_000),
  LIVE_CURSOR_KEY: z.string().min(32).optional(),
});

/** Every environment variable the platform reads (deployment files are checked against it). */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.freeze(Object.keys(envSchema.shape));

/** What each variable accepts, in words, for the message a person reads when start-up fails. */
const expectations: Record<string, string> = {
  NODE_ENV: 'one of development, test, production',
  PORT: 'an integer between 0 and 65535',
  DATABASE_URL: 'a postgres:// connection URL',
  DB_POOL_MAX: 'an integer between 2 and 500',
  DB_ACQUIRE_TIMEOUT_MS: 'milliseconds between 100 and 600000',
  DB_STATEMENT_TIMEOUT_MS: 'milliseconds between 0 (no limit) and 3600000',
  DB_LOCK_TIMEOUT_MS: 'milliseconds between 0 (no limit) and 3600000',
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: 'milliseconds between 0 (no limit) and 3600000',
  SEED_DEMO_DATA: 'true or false',
  ALLOW_DEV_TOKENS: 'true or false',
  OIDC_ISSUER: 'a URL such as https://login.example.police.uk',
  OIDC_JWKS_URL: 'a URL',
  OIDC_SCOPE: 'space-separated scopes including openid, such as "openid profile"',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  LIVE_POLL_MS: 'milliseconds between 50 and 600000',
  LIVE_RETENTION_HOURS: 'a number of hours',
  LIVE_MAX_CONNECTIONS_PER_USER: 'a positive integer',
  LIVE_MAX_OPERATIONS_PER_CONNECTION: 'a positive integer',
  LIVE_MAX_QUEUED_RESULTS: 'a positive integer',
  LIVE_KEEPALIVE_MS: 'milliseconds between 100 and 600000',
  RATE_LIMIT_PER_MINUTE: 'a whole number of requests per minute (0: no limit)',
  TRUST_PROXY: 'true, false, a number of proxy hops, or a list of addresses',
  METRICS_TOKEN: 'a secret of at least 16 characters',
  OTEL_EXPORTER_OTLP_ENDPOINT: 'a URL, e.g. http://collector:4318',
  SHUTDOWN_IDLE_CONNECTION_MS: 'milliseconds between 0 and 60000',
  GRAPHQL_MAX_DEPTH: 'an integer between 2 and 100',
  GRAPHQL_MAX_ALIASES: 'an integer between 0 and 1000',
  GRAPHQL_MAX_TOKENS: 'an integer between 10 and 100000',
  GRAPHQL_MAX_DIRECTIVES: 'an integer between 0 and 1000',
  GRAPHQL_MAX_COST: 'a positive integer',
  GRAPHQL_MAX_RESPONSE_BYTES: 'an integer between 1024 and 1073741824',
  AUDIT_ANCHOR_INTERVAL_MS: 'milliseconds between 1000 and 86400000',
  AUDIT_ANCHOR_KEY: 'a secret of at least 32 characters',
  AUDIT_CHAIN_INTERVAL_MS: 'milliseconds between 10 and 60000',
  AGREEMENT_LAPSE_CHECK_MS: 'milliseconds between 50 and 3600000',
  LIVE_CURSOR_KEY: 'a secret of at least 32 characters',
};

/**
 * The OpenID Connect settings that only work together. Without dev tokens (production) the web
 * client's only way in is the OIDC sign-in, which needs both the issuer and the client id; a
 * client id needs its issuer; and the audience the server checks must be the client id, since
 * that is the audience of the ID token the web client sends.
 */
function halfConfiguredOidc(e: z.infer<typeof envSchema>, oidcOnly: boolean): ConfigError['problems'] {
  const problems: ConfigError['problems'] = [];
  if (!e.OIDC_ISSUER && (oidcOnly || e.OIDC_CLIENT_ID)) {
    const when = e.OIDC_CLIENT_ID ? 'OIDC_CLIENT_ID is set' : 'NODE_ENV=production';
    problems.push({ variable: 'OIDC_ISSUER', expected: `the identity provider URL when ${when}`, received: undefined });
  }
  if (oidcOnly && !e.OIDC_CLIENT_ID) {
    problems.push({ variable: 'OIDC_CLIENT_ID', expected: "the web client's client id at the identity provider when NODE_ENV=production (people sign in through it)", received: undefined });
  }
  if (e.OIDC_CLIENT_ID && e.OIDC_AUDIENCE && e.OIDC_AUDIENCE !== e.OIDC_CLIENT_ID) {
    problems.push({ variable: 'OIDC_AUDIENCE', expected: `unset or the same as OIDC_CLIENT_ID ("${e.OIDC_CLIENT_ID}"): the web client sends its ID token, whose audience is its client id`, received: e.OIDC_AUDIENCE });
  }
  return problems;
}

/**
 * Parses and validates the environment once. Empty strings count as unset, so `PORT=` in a
 * shell file falls back to the default instead of failing.
 * @throws ConfigError naming every variable at fault and what it expected.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0]);
        return { variable, expected: expectations[variable] ?? issue.message, received: present[variable] };
      }),
    );
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const allowDevTokens = e.ALLOW_DEV_TOKENS ?? !production;
  const oidcProblems = halfConfiguredOidc(e, production && !allowDevTokens);
  if (oidcProblems.length) throw new ConfigError(oidcProblems);
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    dbPoolMax: e.DB_POOL_MAX,
    dbAcquireTimeoutMs: e.DB_ACQUIRE_TIMEOUT_MS,
    requestTimeouts: Object.freeze({ statementMs: e.DB_STATEMENT_TIMEOUT_MS, lockMs: e.DB_LOCK_TIMEOUT_MS, idleInTransactionMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS }),
    live: Object.freeze({
      cursorKey: e.LIVE_CURSOR_KEY,
      pollMs: e.LIVE_POLL_MS,
      retentionHours: e.LIVE_RETENTION_HOURS,
      maxConnectionsPerUser: e.LIVE_MAX_CONNECTIONS_PER_USER,
      maxOperationsPerConnection: e.LIVE_MAX_OPERATIONS_PER_CONNECTION,
      maxQueuedResults: e.LIVE_MAX_QUEUED_RESULTS,
      keepAliveMs: e.LIVE_KEEPALIVE_MS,
    }),
    seedDemoData: e.SEED_DEMO_DATA ?? !production,
    allowDevTokens,
    oidcIssuer: e.OIDC_ISSUER,
    oidcJwksUrl: e.OIDC_JWKS_URL ?? (e.OIDC_ISSUER ? `${e.OIDC_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json` : undefined),
    oidcClientId: e.OIDC_CLIENT_ID,
    oidcScope: e.OIDC_SCOPE,
    oidcAudience: e.OIDC_AUDIENCE ?? e.OIDC_CLIENT_ID ?? 'soc-hub',
    oidcUsernameClaim: e.OIDC_USERNAME_CLAIM,
    logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    tracingEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT,
    // Behind a load balancer in production; in development nothing holds connections for long.
    shutdownIdleConnectionMs: e.SHUTDOWN_IDLE_CONNECTION_MS ?? (production ? 5000 : 0),
    auditAnchor: Object.freeze({ intervalMs: e.AUDIT_ANCHOR_INTERVAL_MS, key: e.AUDIT_ANCHOR_KEY }),
    auditChainIntervalMs: e.AUDIT_CHAIN_INTERVAL_MS,
    agreementLapseCheckMs: e.AGREEMENT_LAPSE_CHECK_MS,
    graphqlLimits: Object.freeze({
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxDirectives: e.GRAPHQL_MAX_DIRECTIVES,
      maxCost: e.GRAPHQL_MAX_COST,
      maxResponseBytes: e.GRAPHQL_MAX_RESPONSE_BYTES,
    }),
  });
}
