import { ApolloServer } from '@apollo/server';
import { tracingEnabled } from './tracing';
import { graphqlTracing } from './graphql/tracing-plugin';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { loadOrCreateDevKeys } from './auth/dev-keys';
import { createTokenVerifier } from './auth/token-verifier';
import type { Config } from './config';
import { BOTH_LAYERS, type AccessLayers } from './access/layers';
import { isEmpty, seedDemoData } from './db/seed';
import { migrate, openOrm } from './db/orm';
import { buildContext, type ContextDeps, type RequestContext } from './graphql/context';
import { isUnexpectedError, logUnexpectedErrors, makeErrorFormatter, ServiceUnavailableError } from './graphql/errors';
import { endOperation } from './graphql/end-operation';
import { MAX_ANSWER_OBJECTS } from './graphql/answer-size';
import { CursorCodec } from './live/event-log';
import { buildAppSchema } from './graphql/schema';
import { authConfigHandler } from './http/auth-config';
import { devAuthRouter } from './http/dev-auth';
import { type Lifecycle } from './http/health';
import { openEarly, type EarlyServer } from './http/early-server';
import { attachRequestDb, enterStage } from './http/in-flight';
import { loadTrustedDocuments, trustedDocumentCheck, trustedDocumentsByHash, trustedDocumentsOnly } from './graphql/trusted-documents';
import { webClientRouter } from './http/web-client';
import { requestErrorHandler } from './http/request-errors';
import { apolloHardening } from './graphql/hardening';
import { createLogger, requestIdOf, requestLogOf } from './http/logging';
import { watchPool } from './http/metrics';
import { perCallerRateLimit } from './http/rate-limit';
import { SharedLimits } from './limits/shared-limits';
import { refuseBatches } from './http/single-operation';
import { jsonBody } from './http/json-body';
import { unstartedRequestCloser } from './http/request-transaction';
import { graphqlHandler } from './http/graphql-handler';
import { AccountCache, isAccountChanged, limitRequests } from './db/request-db';
import { AuditAnchors } from './audit/anchors';
import { startAuditSequencer } from './audit/sequencer';
import { startSearchTextPurge } from './audit/search-text';
import { startAgreementLapseWatch } from './modules/sharing/agreement-lapses';
import { auditExportHandler } from './audit/audit.export';
import { passPurposeErrors, PURPOSE_HEADER } from './audit';
import { serveGraphqlOverWebSocket } from './live/websocket';
import { pageSizePricer, webSocketValidation } from './graphql/limits';
import { nodeFetchers } from './modules';
import { openExplanationDb } from './access/explanation-db';
/** The largest request body /graphql reads (body-parser's `100kb`). */
const GRAPHQL_BODY_LIMIT_BYTES = 100 * 1024;

export { WS_CLOSE_BAD_PURPOSE, WS_CLOSE_UNAUTHORIZED } from './live/websocket';

export interface App {
  /** Base URL, e.g. http://localhost:4000 (the real port when config.port was 0). */
  readonly url: string;
  readonly port: number;
  readonly orm: MikroORM;
  readonly log: Logger;
  /** The requests being answered, and what each is doing now (http/in-flight.ts). */
  requestsInFlight(): string[];
  /** Not ready, then HTTP drained and WebSockets closed with 1001, then the pool closed. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Wires the whole server and starts listening: database (migrated, seeded when empty and
 * allowed), GraphQL over HTTP and WebSocket on /graphql, health probes, dev sign-in, web client.
 */
/** Options for tests only; a running platform always uses the defaults. */
export interface AppOptions {
  log?: Logger;
  /** Told the port as soon as it is open, before the database is prepared (the port actually taken when config.port is 0). */
  onListening?: (port: number) => void;
  /** Switch one access layer off to prove the other denies alone (tests only). */
  accessLayers?: AccessLayers;
}

/** A field that failed because the database went away: the whole answer is a retryable 503. */
function markUnavailable(response: { http: { status?: number }; body: { kind: string; singleResult?: { errors?: readonly GraphQLFormattedError[] } } }): void {
  if (response.body.kind === 'single' && response.body.singleResult?.errors?.some((e) => e.extensions?.code === 'SERVICE_UNAVAILABLE')) response.http.status = 503;
}

export async function createApp(config: Config, databaseUrl: string, options: AppOptions = {}): Promise<App> {
  const log = options.log ?? createLogger(config.logLevel);
  const lifecycle: Lifecycle = { state: 'starting' };
  const orm = await openOrm({ databaseUrl, poolMax: config.dbPoolMax, acquireTimeoutMs: config.dbAcquireTimeoutMs });
  limitRequests(orm, config.requestTimeouts);
  // The port opens first, with the probes only: alive, not ready, while the database is prepared.
  const early = await openEarly(config, orm, lifecycle, log).catch(async (err) => {
    await orm.close(true);
    throw err;
  });
  options.onListening?.(early.port);
  try {
    await prepareDatabase(config, orm, log);
    const app = await listen(config, databaseUrl, orm, log, lifecycle, options.accessLayers ?? BOTH_LAYERS, early);
    lifecycle.state = 'ready';
    return app;
  } catch (err) {
    await early.close();
    await orm.close(true);
    throw err;
  }
}

async function prepareDatabase(config: Config, orm: MikroORM, log: Logger): Promise<void> {
  const applied = await migrate(orm, async () => {
    const em = orm.em.fork();
    if (config.seedDemoData && (await isEmpty(em))) {
      const added = await seedDemoData(em);
      log.info(added, 'loaded demo data into an empty database');
    }
  });
  if (applied.length) log.info({ migrations: applied }, 'applied migrations');
}

async function listen(
  config: Config,
  databaseUrl: string,
  orm: MikroORM,
  log: Logger,
  lifecycle: Lifecycle,
  accessLayers: AccessLayers,
  { app, httpServer, port, drainer, inFlight, postDirectly }: EarlyServer,
): Promise<App> {
  const devKeys = config.allowDevTokens ? await loadOrCreateDevKeys(config.dataDir) : undefined;
  const auditAnchors = AuditAnchors.inDataDir(config.dataDir, databaseUrl, config.auditAnchor.key, log);
  const cursors = CursorCodec.inDataDir(config.dataDir, config.live.cursorKey);
  const explanationDb = openExplanationDb(orm, config.requestTimeouts);
  const deps: ContextDeps = { orm, verifyToken: createTokenVerifier(config, devKeys), log, accessLayers, auditAnchors, cursors, explanationDb };
  // HTTP /graphql only: it answers again a request whose remembered account changed (graphqlHandler).
  const rememberingDeps: ContextDeps = { ...deps, accounts: new AccountCache() };
  const schema = await buildAppSchema();
  // Stack traces only in development; unexpected errors are masked only in production, so
  // test failures say what went wrong.
  const exposeDetails = config.nodeEnv !== 'production';
  const trustedDocuments = loadTrustedDocuments();
  // One allowance per caller for HTTP requests and WebSocket operations together, and the
  // per-user connection cap, counted in the database for every instance together.
  const limits = new SharedLimits(databaseUrl, config.rateLimitPerMinute, log);
  await limits.start();
  const allowance = limits;
  // One formatter for both transports: an unexpected error is masked outside development, wherever it is sent.
  const formatError = passPurposeErrors(makeErrorFormatter({ exposeDetails }));
  const wsCleanup = await serveGraphqlOverWebSocket({ httpServer, schema, deps, orm, log, databaseUrl, live: config.live, fetchers: nodeFetchers, validate: webSocketValidation(config.graphqlLimits, config.nodeEnv === 'production'), parseOptions: { maxTokens: config.graphqlLimits.maxTokens },
    pricePageSizes: pageSizePricer(config.graphqlLimits.maxCost), maxAnswerObjects: MAX_ANSWER_OBJECTS, maxResponseBytes: config.graphqlLimits.maxResponseBytes, allowance, connections: limits, trustedDocumentRefusal: trustedDocumentCheck(config, trustedDocuments).refusal, formatError });

  const hardening = apolloHardening(config);
  const requestTransactions = unstartedRequestCloser<RequestContext>();
  const apollo = new ApolloServer<RequestContext>({
    schema,
    ...hardening,
    // No automatic persisted queries: they let anyone register a document under a hash. The web
    // client's documents are known at build time (graphql/trusted-documents.ts).
    persistedQueries: false,
    includeStacktraceInErrorResponses: config.nodeEnv === 'development',
    formatError,
    plugins: [
      ...hardening.plugins,
      // Apollo installs its cache-control plugin unless told not to; it hooks every resolved
      // field (a wrapper and a hint object per field, per item of every list) to compute HTTP
      // caching hints that nothing here uses: every answer depends on who asks and is not cached.
      ApolloServerPluginCacheControlDisabled(),
      requestTransactions.plugin,
      // formatError has no request to hand: faults are logged here, on the request's own logger (its id on the line).
      // A remembered account found changed: its errors are nobody's, the request is answered again (http/graphql-handler.ts).
      { requestDidStart: async ({ contextValue }) => ({ didEncounterErrors: async ({ errors }) => void (contextValue.db?.accountChanged || logUnexpectedErrors(contextValue.log, errors)) }) },
      trustedDocumentsOnly(config, trustedDocuments),
      ...(tracingEnabled() ? [graphqlTracing<RequestContext>()] : []),
      { serverWillStart: async () => ({ drainServer: () => drainer.drain() }) },
      { serverWillStart: async () => ({ drainServer: async () => void (await wsCleanup.dispose()) }) },
      // Every HTTP request's transaction ends with its response (commit; rollback if it failed),
      // its audit events written in it, in the same message as COMMIT.
      {
        requestDidStart: async () => ({
          willSendResponse: async ({ contextValue, response, operation }) => {
            if (!contextValue.db) return markUnavailable(response);
            if (!(await contextValue.db.accountConfirmed())) {
              // The remembered account changed: nothing ran under it; the request is answered again (http/graphql-handler.ts).
              contextValue.db.abort();
              return void (await contextValue.db.finish().catch(() => undefined));
            }
            const single = response.body.kind === 'single' ? response.body.singleResult : undefined;
            const ended = await endOperation(contextValue, orm, single ?? {}, operation?.operation === 'mutation');
            if (single && ended.answer !== single) {
              (response.body as { singleResult: unknown }).singleResult = {
                data: ended.answer.data,
                errors: ended.answer.errors?.map((e) => (e instanceof ServiceUnavailableError ? { message: e.message, extensions: { code: e.code, retryable: true } } : e)),
              };
            }
            // A read whose statement the database cancelled (a timeout) did not commit either; its
            // own SERVICE_UNAVAILABLE stands, and makes the answer a 503 as any other's does.
            if (ended.unavailable) response.http.status = 503;
            else markUnavailable(response);
          },
        }),
      },
    ],
  });
  await apollo.start();

  app.get('/auth/config', authConfigHandler(config, orm));
  if (config.allowDevTokens && devKeys) app.use('/auth/dev', devAuthRouter(orm, devKeys));
  // One limiter for every route a caller's token reaches (a limiter's store cannot be shared).
  const rateLimited = perCallerRateLimit(allowance, deps.verifyToken);
  const errors = requestErrorHandler(log);
  const graphqlRoute = [
    rateLimited,
    jsonBody(GRAPHQL_BODY_LIMIT_BYTES),
    refuseBatches(),
    trustedDocumentsByHash(trustedDocuments),
    graphqlHandler(apollo, async (req, res, { freshAccount }) => {
      const context = await buildContext(freshAccount ? deps : rememberingDeps, req.headers.authorization, requestIdOf(res), {
        purpose: req.get(PURPOSE_HEADER),
        clientAddress: req.ip ?? null,
      }).catch((err: unknown) => {
        // No context, so no operation and none of its hooks: a fault here is logged here.
        if (isUnexpectedError((err as { extensions?: { code?: unknown } })?.extensions?.code, err) && !isAccountChanged(err)) requestLogOf(res).error({ err }, 'unexpected GraphQL error');
        throw err;
      });
      attachRequestDb(res, context.db);
      enterStage(res, 'running its operation, then ending its transaction');
      return requestTransactions.closeWithResponse(res, context);
    }),
  ];
  app.use('/graphql', ...graphqlRoute);
  postDirectly('/graphql', graphqlRoute, errors);
  app.get('/audit/export.csv', rateLimited, auditExportHandler(deps, orm));
  app.use(webClientRouter());
  app.use(errors);

  const unwatchPools = [watchPool(orm.em.getConnection().getKnex(), 'requests'), watchPool(explanationDb, 'explanations')];
  const ownerKnex = orm.em.getConnection().getKnex();
  const sequencer = startAuditSequencer(ownerKnex, config.auditChainIntervalMs, log);
  const lapses = startAgreementLapseWatch(ownerKnex, config.agreementLapseCheckMs, log);
  const searchTextPurge = startSearchTextPurge(ownerKnex, log);
  const anchorNow = async () => {
    await sequencer.chainNow();
    await auditAnchors.publish(ownerKnex).catch((err) => log.warn({ err }, 'the audit chain could not be anchored'));
  };
  const anchoring = setInterval(anchorNow, config.auditAnchor.intervalMs);
  anchoring.unref();

  let stopping: Promise<void> | undefined;
  return {
    url: `http://localhost:${port}`,
    port,
    orm,
    log,
    requestsInFlight: () => inFlight.describe(),
    stop() {
      stopping ??= (async () => {
        lifecycle.state = 'stopping';
        await apollo.stop();
        clearInterval(anchoring);
        searchTextPurge.stop();
        await lapses.stop();
        await sequencer.stop(); // the last events of this instance's life are chained...
        await anchorNow(); // ...and anchored
        for (const unwatch of unwatchPools) unwatch();
        await limits.stop();
        await explanationDb.destroy();
        await orm.close(true);
      })();
      return stopping;
    },
  };
}
