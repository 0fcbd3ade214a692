import { PART_KINDS, RECORD_KINDS, WITHHELD_FROM_PARTNERS } from '../../server/src/access/catalogue';
import { isWithheld, unlessWithheld } from '../../server/src/access/redaction';
import type { RequestContext } from '../../server/src/graphql/context';
import { createTestApp, type TestApp } from '../support/test-app';
import { approvedAssessment, createThreat, expectData, moveThreat, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';

let app: TestApp;
let threat: any;
beforeAll(async () => {
  app = await createTestApp();
  await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], maxMarking: 'OFFICIAL' });
  threat = await createThreat(app, 'tvp.investigator', {
    name: 'Operation Sanitised',
    summary: 'Source reporting says the line holder stores cash at his mother\'s address.',
    access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' },
  });
});
afterAll(() => app.stop());

const VIEW = `query ($id: ID!) { node(id: $id) { ... on SocThreat {
  name summary priority riskScore members { role } linkedThreats { reason } currentAssessment { id } history { action }
  lro { username } areasAffected { code } withheld { field reason }
  criminalActivities { category subCategory description withheld { field } } } } }`;

describe('sanitised views for partners', () => {
  it('a partner sees the sanitised summary, with every withheld field null and listed with its reason', async () => {
    const view = expectData(await app.gql('oxon.mash', VIEW, { id: threat.id })).node;
    expect(view).toMatchObject({ name: 'Operation Sanitised', summary: null, priority: null, riskScore: null, members: null, linkedThreats: null, currentAssessment: null, history: null });
    expect(view.withheld.map((w: any) => w.field).sort()).toEqual(
      ['assessmentHistory', 'currentAssessment', 'history', 'linkedThreats', 'members', 'priority', 'riskScore', 'summary', 'unassessedActivities'],
    );
    expect(view.withheld.find((w: any) => w.field === 'summary').reason).toMatch(/withheld from partner organisations/);
    expect(view.criminalActivities).toEqual([{ category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: null, withheld: [{ field: 'description' }, { field: 'assessment' }] }]);
  });

  it('police see everything and nothing is listed as withheld', async () => {
    const view = expectData(await app.gql('surrey.investigator', VIEW, { id: threat.id })).node;
    expect(view.summary).toMatch(/line holder/);
    expect(view.members).toEqual([]);
    expect(view.withheld).toEqual([]);
    expect(view.criminalActivities[0].description).toMatch(/Class A/);
  });

  it('a partner cannot find a threat by words only its withheld summary holds, nor filter or sort by priority', async () => {
    const search = (as: string) => app.gql(as, `{ threats(first: 10, filter: { text: "mother" }) { totalCount } }`);
    expect(expectData(await search('surrey.investigator')).threats.totalCount).toBe(1);
    expect(expectData(await search('oxon.mash')).threats.totalCount).toBe(0);
    const byPriority = await app.gql('oxon.mash', `{ threats(first: 10, filter: { priority: [HIGH] }, orderBy: [{ field: RISK, direction: DESC }]) { totalCount } }`);
    expect(byPriority.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'filter.priority', message: 'priority is withheld from partner organisations' },
        { field: 'orderBy[0].field', message: 'risk is withheld from partner organisations' },
      ],
    });
  });
});

describe("a partner's view of a plan", () => {
  it('shows the plan summary and the partner\'s own actions only; gaps, reviews, the gate and history are withheld', async () => {
    let adopted = await createThreat(app, 'tvp.investigator', { name: 'Operation Planned', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    adopted = await moveThreat(app, 'tvp.investigator', adopted, 'UNDER_ASSESSMENT');
    await approvedAssessment(app, adopted.id, { level: 2 });
    adopted = await moveThreat(app, 'tvp.investigator', adopted, 'ASSESSED');
    adopted = await moveThreat(app, 'tvp.investigator', adopted, 'ADOPTED');
    const plan = expectData(await app.gql('tvp.investigator', `mutation ($input: CreatePlanInput!) { createPlan(input: $input) { id version } }`, {
      input: { threatId: adopted.id, access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } },
    })).createPlan;
    const ADD = `mutation ($input: AddActionInput!) { addAction(input: $input) { version actions { id } } }`;
    const action = (owner: string, description: string) => ({ strand: 'PREVENT', tactic: 'BEHAVIOUR', description, ownerOrganisationId: owner, addressesActivityIds: [] });
    const first = expectData(await app.gql('tvp.investigator', ADD, { input: { planId: plan.id, expectedVersion: plan.version, action: action(await orgId(app, 'OXON_CS'), 'Diversion sessions in schools') } })).addAction;
    const second = expectData(await app.gql('tvp.investigator', ADD, { input: { planId: plan.id, expectedVersion: first.version, action: action(await orgId(app, 'TVP'), 'Covert deployment at the trap house') } })).addAction;
    await app.gql('tvp.investigator', `mutation ($input: AddPlanEntryInput!) { addPlanEntry(input: $input) { version } }`, {
      input: { planId: plan.id, expectedVersion: second.version, kind: 'INTELLIGENCE_GAP', text: 'Who supplies the line holder?' },
    });
    const VIEW = `query ($id: ID!) { node(id: $id) { ... on FourPPlan { status actions { description } intelligenceGaps { text } reviews { forum } quality { score } history { action } withheld { field } } } }`;
    const partner = expectData(await app.gql('oxon.mash', VIEW, { id: plan.id })).node;
    expect(partner).toMatchObject({ actions: [{ description: 'Diversion sessions in schools' }], intelligenceGaps: null, reviews: null, quality: null, history: null });
    expect(partner.withheld.map((w: any) => w.field).sort()).toEqual(['actions', 'history', 'intelligenceGaps', 'quality', 'reviews']);
    const police = expectData(await app.gql('surrey.investigator', VIEW, { id: plan.id })).node;
    expect(police.actions).toHaveLength(2);
    expect(police.intelligenceGaps).toEqual([{ text: 'Who supplies the line holder?' }]);
    expect(police.withheld).toEqual([]);
    // The other organisation's action cannot be fetched by its ID either.
    const theirs = second.actions.find((a: any) => !first.actions.some((f: any) => f.id === a.id)).id;
    expect(expectData(await app.gql('oxon.mash', 'query ($id: ID!) { node(id: $id) { id } }', { id: theirs })).node).toBeNull();
  });
});

describe('own records', () => {
  it('are never sanitised: a partner sees everything of a person it recorded itself', async () => {
    const own = expectData(await app.gql('oxon.mash', `mutation ($input: CreateNominalInput!) {
      createNominal(input: $input) { name aliases vulnerabilityFlags withheld { field } } }`, {
      input: { name: 'Mia Hollowell', aliases: ['Mimi'], vulnerabilityFlags: ['MISSING_EPISODES'], dateOfBirth: '2011-09-09', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } },
    })).createNominal;
    expect(own).toEqual({ name: 'Mia Hollowell', aliases: ['Mimi'], vulnerabilityFlags: ['MISSING_EPISODES'], withheld: [] });
  });

  it("are never sanitised: a partner sees its own threat's criminal activities whole, in the threat and by ID", async () => {
    await app.app.orm.em.getConnection().execute(`insert into app_user (username, display_name, organisation_id, roles, clearance)
      select 'oxon.ownanalyst', 'Fictional Partner Analyst', id, '{ANALYST}', 'OFFICIAL' from organisation where code = 'OXON_CS'`);
    const own = await createThreat(app, 'oxon.ownanalyst', { name: 'Operation Own Activities', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    const ACTIVITY = `description withheld { field }`;
    const view = expectData(await app.gql('oxon.ownanalyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat { withheld { field } criminalActivities { id ${ACTIVITY} } } } }`, { id: own.id })).node;
    expect(view.withheld).toEqual([]);
    expect(view.criminalActivities).toEqual([{ id: expect.any(String), description: expect.stringMatching(/Class A/), withheld: [] }]);
    const byId = expectData(await app.gql('oxon.ownanalyst', `query ($id: ID!) { node(id: $id) { ... on CriminalActivity { ${ACTIVITY} } } }`, { id: view.criminalActivities[0].id })).node;
    expect(byId).toEqual({ description: view.criminalActivities[0].description, withheld: [] });
  });
});

describe('what partners are not shown is declared once, in the access catalogue', () => {
  it('names only catalogued types, and only fields those types have in the API', async () => {
    const catalogued = new Set([...RECORD_KINDS, ...PART_KINDS].map((k) => k.typename));
    for (const [typename, withheld] of Object.entries(WITHHELD_FROM_PARTNERS)) {
      expect({ typename, catalogued: catalogued.has(typename) }).toEqual({ typename, catalogued: true });
      const data = expectData(await app.gql('tvp.investigator', 'query ($name: String!) { __type(name: $name) { fields { name } } }', { name: typename }));
      const fields = new Set(data.__type.fields.map((f: any) => f.name));
      expect({ typename, unknown: Object.keys(withheld).filter((f) => !fields.has(f)) }).toEqual({ typename, unknown: [] });
    }
    // Each kind's own declaration is its entry there.
    for (const kind of [...RECORD_KINDS, ...PART_KINDS]) {
      expect(kind.withheldFromPartners ?? {}).toEqual((WITHHELD_FROM_PARTNERS as Record<string, object>)[kind.typename] ?? {});
    }
  });

  it('a resolver naming a field the catalogue does not withhold does not compile', () => {
    // ts-jest type-checks this file: were the helpers to accept these calls, each unused
    // expect-error directive below would be an error, and this test would fail. Never called.
    const never = (ctx: RequestContext) => [
      // @ts-expect-error: the threat's name is shown to everyone who reads the threat.
      isWithheld(ctx, 'SocThreat', 'name'),
      // @ts-expect-error: a type with nothing withheld.
      unlessWithheld(ctx, 'Disruption', 'history', () => null),
      isWithheld(ctx, 'SocThreat', 'summary'),
    ];
    expect(typeof never).toBe('function');
  });
});
