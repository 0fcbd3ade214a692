import { createThreat, expectData } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A person's memberships name their threats, which are never null: a membership in a threat the
 * reader may not see is not shown (it would say the threat exists, and fail as a null threat).
 * With both layers, and with each alone.
 */
describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('a person’s memberships, with %s', (_mode, accessLayers) => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ accessLayers })));
  afterAll(() => app.stop());

  it('lists only the memberships in threats the reader can see', async () => {
    const access = { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' };
    const person = expectData(
      await app.gql('tvp.investigator', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, { input: { name: 'Jordan Vale', aliases: [], access } }),
    ).createNominal;
    const shared = await createThreat(app, 'tvp.investigator', { name: 'Operation Open Door', access });
    const hidden = await createThreat(app, 'tvp.investigator', { name: 'Operation Closed Door', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    for (const threat of [shared, hidden]) {
      expectData(
        await app.gql('tvp.investigator', `mutation ($input: AddMemberInput!) { addMember(input: $input) { id } }`, {
          input: { threatId: threat.id, expectedVersion: threat.version, nominalId: person.id, role: 'PERIPHERAL' },
        }),
      );
    }
    const READ = `query ($id: ID!) { node(id: $id) { ... on Nominal { memberships { role threat { name } } } } }`;
    const owner = expectData(await app.gql('tvp.investigator', READ, { id: person.id })).node.memberships;
    expect(owner.map((m: any) => m.threat.name).sort()).toEqual(['Operation Closed Door', 'Operation Open Door']);
    const other = await app.gql('surrey.investigator', READ, { id: person.id });
    expect(other.errors).toBeUndefined();
    expect(other.data.node.memberships).toEqual([{ role: 'PERIPHERAL', threat: { name: 'Operation Open Door' } }]);
  });
});
