import 'reflect-metadata';
import { startOtlpTracing, stopTracing } from './tracing';
import { createApp, type App } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './http/logging';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres';
import { demoUsers } from './db/seed/demo-identity';

/**
 * The only place that listens and handles signals. SIGINT (Ctrl-C) and SIGTERM: readiness off,
 * HTTP drained, WebSockets closed with 1001, embedded PostgreSQL stopped, exit code 0.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  if (config.tracingEndpoint) startOtlpTracing(config.tracingEndpoint); // before the app, whose plugins ask

  let embedded: EmbeddedPostgres | undefined;
  let app: App | undefined;
  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log.info({ signal }, 'shutting down');
    try {
      await app?.stop();
      await stopTracing(); // sends what is still batched
      await embedded?.stop();
      log.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      log.info({ dataDir: config.dataDir }, 'no DATABASE_URL: starting embedded PostgreSQL');
      embedded = await startEmbeddedPostgres({
        baseDir: config.dataDir,
        onLog: (line) => log.debug({ postgres: line }),
        onNotice: (line) => log.warn(line),
      });
      databaseUrl = embedded.url;
      log.info({ port: embedded.port }, 'embedded PostgreSQL is running');
    }
    // Printed whatever LOG_LEVEL says: with PORT=0 (the system picks the port) it is the only way to learn it.
    const onListening = (port: number) => console.log(`SOC Hub is listening on port ${port}; it answers once its database is ready.`);
    app = await createApp(config, databaseUrl, { log, onListening });
  } catch (err) {
    log.fatal({ err }, 'start-up failed');
    await embedded?.stop();
    process.exit(1);
  }
  if (shuttingDown) return;
  printWelcome(app.url, config);
}

function printWelcome(url: string, config: Config): void {
  const lines = [
    '',
    `SOC Hub is running at ${url}`,
    `  GraphQL (HTTP and WebSocket): ${url}/graphql   health: ${url}/healthz  ${url}/readyz`,
  ];
  if (config.allowDevTokens) {
    lines.push(
      `  Sign in: open ${url} and pick a demo user, or get a token with  npm run token -- serocu.analyst`,
      `  Demo users: ${demoUsers.map((u) => u.username).join(', ')}`,
    );
  } else {
    lines.push(`  Sign in through ${config.oidcIssuer}`);
  }
  lines.push('  Stop with Ctrl-C.', '');
  console.log(lines.join('\n'));
}

void main();
