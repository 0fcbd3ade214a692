import { daysBefore, daysBetween } from './random';
import { insertAll, org, shared, user, type World, type DemoSize } from './generate';

const STRANDS = ['PURSUE', 'PURSUE', 'PURSUE', 'PREVENT', 'PROTECT', 'PREPARE'] as const;
const LEVELS = [['MAJOR', 1], ['MODERATE', 4], ['MINOR', 6], ['NONE', 1], ['NEGATIVE', 0.3]] as const;
const STATUSES = [['VALIDATED', 12], ['SUBMITTED', 3], ['RETURNED', 1], ['REJECTED', 1], ['DRAFT', 1]] as const;
const TACTICS = ['LIFESTYLE', 'BEHAVIOUR', 'VEHICLES', 'TRAVEL', 'BUSINESS', 'CRIME'] as const;
const EVENTS = [
  ['Warrant at a cuckooed flat: line phone, 40 wraps of crack cocaine and cash seized.', 'The line was out of action for three weeks and the flat was returned to its tenant.'],
  ['Line holder charged with conspiracy to supply Class A.', 'The group lost the person who ran the line; two runners stopped working for it.'],
  ['Car used to move drugs seized under the Proceeds of Crime Act.', "The group's main means of moving supply between towns was removed."],
  ['Two children safeguarded after being found at a trap house.', 'The children were taken out of the group\'s reach and referred to children\'s services.'],
  ['Closure order on an address used for dealing.', 'The group lost a dealing base in the town centre.'],
  ['Cash seizure of £18,400 at a port.', 'Profits on their way out of the country were taken.'],
] as const;
/** Forces and national agencies that claim disruptions; SEROCU's validators validate them. */
const CLAIMANTS = ['TVP', 'HIOW', 'SURREY', 'SUSSEX', 'TVP', 'HIOW', 'SURREY', 'SUSSEX', 'HMRC'];

/**
 * A year and a half of disruptions for every assessed threat, across all levels and strands,
 * mostly validated, some waiting (with ageing), returned, rejected, late or likely duplicates,
 * so the validation queue and the disruption reports have real work to show.
 */
export async function generateDisruptions(world: World, size: DemoSize): Promise<void> {
  const { random, today } = world;
  const rows: Record<string, unknown>[] = [];
  const eligible = world.threats.filter((t) => t.assessedOn);
  for (const threat of eligible) {
    const first = [threat.assessedOn!, daysBefore(today, 540)].sort().at(-1)!;
    const last = threat.closedOn ?? today;
    const span = daysBetween(first, last);
    if (span < 1) continue;
    const count = Math.max(1, Math.round(size.disruptionsPerThreat * (0.5 + random.next())));
    for (let n = 0; n < count; n++) {
      const date = daysBefore(last, random.int(0, span));
      const claimant = random.pick(CLAIMANTS);
      const status = random.weighted(STATUSES);
      const level = random.weighted(LEVELS);
      const strand = random.pick(STRANDS);
      const late = random.chance(0.08);
      const submittedOn = status === 'DRAFT' ? null : [daysBefore(date, late ? -random.int(35, 90) : -random.int(0, 10)), today].sort()[0];
      const [description, impact] = random.pick(EVENTS);
      const activity = random.pick(threat.activities);
      const validator = level === 'MAJOR' ? 'serocu.sro' : 'serocu.validator';
      const downgraded = status === 'VALIDATED' && level === 'MAJOR' && random.chance(0.3);
      rows.push({
        id: random.uuid(),
        threat_id: threat.id,
        criminal_activity_id: activity.id,
        plan_action_id: threat.planActionIds && random.chance(0.5) ? random.pick(threat.planActionIds) : null,
        date,
        claiming_organisation_id: org(world, claimant),
        strand,
        level,
        tactic: random.pick(TACTICS),
        description,
        impact_narrative: impact,
        evidence_refs: [`${claimant}-${date.replace(/-/g, '')}-${random.int(100, 999)}`],
        contributors: random.chance(0.3) ? [org(world, random.pick(['OXON_CS', 'HANTS_CS', 'NCA', 'HMRC'].filter((c) => c !== claimant)))] : [],
        status,
        submitted_at: submittedOn ? `${submittedOn}T10:00:00Z` : null,
        is_late: late && status !== 'DRAFT',
        decided_by: ['VALIDATED', 'RETURNED', 'REJECTED'].includes(status) ? user(world, validator) : null,
        decision: ['VALIDATED', 'RETURNED', 'REJECTED'].includes(status) ? status : null,
        level_agreed: status === 'VALIDATED' ? (downgraded ? 'MODERATE' : level) : null,
        strand_agreed: status === 'VALIDATED' ? strand : null,
        decision_reasons: downgraded ? 'Impact was local and short-lived: moderate, not major.' : status === 'REJECTED' ? 'Not linked to this group.' : status === 'RETURNED' ? 'Evidence reference does not match the custody record.' : null,
        decided_at: ['VALIDATED', 'RETURNED', 'REJECTED'].includes(status) && submittedOn ? `${[daysBefore(submittedOn, -random.int(1, 14)), today].sort()[0]}T15:00:00Z` : null,
        status_reason: status === 'RETURNED' ? 'Evidence reference does not match the custody record.' : status === 'REJECTED' ? 'Not linked to this group.' : null,
        ...shared(world, org(world, claimant), 'OFFICIAL_SENSITIVE', 'REGIONAL_LAW_ENFORCEMENT', user(world, claimant === 'HIOW' ? 'hiow.analyst' : ['TVP', 'SURREY', 'SUSSEX'].includes(claimant) ? `${claimant.toLowerCase()}.investigator` : 'hmrc.officer'), submittedOn ?? date),
      });
    }
  }
  // A few claims made twice by the same force for the same event: the likely-duplicate flag.
  for (let i = 0; i + 1 < rows.length && i < 40 * Math.max(1, size.threats / 16); i += 37) {
    const original = rows[i];
    if (original.status !== 'VALIDATED') continue;
    rows.push({ ...original, id: random.uuid(), status: 'SUBMITTED', decided_by: null, decision: null, level_agreed: null, strand_agreed: null, decision_reasons: null, decided_at: null, status_reason: null, possible_duplicate_of: original.id });
  }
  await insertAll(world.knex, 'disruption', rows);
}
