import { randomUUID } from 'node:crypto';
import { createThreat, expectData, userId } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { LiveSubscription } from '../support/live-client';
import { adoptedThreat, createPlan } from '../support/plan-factories';
import { purposeFor } from '../support/purposes';
import { databaseToday } from '../support/clock';
import type { AccessLayers } from '../../server/src/access/layers';

/**
 * Analytical requests (issue 19, "demand against capacity") through the real API on real
 * PostgreSQL: who requests (law enforcement), what a request needs (a readable threat or plan, a
 * due date not in the past by the database's clock), the lifecycle and who moves it (SEROCU's OCG
 * coordinators accept, decline and assign; the assigned analyst starts and delivers), and who
 * reads it (the requesting organisation and the regional unit), with each access layer alone.
 */

const FIELDS = `id reference question productType priority dueOn status version protectiveMarking sharing
  owningOrganisation { code } sharedWith { code } requestedBy { username } threat { id name } plan { id } supportsPlan
  assignedAnalyst { username } declineReason declineExplanation acceptedAt declinedAt deliveredAt deliveredOnTime allowedMoves`;
const CREATE = `mutation ($input: CreateAnalyticalRequestInput!) { createAnalyticalRequest(input: $input) { ${FIELDS} } }`;
const NODE = `query ($id: ID!) { node(id: $id) { ... on AnalyticalRequest { ${FIELDS} } } }`;
const LIST = `{ analyticalRequests(first: 100) { totalCount edges { node { id reference } } } }`;
const step = (name: string, inputType = 'AnalyticalRequestStepInput') => `mutation ($input: ${inputType}!) { ${name}(input: $input) { ${FIELDS} } }`;
const ACCEPT = step('acceptAnalyticalRequest');
const START = step('startAnalyticalRequest');
const DELIVER = step('deliverAnalyticalRequest');
const DECLINE = step('declineAnalyticalRequest', 'DeclineAnalyticalRequestInput');
const ASSIGN = step('assignAnalyticalRequest', 'AssignAnalyticalRequestInput');

type Result = { errors?: { message: string; extensions?: Record<string, any> }[]; data?: any };
const codeOf = (result: Result) => result.errors?.[0]?.extensions?.code;
const problems = (result: Result): Record<string, string> => {
  expect(codeOf(result)).toBe('BAD_USER_INPUT');
  return Object.fromEntries(result.errors![0].extensions!.fields.map((f: { field: string; message: string }) => [f.field, f.message]));
};

function setUp(accessLayers?: AccessLayers) {
  const ctx = {} as { app: TestApp; sql: (text: string, params?: unknown[]) => Promise<any[]>; dbToday: string; threatId: string };
  beforeAll(async () => {
    ctx.app = await createTestApp({ accessLayers });
    ctx.sql = (text, params = []) => ctx.app.app.orm.em.getConnection().execute(text, params);
    [{ today: ctx.dbToday }] = await ctx.sql(`select current_date::text as today`);
    ctx.threatId = (await createThreat(ctx.app, 'hiow.analyst', { name: 'Operation Harrier', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } })).id;
  });
  afterAll(() => ctx.app.stop());
  return ctx;
}

const daysFrom = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

function requestInput(ctx: { dbToday: string; threatId: string }, overrides: Record<string, unknown> = {}) {
  return {
    question: 'Who supplies the Harrier line in Portsmouth, and how is cash moved back to London?',
    productType: 'NETWORK_CHART',
    priority: 'HIGH',
    dueOn: daysFrom(ctx.dbToday, 14),
    threatId: ctx.threatId,
    protectiveMarking: 'OFFICIAL_SENSITIVE',
    ...overrides,
  };
}

const request = async (ctx: { app: TestApp; dbToday: string; threatId: string }, as = 'hiow.analyst', overrides: Record<string, unknown> = {}) =>
  expectData(await ctx.app.gql(as, CREATE, { input: requestInput(ctx, overrides) })).createAnalyticalRequest;
const doStep = (app: TestApp, as: string, mutation: string, input: Record<string, unknown>) => app.gql(as, mutation, { input });
const field = (mutation: string) => mutation.match(/\{ (\w+)\(/)![1];
const stepped = async (app: TestApp, as: string, mutation: string, input: Record<string, unknown>) => expectData(await doStep(app, as, mutation, input))[field(mutation)];

describe('requesting analysis', () => {
  const ctx = setUp();

  it("records a force's request for a threat it reads, shared with the regional unit, waiting for a decision", async () => {
    const made = await request(ctx);
    expect(made).toMatchObject({
      reference: expect.stringMatching(/^AR-\d{4}-[2-9A-HJKMNP-Z]{8}$/),
      status: 'REQUESTED',
      productType: 'NETWORK_CHART',
      priority: 'HIGH',
      owningOrganisation: { code: 'HIOW' },
      sharing: 'NAMED_ORGANISATIONS',
      sharedWith: [{ code: 'SEROCU' }],
      requestedBy: { username: 'hiow.analyst' },
      threat: { id: ctx.threatId, name: 'Operation Harrier' },
      plan: null,
      supportsPlan: false,
      assignedAnalyst: null,
      deliveredOnTime: null,
      allowedMoves: [],
      version: 1,
    });
    // SEROCU's OCG coordinator reads it and may accept or decline it.
    const seen = expectData(await ctx.app.gql('serocu.sro', NODE, { id: made.id })).node;
    expect(seen.allowedMoves).toEqual(['ACCEPT', 'DECLINE']);
  });

  it('names every missing or wrong field and writes nothing: no threat or plan, a due date in the past by the database clock, a marking above clearance', async () => {
    const [{ n: before }] = await ctx.sql('select count(*)::int as n from analytical_request');
    const empty = await ctx.app.gql('hiow.analyst', CREATE, { input: { question: '  ' } });
    expect(Object.keys(problems(empty)).sort()).toEqual(['input.dueOn', 'input.priority', 'input.productType', 'input.protectiveMarking', 'input.question', 'input.threatId']);
    const wrong = await ctx.app.gql('hiow.analyst', CREATE, { input: requestInput(ctx, { dueOn: daysFrom(ctx.dbToday, -1), protectiveMarking: 'SECRET' }) });
    expect(problems(wrong)).toEqual({ 'input.dueOn': 'cannot be in the past', 'input.protectiveMarking': 'is above your clearance' });
    const both = await ctx.app.gql('hiow.analyst', CREATE, { input: requestInput(ctx, { planId: ctx.threatId.replace(/./, 'x') }) });
    expect(problems(both)).toEqual({ 'input.planId': 'give the threat or the plan the analysis supports, not both' });
    const badDate = await ctx.app.gql('hiow.analyst', CREATE, { input: requestInput(ctx, { dueOn: '2026-02-30' }) });
    expect(problems(badDate)).toEqual({ 'input.dueOn': 'must be a date, YYYY-MM-DD' });
    const [{ n: after }] = await ctx.sql('select count(*)::int as n from analytical_request');
    expect(after).toBe(before);
  });

  it('supports a 4P plan the requester reads; a plan hidden from them is refused as one that does not exist', async () => {
    const threat = await adoptedThreat(ctx.app, 'tvp.investigator', { name: 'Operation Sandpiper' });
    const plan = await createPlan(ctx.app, 'tvp.investigator', threat.id);
    const made = await request(ctx, 'tvp.investigator', { threatId: null, planId: plan.id });
    expect(made).toMatchObject({ plan: { id: plan.id }, threat: null, supportsPlan: true, owningOrganisation: { code: 'TVP' } });
    const hiddenThreat = await adoptedThreat(ctx.app, 'surrey.investigator', { name: 'Operation Stint' });
    const hidden = await createPlan(ctx.app, 'surrey.investigator', hiddenThreat.id, { access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    const refused = await ctx.app.gql('tvp.investigator', CREATE, { input: requestInput(ctx, { threatId: null, planId: hidden.id }) });
    expect(problems(refused)).toEqual({ 'input.planId': 'no such plan' });
    const missing = await ctx.app.gql('tvp.investigator', CREATE, { input: requestInput(ctx, { threatId: null, planId: Buffer.from(`FourPPlan:${randomUUID()}`).toString('base64url') }) });
    expect(refused.errors).toEqual(missing.errors);
  });

  it('accepts a due date of today, by the database clock', async () => {
    // Read as the test runs: the file's day (ctx.dbToday) is yesterday once a run crosses midnight UTC.
    const today = await databaseToday(ctx.app.db.url);
    expect((await request(ctx, 'hiow.analyst', { dueOn: today })).dueOn).toBe(today);
  });

  it('refuses a threat the requester may not read exactly as one that does not exist', async () => {
    const hidden = await createThreat(ctx.app, 'surrey.investigator', { name: 'Hidden from Hampshire', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    const missing = await createThreat(ctx.app, 'surrey.investigator', { name: 'Deleted soon' });
    await ctx.sql('delete from criminal_activity where threat_id = (select id from soc_threat where name = ?)', ['Deleted soon']);
    await ctx.sql('delete from soc_threat where name = ?', ['Deleted soon']);
    const refusedHidden = await ctx.app.gql('hiow.analyst', CREATE, { input: requestInput(ctx, { threatId: hidden.id }) });
    const refusedMissing = await ctx.app.gql('hiow.analyst', CREATE, { input: requestInput(ctx, { threatId: missing.id }) });
    expect(problems(refusedHidden)).toEqual({ 'input.threatId': 'no such threat' });
    expect(refusedHidden.errors).toEqual(refusedMissing.errors);
  });

  it('is read only for a stated purpose, and each read, change and figure is on the audit trail', async () => {
    const made = await request(ctx);
    const dbId = Buffer.from(made.id, 'base64url').toString().split(':')[1];
    expect(codeOf(await ctx.app.gql('serocu.sro', NODE, { id: made.id }, { purpose: null }))).toBe('PURPOSE_REQUIRED');
    expect(codeOf(await ctx.app.gql('serocu.sro', '{ analyticalRequestStats { totals { requested } } }', {}, { purpose: null }))).toBe('PURPOSE_REQUIRED');
    expectData(await ctx.app.gql('serocu.sro', NODE, { id: made.id }, { purpose: 'TASKING' }));
    expectData(await ctx.app.gql('serocu.sro', '{ analyticalRequestStats { totals { requested } } }', {}, { purpose: 'TASKING' }));
    const events = await ctx.sql(
      `select username, action, purpose, detail -> 'aggregates' is not null as aggregate from audit_event where record_type = 'AnalyticalRequest' and (? = any (record_ids) or detail -> 'aggregates' is not null) order by id`,
      [dbId],
    );
    expect(events).toEqual(
      expect.arrayContaining([
        { username: 'hiow.analyst', action: 'CREATE', purpose: expect.any(String), aggregate: false },
        { username: 'serocu.sro', action: 'DENIED', purpose: null, aggregate: false },
        { username: 'serocu.sro', action: 'READ', purpose: 'TASKING', aggregate: false },
        { username: 'serocu.sro', action: 'READ', purpose: 'TASKING', aggregate: true },
      ]),
    );
  });

  it('is for law enforcement: a partner role is refused before anything runs', async () => {
    const refused = await ctx.app.gql('oxon.mash', CREATE, { input: requestInput(ctx) });
    expect(codeOf(refused)).toBe('FORBIDDEN');
  });
});

describe('the lifecycle', () => {
  const ctx = setUp();

  it('is accepted, assigned and declined by SEROCU\'s OCG coordinator, started and delivered by the assigned analyst, on time', async () => {
    const made = await request(ctx);
    // The requester and a SEROCU analyst do not decide; the coordinator does.
    expect(codeOf(await doStep(ctx.app, 'hiow.analyst', ACCEPT, { id: made.id, expectedVersion: 1 }))).toBe('FORBIDDEN');
    expect(codeOf(await doStep(ctx.app, 'serocu.sro', ACCEPT, { id: made.id, expectedVersion: 9 }))).toBe('CONFLICT');
    const accepted = await stepped(ctx.app, 'serocu.sro', ACCEPT, { id: made.id, expectedVersion: 1 });
    expect(accepted).toMatchObject({ status: 'ACCEPTED', acceptedAt: expect.any(String), allowedMoves: ['DECLINE', 'ASSIGN'], version: 2 });
    // Accepting twice is a move its status does not allow, named at the request.
    expect(problems(await doStep(ctx.app, 'serocu.sro', ACCEPT, { id: made.id, expectedVersion: 2 }))).toEqual({ 'input.id': 'This request is accepted, so it cannot be accepted.' });
    // Only an analyst of the regional unit is assigned.
    const wrongAnalyst = await doStep(ctx.app, 'serocu.sro', ASSIGN, { id: made.id, expectedVersion: 2, analystId: await userId(ctx.app, 'hiow.analyst') });
    expect(problems(wrongAnalyst)).toEqual({ 'input.analystId': 'no such analyst at your organisation' });
    // Nobody is assigned yet, so nobody starts it.
    expect(codeOf(await doStep(ctx.app, 'serocu.analyst', START, { id: made.id, expectedVersion: 2 }))).toBe('FORBIDDEN');
    const assigned = await stepped(ctx.app, 'serocu.sro', ASSIGN, { id: made.id, expectedVersion: 2, analystId: await userId(ctx.app, 'serocu.analyst') });
    expect(assigned).toMatchObject({ status: 'ACCEPTED', assignedAnalyst: { username: 'serocu.analyst' }, version: 3 });
    const asAnalyst = expectData(await ctx.app.gql('serocu.analyst', NODE, { id: made.id })).node;
    expect(asAnalyst.allowedMoves).toEqual(['START']);
    expect(problems(await doStep(ctx.app, 'serocu.analyst', DELIVER, { id: made.id, expectedVersion: 3 }))).toEqual({ 'input.id': 'This request is accepted, so it cannot be delivered.' });
    await stepped(ctx.app, 'serocu.analyst', START, { id: made.id, expectedVersion: 3 });
    const delivered = await stepped(ctx.app, 'serocu.analyst', DELIVER, { id: made.id, expectedVersion: 4 });
    expect(delivered).toMatchObject({ status: 'DELIVERED', deliveredAt: expect.any(String), deliveredOnTime: true, allowedMoves: [], version: 5 });
    // Delivered is final.
    expect(problems(await doStep(ctx.app, 'serocu.sro', DECLINE, { id: made.id, expectedVersion: 5, reason: 'LACK_OF_CAPACITY', explanation: 'Too late.' }))).toEqual({
      'input.id': 'This request is delivered, so it cannot be declined.',
    });
  });

  it('counts a delivery after the due date as late', async () => {
    const made = await request(ctx, 'hiow.analyst', { dueOn: await databaseToday(ctx.app.db.url) });
    await stepped(ctx.app, 'serocu.sro', ACCEPT, { id: made.id, expectedVersion: 1 });
    await stepped(ctx.app, 'serocu.sro', ASSIGN, { id: made.id, expectedVersion: 2, analystId: await userId(ctx.app, 'serocu.analyst') });
    await stepped(ctx.app, 'serocu.analyst', START, { id: made.id, expectedVersion: 3 });
    // The due date moves back (as if the work had taken a week longer); only the database can do that.
    await ctx.sql(`update analytical_request set due_on = current_date - 7 where id = (select id from analytical_request where reference = ?)`, [made.reference]);
    const delivered = await stepped(ctx.app, 'serocu.analyst', DELIVER, { id: made.id, expectedVersion: 4 });
    expect(delivered.deliveredOnTime).toBe(false);
  });

  it('is declined only with a reason code and words, and then is final', async () => {
    const made = await request(ctx);
    const bare = await doStep(ctx.app, 'serocu.sro', DECLINE, { id: made.id, expectedVersion: 1, explanation: ' ' });
    expect(problems(bare)).toEqual({ 'input.reason': 'is required', 'input.explanation': 'is required' });
    const declined = await stepped(ctx.app, 'serocu.sro', DECLINE, {
      id: made.id,
      expectedVersion: 1,
      reason: 'LACK_OF_CAPACITY',
      explanation: 'Both analysts are committed to Operation Kestrel until the end of the month.',
    });
    expect(declined).toMatchObject({ status: 'DECLINED', declineReason: 'LACK_OF_CAPACITY', declinedAt: expect.any(String), allowedMoves: [], version: 2 });
    expect(problems(await doStep(ctx.app, 'serocu.sro', ACCEPT, { id: made.id, expectedVersion: 2 }))).toEqual({ 'input.id': 'This request is declined, so it cannot be accepted.' });
    const [row] = await ctx.sql(`select status, decline_reason from analytical_request where reference = ?`, [made.reference]);
    expect(row).toEqual({ status: 'DECLINED', decline_reason: 'LACK_OF_CAPACITY' });
  });
});

// Who reads what: the requesting organisation and the regional unit; with each layer alone too.
describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('reading analytical requests, with %s', (_mode, accessLayers) => {
  const ctx = setUp(accessLayers);
  let made: { id: string; reference: string };

  beforeAll(async () => {
    made = await request(ctx);
  });

  const listed = async (as: string) => expectData(await ctx.app.gql(as, LIST)).analyticalRequests.edges.map((e: { node: { reference: string } }) => e.node.reference);
  const node = async (as: string) => expectData(await ctx.app.gql(as, NODE, { id: made.id })).node;

  it('is read by the requesting organisation and the regional unit', async () => {
    expect(await listed('hiow.analyst')).toContain(made.reference);
    expect(await listed('serocu.sro')).toContain(made.reference);
    expect((await node('serocu.analyst'))?.reference).toBe(made.reference);
  });

  it('is missing for another force, a partner and an administrator, and they cannot move it', async () => {
    for (const as of ['surrey.investigator', 'oxon.mash', 'serocu.admin']) {
      expect(await listed(as)).not.toContain(made.reference);
      expect(await node(as)).toBeNull();
    }
    // A coordinator of a force could not see it either: the hidden request is not found.
    await ctx.sql(`update app_user set roles = array['INVESTIGATOR', 'OCG_COORDINATOR'] where username = 'surrey.investigator'`);
    const hidden = await doStep(ctx.app, 'surrey.investigator', ACCEPT, { id: made.id, expectedVersion: 1 });
    await ctx.sql(`update app_user set roles = array['INVESTIGATOR'] where username = 'surrey.investigator'`);
    expect(codeOf(hidden)).toBe('NOT_FOUND');
  });
});

describe('live events', () => {
  const ctx = setUp();

  it('tell the requester and the regional unit of a request and each move, and no other force', async () => {
    const query = `subscription ($after: String) { events(after: $after) { type recordType recordId changedFields
      record { ... on AnalyticalRequest { status allowedMoves } ... on SocThreat { name } } } }`;
    const subscribe = async (as: string) => {
      const after = expectData(await ctx.app.gql(as, '{ eventCursor }')).eventCursor;
      return new LiveSubscription(ctx.app.url, await ctx.app.tokenFor(as), query, { after }, purposeFor(as));
    };
    const [requester, manager, otherForce] = [await subscribe('hiow.analyst'), await subscribe('serocu.sro'), await subscribe('surrey.investigator')];
    try {
      const made = await request(ctx);
      // An event carries the record as it is when delivered: the creation is heard before the move.
      const [created] = await manager.take(1);
      expect(created.events).toEqual({ type: 'CREATED', recordType: 'AnalyticalRequest', recordId: made.id, changedFields: expect.any(Array), record: { status: 'REQUESTED', allowedMoves: ['ACCEPT', 'DECLINE'] } });
      await requester.take(1);
      await stepped(ctx.app, 'serocu.sro', ACCEPT, { id: made.id, expectedVersion: 1 });
      const [, accepted] = await requester.take(2);
      expect(accepted.events).toMatchObject({ type: 'UPDATED', recordType: 'AnalyticalRequest', recordId: made.id, changedFields: expect.arrayContaining(['status', 'acceptedAt']), record: { status: 'ACCEPTED', allowedMoves: [] } });
      // A marker every force reads, after them all: the other force was told nothing before it.
      await createThreat(ctx.app, 'hiow.analyst', { name: 'Live marker' });
      const [marker] = await otherForce.take(1);
      expect(marker.events.record).toEqual({ name: 'Live marker' });
      expect(otherForce.received).toHaveLength(1);
    } finally {
      await Promise.all([requester.close(), manager.close(), otherForce.close()]);
    }
  });
});
