import { createTestApp, type TestApp } from '../../support/test-app';
import { expectData } from '../../support/factories';
import { adoptedThreat, createPlan, planDo } from '../../support/plan-factories';

/**
 * planOfficerCandidates: who the plan editor offers as LRO or SRO. The list must be exactly the
 * users updatePlan accepts for that role (active, holding it), the owning organisation's first,
 * and answer only those who may change the plan.
 */

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

/** As the connecting superuser, past row-level security. */
const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);

const CANDIDATES = `query Candidates($planId: ID!, $role: Role!) { planOfficerCandidates(planId: $planId, role: $role) { id username organisation { code } } }`;
const candidates = (as: string, planId: string, role: string) => app.gql(as, CANDIDATES, { planId, role });
const usernames = async (as: string, planId: string, role: string) =>
  expectData(await candidates(as, planId, role)).planOfficerCandidates.map((u: any) => `${u.organisation.code}:${u.username}`);

/** Fictional officers added for this file: a TVP LRO (the owner's own), an inactive SEROCU LRO. */
async function addUser(username: string, displayName: string, org: string, roles: string[], active = true) {
  await sql(
    `insert into app_user (username, display_name, organisation_id, roles, clearance, active)
     select ?, ?, id, ?::text[], 'OFFICIAL_SENSITIVE', ? from organisation where code = ?`,
    [username, displayName, `{${roles.join(',')}}`, active, org],
  );
}

/** A user's global ID read from the table (an inactive account cannot sign in to ask). */
async function userGlobalId(username: string) {
  const [row] = await sql('select id from app_user where username = ?', [username]);
  return Buffer.from(`User:${row.id}`, 'utf8').toString('base64url');
}

let planId: string;
beforeAll(async () => {
  await addUser('tvp.lro.test', 'DI Zara Quennell', 'TVP', ['LRO', 'INVESTIGATOR']);
  await addUser('serocu.lro.retired', 'DI Alan Retford', 'SEROCU', ['LRO'], false);
  const threat = await adoptedThreat(app, 'tvp.investigator');
  planId = (await createPlan(app, 'tvp.investigator', threat.id)).id;
});

describe('planOfficerCandidates', () => {
  it('lists the active users holding the role, the owning organisation’s first', async () => {
    expect(await usernames('tvp.investigator', planId, 'LRO')).toEqual(['TVP:tvp.lro.test', 'SEROCU:serocu.lro']);
    expect(await usernames('tvp.investigator', planId, 'SRO')).toEqual(['SEROCU:serocu.sro']);
  });

  it('offers exactly whom updatePlan accepts: each candidate saves, a user without the role or inactive does not', async () => {
    const plan = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on FourPPlan { id version } } }`, { id: planId })).node;
    const listed = expectData(await candidates('tvp.investigator', planId, 'LRO')).planOfficerCandidates;
    let version = plan.version;
    for (const u of listed) version = (await planDo(app, 'tvp.investigator', 'updatePlan', { id: planId, expectedVersion: version, lroId: u.id })).version;
    for (const username of ['serocu.lro.retired', 'tvp.investigator']) {
      const refused = await app.gql('tvp.investigator', `mutation ($input: UpdatePlanInput!) { updatePlan(input: $input) { id } }`, {
        input: { id: planId, expectedVersion: version, lroId: await userGlobalId(username) },
      });
      expect(refused.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    }
  });

  it('refuses a role no plan officer holds, naming the argument', async () => {
    const result = await candidates('tvp.investigator', planId, 'ANALYST');
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'role', message: 'must be one of LRO, SRO' }] });
  });

  it('answers only the owning organisation: FORBIDDEN to another that sees the plan, NOT_FOUND to one that does not', async () => {
    expect((await candidates('surrey.investigator', planId, 'LRO')).errors![0].extensions!.code).toBe('FORBIDDEN');
    const hidden = await app.gql('oxon.mash', CANDIDATES, { planId, role: 'LRO' }, { purpose: 'SAFEGUARDING' });
    expect(hidden.errors![0].extensions!.code).toBe('NOT_FOUND');
    expect(hidden.data).toBeNull();
  });
});
