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
  retention_review: 'decisions to retain a record (MoPI: a person, report, threat or referral): read and written by its owner\'s people, read by auditors; not a shared record (Migration20261206004400_retention_reviews)',
  disposed_record: 'tombstones of disposed records: as retention_review, never changed or removed (Migration20261206004400_retention_reviews)',
  audit_search_text: 'the free text of exported audit searches, held apart from the trail to be purged: appended with the export\'s event, read as the event is, removed only by the server\'s purge (Migration20261206005400_audit_search_text)',
  agreement_lapse: 'lapses already announced live: only the owner (the server\'s job) reads or writes them, never the application role (Migration20261205003800_agreement_lapses)',
  deconfliction_identifier: 'identifiers held for deconfliction: read by the holder\'s users who may read the record they are on, written and removed by the holder on its own record, found by others only through deconfliction_check() (Migration20261205004300_deconfliction, Migration20261206005000_deconfliction_identifiers_kept)',
  deconfliction_interest: 'interests shown in a holder\'s identifiers: read with the identifier, written only by deconfliction_check(), gone with the identifier (Migration20261205004300_deconfliction, Migration20261206005000_deconfliction_identifiers_kept)',
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

  it('generates the function of every rule that asks another table, the regional unit one included, and finds one changed by hand', async () => {
    expect(rowLevelSecurity().functions.map((f) => f.signature).sort()).toEqual(
      ['soc_could_read_then(text,uuid,jsonb)', 'soc_can_read(text,uuid,text,text,uuid[])', 'soc_caller_is_regional_unit()', 'soc_caller_referral_subjects()', 'soc_caller_action_plans()', 'soc_caller_disseminated_reports()'].sort(),
    );
    const found = await rolledBack(async () => {
      // Any organisation of type POLICE taken for the regional unit.
      await client.query(`create or replace function soc_caller_is_regional_unit() returns boolean
  language sql stable parallel safe as $$
    select exists (select 1 from organisation o where o.id = soc_caller_org() and o.type in ('ROCU', 'POLICE'))
  $$`);
      return disagreements();
    });
    expect(found.map((d) => d.what)).toEqual(['function soc_caller_is_regional_unit()']);
  });

  it('fails when the catalogue changes a rule and no migration carries it', async () => {
    // Plans without "a partner reads the plans in which it owns an action".
    const records: RecordKind[] = RECORD_KINDS.map((k) => (k.table === 'fourp_plan' ? { ...k, reach: k.reach.filter((r) => r.rule !== 'OWN_ACTION') } : k));
    const found = await rolledBack(() => disagreements(rowLevelSecurity({ records, parts: PART_KINDS })));
    expect(found.map((d) => d.what)).toEqual(['policy fourp_plan.fourp_plan_read', 'policy fourp_plan.fourp_plan_update']);
  });

  it('generates soc_can_read, the read rule of a record\'s access columns, and finds it written by hand or left behind by the catalogue', async () => {
    const byHand = await rolledBack(async () => {
      // A rule written by hand as Migration20261125000900_sharing wrote it: owner or sharing for every
      // category alike (its agreement check, soc_caller_has_agreement, is gone: read here as the policies read agreements).
      await client.query(`create or replace function soc_can_read(category text, owner uuid, marking text, sharing text, shared_with uuid[]) returns boolean
        language sql stable as $$
          select soc_marking_rank(marking) <= soc_caller_clearance_rank() and soc_caller_may_read(category)
            and (owner = soc_caller_org() or (case sharing when 'ALL_PARTNERS' then true else false end
              and (soc_caller_is_law_enforcement() or soc_marking_rank(marking) <= coalesce((soc_caller_agreement_ranks(category) ->> owner::text)::int, -1))))
        $$`);
      return disagreements();
    });
    expect(byHand.map((d) => d.what)).toEqual(['function soc_can_read(text,uuid,text,text,uuid[])']);

    // Threats shared with partners without an agreement: the policies and soc_can_read all change.
    const records: RecordKind[] = RECORD_KINDS.map((k) => (k.table === 'soc_threat' ? { ...k, reach: k.reach.map((r) => ({ ...r, agreement: false })) } : k));
    const found = await rolledBack(() => disagreements(rowLevelSecurity({ records, parts: PART_KINDS })));
    expect(found.map((d) => d.what)).toEqual(['function soc_can_read(text,uuid,text,text,uuid[])', 'policy soc_threat.soc_threat_read', 'policy soc_threat.soc_threat_update']);
  });

  it("soc_can_read answers by each kind's own rule: threats by sharing under an agreement, a person never by sharing to a partner, a referral never by these columns", async () => {
    const answers = await rolledBack(async () => {
      // The migrated database has no organisations: these go with the rollback.
      const organisation = async (code: string, type: string, lawEnforcement: boolean) =>
        (await client.query(`insert into organisation (code, name, type, region, is_law_enforcement) values ($1, $1, $2, 'South East', $3) returning id`, [code, type, lawEnforcement])).rows[0].id as string;
      const tvp = await organisation('TVP', 'TERRITORIAL_POLICE_FORCE', true);
      const oxon = await organisation('OXON_CS', 'LOCAL_AUTHORITY_CHILDRENS_SERVICES', false);
      const surrey = await organisation('SURREY', 'TERRITORIAL_POLICE_FORCE', true);
      await client.query(
        `insert into information_sharing_agreement (title, parties, legal_gateways, data_categories, max_protective_marking, effective_from, expires_on, status)
         values ('soc_can_read', array[$1, $2]::uuid[], '{OTHER}', '{THREAT,NOMINAL,REFERRAL}', 'SECRET', current_date - 1, current_date + 10, 'ACTIVE')`,
        [tvp, oxon],
      );
      /** What soc_can_read says, as a user of `org`, of a TVP record of `category` marked OFFICIAL and shared with all partners. */
      const ask = async (org: string, lawEnforcement: boolean, roles: string, category: string) => {
        await client.query('savepoint caller');
        try {
          await client.query(
            `select set_config('soc.organisation_id', $1, true), set_config('soc.roles', $2, true), set_config('soc.clearance', 'OFFICIAL', true),
                    set_config('soc.is_law_enforcement', $3, true), set_config('role', 'soc_app', true)`,
            [org, roles, String(lawEnforcement)],
          );
          return (await client.query(`select soc_can_read($1, $2::uuid, 'OFFICIAL', 'ALL_PARTNERS', '{}') as readable`, [category, tvp])).rows[0].readable;
        } finally {
          await client.query('rollback to savepoint caller');
        }
      };
      const partner = (category: string) => ask(oxon, false, '{SAFEGUARDING_PRACTITIONER}', category);
      const police = (category: string) => ask(surrey, true, '{INVESTIGATOR}', category);
      return {
        partner: { THREAT: await partner('THREAT'), NOMINAL: await partner('NOMINAL'), REFERRAL: await partner('REFERRAL') },
        police: { THREAT: await police('THREAT'), NOMINAL: await police('NOMINAL'), REFERRAL: await police('REFERRAL') },
      };
    });
    // Written by hand, it said true for a partner's nominal and for every referral: sharing reached them alike.
    expect(answers).toEqual({ partner: { THREAT: true, NOMINAL: false, REFERRAL: false }, police: { THREAT: true, NOMINAL: true, REFERRAL: false } });
  });

  it('fails when the catalogue gains a part whose table has no such policy', async () => {
    // Reviews also bound to a threat: the generator asks for a policy no migration made.
    const parts = PART_KINDS.map((p) => (p.table === 'plan_review' ? { ...p, threatColumn: 'plan_id' } : p));
    const found = await rolledBack(() => disagreements(rowLevelSecurity({ records: RECORD_KINDS, parts })));
    expect(found).toEqual([{ what: 'policy plan_review.plan_review_threat_visible', database: null, generated: expect.objectContaining({ permissive: 'RESTRICTIVE' }) }]);
  });

  it('reads agreements with the owner\'s rights only through the function the generated policies call', async () => {
    // A security-definer function reading the agreements table answers past their row-level
    // security: the policies' own (soc_caller_agreement_ranks) is the one. The lapse job's runs as its caller.
    const readers = async () =>
      (
        await client.query(
          `select oid::regprocedure::text as name from pg_proc where pronamespace = 'public'::regnamespace and prosecdef and prosrc ilike '%information_sharing_agreement%' order by 1`,
        )
      ).rows.map((r) => r.name);
    expect(await readers()).toEqual(['soc_caller_agreement_ranks(text)']);
    expect(rowLevelSecurityStatements(rowLevelSecurity()).join('\n')).toContain('soc_caller_agreement_ranks(');
    // One left behind unused (soc_caller_has_agreement was, until Migration20261206005900) is found.
    const found = await rolledBack(async () => {
      await client.query(`create function soc_caller_has_agreement(owner uuid) returns boolean language sql stable security definer as $$ select exists (select 1 from information_sharing_agreement a where owner = any (a.parties)) $$`);
      return readers();
    });
    expect(found).toEqual(['soc_caller_agreement_ranks(text)', 'soc_caller_has_agreement(uuid)']);
  });

  /**
   * The functions a policy asks for once per statement (`(select f(...))` in pg_policies), and
   * `also` (asked the same way by the application's policy), that match `condition` on pg_proc
   * `f` and pg_language `l`.
   */
  async function askedOncePerStatement(condition: string, also: string[] = []): Promise<string[]> {
    const { rows } = await client.query(
      `with asked as (
         select distinct m[1] as name
           from pg_policies p, regexp_matches(coalesce(p.qual, '') || ' ' || coalesce(p.with_check, ''), '\\(\\s*select\\s+(\\w+)\\(', 'gi') as m
          where p.schemaname = 'public'
         union select unnest($1::text[]))
       select f.oid::regprocedure::text as name
         from asked join pg_proc f on f.proname = asked.name and f.pronamespace = 'public'::regnamespace join pg_language l on l.oid = f.prolang
        where ${condition}
        order by 1`,
      [also],
    );
    return rows.map((r) => r.name);
  }

  it('asks no SQL function that reads a table once per statement: PostgreSQL would plan it again at every call', async () => {
    // A policy asks for the caller's facts as `(select f(...))`, once per statement. A SQL function
    // that reads a table cannot be inlined and is planned again at every call; PL/pgSQL keeps its
    // plan for the connection (Migration20261207006100_policy_functions_planned_once).
    const replanned = () => askedOncePerStatement(`l.lanname = 'sql' and f.prosrc ~* '\\mfrom\\M'`);
    expect(await replanned()).toEqual([]);
    // One written in SQL, as all six were before, is found.
    const found = await rolledBack(async () => {
      await client.query(`create or replace function soc_caller_may_read(category text) returns boolean language sql stable parallel safe as $$
        select exists (select 1 from access_role_grant g where g.data_category = category and g.role = any (soc_caller_roles())) $$`);
      return replanned();
    });
    expect(found).toEqual(['soc_caller_may_read(text)']);
  });

  it('asks no function once per statement that reads the caller’s organisation again for every row it scans', async () => {
    // soc_caller_org() in a scan's condition is a setting read and a cast per row: for a partner
    // party to 20,000 referrals, most of what listing their referral subjects cost. Read once, as
    // `(select soc_caller_org())`, it is an init plan (Migration20261207006200_caller_organisation_read_once).
    // The policies' functions, and soc_caller_referral_parties(), which the application's policy asks the same way.
    const perRow = () =>
      askedOncePerStatement(`f.prosrc ~* '\\mfrom\\M' and regexp_replace(f.prosrc, '\\(select soc_caller_org\\(\\)\\)', '', 'gi') ~* 'soc_caller_org\\(\\)'`, ['soc_caller_referral_parties']);
    expect(await perRow()).toEqual([]);
    // As soc_caller_referral_parties() was written before, it is found.
    const found = await rolledBack(async () => {
      await client.query(`create or replace function soc_caller_referral_parties() returns table (subject_id uuid, party_id uuid)
        language sql stable security definer parallel safe set search_path = public as $$
        select r.subject_id, party.id from safeguarding_referral r
          cross join lateral (values (r.referring_organisation_id), (r.receiving_organisation_id)) as party (id)
         where soc_caller_org() in (r.referring_organisation_id, r.receiving_organisation_id) $$`);
      return perRow();
    });
    expect(found).toEqual(['soc_caller_referral_parties()']);
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
