/**
 * SQL statements per request, counted in-process: SOC Hub's app (createApp) on port 0 against
 * the bench database, listening to knex's 'query' event during exactly one request, as
 * test/modules/threats.test.ts does. Throughput says how fast; this says why, and shows that a
 * page's cost does not grow with its size.
 */
import pino from 'pino';
import { createApp, type App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { statementsSharingRoundTrips } from '../../src/db/request-db';
import { benchPurpose } from './scenarios';

/** What one request cost the database: statements issued, and the messages that carried them. */
export interface RequestCost {
  statements: number;
  roundTrips: number;
}

export interface InProcessApp {
  /** Statements issued while one request runs, authentication included, and the round trips carrying them. */
  count(username: string, query: string, variables: Record<string, unknown>): Promise<RequestCost>;
  stop(): Promise<void>;
}

export async function startInProcess(databaseUrl: string, dataDir: string, tokenFor: (username: string) => Promise<string>): Promise<InProcessApp> {
  const config = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ALLOW_DEV_TOKENS: 'true',
    SEED_DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
  });
  const app: App = await createApp(config, databaseUrl, { log: pino({ level: 'warn' }) });
  const knex = app.orm.em.getConnection().getKnex();

  const post = async (username: string, query: string, variables: Record<string, unknown>) => {
    const response = await fetch(`http://127.0.0.1:${app.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(username)}`, 'x-purpose': benchPurpose(username) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`GraphQL errors while counting statements: ${body.errors[0].message}`);
  };

  return {
    async count(username, query, variables) {
      // The same request once before counting, so one-time work (caches, first model read) is not counted.
      await post(username, query, variables);
      let statements = 0;
      const onQuery = () => statements++;
      knex.on('query', onQuery);
      const shared = statementsSharingRoundTrips();
      try {
        await post(username, query, variables);
      } finally {
        knex.removeListener('query', onQuery);
      }
      return { statements, roundTrips: statements - (statementsSharingRoundTrips() - shared) };
    },
    stop: () => app.stop(),
  };
}
