import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId, userId } from '../support/factories';
import { ACCESS, PLAN_FIELDS, adoptedThreat, completePlan, createPlan, daysFromToday, planDo, planOp } from '../support/plan-factories';
import { inWords } from '../support/dates';
import { assessPlanQuality, type GateInput } from '../../server/src/modules/plans/plan.quality';
import { PlanActionStatus, PlanStatus, Strand } from '../../server/src/modules/plans/plan.enums';
import { statementsSentDuring } from '../support/statements';
import { databaseToday, stampedDays } from '../support/clock';

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const TODAY = daysFromToday(0);
const codes = (plan: any) => plan.quality.problems.map((p: any) => p.code);

async function sql<T = any>(text: string, params: unknown[] = []): Promise<T[]> {
  return app.app.orm.em.getConnection().execute(text, params);
}

describe('the quality gate as a pure function', () => {
  const activities = [
    { dbId: 'a1', category: 'ILLEGAL_DRUGS', description: 'Class A supply.' },
    { dbId: 'a2', category: 'MONEY_LAUNDERING', description: 'Cash through a car wash.' },
  ];
  const complete: GateInput = {
    status: PlanStatus.ACTIVE,
    lroId: 'u1',
    nextReviewDue: '2030-01-01',
    strandExemptions: [],
    objectives: [Strand.PURSUE, Strand.PREVENT, Strand.PROTECT, Strand.PREPARE].map((strand) => ({ strand })),
    actions: [{ status: PlanActionStatus.PLANNED, addressesActivityIds: ['a1', 'a2'] }],
    partners: [{ strands: [Strand.PREVENT, Strand.PROTECT] }],
    activities,
    today: '2026-01-01',
  };

  it('passes a complete plan with score 100, counting every check', () => {
    // 4 strands + 2 activities + LRO + review + 2 partner strands.
    expect(assessPlanQuality(complete)).toEqual({ score: 100, passes: true, checksMade: 10, checksPassed: 10, problems: [] });
  });

  it('scores round(100 × passed / made) and names each problem', () => {
    const result = assessPlanQuality({
      ...complete,
      lroId: null,
      objectives: [{ strand: Strand.PURSUE }],
      actions: [{ status: PlanActionStatus.CANCELLED, addressesActivityIds: ['a1'] }, { status: PlanActionStatus.COMPLETE, addressesActivityIds: ['a2'] }],
      partners: [],
    });
    // Fails: PREVENT, PROTECT, PREPARE, activity a1, LRO, 2 partners = 7 of 10.
    expect(result).toMatchObject({ score: 30, passes: false, checksMade: 10, checksPassed: 3 });
    expect(result.problems.map((p) => [p.code, p.strand ?? p.criminalActivity?.dbId ?? null])).toEqual([
      ['MISSING_STRAND', 'PREVENT'],
      ['MISSING_STRAND', 'PROTECT'],
      ['MISSING_STRAND', 'PREPARE'],
      ['ACTIVITY_NOT_ADDRESSED', 'a1'],
      ['NO_LRO', null],
      ['PARTNER_NOT_NAMED', 'PREVENT'],
      ['PARTNER_NOT_NAMED', 'PROTECT'],
    ]);
    expect(result.problems[3].message).toBe('No action addresses the illegal drugs activity "Class A supply.".');
  });

  it('accepts a recorded exemption for a strand, and then asks for no partner there', () => {
    const result = assessPlanQuality({
      ...complete,
      objectives: [{ strand: Strand.PURSUE }, { strand: Strand.PROTECT }, { strand: Strand.PREPARE }],
      strandExemptions: [{ strand: Strand.PREVENT }],
      partners: [{ strands: [Strand.PROTECT] }],
    });
    expect(result).toMatchObject({ score: 100, passes: true, checksMade: 9 });
  });

  it('treats a past due date, or none on an active plan, as overdue; a closed plan has no review check', () => {
    expect(assessPlanQuality({ ...complete, nextReviewDue: '2025-12-31' }).problems.map((p) => p.message)).toEqual(['The review was due on 31 December 2025.']);
    expect(assessPlanQuality({ ...complete, nextReviewDue: '2026-01-01' }).passes).toBe(true);
    expect(assessPlanQuality({ ...complete, nextReviewDue: null }).problems.map((p) => p.code)).toEqual(['REVIEW_OVERDUE']);
    expect(assessPlanQuality({ ...complete, status: PlanStatus.DRAFT, nextReviewDue: null }).passes).toBe(true);
    expect(assessPlanQuality({ ...complete, status: PlanStatus.CLOSED, nextReviewDue: '2020-01-01' })).toMatchObject({ passes: true, checksMade: 9 });
  });
});

describe('the quality gate through the API', () => {
  it('a complete plan passes with score 100', async () => {
    const { plan } = await completePlan(app);
    // 4 strands + 1 activity + LRO + review + partners for Prevent and Protect.
    expect(plan.quality).toEqual({ score: 100, passes: true, checksMade: 9, checksPassed: 9, problems: [] });
    expect(plan.status).toBe('ACTIVE');
  });

  it('MISSING_STRAND: appears when a strand has no objective, and goes once a reason is recorded', async () => {
    let { plan, objectives } = await completePlan(app);
    plan = await planDo(app, 'tvp.investigator', 'removeObjective', { id: objectives.PREPARE, expectedVersion: plan.version });
    expect(plan.quality.problems).toEqual([
      { code: 'MISSING_STRAND', strand: 'PREPARE', criminalActivity: null, message: 'Prepare has no objective and no recorded reason why it does not apply.' },
    ]);
    expect(plan.quality.score).toBe(89);
    plan = await planDo(app, 'tvp.investigator', 'updatePlan', {
      id: plan.id,
      expectedVersion: plan.version,
      strandExemptions: [{ strand: 'PREPARE', reason: 'No community impact work is proportionate for this group.' }],
    });
    expect(plan.strandExemptions).toEqual([{ strand: 'PREPARE', reason: 'No community impact work is proportionate for this group.' }]);
    expect(plan.quality).toMatchObject({ score: 100, passes: true, problems: [] });
  });

  it('ACTIVITY_NOT_ADDRESSED: appears when the only action on an activity is cancelled, and goes when it is resumed', async () => {
    let { plan, threat } = await completePlan(app);
    const action = plan.actions[0].id;
    plan = await planDo(app, 'tvp.investigator', 'updateAction', { id: action, expectedVersion: plan.version, status: 'CANCELLED' });
    expect(plan.quality.problems).toEqual([
      {
        code: 'ACTIVITY_NOT_ADDRESSED',
        strand: null,
        criminalActivity: { id: threat.criminalActivities[0].id, category: 'ILLEGAL_DRUGS' },
        message: 'No action addresses the illegal drugs activity "Class A supply via the "Jay" line.".',
      },
    ]);
    plan = await planDo(app, 'tvp.investigator', 'updateAction', { id: action, expectedVersion: plan.version, status: 'IN_PROGRESS' });
    expect(plan.quality.passes).toBe(true);
  });

  it('ACTIVITY_NOT_ADDRESSED: a second criminal activity recorded on the threat shows at once on its plan', async () => {
    let { plan, threat } = await completePlan(app);
    const added = expectData(await app.gql('tvp.investigator', `mutation ($input: AddCriminalActivityInput!) { addCriminalActivity(input: $input) { criminalActivities { id } } }`, {
      input: { threatId: threat.id, expectedVersion: threat.version, activity: { category: 'MODERN_SLAVERY_HUMAN_TRAFFICKING', subCategory: 'CHILD_CRIMINAL_EXPLOITATION', description: 'Children recruited to run the line.', firstIdentified: '2025-07-01' } },
    })).addCriminalActivity;
    const exploitation = added.criminalActivities[1].id;
    const seen = expectData(await app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on FourPPlan { quality { score passes problems { code message criminalActivity { id } } } } } }`, { id: plan.id }));
    expect(seen.node.quality).toEqual({
      score: 90,
      passes: false,
      problems: [{ code: 'ACTIVITY_NOT_ADDRESSED', criminalActivity: { id: exploitation }, message: 'No action addresses the modern slavery and human trafficking activity "Children recruited to run the line.".' }],
    });
    plan = await planDo(app, 'tvp.investigator', 'addAction', {
      planId: plan.id,
      expectedVersion: plan.version,
      action: { strand: 'PREVENT', description: 'Joint visits with the MASH to children seen at trap houses.', tactic: 'BEHAVIOUR', ownerOrganisationId: await orgId(app, 'OXON_CS'), addressesActivityIds: [exploitation] },
    });
    expect(plan.quality).toMatchObject({ score: 100, passes: true });
  });

  it('NO_LRO: appears when the LRO is removed, and goes when one is named again', async () => {
    let { plan } = await completePlan(app);
    plan = await planDo(app, 'tvp.investigator', 'updatePlan', { id: plan.id, expectedVersion: plan.version, lroId: null });
    expect(plan.lro).toBeNull();
    expect(plan.quality.problems).toEqual([{ code: 'NO_LRO', strand: null, criminalActivity: null, message: 'No lead responsible officer (LRO) is named.' }]);
    plan = await planDo(app, 'tvp.investigator', 'updatePlan', { id: plan.id, expectedVersion: plan.version, lroId: await userId(app, 'serocu.lro') });
    expect(plan.quality.passes).toBe(true);
  });

  it('REVIEW_OVERDUE: appears when the last review was longer ago than the review frequency, and goes with a new review', async () => {
    let { plan } = await completePlan(app);
    plan = await planDo(app, 'tvp.investigator', 'recordPlanReview', { planId: plan.id, expectedVersion: plan.version, date: daysFromToday(-100), forum: 'Regional TTCG', decisions: 'Continue.' });
    expect(plan.nextReviewDue).toBe(daysFromToday(-10));
    expect(plan.quality.problems).toEqual([{ code: 'REVIEW_OVERDUE', strand: null, criminalActivity: null, message: `The review was due on ${inWords(daysFromToday(-10))}.` }]);
    plan = await planDo(app, 'tvp.investigator', 'recordPlanReview', { planId: plan.id, expectedVersion: plan.version, date: TODAY, forum: 'Regional TTCG', decisions: 'Refocus on Prevent.' });
    expect(plan.nextReviewDue).toBe(daysFromToday(90));
    expect(plan.quality.passes).toBe(true);
  });

  it('PARTNER_NOT_NAMED: appears when Prevent loses its partner, and goes when one is named', async () => {
    let { plan } = await completePlan(app);
    const oxon = await orgId(app, 'OXON_CS');
    plan = await planDo(app, 'tvp.investigator', 'removePlanPartner', { planId: plan.id, expectedVersion: plan.version, organisationId: oxon });
    expect(plan.quality.problems).toEqual([{ code: 'PARTNER_NOT_NAMED', strand: 'PREVENT', criminalActivity: null, message: 'No partner organisation is named for Prevent.' }]);
    plan = await planDo(app, 'tvp.investigator', 'addPlanPartner', { planId: plan.id, expectedVersion: plan.version, organisationId: oxon, strands: ['PREVENT', 'PROTECT'] });
    expect(plan.partners).toEqual([
      { organisation: { code: 'TVP' }, strands: ['PROTECT'], role: null },
      { organisation: { code: 'OXON_CS' }, strands: ['PREVENT', 'PROTECT'], role: null },
    ]);
    expect(plan.quality.passes).toBe(true);
  });
});

describe('opening a plan', () => {
  it('only for an adopted threat', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const result = await planOp(app, 'tvp.investigator', 'createPlan', { threatId: threat.id, access: ACCESS });
    expect(result.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.threatId', message: 'a plan needs an adopted threat (“adopted” or “under review”); this one is “trigger submitted”' }],
    });
  });

  it('one plan per threat: a second is CONFLICT', async () => {
    const threat = await adoptedThreat(app);
    const first = await createPlan(app, 'tvp.investigator', threat.id);
    expect(first).toMatchObject({ status: 'DRAFT', version: 1, reviewFrequencyDays: 90, nextReviewDue: null, lro: { username: 'serocu.lro' }, owningOrganisation: { code: 'TVP' } });
    const second = await planOp(app, 'serocu.analyst', 'createPlan', { threatId: threat.id, access: ACCESS });
    expect(second.errors![0].extensions).toMatchObject({ code: 'CONFLICT', planId: first.id });
    const seen = expectData(await app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat { plan { id } } } }`, { id: threat.id }));
    expect(seen.node.plan).toEqual({ id: first.id });
  });

  it('reports every invalid field in one response and writes nothing', async () => {
    const threat = await adoptedThreat(app);
    const [{ count: before }] = await sql('select count(*)::int as count from fourp_plan');
    const result = await planOp(app, 'tvp.investigator', 'createPlan', {
      threatId: threat.id,
      lroId: await userId(app, 'tvp.investigator'),
      sroId: 'bm90LWFuLWlk',
      reviewFrequencyDays: 3,
      strandExemptions: [{ strand: 'PREPARE', reason: ' ' }, { strand: 'PREPARE', reason: 'Twice.' }],
      access: { protectiveMarking: 'OFFICIAL', sharing: 'NAMED_ORGANISATIONS' },
    });
    expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.fields).toEqual(
      expect.arrayContaining([
        { field: 'input.lroId', message: 'must be a user with the LRO role' },
        { field: 'input.sroId', message: 'is not the ID of a User' },
        { field: 'input.reviewFrequencyDays', message: 'must be between 7 and 365 days' },
        { field: 'input.strandExemptions[0].reason', message: 'is required' },
        { field: 'input.strandExemptions[1].strand', message: 'PREPARE is listed more than once' },
        { field: 'input.access.sharedWithIds', message: 'name at least one organisation when sharing is NAMED_ORGANISATIONS' },
      ]),
    );
    expect(result.errors![0].extensions!.fields).toHaveLength(6);
    const [{ count: after }] = await sql('select count(*)::int as count from fourp_plan');
    expect(after).toBe(before);
  });
});

describe('objectives and actions', () => {
  it('checks an action against its plan, naming every bad field, and writes nothing', async () => {
    const { plan, objectives } = await completePlan(app);
    const other = await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Other' });
    const result = await planOp(app, 'tvp.investigator', 'addAction', {
      planId: plan.id,
      expectedVersion: plan.version,
      action: {
        strand: 'PROTECT',
        objectiveId: objectives.PURSUE,
        description: '',
        tactic: 'VEHICLES',
        ownerOrganisationId: Buffer.from('Organisation:00000000-0000-0000-0000-000000000000').toString('base64url'),
        addressesActivityIds: [plan.actions[0].addressesActivities[0].id, other.criminalActivities[0].id, 'garbage'],
      },
    });
    expect(result.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'input.action.description', message: 'is required' },
        { field: 'input.action.objectiveId', message: 'is a PURSUE objective; the action is PROTECT' },
        { field: 'input.action.ownerOrganisationId', message: 'no such organisation' },
        { field: 'input.action.addressesActivityIds[2]', message: 'is not the ID of a CriminalActivity' },
        { field: 'input.action.addressesActivityIds[1]', message: "is not a criminal activity of this plan's threat" },
      ],
    });
    const now = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on FourPPlan { version actions { id } } } }`, { id: plan.id }));
    expect(now.node).toEqual({ version: plan.version, actions: [{ id: plan.actions[0].id }] });
  });

  it('refuses an objective for a strand recorded as not applying, and an exemption for a strand with objectives', async () => {
    const threat = await adoptedThreat(app);
    let plan = await createPlan(app, 'tvp.investigator', threat.id, { strandExemptions: [{ strand: 'PREPARE', reason: 'Not proportionate.' }] });
    const refused = await planOp(app, 'tvp.investigator', 'addObjective', { planId: plan.id, expectedVersion: plan.version, objective: { strand: 'PREPARE', description: 'Community resilience.' } });
    expect(refused.errors![0].extensions!.fields).toEqual([{ field: 'input.objective.strand', message: 'PREPARE is recorded as not applying to this threat; remove that exemption first' }]);
    plan = await planDo(app, 'tvp.investigator', 'addObjective', { planId: plan.id, expectedVersion: plan.version, objective: { strand: 'PURSUE', description: 'Dismantle the line.' } });
    const exempt = await planOp(app, 'tvp.investigator', 'updatePlan', { id: plan.id, expectedVersion: plan.version, strandExemptions: [{ strand: 'PURSUE', reason: 'No.' }] });
    expect(exempt.errors![0].extensions!.fields).toEqual([{ field: 'input.strandExemptions[0].strand', message: 'PURSUE has objectives; remove them before recording that it does not apply' }]);
  });

  it('updates and removes objectives and actions, shows overdue actions, and finds them by global ID', async () => {
    let { plan, objectives } = await completePlan(app);
    plan = await planDo(app, 'tvp.investigator', 'updateObjective', {
      id: objectives.PREVENT,
      expectedVersion: plan.version,
      objective: { strand: 'PREVENT', description: 'Divert children from the line.', successMeasure: 'Referrals accepted by MASH.' },
    });
    expect(plan.objectives[1]).toMatchObject({ strand: 'PREVENT', description: 'Divert children from the line.', successMeasure: 'Referrals accepted by MASH.' });
    const moved = await planOp(app, 'tvp.investigator', 'updateObjective', { id: objectives.PURSUE, expectedVersion: plan.version, objective: { strand: 'PREPARE', description: 'Moved.' } });
    expect(moved.errors![0].extensions!.fields).toEqual([{ field: 'input.objective.strand', message: '1 action(s) under this objective are PURSUE actions; change or unlink them first' }]);

    plan = await planDo(app, 'tvp.investigator', 'updateAction', { id: plan.actions[0].id, expectedVersion: plan.version, dueDate: daysFromToday(-1) });
    expect(plan.actions[0]).toMatchObject({ dueDate: daysFromToday(-1), status: 'PLANNED', isOverdue: true, tactic: 'CRIME', objective: { id: objectives.PURSUE } });
    plan = await planDo(app, 'tvp.investigator', 'updateAction', { id: plan.actions[0].id, expectedVersion: plan.version, status: 'COMPLETE' });
    expect(plan.actions[0].isOverdue).toBe(false);

    const found = expectData(await app.gql('serocu.analyst', `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on PlanAction { plan { id } ownerOrganisation { code } } ... on PlanObjective { strand actions { id } } } }`, {
      ids: [plan.actions[0].id, objectives.PURSUE],
    }));
    expect(found.nodes).toEqual([
      { __typename: 'PlanAction', plan: { id: plan.id }, ownerOrganisation: { code: 'TVP' } },
      { __typename: 'PlanObjective', strand: 'PURSUE', actions: [{ id: plan.actions[0].id }] },
    ]);

    plan = await planDo(app, 'tvp.investigator', 'removeObjective', { id: objectives.PURSUE, expectedVersion: plan.version });
    expect(plan.actions[0].objective).toBeNull();
    plan = await planDo(app, 'tvp.investigator', 'removeAction', { id: plan.actions[0].id, expectedVersion: plan.version });
    expect(plan.actions).toEqual([]);
    expect(codes(plan)).toEqual(['MISSING_STRAND', 'ACTIVITY_NOT_ADDRESSED']);

    const history = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on FourPPlan { history { part action } } } }`, { id: plan.id }));
    expect(history.node.history).toEqual(expect.arrayContaining([{ part: 'action', action: 'DELETE' }, { part: 'objective', action: 'UPDATE' }, { part: 'partner', action: 'CREATE' }]));
  });
});

describe('the plan lifecycle', () => {
  it('refuses illegal moves naming the allowed ones, needs a reason to close, and starts the review clock on activation', async () => {
    const threat = await adoptedThreat(app);
    let plan = await createPlan(app, 'tvp.investigator', threat.id, { reviewFrequencyDays: 30 });
    const early = await planOp(app, 'tvp.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'UNDER_REVIEW' });
    expect(early.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.status', message: 'this plan is “draft”, so it cannot become “under review”; next it can only become “active”' }] });

    plan = await planDo(app, 'tvp.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'ACTIVE' });
    expect(plan).toMatchObject({ status: 'ACTIVE', version: 2 });
    expect(await stampedDays(app.db.url, 30)).toContain(plan.nextReviewDue);
    plan = await planDo(app, 'tvp.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'UNDER_REVIEW' });
    const noReason = await planOp(app, 'tvp.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'CLOSED' });
    expect(noReason.errors![0].extensions!.fields).toEqual([{ field: 'input.closureReason', message: 'is required' }]);
    plan = await planDo(app, 'tvp.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'CLOSED', closureReason: 'Group dismantled; principals convicted.' });
    expect(plan).toMatchObject({ status: 'CLOSED', closureReason: 'Group dismantled; principals convicted.' });

    const reopen = await planOp(app, 'tvp.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'ACTIVE' });
    expect(reopen.errors![0].extensions!.fields[0].message).toBe('this plan is “closed”, so it cannot become “active”; “closed” is final');
    const objective = await planOp(app, 'tvp.investigator', 'addObjective', { planId: plan.id, expectedVersion: plan.version, objective: { strand: 'PURSUE', description: 'Too late.' } });
    expect(objective.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    plan = await planDo(app, 'tvp.investigator', 'addPlanEntry', { planId: plan.id, expectedVersion: plan.version, kind: 'LEARNING', text: 'Early MASH involvement shortened the line.' }, 'version learning { text }');
    expect(plan.learning).toEqual([{ text: 'Early MASH involvement shortened the line.' }]);
  });

  it('refuses a stale version with CONFLICT and changes nothing', async () => {
    const threat = await adoptedThreat(app);
    const plan = await createPlan(app, 'tvp.investigator', threat.id);
    await planDo(app, 'tvp.investigator', 'updatePlan', { id: plan.id, expectedVersion: 1, reviewFrequencyDays: 60 });
    const stale = await planOp(app, 'tvp.investigator', 'addObjective', { planId: plan.id, expectedVersion: 1, objective: { strand: 'PURSUE', description: 'Stale.' } });
    expect(stale.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const now = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on FourPPlan { version reviewFrequencyDays objectives { id } } } }`, { id: plan.id }));
    expect(now.node).toEqual({ version: 2, reviewFrequencyDays: 60, objectives: [] });
  });

  it('only the owning organisation may change a plan', async () => {
    const threat = await adoptedThreat(app);
    const plan = await createPlan(app, 'tvp.investigator', threat.id);
    const result = await planOp(app, 'surrey.investigator', 'updatePlan', { id: plan.id, expectedVersion: 1, reviewFrequencyDays: 60 });
    expect(result.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});

describe('intelligence gaps, outcomes, learning and reviews', () => {
  const ENTRY_FIELDS = `id version nextReviewDue
    intelligenceGaps { id text recordedOn recordedBy { username } resolvedOn resolution resolvedBy { username } }
    outcomes { id text } learning { text } reviews { date forum decisions reviewer { username } }`;

  it('records dated entries, resolves gaps once, and refuses to resolve anything else', async () => {
    const threat = await adoptedThreat(app);
    let plan = await createPlan(app, 'tvp.investigator', threat.id);
    plan = await planDo(app, 'tvp.investigator', 'addPlanEntry', { planId: plan.id, expectedVersion: plan.version, kind: 'INTELLIGENCE_GAP', text: 'Who supplies the line?', recordedOn: daysFromToday(-5) }, ENTRY_FIELDS);
    plan = await planDo(app, 'tvp.investigator', 'addPlanEntry', { planId: plan.id, expectedVersion: plan.version, kind: 'OUTCOME', text: 'Two line holders charged.' }, ENTRY_FIELDS);
    const gap = plan.intelligenceGaps[0];
    expect(gap).toMatchObject({ text: 'Who supplies the line?', recordedOn: daysFromToday(-5), recordedBy: { username: 'tvp.investigator' }, resolvedOn: null });
    expect(plan.outcomes.map((o: any) => o.text)).toEqual(['Two line holders charged.']);

    const future = await planOp(app, 'tvp.investigator', 'addPlanEntry', { planId: plan.id, expectedVersion: plan.version, kind: 'LEARNING', text: '', recordedOn: '2099-01-01' });
    expect(future.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual(['input.text', 'input.recordedOn']);

    const notAGap = await planOp(app, 'tvp.investigator', 'resolveIntelligenceGap', { id: plan.outcomes[0].id, expectedVersion: plan.version, resolution: 'n/a' });
    expect(notAGap.errors![0].extensions!.fields).toEqual([{ field: 'input.id', message: 'is an outcome; only intelligence gaps are resolved' }]);
    const early = await planOp(app, 'tvp.investigator', 'resolveIntelligenceGap', { id: gap.id, expectedVersion: plan.version, resolution: 'Too early.', resolvedOn: daysFromToday(-6) });
    expect(early.errors![0].extensions!.fields).toEqual([{ field: 'input.resolvedOn', message: `cannot be before the gap was recorded (${inWords(daysFromToday(-5))})` }]);
    plan = await planDo(app, 'tvp.investigator', 'resolveIntelligenceGap', { id: gap.id, expectedVersion: plan.version, resolution: 'Covert source identified the supplier.' }, ENTRY_FIELDS);
    expect(await stampedDays(app.db.url)).toContain(plan.intelligenceGaps[0].resolvedOn);
    expect(plan.intelligenceGaps[0]).toMatchObject({ resolution: 'Covert source identified the supplier.', resolvedBy: { username: 'tvp.investigator' } });
    const again = await planOp(app, 'tvp.investigator', 'resolveIntelligenceGap', { id: gap.id, expectedVersion: plan.version, resolution: 'Again.' });
    expect(again.errors![0].extensions!.fields).toEqual([{ field: 'input.id', message: `this gap was already resolved on ${inWords(plan.intelligenceGaps[0].resolvedOn)}` }]);
  });

  it('records reviews not in the future; the next review falls reviewFrequencyDays after the latest one', async () => {
    const threat = await adoptedThreat(app);
    let plan = await createPlan(app, 'tvp.investigator', threat.id, { reviewFrequencyDays: 28 });
    // Tomorrow by the database's clock as the test runs (this file's tomorrow is today after midnight UTC).
    const tomorrow = await databaseToday(app.db.url, 1);
    const bad = await planOp(app, 'tvp.investigator', 'recordPlanReview', { planId: plan.id, expectedVersion: plan.version, date: tomorrow, forum: '', decisions: '' });
    expect(bad.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual(['input.date', 'input.forum', 'input.decisions']);
    plan = await planDo(app, 'tvp.investigator', 'recordPlanReview', { planId: plan.id, expectedVersion: plan.version, date: daysFromToday(-3), forum: 'Force TTCG', decisions: 'Adopt plan.', reviewerId: await userId(app, 'serocu.sro') }, ENTRY_FIELDS);
    expect(plan.nextReviewDue).toBe(daysFromToday(25));
    plan = await planDo(app, 'tvp.investigator', 'recordPlanReview', { planId: plan.id, expectedVersion: plan.version, date: daysFromToday(-20), forum: 'Force TTCG', decisions: 'Entered late.' }, ENTRY_FIELDS);
    expect(plan.nextReviewDue).toBe(daysFromToday(25));
    expect(plan.reviews).toEqual([
      { date: daysFromToday(-20), forum: 'Force TTCG', decisions: 'Entered late.', reviewer: { username: 'tvp.investigator' } },
      { date: daysFromToday(-3), forum: 'Force TTCG', decisions: 'Adopt plan.', reviewer: { username: 'serocu.sro' } },
    ]);
  });
});

describe('finding plans', () => {
  let fresh: TestApp;
  const ids: Record<string, string> = {};
  const LIST = `query ($first: Int, $filter: PlanFilter, $orderBy: [PlanOrder!]) {
    plans(first: $first, filter: $filter, orderBy: $orderBy) { totalCount edges { node { threat { name } quality { passes } } } } }`;

  beforeAll(async () => {
    fresh = await createTestApp();
    // Passing, active.
    ids.good = (await completePlan(fresh, 'tvp.investigator', { name: 'Operation Alder' })).plan.id;
    // Active, failing: no LRO.
    let { plan } = await completePlan(fresh, 'tvp.investigator', { name: 'Operation Birch' });
    plan = await planDo(fresh, 'tvp.investigator', 'updatePlan', { id: plan.id, expectedVersion: plan.version, lroId: null });
    ids.noLro = plan.id;
    // Active, passing every check but the review date.
    ({ plan } = await completePlan(fresh, 'tvp.investigator', { name: 'Operation Cedar' }));
    plan = await planDo(fresh, 'tvp.investigator', 'recordPlanReview', { planId: plan.id, expectedVersion: plan.version, date: daysFromToday(-120), forum: 'TTCG', decisions: 'Carry on.' });
    ids.overdue = plan.id;
    // Under review, failing: a cancelled action leaves the activity unaddressed.
    ({ plan } = await completePlan(fresh, 'surrey.investigator', { name: 'Operation Damson', leadOrganisationId: await orgId(fresh, 'SURREY') }));
    plan = await planDo(fresh, 'surrey.investigator', 'updateAction', { id: plan.actions[0].id, expectedVersion: plan.version, status: 'CANCELLED' });
    plan = await planDo(fresh, 'surrey.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'UNDER_REVIEW' });
    ids.underReview = plan.id;
    // Draft, failing badly: not an attention case yet.
    const draftThreat = await adoptedThreat(fresh, 'tvp.investigator', { name: 'Operation Elm' });
    ids.draft = (await createPlan(fresh, 'tvp.investigator', draftThreat.id, { lroId: null })).id;
    // Closed, failing: no longer needs attention.
    ({ plan } = await completePlan(fresh, 'tvp.investigator', { name: 'Operation Fir' }));
    plan = await planDo(fresh, 'tvp.investigator', 'updatePlan', { id: plan.id, expectedVersion: plan.version, lroId: null });
    plan = await planDo(fresh, 'tvp.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'CLOSED', closureReason: 'Merged into Operation Alder.' });
    ids.closed = plan.id;
    // More passing plans, so a page of 10 can be compared with a page of 3.
    const hiow = await orgId(fresh, 'HIOW');
    for (const name of ['Hazel', 'Ivy', 'Juniper']) await completePlan(fresh, 'hiow.analyst', { name: `Operation ${name}`, leadOrganisationId: hiow });
    // Passing with Prevent recorded as not applying: no Prevent objective and no Prevent partner needed.
    let objectives: Record<string, string>;
    ({ plan, objectives } = await completePlan(fresh, 'hiow.analyst', { name: 'Operation Gorse', leadOrganisationId: hiow }));
    plan = await planDo(fresh, 'hiow.analyst', 'removeObjective', { id: objectives.PREVENT, expectedVersion: plan.version });
    plan = await planDo(fresh, 'hiow.analyst', 'removePlanPartner', { planId: plan.id, expectedVersion: plan.version, organisationId: await orgId(fresh, 'OXON_CS') });
    plan = await planDo(fresh, 'hiow.analyst', 'updatePlan', { id: plan.id, expectedVersion: plan.version, strandExemptions: [{ strand: 'PREVENT', reason: 'No children or vulnerable adults are involved.' }] });
    expect(plan.quality).toMatchObject({ passes: true, checksMade: 8 });
  }, 240_000);
  afterAll(() => fresh.stop());

  const names = async (filter: object) =>
    expectData(await fresh.gql('serocu.analyst', LIST, { first: 100, filter, orderBy: [{ field: 'THREAT_NAME', direction: 'ASC' }] })).plans.edges.map((e: any) => e.node.threat.name);

  it('plansNeedingAttention returns exactly the active or under-review plans that fail the gate or are overdue', async () => {
    const data = expectData(await fresh.gql('serocu.analyst', `{ plansNeedingAttention(first: 50) { totalCount edges { node { id status quality { passes problems { code } } } } } }`));
    const found = data.plansNeedingAttention.edges.map((e: any) => e.node);
    expect(found.map((n: any) => n.id).sort()).toEqual([ids.noLro, ids.overdue, ids.underReview].sort());
    expect(data.plansNeedingAttention.totalCount).toBe(3);
    expect(found.find((n: any) => n.id === ids.overdue).quality.problems).toEqual([{ code: 'REVIEW_OVERDUE' }]);
    expect(found.every((n: any) => !n.quality.passes)).toBe(true);
  });

  it('filters on the gate and on overdue reviews in SQL, agreeing with the gate computed on each plan', async () => {
    const all = expectData(await fresh.gql('serocu.analyst', LIST, { first: 100, orderBy: [{ field: 'THREAT_NAME', direction: 'ASC' }] })).plans.edges.map((e: any) => e.node);
    expect(all).toHaveLength(10);
    expect(await names({ failingGate: true })).toEqual(all.filter((p: any) => !p.quality.passes).map((p: any) => p.threat.name));
    expect(await names({ failingGate: true })).toEqual(['Operation Birch', 'Operation Cedar', 'Operation Damson', 'Operation Elm', 'Operation Fir']);
    expect(await names({ failingGate: false })).toEqual(all.filter((p: any) => p.quality.passes).map((p: any) => p.threat.name));
    expect(await names({ reviewOverdue: true })).toEqual(['Operation Cedar']);
    expect(await names({ reviewOverdue: false })).toHaveLength(9);
  });

  it('filters by status, owner, threat and words in the threat, objectives or actions', async () => {
    expect(await names({ status: ['DRAFT', 'CLOSED'] })).toEqual(['Operation Elm', 'Operation Fir']);
    expect(await names({ owningOrganisationIds: [await orgId(fresh, 'SURREY')] })).toEqual(['Operation Damson']);
    const hazel = expectData(await fresh.gql('serocu.analyst', `{ threats(first: 1, filter: { text: "Hazel" }) { edges { node { id plan { id } } } } }`)).threats.edges[0].node;
    expect(await names({ threatIds: [hazel.id] })).toEqual(['Operation Hazel']);
    expect(await names({ text: 'hazel' })).toEqual(['Operation Hazel']);
    expect(await names({ text: 'SE-' })).toHaveLength(10);
    expect(await names({ text: 'prevent objective for Operation Ivy' })).toEqual(['Operation Ivy']);
    expect(await names({ text: "line holders' addresses (Operation Juniper" })).toEqual(['Operation Juniper']);
    expect(await names({ text: '100%' })).toEqual([]);
  });

  it('orders by next review due and by threat name', async () => {
    const data = expectData(await fresh.gql('serocu.analyst', LIST, { first: 2, filter: { status: ['ACTIVE', 'UNDER_REVIEW'] }, orderBy: [{ field: 'NEXT_REVIEW_DUE', direction: 'ASC' }] }));
    expect(data.plans.edges[0].node.threat.name).toBe('Operation Cedar');
    expect(await names({ status: ['ACTIVE'] })).toEqual(['Operation Alder', 'Operation Birch', 'Operation Cedar', 'Operation Gorse', 'Operation Hazel', 'Operation Ivy', 'Operation Juniper']);
  });

  it('loads a page of plans with quality, actions and partners in the same number of SQL statements for 3 or 10 plans', async () => {
    const NESTED = `query ($first: Int) { plans(first: $first) { totalCount edges { node {
      status nextReviewDue lro { username } owningOrganisation { code } threat { name criminalActivities { category } }
      quality { score passes problems { code message criminalActivity { id } } }
      objectives { strand actions { id } }
      actions { description isOverdue objective { strand } ownerOrganisation { code } addressesActivities { category } }
      partners { strands organisation { code } }
      intelligenceGaps { text } reviews { date reviewer { username } }
    } } } }`;
    const measure = async (first: number) => {
      await fresh.gql('serocu.analyst', '{ viewer { username } }');
      const sent = await statementsSentDuring(fresh, async () => expectData(await fresh.gql('serocu.analyst', NESTED, { first })).plans.edges);
      expect(sent.result).toHaveLength(first);
      return { statements: sent.sql.length, roundTrips: sent.roundTrips };
    };
    // Round trips, not statements: the reviewers of a page's reviews are known only once the
    // reviews are read, and cost a second user statement only when one of them was not already
    // loaded (as an LRO); that statement rides in the same round trip as the rest of its wave.
    const few = await measure(3);
    const many = await measure(10);
    expect(many.roundTrips).toBe(few.roundTrips);
    expect(few.statements).toBeLessThanOrEqual(22); // including the request transaction's BEGIN with the caller's settings, audit and COMMIT
  });
});

it('PLAN_FIELDS reads back a plan by node(id)', async () => {
  const { plan } = await completePlan(app);
  const data = expectData(await app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { __typename ... on FourPPlan { ${PLAN_FIELDS} } } }`, { id: plan.id }));
  expect(data.node).toEqual({ __typename: 'FourPPlan', ...plan });
});

describe('the plans register’s filters: LRO, lead organisation, overdue actions', () => {
  it('narrows plans by LRO, by the threat’s lead organisation, and by open actions past their due date', async () => {
    const onTime = await completePlan(app, 'tvp.investigator', { name: 'Operation Punctual' });
    const late = await completePlan(app, 'tvp.investigator', { name: 'Operation Tardy' });
    await sql(`update plan_action set due_date = current_date - 3 where plan_id = ?`, [Buffer.from(late.plan.id, 'base64url').toString().split(':')[1]]);
    const noLro = await createPlan(app, 'tvp.investigator', (await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Unled' })).id, { lroId: null });
    const threatIds = [onTime.threat.id, late.threat.id, noLro.threat.id];
    const names = async (filter: Record<string, unknown>) => {
      const data = expectData(
        await app.gql('tvp.investigator', `query ($filter: PlanFilter) { plans(first: 100, filter: $filter) { totalCount edges { node { threat { name } } } } }`, {
          filter: { threatIds, ...filter },
        }),
      ).plans;
      expect(data.totalCount).toBe(data.edges.length);
      return data.edges.map((e: any) => e.node.threat.name).sort();
    };
    expect(await names({ lroIds: [await userId(app, 'serocu.lro')] })).toEqual(['Operation Punctual', 'Operation Tardy']);
    expect(await names({ actionsOverdue: true })).toEqual(['Operation Tardy']);
    expect(await names({ actionsOverdue: false })).toEqual(['Operation Punctual', 'Operation Unled']);
    expect(await names({ leadOrganisationIds: [await orgId(app, 'TVP')] })).toEqual(['Operation Punctual', 'Operation Tardy', 'Operation Unled']);
    expect(await names({ leadOrganisationIds: [await orgId(app, 'SURREY')] })).toEqual([]);
  });
});
