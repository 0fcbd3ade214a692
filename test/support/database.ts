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
export async function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl() });
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
