import pg from 'pg';
import { dbId, sql } from '../support/disruption-factories';
import { createThreat, expectData, THREAT_FIELDS } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A record's history is shown only as far as the reader could have read the record then: a
 * threat created SECRET and owner-only, cleaned, then lowered and shared, must not show its SECRET
 * past (summary, activity text) to those who can read it now.
 */
// Each layer alone hides the past: the database's policy on record_version and the application's replay.
describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('history as it was, with %s', (mode, accessLayers) => {
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp({ accessLayers });
  await sql(
    app,
    `insert into app_user (username, display_name, organisation_id, roles, clearance)
     select 'serocu.secret', 'Dana Whitlock', id, '{ANALYST,THREAT_ASSESSOR}', 'SECRET' from organisation where code = 'SEROCU'`,
  );
});
afterAll(() => app.stop());

const HISTORY = `query ($id: ID!) { node(id: $id) { ... on SocThreat { history { version action part changes { field from to } } } } }`;
const UPDATE = `mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { ${THREAT_FIELDS} } }`;
const UPDATE_ACTIVITY = `mutation ($input: UpdateCriminalActivityInput!) { updateCriminalActivity(input: $input) { ${THREAT_FIELDS} criminalActivities { id } } }`;

  it('hides a SECRET, owner-only past from those the record is lowered and shared to, and shows the owner all of it', async () => {
    let threat = await createThreat(app, 'serocu.secret', {
      name: 'Operation Quarry',
      summary: 'SECRET: a covert source inside the group names its supplier.',
      criminalActivities: [{ category: 'ILLEGAL_DRUGS', description: 'SECRET: supplier named by the covert source.', firstIdentified: '2025-06-01' }],
      access: { protectiveMarking: 'SECRET', sharing: 'OWNER_ONLY' },
    });
    const [activity] = (await sql(app, 'select id from criminal_activity where threat_id = ?', [dbId(threat.id)])).map((r: any) => Buffer.from(`CriminalActivity:${r.id}`).toString('base64url'));
    // Cleaned while still SECRET, then lowered and shared with the region.
    threat = expectData(await app.gql('serocu.secret', UPDATE, { input: { id: threat.id, expectedVersion: threat.version, summary: 'Cocaine supply into the region.' } })).updateThreat;
    threat = expectData(
      await app.gql('serocu.secret', UPDATE_ACTIVITY, {
        input: { id: activity, expectedVersion: threat.version, activity: { category: 'ILLEGAL_DRUGS', description: 'Wholesale cocaine supply.', firstIdentified: '2025-06-01' } },
      }),
    ).updateCriminalActivity;
    threat = expectData(
      await app.gql('serocu.secret', UPDATE, { input: { id: threat.id, expectedVersion: threat.version, access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } } }),
    ).updateThreat;
    threat = expectData(await app.gql('serocu.secret', UPDATE, { input: { id: threat.id, expectedVersion: threat.version, name: 'Operation Quarry II' } })).updateThreat;

    const reader = expectData(await app.gql('tvp.investigator', HISTORY, { id: threat.id })).node.history;
    expect(JSON.stringify(reader)).not.toMatch(/SECRET:/);
    // What the reader could see: the lowering (without the earlier values) and what came after.
    expect(reader.map((v: any) => v.action)).toEqual(['UPDATE', 'UPDATE']);
    expect(reader[0].changes).toEqual(
      expect.arrayContaining([
        // The application layer also blanks the earlier marking and sharing.
        { field: 'protectiveMarking', from: mode === 'row-level security alone' ? 'SECRET' : null, to: 'OFFICIAL_SENSITIVE' },
        { field: 'sharing', from: mode === 'row-level security alone' ? 'OWNER_ONLY' : null, to: 'REGIONAL_LAW_ENFORCEMENT' },
      ]),
    );
    expect(reader[1].changes).toEqual(expect.arrayContaining([{ field: 'name', from: 'Operation Quarry', to: 'Operation Quarry II' }]));

    const owner = expectData(await app.gql('serocu.secret', HISTORY, { id: threat.id })).node.history;
    expect(JSON.stringify(owner)).toMatch(/SECRET: a covert source/);
    expect(JSON.stringify(owner)).toMatch(/SECRET: supplier named/);
    expect(owner.length).toBeGreaterThan(reader.length);
  });

  it('hides the changes made while a record was above the reader’s clearance, even from its own organisation', async () => {
    let threat = await createThreat(app, 'serocu.secret', { name: 'Operation Ledger', access: { protectiveMarking: 'SECRET', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
    threat = expectData(await app.gql('serocu.secret', UPDATE, { input: { id: threat.id, expectedVersion: threat.version, summary: 'SECRET: intercepted ledger.' } })).updateThreat;
    threat = expectData(await app.gql('serocu.secret', UPDATE, { input: { id: threat.id, expectedVersion: threat.version, access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } } })).updateThreat;
    const colleague = expectData(await app.gql('serocu.analyst', HISTORY, { id: threat.id })).node.history;
    expect(JSON.stringify(colleague)).not.toMatch(/intercepted ledger/);
    expect(colleague).toHaveLength(1);
  });
});

describe('history rows', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  it('cannot be forged by the application role: only the history trigger writes them', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Forgery' });
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    try {
      const [{ id: user }] = await sql(app, `select id from app_user where username = 'tvp.investigator'`);
      const [{ id: org }] = await sql(app, `select id from organisation where code = 'TVP'`);
      await client.query(`begin; set local role soc_app`);
      await client.query(`select set_config('soc.user_id', $1, true), set_config('soc.organisation_id', $2, true), set_config('soc.clearance', 'OFFICIAL_SENSITIVE', true),
        set_config('soc.roles', '{INVESTIGATOR}', true), set_config('soc.is_law_enforcement', 'true', true)`, [user, org]);
      await expect(
        client.query(`insert into record_version (record_type, record_id, action, changes, actor_id) values ('SocThreat', $1, 'UPDATE', '{"summary":{"from":"x","to":"forged"}}', $2)`, [dbId(threat.id), user]),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await client.query('rollback').catch(() => undefined);
      await client.end();
    }
    expect(await sql(app, `select count(*)::int as n from record_version where changes::text like '%forged%'`)).toEqual([{ n: 0 }]);
  });
});
