import { assessedThreat, dbId, globalId, sql, submittedDisruption } from '../support/disruption-factories';
import { createThreat, expectData, flatScores, orgId, userId } from '../support/factories';
import { raiseMarkingOnUpdate, sharingAgreement } from '../support/access-factories';
import { adoptedThreat, createPlan, planDo, planOp } from '../support/plan-factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Writes under the access model: who may change what, beyond who may read it. Each case is a
 * way round the read rules that an adversarial review found, refused at its cause.
 */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  // Partners that can read what SEROCU shares with all partners, as in the review.
  await sharingAgreement(app, { parties: ['SEROCU', 'OXON_CS', 'HMRC'], maxMarking: 'OFFICIAL_SENSITIVE' });
});
afterAll(() => app.stop());

const plansOf = (threatId: string) => sql(app, `select owning_organisation_id from fourp_plan where threat_id = ?`, [dbId(threatId)]);

describe('opening a threat’s 4P plan', () => {
  /** An adopted SEROCU threat shared with all partners: every demo user can read it. */
  async function serocuThreat(name: string) {
    return adoptedThreat(app, 'serocu.analyst', {
      name,
      leadOrganisationId: await orgId(app, 'SEROCU'),
      access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' },
    });
  }

  it('is refused to partners who can read the threat (children’s services, HMRC), and leaves no plan behind', async () => {
    const threat = await serocuThreat('Operation Takeover');
    for (const partner of ['oxon.mash', 'hmrc.officer']) {
      expect(expectData(await app.gql(partner, `query ($id: ID!) { node(id: $id) { id } }`, { id: threat.id })).node).toEqual({ id: threat.id });
      const refused = await planOp(app, partner, 'createPlan', { threatId: threat.id, access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(await plansOf(threat.id)).toEqual([]);
    // The threat's owner can still plan it.
    const plan = await createPlan(app, 'serocu.analyst', threat.id);
    expect(plan.status).toBe('DRAFT');
  });

  it('is refused to a force that neither owns nor leads the threat, and allowed to the one that leads it', async () => {
    const threat = await adoptedThreat(app, 'serocu.analyst', { name: 'Operation Lead', leadOrganisationId: await orgId(app, 'SURREY') });
    const refused = await planOp(app, 'tvp.investigator', 'createPlan', { threatId: threat.id, access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await plansOf(threat.id)).toEqual([]);
    await createPlan(app, 'surrey.investigator', threat.id);
    expect((await plansOf(threat.id)).map((p: any) => p.owning_organisation_id)).toEqual([dbId(await orgId(app, 'SURREY'))]);
  });

  it('lets the regional unit open the plan of a force’s threat it can read', async () => {
    const threat = await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Regional' });
    await createPlan(app, 'serocu.analyst', threat.id);
    expect(await plansOf(threat.id)).toHaveLength(1);
  });

  it('answers a threat the caller cannot see exactly as one that does not exist', async () => {
    const hidden = await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Hidden' });
    await sql(app, `update soc_threat set sharing = 'OWNER_ONLY' where id = ?`, [dbId(hidden.id)]); // set-up: now Thames Valley's alone
    const lro = await userId(app, 'serocu.lro');
    const access = { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' };
    const asHidden = await planOp(app, 'serocu.analyst', 'createPlan', { threatId: hidden.id, lroId: lro, access });
    const missingId = Buffer.from(`SocThreat:${dbId(hidden.id).replace(/.{4}$/, '0000')}`).toString('base64url');
    const asMissing = await planOp(app, 'serocu.analyst', 'createPlan', { threatId: missingId, lroId: lro, access });
    expect(asHidden.errors?.[0]?.extensions).toEqual(asMissing.errors?.[0]?.extensions);
    expect(asHidden.errors?.[0]?.extensions?.fields).toEqual([{ field: 'input.threatId', message: 'no such threat' }]);
  });
});

describe('assessments: the two-person rule, and which threats', () => {
  const CREATE = `mutation ($input: CreateAssessmentInput!) { createAssessment(input: $input) { id version status } }`;
  const DECIDE = (op: string) => `mutation ($input: AssessmentDecisionInput!) { ${op}(input: $input) { id version status } }`;
  const REVISE = `mutation ($input: ReviseAssessmentInput!) { reviseAssessment(input: $input) { id version status } }`;
  const scores = { method: 'MORILE_TACTICAL', confidence: 'HIGH', rationale: 'Two children found on the line.', ...flatScores(2) };

  beforeAll(async () => {
    // A second assessor in SEROCU, and an assessor and approver in another force.
    await sql(
      app,
      `insert into app_user (username, display_name, organisation_id, roles, clearance)
       select u.username, u.display_name, o.id, u.roles::text[], 'OFFICIAL_SENSITIVE'
         from (values ('serocu.assessor2', 'Priya Marsh', 'SEROCU', '{THREAT_ASSESSOR}'), ('hiow.assessor', 'Tom Keyes', 'HIOW', '{THREAT_ASSESSOR,SRO}')) u(username, display_name, org, roles)
         join organisation o on o.code = u.org`,
    );
  });

  async function draftBy(assessor: string, threatId: string) {
    return expectData(await app.gql(assessor, CREATE, { input: { threatId, ...scores } })).createAssessment;
  }
  const version = async (id: string) => (await sql(app, 'select version, status, assessed_by from threat_assessment where id = ?', [dbId(id)]))[0];

  it('lets no one but its author rewrite or submit a draft, and changes nothing when refused', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Draft' });
    const draft = await draftBy('serocu.analyst', threat.id);
    const before = await version(draft.id);
    const rewrite = await app.gql('serocu.assessor2', REVISE, { input: { id: draft.id, expectedVersion: draft.version, ...scores, rationale: 'Rewritten by someone else.' } });
    expect(rewrite.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const submit = await app.gql('serocu.assessor2', DECIDE('submitAssessment'), { input: { id: draft.id, expectedVersion: draft.version } });
    expect(submit.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await version(draft.id)).toEqual(before);
    // Its author can.
    expect(expectData(await app.gql('serocu.analyst', DECIDE('submitAssessment'), { input: { id: draft.id, expectedVersion: draft.version } })).submitAssessment.status).toBe('SUBMITTED');
  });

  it('refuses an assessor of a force that neither owns nor leads the threat: no assessment made, approved or returned', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Elsewhere' });
    const made = await app.gql('hiow.assessor', CREATE, { input: { threatId: threat.id, ...scores } });
    expect(made.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await sql(app, 'select 1 from threat_assessment where threat_id = ?', [dbId(threat.id)])).toEqual([]);

    const draft = await draftBy('serocu.analyst', threat.id);
    const submitted = expectData(await app.gql('serocu.analyst', DECIDE('submitAssessment'), { input: { id: draft.id, expectedVersion: draft.version } })).submitAssessment;
    for (const op of ['approveAssessment', 'returnAssessment']) {
      const refused = await app.gql('hiow.assessor', DECIDE(op), { input: { id: submitted.id, expectedVersion: submitted.version, reason: 'Not ours to decide.' } });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await version(submitted.id)).status).toBe('SUBMITTED');
  });

  it('does not let the author approve or return their own assessment', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Own' });
    const draft = await draftBy('serocu.analyst', threat.id);
    const submitted = expectData(await app.gql('serocu.analyst', DECIDE('submitAssessment'), { input: { id: draft.id, expectedVersion: draft.version } })).submitAssessment;
    for (const op of ['approveAssessment', 'returnAssessment']) {
      const refused = await app.gql('serocu.analyst', DECIDE(op), { input: { id: submitted.id, expectedVersion: submitted.version, reason: 'Mine.' } });
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect(expectData(await app.gql('serocu.sro', DECIDE('approveAssessment'), { input: { id: submitted.id, expectedVersion: submitted.version } })).approveAssessment.status).toBe('APPROVED');
  });

  it('answers an assessment of a threat the caller cannot read as one that does not exist', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Unseen' });
    const draft = await draftBy('serocu.analyst', threat.id);
    const submitted = expectData(await app.gql('serocu.analyst', DECIDE('submitAssessment'), { input: { id: draft.id, expectedVersion: draft.version } })).submitAssessment;
    await sql(app, `update soc_threat set sharing = 'OWNER_ONLY' where id = ?`, [dbId(threat.id)]); // set-up: now Thames Valley's alone
    const refused = await app.gql('serocu.sro', DECIDE('approveAssessment'), { input: { id: submitted.id, expectedVersion: submitted.version } });
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await version(submitted.id)).status).toBe('SUBMITTED');
  });
});

describe('acting on what one cannot see, and answers that fail after the change', () => {
  const VALIDATE = `mutation ($input: ValidateDisruptionInput!) { validateDisruption(input: $input) { id status } }`;
  const statusOf = async (id: string) => (await sql(app, 'select status, version from disruption where id = ?', [dbId(id)]))[0];

  it('answers a validator deciding on a claim whose threat they cannot see as one that does not exist, and saves nothing', async () => {
    const threat = await assessedThreat(app, { name: 'Operation Unseen Claim' });
    const claim = await submittedDisruption(app, 'tvp.investigator', threat.id);
    await sql(app, `update soc_threat set sharing = 'OWNER_ONLY' where id = ?`, [dbId(threat.id)]); // set-up: Thames Valley's alone
    const before = await statusOf(claim.id);
    const input = { expectedVersion: claim.version, levelAgreed: claim.level, strandAgreed: claim.strand };
    const hidden = await app.gql('serocu.validator', VALIDATE, { input: { id: claim.id, ...input } });
    const missing = await app.gql('serocu.validator', VALIDATE, { input: { id: globalId('Disruption', dbId(claim.id).replace(/.{4}$/, '0000')), ...input } });
    expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(hidden.errors?.[0]).toEqual(missing.errors?.[0]);
    expect(await statusOf(claim.id)).toEqual(before);
  });

  it('undoes a mutation whose answer fails after the change was made (HTTP; WebSocket in live/websocket-transactions)', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Readback' });
    const undo = await raiseMarkingOnUpdate(app);
    try {
      const UPDATE = `mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { id name } }`;
      const failed = await app.gql('tvp.investigator', UPDATE, { input: { id: threat.id, expectedVersion: threat.version, name: 'Operation raise me' } });
      expect(failed.data).toBeNull();
      expect(failed.errors?.length).toBeGreaterThan(0);
      const [row] = await sql(app, 'select name, version from soc_threat where id = ?', [dbId(threat.id)]);
      expect(row).toEqual({ name: 'Operation Readback', version: threat.version });
    } finally {
      await undo();
    }
  });
});

describe('a partner’s own action in another organisation’s plan', () => {
  it('lets the partner record its progress (status) and nothing else, and no other partner at all', async () => {
    const threat = await adoptedThreat(app, 'serocu.analyst', { name: 'Operation Shared Work', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    let plan = await createPlan(app, 'serocu.analyst', threat.id, { access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    plan = await planDo(app, 'serocu.analyst', 'addAction', {
      planId: plan.id,
      expectedVersion: plan.version,
      action: { strand: 'PREVENT', description: 'Return home interviews for the children found on the line.', tactic: 'BEHAVIOUR', ownerOrganisationId: await orgId(app, 'OXON_CS'), addressesActivityIds: [] },
    });
    const action = plan.actions.find((a: any) => a.ownerOrganisation.code === 'OXON_CS');

    // Only the status: anything else is the plan owner's.
    const reworded = await planOp(app, 'oxon.mash', 'updateAction', { id: action.id, expectedVersion: plan.version, description: 'Nothing to do.' }, 'id');
    expect(reworded.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const progressed = await planOp(app, 'oxon.mash', 'updateAction', { id: action.id, expectedVersion: plan.version, status: 'IN_PROGRESS' }, 'id version actions { id status description }');
    expect(expectData(progressed).updateAction.actions).toEqual([{ id: action.id, status: 'IN_PROGRESS', description: action.description }]);
    const [row] = await sql(app, 'select status, description from plan_action where id = ?', [dbId(action.id)]);
    expect(row).toEqual({ status: 'IN_PROGRESS', description: action.description });

    // The plan's own organisation still changes anything; another partner nothing.
    const [{ version }] = await sql(app, 'select version from fourp_plan where id = ?', [dbId(plan.id)]);
    const other = await planOp(app, 'hmrc.officer', 'updateAction', { id: action.id, expectedVersion: version, status: 'COMPLETE' }, 'id');
    expect(other.errors?.[0]?.extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    expect(expectData(await planOp(app, 'serocu.analyst', 'updateAction', { id: action.id, expectedVersion: version, status: 'COMPLETE' }, 'id')).updateAction.id).toBe(plan.id);
  });
});
