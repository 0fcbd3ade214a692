import { PART_KINDS, RECORD_KINDS } from '../../server/src/access/catalogue';
import { explanationFor } from '../../server/src/access/explain';
import { checkEveryKindLoadable, withdrawalJudgedBy, type WithdrawalJudgement } from '../../server/src/live/visibility';
import { nodeFetchers } from '../../server/src/modules';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * The access catalogue (server/src/access/catalogue.ts) and the row-level security in the
 * database must describe the same records: a record type added to one and not the other, or a
 * table with an owner and no policies, fails here before it can land.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp({ seed: false })));
afterAll(() => app.stop());

const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);

interface Policy {
  table: string;
  name: string;
  command: string;
  permissive: string;
  roles: string[];
  qual: string | null;
}

async function policies(): Promise<Policy[]> {
  return (await sql(`select tablename as table, policyname as name, cmd as command, permissive, roles, qual from pg_policies where schemaname = 'public'`)) as Policy[];
}

async function protectedTables(): Promise<Map<string, boolean>> {
  const rows = await sql(`select c.relname as table, c.relrowsecurity and c.relforcerowsecurity as protected
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind = 'r'`);
  return new Map(rows.map((r: any) => [r.table, r.protected]));
}

/** Tables with an owning organisation, or under row-level security with any organisation column, that no record kind or part kind names. */
async function uncataloguedOwnedTables(): Promise<string[]> {
  const rows = await sql(`select distinct c.relname as t
    from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
   where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
     and (a.attname = 'owning_organisation_id' or (c.relrowsecurity and a.attname like '%organisation_id'))
   order by 1`);
  const catalogued = new Set([...RECORD_KINDS.map((k) => k.table), ...PART_KINDS.map((p) => p.table), ...HAND_WRITTEN_ORGANISATION_TABLES]);
  return rows.map((r: any) => r.t).filter((t: string) => !catalogued.has(t));
}

/**
 * Tables under row-level security with an organisation column that are not shared records: their
 * policies are written by hand (test/access/catalogue-policies.test.ts lists why).
 */
const HAND_WRITTEN_ORGANISATION_TABLES = [
  'app_user',
  'api_key',
  'audit_event',
  // Deconfliction's identifiers and interests: read with the record they are on, found by others only through deconfliction_check().
  'deconfliction_identifier',
  'deconfliction_interest',
  // Retention decisions and disposed records' tombstones: the owner's people and auditors (Migration20261206004400_retention_reviews).
  'retention_review',
  'disposed_record',
  // The free text of exported audit searches: read as the export's event is, purged after its time (Migration20261206005400_audit_search_text).
  'audit_search_text',
];

describe('the access catalogue and the database agree', () => {
  it('every table with an owning organisation is a catalogued record kind, and every record kind is such a table', async () => {
    const owned = (await sql(`select table_name as t from information_schema.columns where table_schema = 'public' and column_name = 'owning_organisation_id'`)).map((r: any) => r.t).sort();
    expect(owned).toEqual(RECORD_KINDS.map((k) => k.table).sort());
    expect(await uncataloguedOwnedTables()).toEqual([]);
  });

  it('finds a table with an owning organisation under row-level security that the catalogue does not list', async () => {
    await sql(`create table warrant (id uuid primary key, owning_organisation_id uuid not null references organisation (id))`);
    try {
      await sql('alter table warrant enable row level security, force row level security');
      expect(await uncataloguedOwnedTables()).toEqual(['warrant']);
    } finally {
      await sql('drop table warrant');
    }
  });

  it('every record kind has row-level security forced and a read policy for the application role that grants by its category', async () => {
    const all = await policies();
    const tables = await protectedTables();
    for (const kind of RECORD_KINDS) {
      expect({ table: kind.table, protected: tables.get(kind.table) }).toEqual({ table: kind.table, protected: true });
      const reads = all.filter((p) => p.table === kind.table && p.permissive === 'PERMISSIVE' && ['SELECT', 'ALL'].includes(p.command) && p.roles.includes('soc_app'));
      expect({ table: kind.table, reads: reads.length > 0 }).toEqual({ table: kind.table, reads: true });
      expect({ table: kind.table, grantsByCategory: reads.some((p) => p.qual?.includes(`'${kind.category}'`)) }).toEqual({ table: kind.table, grantsByCategory: true });
    }
  });

  it('every part kind has row-level security forced and a policy that asks for its record', async () => {
    const all = await policies();
    const tables = await protectedTables();
    for (const part of PART_KINDS) {
      expect({ table: part.table, protected: tables.get(part.table) }).toEqual({ table: part.table, protected: true });
      const asksForParent = all.some((p) => p.table === part.table && p.roles.includes('soc_app') && p.qual?.includes(part.parentTable) && p.qual?.includes(part.parentColumn));
      expect({ table: part.table, asksForParent }).toEqual({ table: part.table, asksForParent: true });
    }
  });

  it('every table that cascades from a record is a catalogued part kind', async () => {
    const children = await sql(`select distinct c.relname as child, p.relname as parent
      from pg_constraint f join pg_class c on c.oid = f.conrelid join pg_class p on p.oid = f.confrelid
     where f.contype = 'f' and f.confdeltype = 'c' and p.relname = any (?::text[])`, [`{${RECORD_KINDS.map((k) => k.table).join(',')}}`]);
    const catalogued = new Set(PART_KINDS.map((p) => `${p.table}<${p.parentTable}`));
    expect(children.map((c: any) => `${c.child}<${c.parent}`).filter((c: string) => !catalogued.has(c))).toEqual([]);
  });

  it('history rows are read by the record kind they belong to: the policy on record_version names every kind and its table', async () => {
    const read = (await policies()).find((p) => p.table === 'record_version' && p.name === 'record_version_read');
    for (const kind of RECORD_KINDS) {
      expect({ kind: kind.typename, named: !!read?.qual?.includes(`'${kind.typename}'`) && !!read?.qual?.includes(kind.table) }).toEqual({ kind: kind.typename, named: true });
    }
    // Every history trigger files its rows under a catalogued record type.
    const triggers = await sql(`select tgname, encode(tgargs, 'escape') as args from pg_trigger where tgname like '%_history' and not tgisinternal`);
    expect(triggers.length).toBeGreaterThan(RECORD_KINDS.length);
    const types = new Set(RECORD_KINDS.map((k) => k.typename));
    const uncatalogued = triggers.map((t: any) => String(t.args).split('\\000')[0]).filter((type: string) => !types.has(type) && type !== 'InformationSharingAgreement');
    expect(uncatalogued).toEqual([]);
  });
});

describe('everything that reads the catalogue answers for every kind', () => {
  it('explainAccess explains every record kind to police and to partners, and a mix of rules no explanation covers is an error', () => {
    for (const kind of RECORD_KINDS) {
      for (const isLawEnforcement of [true, false]) {
        expect(() => explanationFor(kind, { isLawEnforcement })).not.toThrow();
      }
    }
    // A threat also reached by claims: no explanation says so, so asking is an error, not the wrong words.
    const threat = RECORD_KINDS.find((k) => k.typename === 'SocThreat')!;
    const claimedThreat = { ...threat, reach: [...threat.reach, { rule: 'CLAIM_OR_CONTRIBUTION', who: 'EVERYONE' } as const] };
    expect(() => explanationFor(claimedThreat, { isLawEnforcement: true })).toThrow(/No explanation of SocThreat's reach by OWNER, SHARING, CLAIM_OR_CONTRIBUTION/);
    // Nor words about sharing for a kind that sharing does not reach.
    const ownerOnlyThreat = { ...threat, reach: threat.reach.filter((r) => r.rule === 'OWNER') };
    expect(() => explanationFor(ownerOnlyThreat, { isLawEnforcement: false })).toThrow(/No explanation of SocThreat's reach by OWNER \(/);
  });

  it('live updates can load every record kind as the subscriber sees it, and judge its withdrawal for police and for partners', () => {
    expect(() => checkEveryKindLoadable(nodeFetchers)).not.toThrow();
    const { Disruption: _left, ...withoutDisruptions } = nodeFetchers;
    expect(() => checkEveryKindLoadable(withoutDisruptions)).toThrow(/cannot tell who may see Disruption/);
    // [police, partners]: where the access before a change says who could see the record, so a
    // WITHDRAWN goes to them; otherwise only what each subscriber was shown. A kind added to the
    // catalogue fails here until its judgement is stated.
    const expected: Record<string, [WithdrawalJudgement, WithdrawalJudgement]> = {
      SocThreat: ['BY_ACCESS_BEFORE', 'BY_ACCESS_BEFORE'],
      Nominal: ['BY_ACCESS_BEFORE', 'BY_WHAT_WAS_SHOWN'],
      FourPPlan: ['BY_ACCESS_BEFORE', 'BY_ACCESS_BEFORE'],
      Disruption: ['BY_ACCESS_BEFORE', 'BY_WHAT_WAS_SHOWN'],
      SafeguardingReferral: ['BY_WHAT_WAS_SHOWN', 'BY_WHAT_WAS_SHOWN'],
      PracticeEntry: ['BY_ACCESS_BEFORE', 'BY_ACCESS_BEFORE'],
      IntelligenceReport: ['BY_ACCESS_BEFORE', 'BY_WHAT_WAS_SHOWN'],
      AnalyticalRequest: ['BY_ACCESS_BEFORE', 'BY_ACCESS_BEFORE'],
    };
    expect(Object.fromEntries(RECORD_KINDS.map((k) => [k.typename, [withdrawalJudgedBy(k, true), withdrawalJudgedBy(k, false)]]))).toEqual(expected);
  });
});
