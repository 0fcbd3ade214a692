import type { TestApp } from './test-app';
import { approvedAssessment, createThreat, expectData, moveThreat, orgId, userId } from './factories';
import { daysAgo } from './disruption-factories';

/** The plan fields most tests read back after each change. */
export const PLAN_FIELDS = `id status version closureReason reviewFrequencyDays nextReviewDue
  strandExemptions { strand reason }
  lro { username } sro { username } owningOrganisation { code } threat { id name }
  objectives { id strand description successMeasure }
  actions { id strand description tactic dueDate status isOverdue objective { id } ownerOrganisation { code } addressesActivities { id category } }
  partners { organisation { code } strands role }
  quality { score passes checksMade checksPassed problems { code message strand criminalActivity { id category } } }`;

/** Each plan mutation and the type of its one input argument. */
const INPUT_TYPES = {
  createPlan: 'CreatePlanInput',
  updatePlan: 'UpdatePlanInput',
  changePlanStatus: 'ChangePlanStatusInput',
  addObjective: 'AddObjectiveInput',
  updateObjective: 'UpdateObjectiveInput',
  removeObjective: 'RemovePlanPartInput',
  addAction: 'AddActionInput',
  updateAction: 'UpdateActionInput',
  removeAction: 'RemovePlanPartInput',
  addPlanPartner: 'AddPlanPartnerInput',
  removePlanPartner: 'RemovePlanPartnerInput',
  addPlanEntry: 'AddPlanEntryInput',
  resolveIntelligenceGap: 'ResolveIntelligenceGapInput',
  recordPlanReview: 'RecordPlanReviewInput',
} as const;
export type PlanMutation = keyof typeof INPUT_TYPES;

/** Runs a plan mutation and returns the raw response (for tests that expect errors). */
export function planOp(app: TestApp, as: string, op: PlanMutation, input: Record<string, unknown>, fields = PLAN_FIELDS) {
  return app.gql(as, `mutation ($input: ${INPUT_TYPES[op]}!) { ${op}(input: $input) { ${fields} } }`, { input });
}

/** Runs a plan mutation that must succeed and returns the plan. */
export async function planDo(app: TestApp, as: string, op: PlanMutation, input: Record<string, unknown>, fields = PLAN_FIELDS) {
  return expectData(await planOp(app, as, op, input, fields))[op];
}

/** A threat taken through assessment to ADOPTED, with its activities. */
export async function adoptedThreat(app: TestApp, as = 'tvp.investigator', overrides: Record<string, unknown> = {}) {
  const created = await createThreat(app, as, overrides);
  let threat = await moveThreat(app, as, created, 'UNDER_ASSESSMENT');
  await approvedAssessment(app, created.id, { level: 2 });
  threat = await moveThreat(app, as, threat, 'ASSESSED');
  threat = await moveThreat(app, as, threat, 'ADOPTED');
  return { ...created, ...threat };
}

export const ACCESS = { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' };

/** A draft plan for a threat, with serocu.lro as LRO unless overridden. */
export async function createPlan(app: TestApp, as: string, threatId: string, overrides: Record<string, unknown> = {}) {
  return planDo(app, as, 'createPlan', { threatId, lroId: await userId(app, 'serocu.lro'), access: ACCESS, ...overrides });
}

/**
 * An ACTIVE plan that passes the quality gate: an objective per strand, an action addressing
 * every activity, partners for Prevent (OXON_CS) and Protect (TVP), an LRO, a review due.
 */
export async function completePlan(app: TestApp, as = 'tvp.investigator', threatOverrides: Record<string, unknown> = {}) {
  const threat = await adoptedThreat(app, as, threatOverrides);
  let plan = await createPlan(app, as, threat.id);
  const objectives: Record<string, string> = {};
  for (const strand of ['PURSUE', 'PREVENT', 'PROTECT', 'PREPARE']) {
    plan = await planDo(app, as, 'addObjective', {
      planId: plan.id,
      expectedVersion: plan.version,
      objective: { strand, description: `${strand.toLowerCase()} objective for ${threat.name}`, successMeasure: 'Measured at review.' },
    });
    objectives[strand] = plan.objectives.at(-1).id;
  }
  plan = await planDo(app, as, 'addAction', {
    planId: plan.id,
    expectedVersion: plan.version,
    action: {
      strand: 'PURSUE',
      objectiveId: objectives.PURSUE,
      description: `Warrants at the line holders' addresses (${threat.name}).`,
      tactic: 'CRIME',
      ownerOrganisationId: await orgId(app, 'TVP'),
      dueDate: '2099-01-31',
      addressesActivityIds: threat.criminalActivities.map((a: any) => a.id),
    },
  });
  plan = await planDo(app, as, 'addPlanPartner', { planId: plan.id, expectedVersion: plan.version, organisationId: await orgId(app, 'OXON_CS'), strands: ['PREVENT'], role: 'Diversion of children at risk.' });
  plan = await planDo(app, as, 'addPlanPartner', { planId: plan.id, expectedVersion: plan.version, organisationId: await orgId(app, 'TVP'), strands: ['PROTECT'] });
  plan = await planDo(app, as, 'changePlanStatus', { id: plan.id, expectedVersion: plan.version, status: 'ACTIVE' });
  return { threat, plan, objectives };
}

/** This file's today (UTC, read once: see FILE_TODAY_MS) plus `days`, as YYYY-MM-DD. */
export function daysFromToday(days: number): string {
  return daysAgo(-days);
}
