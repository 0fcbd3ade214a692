import pg from 'pg';
import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);

describe('the catalogue', () => {
  it('has row-level security enabled and forced on every table with an owning organisation, and on their parts', async () => {
    const tables = await sql(`
      select c.relname as table, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r'
         and (exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'owning_organisation_id' and not a.attisdropped)
              or exists (select 1 from pg_constraint f join pg_class p on p.oid = f.confrelid
                          where f.conrelid = c.oid and f.contype = 'f' and f.confdeltype = 'c'
                            and exists (select 1 from pg_attribute a where a.attrelid = p.oid and a.attname = 'owning_organisation_id')))
       order by 1`);
    expect(tables.length).toBeGreaterThanOrEqual(17);
    const unprotected = tables.filter((t: any) => !t.enabled || !t.forced).map((t: any) => t.table);
    expect(unprotected).toEqual([]);
    const history = await sql(`select relrowsecurity and relforcerowsecurity as protected from pg_class where relname = 'record_version'`);
    expect(history[0].protected).toBe(true);
  });

  it('runs requests as a role that cannot bypass row-level security and owns nothing', async () => {
    const [role] = await sql(`select rolsuper, rolbypassrls, rolcanlogin from pg_roles where rolname = 'soc_app'`);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcanlogin: false });
    const owned = await sql(`select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = 'soc_app'`);
    expect(owned[0].n).toBe(0);
  });

  it('denies everything to the application role when no caller is set', async () => {
    await createThreat(app, 'tvp.investigator');
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    try {
      await client.query('begin; set local role soc_app');
      const { rows } = await client.query('select count(*)::int as n from soc_threat');
      expect(rows[0].n).toBe(0);
      await client.query('rollback');
    } finally {
      await client.end();
    }
    const [{ n }] = await sql('select count(*)::int as n from soc_threat');
    expect(n).toBeGreaterThan(0);
  });

  it('never leaves the caller on a pooled connection after the request', async () => {
    await app.gql('tvp.investigator', '{ threats(first: 1) { totalCount } }');
    const settings = await sql(`select current_setting('soc.organisation_id', true) as org, current_user as role`);
    expect(settings[0].org ?? '').toBe('');
    expect(settings[0].role).not.toBe('soc_app');
  });
});

// Each rule holds with both layers on, and with either layer alone: the database's row-level
// security without the application's filters, and the application's filters without it.
describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('reading under the rules, with %s', (_mode, accessLayers) => {
  let app: TestApp;
  const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
  const names = async (as: string) =>
    expectData(await app.gql(as, '{ threats(first: 100) { totalCount edges { node { name } } } }')).threats.edges.map((e: any) => e.node.name).filter((n: string) => n.startsWith('Rule ')).sort();
  const find = async (as: string, id: string) => expectData(await app.gql(as, 'query ($id: ID!) { node(id: $id) { id } }', { id })).node;

  let world: Record<string, any>;
  afterAll(() => app.stop());
  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
    const hmrc = await orgId(app, 'HMRC');
    world = {
      ownerOnly: await createThreat(app, 'tvp.investigator', { name: 'Rule Owner Only', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } }),
      named: await createThreat(app, 'tvp.investigator', { name: 'Rule Named HMRC', access: { protectiveMarking: 'OFFICIAL', sharing: 'NAMED_ORGANISATIONS', sharedWithIds: [hmrc] } }),
      regional: await createThreat(app, 'tvp.investigator', { name: 'Rule Regional', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } }),
      partners: await createThreat(app, 'tvp.investigator', { name: 'Rule All Partners', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } }),
      partnersSensitive: await createThreat(app, 'tvp.investigator', { name: 'Rule All Partners Sensitive', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'ALL_PARTNERS' } }),
    };
  });

  it('the owner sees all of its records', async () => {
    expect(await names('tvp.investigator')).toEqual(['Rule All Partners', 'Rule All Partners Sensitive', 'Rule Named HMRC', 'Rule Owner Only', 'Rule Regional']);
  });

  it('OWNER_ONLY reaches no one else; REGIONAL_LAW_ENFORCEMENT reaches SEROCU, the forces and national agencies', async () => {
    expect(await names('surrey.investigator')).toEqual(['Rule All Partners', 'Rule All Partners Sensitive', 'Rule Regional']);
    expect(await names('hmrc.officer')).toEqual(['Rule All Partners', 'Rule All Partners Sensitive', 'Rule Named HMRC', 'Rule Regional']);
    expect(await find('surrey.investigator', world.ownerOnly.id)).toBeNull();
  });

  it('a non-police partner reads nothing without an active agreement, and only what its agreement covers with one', async () => {
    expect(await names('oxon.mash')).toEqual([]);
    const agreement = await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], categories: ['THREAT'], maxMarking: 'OFFICIAL' });
    // ALL_PARTNERS and OFFICIAL only: the partner's clearance and the agreement's marking both stop the sensitive one.
    expect(await names('oxon.mash')).toEqual(['Rule All Partners']);
    await sql(`update information_sharing_agreement set status = 'SUSPENDED' where id = ?`, [agreement]);
    expect(await names('oxon.mash')).toEqual([]);
    await sql(`update information_sharing_agreement set status = 'ACTIVE', expires_on = current_date where id = ?`, [agreement]);
    expect(await names('oxon.mash')).toEqual([]);
    await sql(`update information_sharing_agreement set expires_on = current_date + 30, data_categories = '{PLAN}' where id = ?`, [agreement]);
    expect(await names('oxon.mash')).toEqual([]);
  });

  it('an agreement between other organisations does not help', async () => {
    await sharingAgreement(app, { parties: ['SURREY', 'OXON_CS'] });
    expect(await names('oxon.mash')).toEqual([]);
  });

  it('roles decide the record types: an administrator reads no threats', async () => {
    expect(await names('serocu.admin')).toEqual([]);
  });

  it('a record the caller may not see cannot be changed, and looks missing', async () => {
    const result = await app.gql('surrey.investigator', `mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { name } }`, {
      input: { id: world.ownerOnly.id, expectedVersion: 1, name: 'Guessed' },
    });
    expect(result.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it('history is as visible as its record', async () => {
    const rows = async (as: string) =>
      expectData(await app.gql(as, 'query ($id: ID!) { node(id: $id) { ... on SocThreat { history { action } } } }', { id: world.regional.id })).node;
    expect((await rows('surrey.investigator')).history.length).toBeGreaterThan(0);
    expect(await rows('oxon.mash')).toBeNull();
  });

  it('two organisations asking at the same time never see each other\'s records', async () => {
    const asks = Array.from({ length: 30 }, (_, i) => (i % 2 ? 'surrey.investigator' : 'tvp.investigator'));
    const answers = await Promise.all(asks.map(async (as) => [as, await names(as)] as const));
    for (const [as, seen] of answers) {
      if (as === 'surrey.investigator') expect(seen).not.toContain('Rule Owner Only');
      else expect(seen).toContain('Rule Owner Only');
    }
  });
});

describe('writes the database refuses', () => {
  it('a partner records a person it can then see; a refusal by the policies is FORBIDDEN, never a 500', async () => {
    const created = await app.gql('oxon.mash', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { name owningOrganisation { code } } }`, {
      input: { name: 'Tayla Brookfield', dateOfBirth: '2011-05-02', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } },
    });
    expect(expectData(created).createNominal).toEqual({ name: 'Tayla Brookfield', owningOrganisation: { code: 'OXON_CS' } });
    // Marked above the partner's own clearance: the new row would be invisible to its author, so the database refuses it.
    const tooHigh = await app.gql('oxon.mash', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { name } }`, {
      input: { name: 'Hidden Person', access: { protectiveMarking: 'SECRET', sharing: 'OWNER_ONLY' } },
    });
    expect(tooHigh.status).toBe(200);
    expect(tooHigh.errors![0].extensions!.code).toBe('FORBIDDEN');
    const [{ n }] = await sql(`select count(*)::int as n from nominal where name = 'Hidden Person'`);
    expect(n).toBe(0);
  });
});
