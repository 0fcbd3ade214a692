import { daysBefore } from './random';
import { insertAll, org, shared, user, type World } from './generate';

const STRANDS = ['PURSUE', 'PREVENT', 'PROTECT', 'PREPARE'] as const;
const OBJECTIVES: Record<(typeof STRANDS)[number], [string, string]> = {
  PURSUE: ['Dismantle the group by prosecuting its principals and seizing its assets.', 'Principals charged; cash and assets restrained.'],
  PREVENT: ['Stop young people being drawn into the group.', 'Referrals to diversion schemes; fewer children found on the line.'],
  PROTECT: ['Safeguard the children and adults the group exploits.', 'Every identified child referred and safeguarded.'],
  PREPARE: ['Be ready for violence when the line is disrupted.', 'Tension indicators monitored; response plan agreed.'],
};
const CHILDRENS_SERVICES = ['OXON_CS', 'HANTS_CS', 'SURREY_CS', 'WSX_CS'];

/**
 * A 4P plan for every adopted threat (closed ones for archived threats), in every state, some
 * deliberately failing the quality gate in different ways so the gate and the reports have
 * something to show: a missing strand, an activity no action addresses, no LRO and an overdue review.
 */
export async function generatePlans(world: World): Promise<void> {
  const { random, today } = world;
  const plans: Record<string, unknown>[] = [];
  const objectives: Record<string, unknown>[] = [];
  const actions: Record<string, unknown>[] = [];
  const partners: Record<string, unknown>[] = [];
  const entries: Record<string, unknown>[] = [];
  const reviews: Record<string, unknown>[] = [];
  const planned = world.threats.filter((t) => ['ADOPTED', 'UNDER_REVIEW', 'ARCHIVED'].includes(t.status));
  planned.forEach((threat, j) => {
    const id = random.uuid();
    const flaw = j % 4; // 0 complete, 1 missing strand, 2 activity not addressed, 3 no LRO and review overdue
    const adoptedBefore = planned.slice(0, j).filter((t) => t.status === 'ADOPTED').length;
    // One adopted threat in five (and at least the second) still has its plan in draft.
    const draft = threat.status === 'ADOPTED' && (adoptedBefore === 1 || adoptedBefore % 5 === 4);
    const status = threat.status === 'ARCHIVED' ? 'CLOSED' : threat.status === 'UNDER_REVIEW' ? 'UNDER_REVIEW' : draft ? 'DRAFT' : 'ACTIVE';
    const opened = daysBefore(threat.assessedOn ?? threat.identifiedOn, -random.int(5, 25));
    const frequency = random.pick([60, 90, 90, 120]);
    plans.push({
      id,
      threat_id: threat.id,
      lro_id: flaw === 3 ? null : user(world, 'serocu.lro'),
      sro_id: user(world, 'serocu.sro'),
      status,
      closure_reason: status === 'CLOSED' ? 'Group dismantled; residual risk passed to force neighbourhood teams.' : null,
      review_frequency_days: frequency,
      next_review_due: status === 'DRAFT' ? null : flaw === 3 ? daysBefore(today, random.int(5, 40)) : daysBefore(today, -random.int(5, frequency)),
      strand_exemptions: flaw === 0 && random.chance(0.5) ? JSON.stringify({ PREPARE: 'No sign of violence or weapons; kept under review.' }) : '{}',
      ...shared(world, threat.ownerId, 'OFFICIAL_SENSITIVE', 'REGIONAL_LAW_ENFORCEMENT', user(world, 'serocu.lro'), opened),
    });
    const objectiveIds: Record<string, string> = {};
    for (const strand of STRANDS) {
      if (flaw === 1 && strand === 'PREPARE') continue;
      if (flaw === 0 && strand === 'PREPARE' && plans.at(-1)!.strand_exemptions !== '{}') continue;
      objectiveIds[strand] = random.uuid();
      objectives.push({ id: objectiveIds[strand], plan_id: id, strand, description: OBJECTIVES[strand][0], success_measure: OBJECTIVES[strand][1] });
    }
    const addressed = flaw === 2 && threat.activities.length > 1 ? threat.activities.slice(0, -1) : threat.activities;
    const actionIds: string[] = [];
    const action = (strand: string, description: string, tactic: string, owner: string, activityIds: string[]) => {
      const actionId = random.uuid();
      actionIds.push(actionId);
      actions.push({
        id: actionId,
        plan_id: id,
        objective_id: objectiveIds[strand] ?? null,
        strand,
        description,
        tactic,
        owner_organisation_id: owner,
        due_date: daysBefore(today, random.int(-90, 45)),
        status: random.weighted([['PLANNED', 2], ['IN_PROGRESS', 3], ['COMPLETE', 3], ['BLOCKED', 1]] as const),
        addresses_activity_ids: activityIds,
      });
    };
    for (const activity of addressed) {
      action('PURSUE', `Investigate and disrupt: ${activity.description.toLowerCase()}`, random.pick(['CRIME', 'LIFESTYLE', 'VEHICLES', 'TRAVEL', 'BUSINESS']), threat.ownerId, [activity.id]);
    }
    const childrensServices = org(world, random.pick(CHILDRENS_SERVICES));
    action('PREVENT', 'Deliver diversion sessions in the schools the group recruits from.', 'BEHAVIOUR', childrensServices, []);
    action('PROTECT', 'Joint visits to cuckooed addresses and safeguarding plans for the children found.', 'BEHAVIOUR', childrensServices, []);
    partners.push({ plan_id: id, organisation_id: childrensServices, strands: ['PREVENT', 'PROTECT'], role: 'Safeguarding lead for exploited children' });
    if (threat.activities.some((a) => a.category === 'MONEY_LAUNDERING')) {
      partners.push({ plan_id: id, organisation_id: org(world, 'HMRC'), strands: ['PURSUE'], role: 'Financial investigation' });
    }
    entries.push(
      { plan_id: id, kind: 'INTELLIGENCE_GAP', text: 'Who supplies the group above the line holder?', recorded_on: opened, recorded_by: user(world, 'serocu.analyst') },
      { plan_id: id, kind: 'OUTCOME', text: 'Two line phones seized; line out of action for three weeks.', recorded_on: daysBefore(today, random.int(10, 120)), recorded_by: user(world, 'serocu.lro') },
    );
    if (random.chance(0.5)) entries.push({ plan_id: id, kind: 'LEARNING', text: 'Early joint visits with children\'s services found more children than warrants alone.', recorded_on: daysBefore(today, random.int(5, 60)), recorded_by: user(world, 'serocu.lro') });
    if (status !== 'DRAFT') reviews.push({ plan_id: id, review_date: daysBefore(today, random.int(20, 100)), reviewer_id: user(world, 'serocu.sro'), forum: 'Regional tasking and coordination group', decisions: 'Plan continues; Prevent strand to be strengthened with education partners.' });
    threat.planId = id;
    threat.planActionIds = actionIds;
  });
  await insertAll(world.knex, 'fourp_plan', plans);
  await insertAll(world.knex, 'plan_objective', objectives);
  await insertAll(world.knex, 'plan_action', actions);
  await insertAll(world.knex, 'plan_partner', partners);
  await insertAll(world.knex, 'plan_entry', entries);
  await insertAll(world.knex, 'plan_review', reviews);
}
