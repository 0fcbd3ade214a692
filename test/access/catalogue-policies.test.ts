import pg from 'pg';
import { PART_KINDS, RECORD_KINDS, type RecordKind } from '../../server/src/access/catalogue';
import { rowLevelSecurity, rowLevelSecurityStatements, type RowLevelSecurity } from '../../server/src/access/row-level-security.sql';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The row-level security in force is what the access catalogue generates
 * (server/src/access/row-level-security.sql.ts): a rule changed in the catalogue without a
 * migration carrying the generated SQL, or a policy changed by a migration without the catalogue,
 * fails here. `npm run -s access:policies` prints what a new migration should hold.
 *
 * PostgreSQL stores a policy's expression parsed and prints it back in its own words, so the
 * comparison is like with like: on a freshly migrated database, in a transaction that is rolled
 * back, every policy of the generated tables is dropped and the generated SQL run; what
 * pg_policies then says (qual, with_check, roles, command, permissive) must be what it said
 * before, and likewise the generated functions (pg_get_functiondef) and the tables' row-level
 * security being enabled and forced.
 */

/**
 * Tables under row-level security whose policies are written by hand in their migrations, not
 * generated from the catalogue, and why. A table with row-level security that is neither generated
 * nor listed here fails the last test.
 */
const NOT_GENERATED: Readonly<Record<string, string>> = {
  record_version: 'only record_version_read is generated; an agreement\'s history (record_version_agreement_read) and the insert-only-from-the-history-trigger rule (record_version_write) are not record access rules',
  access_role_grant: 'the role policy itself: read by everyone, changed by administrators (Migration20261125000900_sharing)',
  information_sharing_agreement: 'agreements: administrators, auditors and the parties (Migration20261125000900_sharing)',
  app_user: 'user administration (Migration20261205002100_user_administration)',
  api_key: 'API key administration (Migration20261205002100_user_administration)',
  audit_event: 'the audit trail: appended by the caller, read by auditors (Migration20261125001000_audit)',
  live_event: 'the live event log: the server reads it as the connecting user, never as the application role',
  live_event_counter: 'the live event log\'s counter, as live_event',
  agreement_lapse: 'lapses already announced live: only the owner (the server\'s job) reads or writes them, never the application role (Migration20261205003800_agreement_lapses)',
};

let db: TestDatabase;
let client: pg.Client;
beforeAll(async () => {
  db = await createTestDatabase();
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await db.drop();
});

/** What the database says of the generated tables, policies and functions, keyed by what it is. */
async function snapshot(rls: RowLevelSecurity): Promise<Map<string, unknown>> {
  const state = new Map<string, unknown>();
  const policies = await client.query(
    `select tablename, policyname, permissive, roles::text[] as roles, cmd, qual, with_check from pg_policies
      where schemaname = 'public' and (tablename = any ($1) or policyname = any ($2))`,
    [rls.tables, rls.policies.map((p) => p.name)],
  );
  for (const p of policies.rows) state.set(`policy ${p.tablename}.${p.policyname}`, { permissive: p.permissive, roles: p.roles, cmd: p.cmd, qual: p.qual, with_check: p.with_check });
  const tables = await client.query(`select relname, relrowsecurity, relforcerowsecurity from pg_class where relnamespace = 'public'::regnamespace and relname = any ($1)`, [rls.tables]);
  for (const t of tables.rows) state.set(`table ${t.relname}`, { enabled: t.relrowsecurity, forced: t.relforcerowsecurity });
  for (const f of rls.functions) {
    const { rows } = await client.query(`select pg_get_functiondef(to_regprocedure($1)) as definition, (select proacl::text[] from pg_proc where oid = to_regprocedure($1)) as grants`, [f.signature]);
    state.set(`function ${f.signature}`, rows[0]);
  }
  return state;
}

interface Disagreement {
  what: string;
  database: unknown;
  generated: unknown;
}

/**
 * Where the database and `rls` disagree. Runs inside the caller's transaction and leaves it as it
 * found it: the generated SQL is applied under a savepoint, after dropping every policy of the
 * generated tables (so a policy the catalogue does not generate shows up too), and rolled back.
 */
async function disagreements(rls: RowLevelSecurity = rowLevelSecurity()): Promise<Disagreement[]> {
  const inDatabase = await snapshot(rls);
  await client.query('savepoint generated');
  let generated: Map<string, unknown>;
  try {
    const existing = await client.query(`select tablename, policyname from pg_policies where schemaname = 'public' and (tablename = any ($1) or policyname = any ($2))`, [
      rls.tables,
      rls.policies.map((p) => p.name),
    ]);
    for (const p of existing.rows) await client.query(`drop policy ${p.policyname} on ${p.tablename}`);
    for (const statement of rowLevelSecurityStatements(rls)) await client.query(statement);
    generated = await snapshot(rls);
  } finally {
    await client.query('rollback to savepoint generated');
  }
  const keys = [...new Set([...inDatabase.keys(), ...generated.keys()])].sort();
  return keys
    .filter((k) => JSON.stringify(inDatabase.get(k)) !== JSON.stringify(generated.get(k)))
    .map((what) => ({ what, database: inDatabase.get(what) ?? null, generated: generated.get(what) ?? null }));
}

/** In a transaction that is always rolled back. */
async function rolledBack<T>(work: () => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    return await work();
  } finally {
    await client.query('rollback');
  }
}

/** Tables under row-level security that are neither generated nor listed in NOT_GENERATED. */
async function unaccountedTables(): Promise<string[]> {
  const { rows } = await client.query(
    `select relname from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and (relrowsecurity or relforcerowsecurity) order by 1`,
  );
  const accounted = new Set([...rowLevelSecurity().tables, ...Object.keys(NOT_GENERATED)]);
  return rows.map((r) => r.relname).filter((t) => !accounted.has(t));
}

describe('the row-level security in force is what the access catalogue generates', () => {
  it('agrees on every policy of every record and part table, the history policy and the functions they call', async () => {
    const rls = rowLevelSecurity();
    // Every catalogued kind is generated, with its read, insert, update and delete policies.
    expect(rls.tables).toEqual([...RECORD_KINDS.map((k) => k.table), ...PART_KINDS.map((p) => p.table)]);
    for (const kind of RECORD_KINDS) {
      expect(rls.policies.filter((p) => p.table === kind.table).map((p) => p.name)).toEqual(expect.arrayContaining(['read', 'insert', 'update', 'delete'].map((s) => `${kind.table}_${s}`)));
    }
    expect(await rolledBack(() => disagreements(rls))).toEqual([]);
  });

  it('fails when a migration changes a policy the catalogue generates', async () => {
    const found = await rolledBack(async () => {
      await client.query('alter policy practice_entry_read on practice_entry using (true)');
      return disagreements();
    });
    expect(found.map((d) => d.what)).toEqual(['policy practice_entry.practice_entry_read']);
    expect(found[0].database).toMatchObject({ qual: 'true' });
  });

  it('fails when a migration adds a policy to a generated table, or changes a generated function', async () => {
    const found = await rolledBack(async () => {
      await client.query('create policy nominal_everyone on nominal for select to soc_app using (true)');
      await client.query(`create or replace function soc_caller_action_plans() returns uuid[]
        language sql stable security definer parallel safe set search_path = public as $$ select '{}'::uuid[] $$`);
      return disagreements();
    });
    expect(found.map((d) => d.what)).toEqual(['function soc_caller_action_plans()', 'policy nominal.nominal_everyone']);
  });

  it('fails when the catalogue changes a rule and no migration carries it', async () => {
    // Plans without "a partner reads the plans in which it owns an action".
    const records: RecordKind[] = RECORD_KINDS.map((k) => (k.table === 'fourp_plan' ? { ...k, reach: k.reach.filter((r) => r.rule !== 'OWN_ACTION') } : k));
    const found = await rolledBack(() => disagreements(rowLevelSecurity({ records, parts: PART_KINDS })));
    expect(found.map((d) => d.what)).toEqual(['policy fourp_plan.fourp_plan_read', 'policy fourp_plan.fourp_plan_update']);
  });

  it('fails when the catalogue gains a part whose table has no such policy', async () => {
    // Reviews also bound to a threat: the generator asks for a policy no migration made.
    const parts = PART_KINDS.map((p) => (p.table === 'plan_review' ? { ...p, threatColumn: 'plan_id' } : p));
    const found = await rolledBack(() => disagreements(rowLevelSecurity({ records: RECORD_KINDS, parts })));
    expect(found).toEqual([{ what: 'policy plan_review.plan_review_threat_visible', database: null, generated: expect.objectContaining({ permissive: 'RESTRICTIVE' }) }]);
  });

  it('every table under row-level security is generated from the catalogue or listed as written by hand', async () => {
    expect(await unaccountedTables()).toEqual([]);
    // A new table under row-level security, in neither, is found.
    const found = await rolledBack(async () => {
      await client.query('create table warrant (id uuid primary key)');
      await client.query('alter table warrant enable row level security');
      return unaccountedTables();
    });
    expect(found).toEqual(['warrant']);
    // And the list names no table that is gone or generated.
    const { rows } = await client.query(`select relname from pg_class where relnamespace = 'public'::regnamespace and relname = any ($1) and relrowsecurity`, [Object.keys(NOT_GENERATED)]);
    expect(rows.map((r) => r.relname).sort()).toEqual(Object.keys(NOT_GENERATED).sort());
    expect(Object.keys(NOT_GENERATED).filter((t) => rowLevelSecurity().tables.includes(t))).toEqual([]);
  });
});
