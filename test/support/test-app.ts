import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp, type App } from '../../server/src/app';
import type { AccessLayers } from '../../server/src/access/layers';
import { loadOrCreateDevKeys, signDevToken } from '../../server/src/auth/dev-keys';
import { loadConfig, type Config } from '../../server/src/config';
import { seedDemoData, seedIdentity } from '../../server/src/db/seed';
import { openOrm } from '../../server/src/db/orm';
import { createTestDatabase, type TestDatabase } from './database';
import { defaultPurposeOf } from './purposes';
import pg from 'pg';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

/**
 * The purpose tests state unless they say otherwise (reading sensitive records needs one), where
 * the user's roles allow it; otherwise the first their roles allow (test/support/purposes.ts).
 */
export const DEFAULT_PURPOSE = 'INVESTIGATION';

export interface GqlOptions {
  /** The X-Purpose header; null sends none. */
  purpose?: string | null;
  headers?: Record<string, string>;
}

export interface TestApp {
  readonly app: App;
  readonly url: string;
  readonly db: TestDatabase;
  readonly config: Config;
  /** A development token for a user, signed with this app's key. */
  tokenFor(username: string): Promise<string>;
  /**
   * POSTs a GraphQL operation over real HTTP, as `username` (or with no token when undefined),
   * stating in X-Purpose the user's default purpose ({@link DEFAULT_PURPOSE} where their roles
   * allow it, else the first they allow, else none) unless `options.purpose` says otherwise
   * (null: no purpose at all).
   */
  /** The purpose `gql` states for a user unless told (test/support/purposes.ts). */
  defaultPurpose(username: string): Promise<string | null>;
  gql<T = any>(as: string | undefined, query: string, variables?: Record<string, unknown>, options?: GqlOptions): Promise<GraphQLResponse<T>>;
  stop(): Promise<void>;
}

/**
 * A real server on a free port over this test file's own database. `seed`: 'identity' (default:
 * the organisations and demo users only, so tests build exactly the records they need), 'demo'
 * (the whole generated demo world) or false. Pass `env` to change configuration as the
 * environment would.
 */
export async function createTestApp(
  options: {
    seed?: 'identity' | 'demo' | false;
    env?: Record<string, string>;
    accessLayers?: AccessLayers;
    /** Runs on the new database before anything connects to it (e.g. database-level settings). */
    prepareDatabase?: (db: TestDatabase) => Promise<void>;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  await options.prepareDatabase?.(db);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hub-app-'));
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', DATA_DIR: dataDir, SEED_DEMO_DATA: 'false', ...options.env });
  const seed = options.seed ?? 'identity';
  if (seed) {
    const orm = await openOrm({ databaseUrl: db.url, poolMax: 2 });
    await (seed === 'demo' ? seedDemoData(orm.em.fork()) : seedIdentity(orm.em.fork()));
    await orm.close(true);
  }
  const app = await createApp(config, db.url, { accessLayers: options.accessLayers });
  const keys = await loadOrCreateDevKeys(dataDir);
  const tokenFor = (username: string) => signDevToken(keys, username);

  let lookups: pg.Pool | undefined;
  const defaultPurpose = (username: string) => defaultPurposeOf((lookups ??= new pg.Pool({ connectionString: db.url, max: 1 })), username);

  return {
    app,
    url: app.url,
    db,
    config,
    tokenFor,
    defaultPurpose,
    async gql(as, query, variables, options = {}) {
      const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
      const purpose = options.purpose === undefined ? (as ? await defaultPurpose(as) : DEFAULT_PURPOSE) : options.purpose;
      if (purpose !== null) headers['x-purpose'] = purpose;
      if (as) headers.authorization = `Bearer ${await tokenFor(as)}`;
      const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: response.status, ...((await response.json()) as object) };
    },
    async stop() {
      await lookups?.end();
      await app.stop();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
