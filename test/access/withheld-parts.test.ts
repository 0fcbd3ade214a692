import { randomUUID } from 'node:crypto';
import { dbId, globalId, sql } from '../support/disruption-factories';
import { expectData, flatScores, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';
import { adoptedThreat, createPlan, planDo } from '../support/plan-factories';
import { createNominal } from '../support/referral-factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A part of a record (a membership, an assessment, a plan action or intelligence gap) that a
 * partner is not shown on a record it reads (the field listing it is withheld, or narrowed to its
 * own items) is hidden from it wherever it is named: a mutation acting on it is answered exactly
 * as for one that does not exist (code, message, fields), never FORBIDDEN, which told the partner
 * it was there. A part it is shown (an activity, sanitised; an objective; its own action) but may
 * not change stays FORBIDDEN. docs/access.md, "Records named in an input".
 */
let app: TestApp;
const PARTNER = 'oxon.partneranalyst';
const POLICE_ASSESSOR = 'tvp.partassessor';
const ACCESS = { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' };
let threat: any;
let plan: any;
let membership: string;
let draft: { id: string; version: number };
let submitted: { id: string; version: number };
let gap: string;
let theirAction: string;
let ownAction: string;
let objective: string;

const MUTATIONS = {
  removeMember: 'RemoveMemberInput',
  submitAssessment: 'AssessmentDecisionInput',
  approveAssessment: 'AssessmentDecisionInput',
  resolveIntelligenceGap: 'ResolveIntelligenceGapInput',
  updateAction: 'UpdateActionInput',
  removeAction: 'RemovePlanPartInput',
  updateObjective: 'UpdateObjectiveInput',
  updateCriminalActivity: 'UpdateCriminalActivityInput',
} as const;
const call = (as: string, name: keyof typeof MUTATIONS, input: Record<string, unknown>) =>
  app.gql(as, `mutation ($input: ${MUTATIONS[name]}!) { ${name}(input: $input) { __typename } }`, { input });
const errorOf = (answer: { errors?: { message: string; extensions?: Record<string, any> }[] }) => {
  const e = answer.errors?.[0];
  return e ? { code: e.extensions?.code, message: e.message, fields: e.extensions?.fields } : 'DONE';
};
const codeOf = (answer: { errors?: { extensions?: Record<string, any> }[] }) => answer.errors?.[0]?.extensions?.code ?? 'DONE';
/** The same global id's type with a database id that does not exist. */
const missing = (gid: string) => globalId(Buffer.from(gid, 'base64url').toString().split(':')[0], randomUUID());
const versionOf = async (table: string, id: string) => (await sql(app, `select version from ${table} where id = ?`, [dbId(id)]))[0].version;

beforeAll(async () => {
  app = await createTestApp();
  await sharingAgreement(app, { parties: ['SEROCU', 'OXON_CS'], maxMarking: 'OFFICIAL_SENSITIVE' });
  // A partner agency's user holding every role the mutations below ask for.
  await sql(app, `insert into app_user (username, display_name, organisation_id, roles, clearance)
                  select ?, 'Fictional Partner Analyst', id, '{ANALYST,THREAT_ASSESSOR,SRO}', 'OFFICIAL_SENSITIVE' from organisation where code = 'OXON_CS'`, [PARTNER]);
  await sql(app, `insert into app_user (username, display_name, organisation_id, roles, clearance)
                  select ?, 'Fictional Force Assessor', id, '{THREAT_ASSESSOR}', 'OFFICIAL_SENSITIVE' from organisation where code = 'TVP'`, [POLICE_ASSESSOR]);
  threat = await adoptedThreat(app, 'serocu.analyst', { name: 'Operation Withheld Parts', access: ACCESS });
  const nominal = await createNominal(app, 'serocu.analyst', 'Fictional Member', null);
  const added = expectData(await app.gql('serocu.analyst', `mutation ($input: AddMemberInput!) { addMember(input: $input) { members { id } } }`, {
    input: { threatId: threat.id, expectedVersion: await versionOf('soc_threat', threat.id), nominalId: nominal.id, role: 'PERIPHERAL' },
  })).addMember;
  membership = added.members[0].id;
  const ASSESS = `mutation ($input: CreateAssessmentInput!) { createAssessment(input: $input) { id version } }`;
  const scoring = { threatId: threat.id, method: 'MORILE_TACTICAL', confidence: 'HIGH', rationale: 'Test scoring.', ...flatScores(2) };
  draft = expectData(await app.gql('serocu.analyst', ASSESS, { input: scoring })).createAssessment;
  const second = expectData(await app.gql('serocu.analyst', ASSESS, { input: scoring })).createAssessment;
  submitted = expectData(await app.gql('serocu.analyst', `mutation ($input: AssessmentDecisionInput!) { submitAssessment(input: $input) { id version } }`, {
    input: { id: second.id, expectedVersion: second.version },
  })).submitAssessment;

  plan = await createPlan(app, 'serocu.analyst', threat.id, { access: ACCESS });
  plan = await planDo(app, 'serocu.analyst', 'addObjective', { planId: plan.id, expectedVersion: plan.version, objective: { strand: 'PREVENT', description: 'Divert the children on the line.' } });
  objective = plan.objectives[0].id;
  const action = async (owner: string, description: string) => {
    plan = await planDo(app, 'serocu.analyst', 'addAction', {
      planId: plan.id, expectedVersion: plan.version,
      action: { strand: 'PREVENT', description, tactic: 'BEHAVIOUR', ownerOrganisationId: await orgId(app, owner), addressesActivityIds: [] },
    });
    return plan.actions.find((a: any) => a.description === description).id;
  };
  theirAction = await action('SEROCU', 'Covert deployment at the trap house.');
  ownAction = await action('OXON_CS', 'Return home interviews.');
  plan = await planDo(app, 'serocu.analyst', 'addPlanEntry', { planId: plan.id, expectedVersion: plan.version, kind: 'INTELLIGENCE_GAP', text: 'Who supplies the line holder?' }, 'id version intelligenceGaps { id }');
  gap = plan.intelligenceGaps[0].id;
});
afterAll(() => app.stop());

/** Each part the partner is not shown, and the mutation's input acting on it (its id first). */
const hiddenCases = (): [keyof typeof MUTATIONS, () => Promise<Record<string, unknown>>][] => [
  ['removeMember', async () => ({ membershipId: membership, expectedVersion: await versionOf('soc_threat', threat.id) })],
  ['submitAssessment', async () => ({ id: draft.id, expectedVersion: draft.version })],
  ['approveAssessment', async () => ({ id: submitted.id, expectedVersion: submitted.version })],
  ['resolveIntelligenceGap', async () => ({ id: gap, expectedVersion: await versionOf('fourp_plan', plan.id), resolution: 'Found him.' })],
  ['updateAction', async () => ({ id: theirAction, expectedVersion: await versionOf('fourp_plan', plan.id), status: 'COMPLETE' })],
];

describe('a part a partner is not shown, on a record it reads', () => {
  it('is not shown by node(id) either (the rule the mutations follow)', async () => {
    const NODE = `query ($id: ID!) { node(id: $id) { id } }`;
    expect(expectData(await app.gql(PARTNER, NODE, { id: threat.id })).node).toEqual({ id: threat.id });
    for (const id of [membership, draft.id, gap, theirAction]) expect(expectData(await app.gql(PARTNER, NODE, { id })).node).toBeNull();
    expect(expectData(await app.gql(PARTNER, NODE, { id: ownAction })).node).toEqual({ id: ownAction });
  });

  it.each(hiddenCases().map(([name, input]) => [name, input] as const))('%s: answered as a missing one (NOT_FOUND, same message), and nothing changes', async (name, input) => {
    const given = await input();
    const before = await sql(app, `select to_jsonb(t)::text as row from soc_threat t where id = ? union all select to_jsonb(p)::text from fourp_plan p where id = ?`, [dbId(threat.id), dbId(plan.id)]);
    const hidden = await call(PARTNER, name, given);
    const [key, value] = Object.entries(given)[0];
    const twin = await call(PARTNER, name, { ...given, [key]: missing(String(value)) });
    expect(errorOf(hidden)).toMatchObject({ code: 'NOT_FOUND' });
    expect(errorOf(hidden)).toEqual(errorOf(twin));
    expect(await sql(app, `select to_jsonb(t)::text as row from soc_threat t where id = ? union all select to_jsonb(p)::text from fourp_plan p where id = ?`, [dbId(threat.id), dbId(plan.id)])).toEqual(before);
  });
});

describe('a part the caller is shown but may not change', () => {
  it('stays FORBIDDEN: a partner and an activity (sanitised), an objective, its own action removed', async () => {
    const [activity] = expectData(await app.gql(PARTNER, `query ($id: ID!) { node(id: $id) { ... on SocThreat { criminalActivities { id } } } }`, { id: threat.id })).node.criminalActivities;
    const threatVersion = await versionOf('soc_threat', threat.id);
    const planVersion = await versionOf('fourp_plan', plan.id);
    const refused = [
      await call(PARTNER, 'updateCriminalActivity', { id: activity.id, expectedVersion: threatVersion, activity: { category: 'ILLEGAL_DRUGS', description: 'Changed.', firstIdentified: '2024-01-01' } }),
      await call(PARTNER, 'updateObjective', { id: objective, expectedVersion: planVersion, objective: { strand: 'PREVENT', description: 'Changed.' } }),
      await call(PARTNER, 'removeAction', { id: ownAction, expectedVersion: planVersion }),
    ];
    expect(refused.map(codeOf)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
  });

  it('stays FORBIDDEN to police who read the whole threat: another force and a membership or assessment', async () => {
    const refused = [
      await call('tvp.investigator', 'removeMember', { membershipId: membership, expectedVersion: await versionOf('soc_threat', threat.id) }),
      await call(POLICE_ASSESSOR, 'submitAssessment', { id: draft.id, expectedVersion: draft.version }),
    ];
    expect(refused.map(codeOf)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it("a partner's own action in the plan: its status is still the partner's to record", async () => {
    const done = await call(PARTNER, 'updateAction', { id: ownAction, expectedVersion: await versionOf('fourp_plan', plan.id), status: 'IN_PROGRESS' });
    expect(errorOf(done)).toBe('DONE');
    expect((await sql(app, `select status from plan_action where id = ?`, [dbId(ownAction)]))[0].status).toBe('IN_PROGRESS');
  });
});
