import { randomUUID } from 'node:crypto';
import { createTestApp, type GqlOptions, type TestApp } from '../../support/test-app';
import { expectData, orgId, userId } from '../../support/factories';
import { ACCESS, PLAN_FIELDS, adoptedThreat, createPlan, planDo, planOp } from '../../support/plan-factories';

/**
 * planQualityPreview: the quality gate of a plan with the editor's unsaved changes applied,
 * through the real GraphQL API on real PostgreSQL. The preview must say exactly what the plan's
 * own gate says once the same changes are saved, write nothing, and answer only those who may
 * change the plan.
 */

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

/** As the connecting superuser, past row-level security. */
const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

const QUALITY = `score passes checksMade checksPassed problems { code message strand criminalActivity { id category } }`;
const PREVIEW = `query PreviewGate($planId: ID!, $draft: PlanDraftInput!) { planQualityPreview(planId: $planId, draft: $draft) { ${QUALITY} } }`;

interface Draft {
  lroId?: string | null;
  strandExemptions?: { strand: string; reason: string }[];
  objectives?: { strand: string }[];
  actions?: { strand: string; status?: string; addressesActivityIds: string[] }[];
  partners?: { organisationId: string; strands: string[] }[];
}

const preview = (as: string, planId: string, draft: Draft, options?: GqlOptions) => app.gql(as, PREVIEW, { planId, draft }, options);

async function previewOf(as: string, planId: string, draft: Draft) {
  return expectData(await preview(as, planId, draft)).planQualityPreview;
}

/** Saves a draft with the mutations the editor calls on save, in the order the preview assumes; returns the plan. */
async function saveDraft(as: string, plan: any, draft: Draft) {
  const owner = await orgId(app, 'TVP');
  const next = async (op: Parameters<typeof planDo>[2], input: Record<string, unknown>) =>
    (plan = await planDo(app, as, op, { expectedVersion: plan.version, ...input }));
  if (draft.lroId !== undefined || draft.strandExemptions) await next('updatePlan', { id: plan.id, lroId: draft.lroId, strandExemptions: draft.strandExemptions });
  for (const o of draft.objectives ?? []) await next('addObjective', { planId: plan.id, objective: { strand: o.strand, description: `A ${o.strand} objective` } });
  for (const a of draft.actions ?? []) {
    await next('addAction', { planId: plan.id, action: { ...a, description: `A ${a.strand} action`, tactic: 'CRIME', ownerOrganisationId: owner } });
  }
  for (const p of draft.partners ?? []) await next('addPlanPartner', { planId: plan.id, ...p });
  return plan;
}

/** An ACTIVE plan owned by TVP with no LRO, its review overdue, over a threat with two activities: every rule fails. */
async function failingPlan(access = ACCESS) {
  const threat = await adoptedThreat(app, 'tvp.investigator', {
    criminalActivities: [
      { category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply via the "Jay" line.', firstIdentified: '2025-06-01' },
      { category: 'MODERN_SLAVERY_HUMAN_TRAFFICKING', subCategory: 'CHILD_CRIMINAL_EXPLOITATION', description: 'Children running the line.', firstIdentified: '2025-06-01' },
    ],
  });
  let plan = await createPlan(app, 'tvp.investigator', threat.id, { lroId: null, access });
  plan = await planDo(app, 'tvp.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'ACTIVE' });
  // Overdue: the clock has run past the review date (nothing the API can do to a plan by itself).
  await sql(`update fourp_plan set next_review_due = current_date - 3 where id = ?`, [dbId(plan.id)]);
  plan = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on FourPPlan { ${PLAN_FIELDS} } } }`, { id: plan.id })).node;
  const [drugs, exploitation] = threat.criminalActivities.map((a: any) => a.id);
  return { threat, plan, drugs, exploitation };
}

const codesOf = (quality: any) => [...new Set(quality.problems.map((p: any) => p.code))].sort();
const ALL_CODES = ['ACTIVITY_NOT_ADDRESSED', 'MISSING_STRAND', 'NO_LRO', 'PARTNER_NOT_NAMED', 'REVIEW_OVERDUE'];

describe('planQualityPreview', () => {
  it('shows every gate rule exactly as the saved plan’s gate does once the same changes are saved', async () => {
    const { plan: saved, drugs, exploitation } = await failingPlan();
    const lro = await userId(app, 'serocu.lro');
    const [oxon, surrey] = [await orgId(app, 'OXON_CS'), await orgId(app, 'SURREY')];

    // No changes: the preview is the plan's own gate, every rule failing.
    const unchanged = await previewOf('tvp.investigator', saved.id, {});
    expect(unchanged).toEqual(saved.quality);
    expect(codesOf(unchanged)).toEqual(ALL_CODES);

    // Each step is typed (previewed), then saved; the saved gate must be the preview, problem for problem.
    const steps: { draft: Draft; fails: string[]; passes: string[] }[] = [
      {
        draft: {
          lroId: lro,
          objectives: [{ strand: 'PURSUE' }],
          actions: [{ strand: 'PURSUE', addressesActivityIds: [drugs] }],
          partners: [{ organisationId: oxon, strands: ['PREVENT'] }],
        },
        fails: ['ACTIVITY_NOT_ADDRESSED', 'MISSING_STRAND', 'PARTNER_NOT_NAMED', 'REVIEW_OVERDUE'],
        passes: ['NO_LRO'],
      },
      {
        // An exemption answers a strand (and its partner check); a cancelled action addresses nothing;
        // naming a partner again replaces its strands; a null LRO clears it.
        draft: {
          lroId: null,
          strandExemptions: [{ strand: 'PROTECT', reason: 'No identifiable victims to protect yet.' }],
          actions: [{ strand: 'PREVENT', status: 'CANCELLED', addressesActivityIds: [exploitation] }],
          partners: [{ organisationId: oxon, strands: ['PURSUE'] }],
        },
        fails: ['ACTIVITY_NOT_ADDRESSED', 'MISSING_STRAND', 'NO_LRO', 'PARTNER_NOT_NAMED', 'REVIEW_OVERDUE'],
        passes: [],
      },
      {
        draft: {
          lroId: lro,
          objectives: [{ strand: 'PREVENT' }, { strand: 'PREPARE' }],
          actions: [{ strand: 'PREVENT', addressesActivityIds: [exploitation] }],
          partners: [{ organisationId: surrey, strands: ['PREVENT'] }],
        },
        fails: ['REVIEW_OVERDUE'],
        passes: ['ACTIVITY_NOT_ADDRESSED', 'MISSING_STRAND', 'NO_LRO', 'PARTNER_NOT_NAMED'],
      },
    ];
    let plan = saved;
    for (const { draft, fails, passes } of steps) {
      const previewed = await previewOf('tvp.investigator', plan.id, draft);
      expect(codesOf(previewed)).toEqual(fails);
      for (const code of passes) expect(codesOf(previewed)).not.toContain(code);
      const before = plan.quality;
      plan = await saveDraft('tvp.investigator', plan, draft);
      expect(plan.quality).toEqual(previewed);
      expect(before).not.toEqual(previewed);
    }
    expect(plan.quality).toMatchObject({ passes: false, problems: [{ code: 'REVIEW_OVERDUE', message: expect.stringMatching(/^The review was due on /) }] });
  });

  it('writes nothing but the audit event of reading the plan: no table changes, the plan keeps its version', async () => {
    const { plan, drugs, exploitation } = await failingPlan();
    const draft: Draft = {
      lroId: await userId(app, 'serocu.lro'),
      strandExemptions: [{ strand: 'PREPARE', reason: 'Not applicable.' }],
      objectives: [{ strand: 'PURSUE' }, { strand: 'PREVENT' }],
      actions: [{ strand: 'PURSUE', addressesActivityIds: [drugs, exploitation] }],
      partners: [{ organisationId: await orgId(app, 'OXON_CS'), strands: ['PREVENT', 'PROTECT'] }],
    };
    const before = await snapshot();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['fourp_plan', 'plan_objective', 'plan_action', 'plan_partner', 'record_version', 'live_event']));
    const requestId = randomUUID();
    const result = await app.gql('tvp.investigator', `query PreviewGate($planId: ID!, $draft: PlanDraftInput!) { planQualityPreview(planId: $planId, draft: $draft) { score problems { code } } }`, { planId: plan.id, draft }, { headers: { 'x-request-id': requestId } });
    expect(expectData(result).planQualityPreview.problems.map((p: any) => p.code)).toEqual(['MISSING_STRAND', 'REVIEW_OVERDUE']);

    expect(await snapshot()).toEqual(before);
    const events = await sql('select action, record_type, record_ids, operation, purpose from audit_event where request_id = ?', [requestId]);
    expect(events).toEqual([{ action: 'READ', record_type: 'FourPPlan', record_ids: [dbId(plan.id)], operation: 'PreviewGate', purpose: 'INVESTIGATION' }]);
    const now = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on FourPPlan { ${PLAN_FIELDS} } } }`, { id: plan.id })).node;
    expect(now).toEqual(plan);
  });

  it('needs a stated purpose for a sensitive plan, as reading it does; an OFFICIAL plan needs none and leaves no event', async () => {
    const { plan } = await failingPlan();
    const refused = await preview('tvp.investigator', plan.id, {}, { purpose: null });
    expect(refused.errors![0].extensions!.code).toBe('PURPOSE_REQUIRED');
    expect(refused.data?.planQualityPreview).toBeUndefined();

    const { plan: official } = await failingPlan({ protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' });
    const requestId = randomUUID();
    const answered = await preview('tvp.investigator', official.id, {}, { purpose: null, headers: { 'x-request-id': requestId } });
    expect(expectData(answered).planQualityPreview.problems.length).toBeGreaterThan(0);
    expect(await sql('select action from audit_event where request_id = ?', [requestId])).toEqual([]);
  });

  describe('access: only those who may change the plan', () => {
    it('refuses another organisation that can see the plan with FORBIDDEN, as updatePlan does', async () => {
      const { plan } = await failingPlan();
      const refused = await preview('surrey.investigator', plan.id, {});
      const update = await planOp(app, 'surrey.investigator', 'updatePlan', { id: plan.id, expectedVersion: plan.version, reviewFrequencyDays: 30 });
      expect(update.errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(refused.errors![0].extensions!.code).toBe('FORBIDDEN');
      expect(refused.errors![0].message).toBe(update.errors![0].message);
      expect(refused.data).toBeNull();
    });

    it('answers a plan the caller may not see exactly as one that does not exist: NOT_FOUND', async () => {
      const { plan } = await failingPlan({ protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' });
      const missingId = Buffer.from(`FourPPlan:${randomUUID()}`, 'utf8').toString('base64url');
      const strip = (r: any) => ({ data: r.data, errors: r.errors.map((e: any) => ({ message: e.message, code: e.extensions.code, fields: e.extensions.fields })) });
      const unseen = strip(await preview('surrey.investigator', plan.id, {}));
      const missing = strip(await preview('surrey.investigator', missingId, {}));
      expect(unseen.errors[0].code).toBe('NOT_FOUND');
      expect(unseen).toEqual(missing);
      // A partner organisation, which sees no REGIONAL_LAW_ENFORCEMENT plan at all, gets the same.
      const { plan: regional } = await failingPlan();
      expect(strip(await preview('oxon.mash', regional.id, {}, { purpose: 'SAFEGUARDING' }))).toEqual(strip(await preview('oxon.mash', missingId, {}, { purpose: 'SAFEGUARDING' })));
    });
  });

  describe('bad input', () => {
    it('names every invalid field of the draft, with the messages the saving mutations give', async () => {
      const { plan } = await failingPlan();
      const { drugs: foreignActivity } = await failingPlan(); // an activity of another plan's threat
      const result = await preview('tvp.investigator', plan.id, {
        lroId: await userId(app, 'tvp.investigator'),
        strandExemptions: [
          { strand: 'PREPARE', reason: ' ' },
          { strand: 'PREPARE', reason: 'Twice.' },
        ],
        objectives: [{ strand: 'PREPARE' }],
        actions: [{ strand: 'PURSUE', addressesActivityIds: [foreignActivity, 'not-an-id'] }],
        partners: [{ organisationId: plan.id, strands: [] }],
      });
      expect(result.data).toBeNull();
      expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
      const fields = Object.fromEntries(result.errors![0].extensions!.fields.map((f: any) => [f.field, f.message]));
      expect(fields).toEqual({
        'draft.lroId': 'must be a user with the LRO role',
        'draft.strandExemptions[0].reason': 'is required',
        'draft.strandExemptions[1].strand': 'PREPARE is listed more than once',
        'draft.objectives[0].strand': 'PREPARE is recorded as not applying to this threat; remove that exemption first',
        'draft.actions[0].addressesActivityIds[0]': "is not a criminal activity of this plan's threat",
        'draft.actions[0].addressesActivityIds[1]': 'is not the ID of a CriminalActivity',
        'draft.partners[0].organisationId': 'is not the ID of a Organisation',
        'draft.partners[0].strands': 'name at least one strand',
      });

      // The same content refused by the mutation that would save it, with the same message.
      const action = await planOp(app, 'tvp.investigator', 'addAction', {
        planId: plan.id,
        expectedVersion: plan.version,
        action: { strand: 'PURSUE', description: 'A warrant', tactic: 'CRIME', ownerOrganisationId: await orgId(app, 'TVP'), addressesActivityIds: [foreignActivity] },
      });
      expect(action.errors![0].extensions!.fields).toEqual([{ field: 'input.action.addressesActivityIds[0]', message: fields['draft.actions[0].addressesActivityIds[0]'] }]);
    });

    it('refuses a plan ID that is not one, and additions to a closed plan, naming the field', async () => {
      const bad = await preview('tvp.investigator', 'not-a-plan', {});
      expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'planId', message: 'is not the ID of a FourPPlan' }] });

      let { plan } = await failingPlan();
      plan = await planDo(app, 'tvp.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'CLOSED', closureReason: 'Group dismantled.' });
      const closed = await preview('tvp.investigator', plan.id, { objectives: [{ strand: 'PURSUE' }] });
      expect(closed.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'draft', message: expect.stringMatching(/^the plan is closed/) }] });
      // With nothing to add, a closed plan's gate can still be previewed (an exemption or the LRO).
      expect(expectData(await preview('tvp.investigator', plan.id, { lroId: null })).planQualityPreview.problems.map((p: any) => p.code)).toContain('NO_LRO');
    });
  });
});

/** Every table's content but the audit trail's, as one digest per table: what a write would change. */
async function snapshot(): Promise<Record<string, string>> {
  const tables = (await sql(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not in ('audit_event', 'audit_chain_head') order by table_name`,
  )) as { table_name: string }[];
  const digests: Record<string, string> = {};
  for (const { table_name } of tables) {
    const [row] = await sql(`select count(*)::int as n, coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as digest from "${table_name}" t`);
    digests[table_name] = `${row.n}:${row.digest}`;
  }
  return digests;
}
