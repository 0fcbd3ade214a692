import { dbId, sql } from '../support/disruption-factories';
import { createThreat, expectData, THREAT_FIELDS } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A record's history is shown only as far as the reader could have read the record then: a
 * threat created SECRET and owner-only, cleaned, then lowered and shared, must not show its SECRET
 * past (summary, activity text) to those who can read it now.
 */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
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

describe('history as it was', () => {
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
        { field: 'protectiveMarking', from: null, to: 'OFFICIAL_SENSITIVE' },
        { field: 'sharing', from: null, to: 'REGIONAL_LAW_ENFORCEMENT' },
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
