import { createTestApp, type TestApp } from '../support/test-app';
import { approvedAssessment, createThreat, expectData, flatScores } from '../support/factories';

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const CREATE = `mutation ($input: CreateAssessmentInput!) { createAssessment(input: $input) {
  id version status modelVersion harmScore likelihoodScore organisationalPositionScore riskScore priority harm { physical } assessedBy { username } } }`;
const SUBMIT = `mutation ($input: AssessmentDecisionInput!) { submitAssessment(input: $input) { id version status } }`;
const APPROVE = `mutation ($input: AssessmentDecisionInput!) { approveAssessment(input: $input) { id version status decidedBy { username } } }`;
const RETURN = `mutation ($input: AssessmentDecisionInput!) { returnAssessment(input: $input) { id version status statusReason } }`;

const input = (threatId: string, level: number, extra: object = {}) => ({
  threatId,
  method: 'MORILE_TACTICAL',
  confidence: 'HIGH',
  rationale: 'Intelligence from three sources.',
  ...flatScores(level),
  ...extra,
});

async function threatPriority(id: string) {
  return expectData(await app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat { priority riskScore currentAssessment { id } unassessedActivities { category } } } }`, { id })).node;
}

describe('scoring', () => {
  it('computes harm, likelihood, risk and band with the current model version, and stores them', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const created = expectData(await app.gql('serocu.analyst', CREATE, { input: input(threat.id, 4) })).createAssessment;
    // Every factor at the top of the scale: harm and likelihood 100%, HIGH confidence keeps risk at 100.
    expect(created).toMatchObject({ status: 'DRAFT', modelVersion: 1, harmScore: 100, likelihoodScore: 100, riskScore: 100, priority: 'HIGH', organisationalPositionScore: 50 });
    const low = expectData(await app.gql('serocu.analyst', CREATE, { input: input(threat.id, 1, { confidence: 'LOW' }) })).createAssessment;
    // 25% × 25% × 0.75 = 4.69: the lowest band.
    expect(low).toMatchObject({ harmScore: 25, likelihoodScore: 25, riskScore: 4.69, priority: 'STANDARD' });
  });

  it('refuses scores off the scale and a missing rationale, naming each field', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const bad = input(threat.id, 2, { rationale: ' ' });
    bad.harm.physical = 7;
    bad.likelihood.frequency = -1;
    const result = await app.gql('serocu.analyst', CREATE, { input: bad });
    expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.fields.map((f: any) => f.field).sort()).toEqual(['input.harm.physical', 'input.likelihood.frequency', 'input.rationale']);
  });

  it('refuses an activity from another threat', async () => {
    const a = await createThreat(app, 'tvp.investigator');
    const b = await createThreat(app, 'tvp.investigator');
    const result = await app.gql('serocu.analyst', CREATE, { input: input(a.id, 2, { criminalActivityId: b.criminalActivities[0].id }) });
    expect(result.errors![0].extensions!.fields).toEqual([{ field: 'input.criminalActivityId', message: 'is not an activity of this threat' }]);
  });
});

describe('workflow', () => {
  it('needs the assessor role to assess and a second person to approve', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const notAssessor = await app.gql('tvp.investigator', CREATE, { input: input(threat.id, 2) });
    expect(notAssessor.errors![0].extensions!.code).toBe('FORBIDDEN');

    const created = expectData(await app.gql('serocu.analyst', CREATE, { input: input(threat.id, 2) })).createAssessment;
    const early = await app.gql('serocu.sro', APPROVE, { input: { id: created.id, expectedVersion: created.version } });
    expect(early.errors![0].extensions!.fields[0].message).toBe('cannot approve an assessment that is “draft”; it must be “awaiting approval”');

    const submitted = expectData(await app.gql('serocu.analyst', SUBMIT, { input: { id: created.id, expectedVersion: created.version } })).submitAssessment;
    const own = await app.gql('serocu.analyst', APPROVE, { input: { id: submitted.id, expectedVersion: submitted.version } });
    expect(own.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(own.errors![0].message).toMatch(/cannot approve your own/);

    const stale = await app.gql('serocu.sro', APPROVE, { input: { id: submitted.id, expectedVersion: created.version } });
    expect(stale.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: submitted.version });

    const approved = expectData(await app.gql('serocu.sro', APPROVE, { input: { id: submitted.id, expectedVersion: submitted.version } })).approveAssessment;
    expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: { username: 'serocu.sro' } });
    expect((await threatPriority(threat.id)).currentAssessment).toEqual({ id: approved.id });
  });

  it('returns an assessment with a reason, and it can be revised and resubmitted', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const created = expectData(await app.gql('serocu.analyst', CREATE, { input: input(threat.id, 2) })).createAssessment;
    const submitted = expectData(await app.gql('serocu.analyst', SUBMIT, { input: { id: created.id, expectedVersion: created.version } })).submitAssessment;
    const noReason = await app.gql('serocu.sro', RETURN, { input: { id: submitted.id, expectedVersion: submitted.version } });
    expect(noReason.errors![0].extensions!.fields).toEqual([{ field: 'input.reason', message: 'is required' }]);
    const returned = expectData(await app.gql('serocu.sro', RETURN, { input: { id: submitted.id, expectedVersion: submitted.version, reason: 'Harm to children understated.' } })).returnAssessment;
    expect(returned).toMatchObject({ status: 'RETURNED', statusReason: 'Harm to children understated.' });
    const revised = expectData(await app.gql('serocu.analyst', `mutation ($input: ReviseAssessmentInput!) { reviseAssessment(input: $input) { status version harm { physical } } }`, {
      input: { id: returned.id, expectedVersion: returned.version, method: 'MORILE_TACTICAL', confidence: 'HIGH', rationale: 'Rescored.', ...flatScores(3) },
    })).reviseAssessment;
    expect(revised).toMatchObject({ status: 'DRAFT', harm: { physical: 3 } });
  });
});

describe("a threat's overall priority", () => {
  it('is derived from every activity: adding a high-harm second activity raises it', async () => {
    let threat = await createThreat(app, 'tvp.investigator');
    await approvedAssessment(app, threat.id, { level: 2, activityId: threat.criminalActivities[0].id });
    const before = await threatPriority(threat.id);
    expect(before).toMatchObject({ priority: 'LOW', riskScore: 25 });

    threat = expectData(await app.gql('tvp.investigator', `mutation ($input: AddCriminalActivityInput!) { addCriminalActivity(input: $input) { id version criminalActivities { id category } } }`, {
      input: { threatId: threat.id, expectedVersion: 1, activity: { category: 'ILLEGAL_FIREARMS', description: 'Supplying converted pistols to rival groups.', firstIdentified: '2025-10-01' } },
    })).addCriminalActivity;
    expect((await threatPriority(threat.id)).unassessedActivities).toEqual([{ category: 'ILLEGAL_FIREARMS' }]);

    await approvedAssessment(app, threat.id, { level: 4, activityId: threat.criminalActivities[1].id });
    const after = await threatPriority(threat.id);
    expect(after.priority).toBe('HIGH');
    expect(after.riskScore).toBeGreaterThan(before.riskScore);
    expect(after.unassessedActivities).toEqual([]);
  });

  it('counts the breadth of criminality: several moderate activities outrank one', async () => {
    const single = await createThreat(app, 'tvp.investigator');
    await approvedAssessment(app, single.id, { level: 2, activityId: single.criminalActivities[0].id });
    const broad = await createThreat(app, 'tvp.investigator', {
      criminalActivities: ['ILLEGAL_DRUGS', 'MONEY_LAUNDERING', 'MODERN_SLAVERY_HUMAN_TRAFFICKING'].map((category) => ({ category, description: `${category} by the group.`, firstIdentified: '2025-06-01' })),
    });
    for (const activity of broad.criminalActivities) await approvedAssessment(app, broad.id, { level: 2, activityId: activity.id });
    const one = await threatPriority(single.id);
    const three = await threatPriority(broad.id);
    // Same risk per activity (25); two further significant activities add 5 each.
    expect(one.riskScore).toBe(25);
    expect(three.riskScore).toBe(35);
    expect(three.priority).toBe('MEDIUM');
  });
});

describe('the scoring model as versioned configuration', () => {
  it('lets an admin publish a new version; new assessments use it, old ones keep theirs', async () => {
    const current = expectData(await app.gql('serocu.analyst', '{ assessmentModel { version definition } }')).assessmentModel;
    expect(current.version).toBeGreaterThanOrEqual(1);
    const stricter = { ...current.definition, priorityBands: [{ band: 'HIGH', minRisk: 90 }, { band: 'MEDIUM', minRisk: 60 }, { band: 'LOW', minRisk: 30 }, { band: 'STANDARD', minRisk: 0 }] };

    const PUBLISH = `mutation ($input: PublishAssessmentModelInput!) { publishAssessmentModel(input: $input) { version note createdBy { username } } }`;
    const notAdmin = await app.gql('serocu.analyst', PUBLISH, { input: { definition: stricter } });
    expect(notAdmin.errors![0].extensions!.code).toBe('FORBIDDEN');
    const invalid = await app.gql('serocu.admin', PUBLISH, { input: { definition: { ...stricter, harm: { physical: 'high' } } } });
    expect(invalid.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(invalid.errors![0].extensions!.fields.map((f: any) => f.field)).toContain('input.definition.harm.physical');

    const threat = await createThreat(app, 'tvp.investigator');
    const old = expectData(await app.gql('serocu.analyst', CREATE, { input: input(threat.id, 3) })).createAssessment;
    const published = expectData(await app.gql('serocu.admin', PUBLISH, { input: { definition: stricter, note: 'Stricter bands agreed at the regional board.' } })).publishAssessmentModel;
    expect(published).toMatchObject({ version: current.version + 1, createdBy: { username: 'serocu.admin' } });

    const fresh = expectData(await app.gql('serocu.analyst', CREATE, { input: input(threat.id, 3) })).createAssessment;
    expect(fresh.modelVersion).toBe(current.version + 1);
    expect(fresh.riskScore).toBe(old.riskScore); // 56.25 under both
    expect([old.priority, fresh.priority]).toEqual(['HIGH', 'LOW']);
    const again = expectData(await app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on ThreatAssessment { modelVersion priority } } }`, { id: old.id })).node;
    expect(again).toEqual({ modelVersion: current.version, priority: 'HIGH' });
  });
});
