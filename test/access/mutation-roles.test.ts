import { getNamedType } from 'graphql';
import { MUTATION_ROLES } from '../../server/src/access/mutation-roles';
import { buildAppSchema } from '../../server/src/graphql/schema';
import { sql } from '../support/disruption-factories';
import { createThreat, threatInput } from '../support/factories';
import { disruptionInput } from '../support/disruption-factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Who may call each mutation, by role (server/src/access/mutation-roles.ts): every mutation is
 * declared, and those the review found open to anyone are refused before they write anything.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const counts = async () =>
  (await sql(app, `select (select count(*) from soc_threat)::int as threats, (select count(*) from nominal)::int as people, (select count(*) from disruption)::int as disruptions`))[0];

describe('mutation roles', () => {
  it('declares roles for every mutation of the schema, and only for those', async () => {
    const schema = await buildAppSchema();
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect(Object.keys(MUTATION_ROLES).sort()).toEqual(mutations);
    for (const [name, roles] of Object.entries(MUTATION_ROLES)) expect({ name, roles: roles.length > 0 }).toEqual({ name, roles: true });
    expect(getNamedType(schema.getMutationType()!.getFields().createThreat.type).name).toBe('SocThreat');
  });

  it.each([
    ['serocu.auditor', 'an auditor'],
    ['serocu.validator', 'a disruption validator'],
    ['oxon.mash', 'a children’s services user'],
    ['serocu.admin', 'an administrator'],
  ])('refuses %s (%s) what the role may not create (a threat; a person and a claim unless a partner), and writes nothing', async (username) => {
    const threat = await createThreat(app, 'tvp.investigator', { name: `Operation Refused ${username}` });
    const before = await counts();
    const made = await app.gql(username, `mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }`, {
      input: await threatInput(app, { name: 'Operation Elsewhere', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } }),
    });
    const person = await app.gql(username, `mutation { createNominal(input: { name: "Refused Person", access: { protectiveMarking: OFFICIAL, sharing: OWNER_ONLY } }) { id } }`);
    const claim = await app.gql(username, `mutation ($input: CreateDisruptionInput!) { createDisruption(input: $input) { id } }`, { input: disruptionInput(threat.id) });
    // Children's services may record the subject of a referral and contribute Prevent/Protect claims (the service checks the claim).
    const partner = username === 'oxon.mash';
    expect(made.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    if (!partner) for (const refused of [person, claim]) expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const after = await counts();
    expect(after.threats).toBe(before.threats);
    if (!partner) expect(after).toEqual(before);
  });

  it('records the refusal on the audit trail', async () => {
    await app.gql('serocu.auditor', `mutation Sneaky { createNominal(input: { name: "Audited Refusal", access: { protectiveMarking: OFFICIAL, sharing: OWNER_ONLY } }) { id } }`);
    const [event] = await sql(app, `select action from audit_event where operation = 'Sneaky'`);
    expect(event.action).toBe('DENIED');
  });
});
