import { createTestApp, type TestApp } from '../support/test-app';
import { expectData, orgId } from '../support/factories';
import { ACCESS, adoptedThreat, completePlan, createPlan, daysFromToday, planDo } from '../support/plan-factories';
import { dbId, sql } from '../support/disruption-factories';
import { sharingAgreement } from '../support/access-factories';

/**
 * planStats through the real API. Gate failures by problem are checked against the gate each
 * plan shows (quality.problems, computed in TypeScript by plan.quality.ts), not against SQL.
 */

let app: TestApp;

const STATS = `{ planStats { adoptedThreats withPlanInForce withPlanInForceAndLro plansChecked plansFailingGate
  gateFailures { problem plans } actionsByOwner { organisation { code } open overdue } } }`;

const IN_FORCE_PLANS = `{ plans(first: 100, filter: { status: [ACTIVE, UNDER_REVIEW] }) { totalCount edges { node {
  lro { username } quality { passes problems { code } } actions { ownerOrganisation { code } status dueDate isOverdue } } } } }`;

beforeAll(async () => {
  app = await createTestApp();
  const oxon = await orgId(app, 'OXON_CS');
  // Passing.
  let { plan } = await completePlan(app, 'tvp.investigator', { name: 'Operation Alder' });
  // No LRO.
  ({ plan } = await completePlan(app, 'tvp.investigator', { name: 'Operation Birch' }));
  await planDo(app, 'tvp.investigator', 'updatePlan', { id: plan.id, expectedVersion: plan.version, lroId: null });
  // Review overdue.
  ({ plan } = await completePlan(app, 'tvp.investigator', { name: 'Operation Cedar' }));
  await planDo(app, 'tvp.investigator', 'recordPlanReview', { planId: plan.id, expectedVersion: plan.version, date: daysFromToday(-120), forum: 'TTCG', decisions: 'Carry on.' });
  // Surrey's, under review, its only action cancelled: the activities are not addressed.
  ({ plan } = await completePlan(app, 'surrey.investigator', { name: 'Operation Damson', leadOrganisationId: await orgId(app, 'SURREY') }));
  plan = await planDo(app, 'surrey.investigator', 'updateAction', { id: plan.actions[0].id, expectedVersion: plan.version, status: 'CANCELLED' });
  await planDo(app, 'surrey.investigator', 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'UNDER_REVIEW' });
  // Adopted with no plan.
  await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Elm' });
  // Surrey's threat shared with SEROCU only (its assessors), with an active plan and no LRO kept
  // to Surrey: Thames Valley may count neither, SEROCU the threat but not the plan.
  const threatAccess = { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'NAMED_ORGANISATIONS', sharedWithIds: [await orgId(app, 'SEROCU')] };
  const secret = await adoptedThreat(app, 'surrey.investigator', { name: 'Operation Fir', leadOrganisationId: await orgId(app, 'SURREY'), access: threatAccess });
  const draft = await createPlan(app, 'surrey.investigator', secret.id, { lroId: null, access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
  await planDo(app, 'surrey.investigator', 'changePlanStatus', { id: draft.id, expectedVersion: draft.version, status: 'ACTIVE' });
  // A draft plan for a threat Oxfordshire may read (OFFICIAL, shared with all partners, under an
  // agreement with Thames Valley), with an overdue action of Oxfordshire's and one of Thames Valley's.
  await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], categories: ['THREAT'], maxMarking: 'OFFICIAL' });
  const open = await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Gorse', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
  let gorse = await createPlan(app, 'tvp.investigator', open.id, { access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
  for (const owner of [oxon, await orgId(app, 'TVP')]) {
    gorse = await planDo(app, 'tvp.investigator', 'addAction', {
      planId: gorse.id,
      expectedVersion: gorse.version,
      action: { strand: 'PREVENT', tactic: 'BEHAVIOUR', description: 'Diversion sessions for the children on the line.', ownerOrganisationId: owner, dueDate: '2099-06-30', addressesActivityIds: [] },
    });
  }
  await sql(app, `update plan_action set due_date = '2026-01-15' where plan_id = ? and owner_organisation_id = ?`, [dbId(gorse.id), dbId(oxon)]);
  expect(ACCESS.sharing).toBe('REGIONAL_LAW_ENFORCEMENT');
}, 240_000);
afterAll(() => app.stop());

/** Figures computed here from what the caller can list. */
async function expectedFor(user: string) {
  const plans = expectData(await app.gql(user, IN_FORCE_PLANS)).plans.edges.map((e: any) => e.node);
  const threats = expectData(await app.gql(user, `{ threats(first: 100, filter: { status: [ADOPTED, UNDER_REVIEW] }) { totalCount edges { node {
    plan { status lro { username } } } } } }`)).threats.edges.map((e: any) => e.node);
  const inForce = threats.filter((t: any) => ['ACTIVE', 'UNDER_REVIEW'].includes(t.plan?.status));
  const codes = ['MISSING_STRAND', 'ACTIVITY_NOT_ADDRESSED', 'NO_LRO', 'REVIEW_OVERDUE', 'PARTNER_NOT_NAMED'];
  return {
    adoptedThreats: threats.length,
    withPlanInForce: inForce.length,
    withPlanInForceAndLro: inForce.filter((t: any) => t.plan.lro).length,
    plansChecked: plans.length,
    plansFailingGate: plans.filter((p: any) => !p.quality.passes).length,
    gateFailures: codes.map((problem) => ({ problem, plans: plans.filter((p: any) => p.quality.problems.some((x: any) => x.code === problem)).length })),
  };
}

describe('planStats', () => {
  it.each(['tvp.investigator', 'surrey.investigator', 'serocu.analyst'])('matches the plans and threats %s can list, gate failures by the gate own rules', async (user) => {
    const stats = expectData(await app.gql(user, STATS)).planStats;
    const { actionsByOwner, ...figures } = stats;
    expect(figures).toEqual(await expectedFor(user));
    expect(actionsByOwner.length).toBeGreaterThan(0);
  });

  it('gives the figures the set-up was built for', async () => {
    const tvp = expectData(await app.gql('tvp.investigator', STATS)).planStats;
    expect(tvp).toMatchObject({ adoptedThreats: 6, withPlanInForce: 4, withPlanInForceAndLro: 3, plansChecked: 4, plansFailingGate: 3 });
    expect(tvp.gateFailures).toEqual([
      { problem: 'MISSING_STRAND', plans: 0 },
      { problem: 'ACTIVITY_NOT_ADDRESSED', plans: 1 },
      { problem: 'NO_LRO', plans: 1 },
      { problem: 'REVIEW_OVERDUE', plans: 1 },
      { problem: 'PARTNER_NOT_NAMED', plans: 0 },
    ]);
    // Surrey also counts its own hidden threat and plan, which has no LRO.
    const surrey = expectData(await app.gql('surrey.investigator', STATS)).planStats;
    expect(surrey).toMatchObject({ adoptedThreats: 7, withPlanInForce: 5, withPlanInForceAndLro: 3, plansChecked: 5 });
    expect(surrey.gateFailures.find((g: any) => g.problem === 'NO_LRO').plans).toBe(2);
    const serocu = expectData(await app.gql('serocu.analyst', STATS)).planStats;
    expect(serocu).toMatchObject({ adoptedThreats: 7, withPlanInForce: 4, withPlanInForceAndLro: 3, plansChecked: 4 });
  });

  it('counts open and overdue actions by owning organisation', async () => {
    const { actionsByOwner } = expectData(await app.gql('serocu.analyst', STATS)).planStats;
    // One TVP action in each of Alder, Birch, Cedar and Gorse (Damson's is cancelled, Fir's plan is
    // Surrey's own); Oxfordshire's in Gorse, overdue.
    expect(actionsByOwner).toEqual([
      { organisation: { code: 'OXON_CS' }, open: 1, overdue: 1 },
      { organisation: { code: 'TVP' }, open: 4, overdue: 0 },
    ]);
  });

  it('shows a partner only its own actions, and no gate figures for plans it does not own', async () => {
    const stats = expectData(await app.gql('oxon.mash', STATS)).planStats;
    expect(stats).toMatchObject({ adoptedThreats: 1, withPlanInForce: 0, plansChecked: 0, plansFailingGate: 0 });
    expect(stats.actionsByOwner).toEqual([{ organisation: { code: 'OXON_CS' }, open: 1, overdue: 1 }]);
  });
});
