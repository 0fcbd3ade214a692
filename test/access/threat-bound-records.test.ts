import pg from 'pg';
import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';
import { dbId, globalId } from '../support/disruption-factories';

// Row-level security alone (the application policy switched off): what the database itself
// allows. A plan or disruption is seen only with its threat, a threat link only when both its
// threats are, and a plan's parts only with their plan (issue 13: "either layer alone denies").
let app: TestApp;
const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
beforeAll(async () => (app = await createTestApp({ accessLayers: { database: true, application: false } })));
afterAll(() => app.stop());

/** Runs `text` as the application role with `username` recorded as the caller, as a request does. */
async function asCaller(username: string, text: string, params: unknown[] = []): Promise<any[]> {
  const client = new pg.Client({ connectionString: app.db.url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(
      `select set_config('soc.user_id', u.id::text, true), set_config('soc.organisation_id', o.id::text, true),
              set_config('soc.is_law_enforcement', o.is_law_enforcement::text, true), set_config('soc.roles', u.roles::text, true),
              set_config('soc.clearance', u.clearance, true)
         from app_user u join organisation o on o.id = u.organisation_id where u.username = $1`,
      [username],
    );
    await client.query('set local role soc_app');
    return (await client.query(text, params)).rows;
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
}

const node = async (as: string, id: string) => expectData(await app.gql(as, 'query ($id: ID!) { node(id: $id) { id } }', { id })).node;

describe('records that hang off a threat, under row-level security alone', () => {
  // Database ids of the two threats, the plan and the disruption (node() takes global ids).
  let hidden: { id: string };
  let visible: { id: string };
  let plan: string;
  let disruption: string;
  const planNode = () => globalId('FourPPlan', plan);
  const disruptionNode = () => globalId('Disruption', disruption);

  beforeAll(async () => {
    // Both regional at first, so that everything below is readable by Surrey on its own terms.
    const regional = { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' };
    hidden = { id: dbId((await createThreat(app, 'tvp.investigator', { name: 'Bound Hidden', access: regional })).id) };
    visible = { id: dbId((await createThreat(app, 'tvp.investigator', { name: 'Bound Visible', access: regional })).id) };
    const [owner] = await sql(`select u.id as user_id, u.organisation_id as org from app_user u where u.username = 'tvp.investigator'`);
    const shared = `?, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', '{}', ?, ?`;
    [{ id: plan }] = await sql(`insert into fourp_plan (threat_id, owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
      values (?, ${shared}) returning id`, [hidden.id, owner.org, owner.user_id, owner.user_id]);
    await sql(`insert into plan_objective (plan_id, strand, description) values (?, 'PURSUE', 'Dismantle the line')`, [plan]);
    [{ id: disruption }] = await sql(`insert into disruption (threat_id, date, claiming_organisation_id, strand, level, tactic, description, impact_narrative, evidence_refs, contributors,
        owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
      values (?, current_date, ?, 'PURSUE', 'MINOR', 'CRIME', 'Bound disruption', 'impact', '{EV-1}', '{}', ${shared}) returning id`,
      [hidden.id, owner.org, owner.org, owner.user_id, owner.user_id]);
    const [low, high] = [hidden.id, visible.id].sort();
    await sql(`insert into threat_link (threat_id, linked_threat_id, reason, created_by) values (?, ?, 'Shared supplier', ?)`, [low, high, owner.user_id]);
  });

  const setHiddenSharing = (sharing: string) => sql(`update soc_threat set sharing = ? where id = ?`, [sharing, hidden.id]);
  afterEach(() => setHiddenSharing('REGIONAL_LAW_ENFORCEMENT'));

  it('sees the plan, disruption, objective and link while the threat is visible (the baseline)', async () => {
    expect(await node('surrey.investigator', planNode())).not.toBeNull();
    expect(await node('surrey.investigator', disruptionNode())).not.toBeNull();
    expect(await asCaller('surrey.investigator', 'select id from plan_objective where plan_id = $1', [plan])).toHaveLength(1);
    expect(await asCaller('surrey.investigator', 'select id from threat_link')).toHaveLength(1);
  });

  it('hides a plan and a disruption of a threat the caller cannot see, though their own sharing reaches it', async () => {
    await setHiddenSharing('OWNER_ONLY');
    expect(await node('surrey.investigator', planNode())).toBeNull();
    expect(await node('surrey.investigator', disruptionNode())).toBeNull();
    expect(await asCaller('surrey.investigator', 'select id from fourp_plan where id = $1', [plan])).toEqual([]);
    expect(await asCaller('surrey.investigator', 'select id from disruption where id = $1', [disruption])).toEqual([]);
    // The owner still sees both.
    expect(await node('tvp.investigator', planNode())).not.toBeNull();
    expect(await node('tvp.investigator', disruptionNode())).not.toBeNull();
  });

  it("the plan's parts follow the plan", async () => {
    await setHiddenSharing('OWNER_ONLY');
    expect(await asCaller('surrey.investigator', 'select id from plan_objective where plan_id = $1', [plan])).toEqual([]);
    expect(await asCaller('tvp.investigator', 'select id from plan_objective where plan_id = $1', [plan])).toHaveLength(1);
  });

  it('cannot lock, change or add to a record of a hidden threat (the paths a versioned update takes)', async () => {
    await setHiddenSharing('OWNER_ONLY');
    expect(await asCaller('surrey.investigator', 'select id from disruption where id = $1 for update', [disruption])).toEqual([]);
    expect(await asCaller('surrey.investigator', `update disruption set description = 'Guessed' where id = $1 returning id`, [disruption])).toEqual([]);
    expect(await asCaller('surrey.investigator', `update fourp_plan set version = version + 1 where id = $1 returning id`, [plan])).toEqual([]);
    const insert = asCaller('surrey.investigator', `insert into disruption (threat_id, date, claiming_organisation_id, strand, level, tactic, description,
        impact_narrative, evidence_refs, contributors, owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
      select $1, current_date, o.id, 'PURSUE', 'MINOR', 'CRIME', 'Claimed blind', 'impact', '{EV-1}', '{}', o.id, 'OFFICIAL', 'OWNER_ONLY', '{}', u.id, u.id
        from app_user u join organisation o on o.id = u.organisation_id where u.username = 'surrey.investigator'`, [hidden.id]);
    await expect(insert).rejects.toThrow(/row-level security/);
    const result = await app.gql('surrey.investigator', `mutation ($input: UpdateDisruptionInput!) { updateDisruption(input: $input) { id } }`, {
      input: { id: disruptionNode(), expectedVersion: 1, description: 'Guessed' },
    });
    expect(result.errors![0].extensions!.code).toBe('NOT_FOUND');
  });

  it.each(['hidden', 'visible'] as const)('shows a threat link only when both of its threats are visible (the %s threat hidden)', async (side) => {
    const threat = side === 'hidden' ? hidden : visible;
    await sql(`update soc_threat set sharing = 'OWNER_ONLY' where id = ?`, [threat.id]);
    try {
      expect(await asCaller('surrey.investigator', 'select id from threat_link')).toEqual([]);
      expect(await asCaller('tvp.investigator', 'select id from threat_link')).toHaveLength(1);
    } finally {
      await sql(`update soc_threat set sharing = 'REGIONAL_LAW_ENFORCEMENT' where id = ?`, [threat.id]);
    }
  });
});
