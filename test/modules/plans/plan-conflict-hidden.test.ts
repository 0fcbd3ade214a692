import { createTestApp, type TestApp } from '../../support/test-app';
import { BOTH_LAYERS, type AccessLayers } from '../../../server/src/access/layers';
import { expectData, orgId, userId } from '../../support/factories';
import { adoptedThreat, createPlan, planOp } from '../../support/plan-factories';

/**
 * One plan per threat: a second is CONFLICT. When the caller may read the plan that exists, the
 * error names it (the screen links to it); when the plan is hidden from them, it says one exists
 * but never identifies it, under each access layer alone as under both.
 */
const SETTINGS: [string, AccessLayers][] = [
  ['both layers', BOTH_LAYERS],
  ['the application layer alone', { database: false, application: true }],
  ['row-level security alone', { database: true, application: false }],
];

describe.each(SETTINGS)('opening a second plan for a threat, under %s', (_name, accessLayers) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
  }, 120_000);
  afterAll(() => app?.stop());

  it('names the existing plan only to those who may read it', async () => {
    // TVP owns the threat and shares it with the region; SEROCU opens the plan for SEROCU alone.
    const threat = await adoptedThreat(app, 'tvp.investigator', {
      access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
      leadOrganisationId: await orgId(app, 'SEROCU'),
    });
    const hidden = await createPlan(app, 'serocu.lro', threat.id, { access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });

    const fromOwner = await planOp(app, 'tvp.investigator', 'createPlan', { threatId: threat.id, lroId: await userId(app, 'serocu.lro'), access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } }, 'id');
    expect(fromOwner.errors?.[0].extensions?.code).toBe('CONFLICT');
    expect(fromOwner.errors?.[0].message).toMatch(/not shared with you/);
    expect(JSON.stringify(fromOwner)).not.toContain(hidden.id);

    const fromSerocu = await planOp(app, 'serocu.analyst', 'createPlan', { threatId: threat.id, access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } }, 'id');
    expect(fromSerocu.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', planId: hidden.id });
    // Still one plan.
    const { node } = expectData(await app.gql('serocu.lro', 'query ($id: ID!) { node(id: $id) { ... on SocThreat { plan { id } } } }', { id: threat.id }));
    expect(node.plan.id).toBe(hidden.id);
  });
});
