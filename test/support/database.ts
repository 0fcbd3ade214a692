import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { withDatabase } from './urls';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.SOC_TEST_ADMIN_URL;
  if (!url) throw new Error('SOC_TEST_ADMIN_URL is not set: run the tests with `npm test` (jest global setup).');
  return url;
}

/** Runs one statement on the maintenance connection. */
export function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  return queryDatabase(adminUrl(), sql, params);
}

/** Runs one statement on a connection of its own to the database at `url` (outside any app's pool). */
export async function queryDatabase(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/**
 * A fresh database of this test file's own: migrated (cloned from the run's template) unless
 * `empty`, in which case it has no tables at all, as on a first start.
 */
export async function createTestDatabase(options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const name = `soc_hub_test_${randomBytes(5).toString('hex')}`;
  const template = options.empty ? 'template0' : process.env.SOC_TEST_TEMPLATE!;
  await adminQuery(`create database ${name} template ${template}`);
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: async () => void (await adminQuery(`drop database if exists ${name} with (force)`)),
  };
}

/**
 * Resolves once a request's statement naming `table` waits for a lock in the database at `url`:
 * the request a test stalled behind its lock is then surely in flight. (A fixed wait was not
 * always long enough at load: the request had not yet been read when the test went on.) It asks
 * on a connection of its own: pg_stat_activity is read once per transaction, so the locking
 * session would see the same snapshot for ever.
 */
export async function waitUntilBlockedOnLock(url: string, table: string, timeoutMs = 60_000): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await client.query(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'
            and application_name not like 'soc-hub-%' and query like '%' || $1 || '%'`,
        [table],
      );
      if (rows[0].n > 0) return;
      if (Date.now() > deadline) {
        const { rows: sessions } = await client.query(`select application_name, state, wait_event_type, query from pg_stat_activity where datname = current_database()`);
        throw new Error(`no statement on ${table} came to wait for the lock within ${timeoutMs} ms: ${JSON.stringify(sessions)}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await client.end();
  }
}

/** A session of the test's own on `url`, holding `lock` in an open transaction until released. */
export async function holdingLock(url: string, lock: string, params: unknown[] = []): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('begin');
  await client.query(lock, params);
  return {
    async release() {
      await client.query('rollback');
      await client.end();
    },
  };
}
