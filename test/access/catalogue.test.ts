import { PART_KINDS, RECORD_KINDS } from '../../server/src/access/catalogue';
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

describe('the access catalogue and the database agree', () => {
  it('every table with an owning organisation is a catalogued record kind, and every record kind is such a table', async () => {
    const owned = (await sql(`select table_name as t from information_schema.columns where table_schema = 'public' and column_name = 'owning_organisation_id'`)).map((r: any) => r.t).sort();
    expect(owned).toEqual(RECORD_KINDS.map((k) => k.table).sort());
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
