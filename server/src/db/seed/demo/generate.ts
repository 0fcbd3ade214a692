import type { Knex } from '@mikro-orm/postgresql';
import { currentModel } from '../../../modules/assessments/assessment.service';
import { bandFor, scoreAssessment, threatRisk, type FactorScores } from '../../../modules/assessments/assessment-model';
import { Confidence } from '../../../modules/assessments/assessment.enums';
import { ACTIVITY_TEMPLATES, FIRST_NAMES, LAST_NAMES, OPERATION_WORDS } from './names';
import { Random, daysBefore } from './random';

/**
 * The demo data generator. One generator for every size: the small data set loaded on a first
 * start, and the large ones the benchmarks use (`npm run db:seed -- --size bench`). It writes
 * with plain batched SQL, so 200,000 rows take seconds, and it is deterministic for a seed.
 */
export interface DemoSize {
  threats: number;
  /** Average disruptions per threat that has been assessed. */
  disruptionsPerThreat: number;
  referrals: number;
  practices: number;
  /** Fewest and most criminal activities per threat (every sixth threat has just one). */
  activitiesPerThreat: [number, number];
  /** Extra fictional partner organisations beyond the region's real ones (benchmarks need 30). */
  extraOrganisations: number;
}

export const DEMO_SIZES: Record<'demo' | 'bench', DemoSize> = {
  demo: { threats: 16, activitiesPerThreat: [2, 4], disruptionsPerThreat: 9, referrals: 30, practices: 6, extraOrganisations: 0 },
  bench: { threats: 5000, activitiesPerThreat: [4, 8], disruptionsPerThreat: 52, referrals: 20_000, practices: 200, extraOrganisations: 15 },
};

/** What later steps need to know about the world generated so far. */
export interface World {
  knex: Knex;
  random: Random;
  today: string;
  orgs: Map<string, { id: string; code: string; isLawEnforcement: boolean }>;
  users: Map<string, { id: string; organisationId: string }>;
  threats: GeneratedThreat[];
  nominals: { id: string; isChild: boolean; owner: string; threatId: string; role: string }[];
}

export interface GeneratedThreat {
  id: string;
  name: string;
  status: string;
  ownerId: string;
  identifiedOn: string;
  assessedOn: string | null;
  closedOn: string | null;
  activities: { id: string; category: string; description: string }[];
  planId?: string;
  planActionIds?: string[];
}

const FORCES = ['TVP', 'HIOW', 'SURREY', 'SUSSEX'];
const STATUS_WEIGHTS = [
  ['TRIGGER_SUBMITTED', 1],
  ['UNDER_ASSESSMENT', 1],
  ['ASSESSED', 1],
  ['ADOPTED', 6],
  ['UNDER_REVIEW', 2],
  ['ARCHIVED', 1],
  ['REJECTED', 1],
] as const;
const ASSESSED_STATUSES = new Set(['ASSESSED', 'ADOPTED', 'UNDER_REVIEW', 'ARCHIVED']);

/** Rows written in one statement; keeps parameter counts well under PostgreSQL's limit. */
const CHUNK = 500;

export async function insertAll(knex: Knex, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await knex(table).insert(rows.slice(i, i + CHUNK));
}

async function loadWorld(knex: Knex, random: Random, size: DemoSize): Promise<World> {
  await addExtraOrganisations(knex, size.extraOrganisations);
  const orgs = new Map<string, { id: string; code: string; isLawEnforcement: boolean }>(
    (await knex('organisation').select('id', 'code', 'is_law_enforcement')).map((o) => [o.code, { id: o.id, code: o.code, isLawEnforcement: o.is_law_enforcement }]),
  );
  const users = new Map<string, { id: string; organisationId: string }>(
    (await knex('app_user').select('id', 'username', 'organisation_id')).map((u) => [u.username, { id: u.id, organisationId: u.organisation_id }]),
  );
  return { knex, random, today: new Date().toISOString().slice(0, 10), orgs, users, threats: [], nominals: [] };
}

/** Fictional district councils' community safety teams, so benchmark worlds have 30 organisations. */
async function addExtraOrganisations(knex: Knex, count: number): Promise<void> {
  const rows = Array.from({ length: count }, (_, i) => ({
    code: `PARTNER_${String(i + 1).padStart(2, '0')}`,
    name: `Demo District Council ${i + 1} Community Safety (fictional)`,
    type: 'LOCAL_AUTHORITY_OTHER',
    region: 'SOUTH_EAST',
    is_law_enforcement: false,
  }));
  if (rows.length) await knex('organisation').insert(rows).onConflict('code').ignore();
}

function user(world: World, username: string): string {
  const u = world.users.get(username);
  if (!u) throw new Error(`demo data needs the user ${username}`);
  return u.id;
}

function org(world: World, code: string): string {
  const o = world.orgs.get(code);
  if (!o) throw new Error(`demo data needs the organisation ${code}`);
  return o.id;
}

/** Assigns statuses so that small worlds show every status and large ones the usual mix. */
function statusFor(random: Random, index: number): string {
  if (index < STATUS_WEIGHTS.length) return STATUS_WEIGHTS[index][0];
  return random.weighted(STATUS_WEIGHTS);
}

function shared(world: World, ownerId: string, marking: string, sharing: string, by: string, at: string) {
  return {
    owning_organisation_id: ownerId,
    protective_marking: marking,
    sharing,
    shared_with: [] as string[],
    created_by: by,
    updated_by: by,
    created_at: `${at}T09:00:00Z`,
    updated_at: `${at}T09:00:00Z`,
  };
}

async function generateThreats(world: World, size: DemoSize): Promise<void> {
  const { random, today } = world;
  const threatRows: Record<string, unknown>[] = [];
  const activityRows: Record<string, unknown>[] = [];
  for (let i = 0; i < size.threats; i++) {
    const force = FORCES[i % FORCES.length];
    const status = statusFor(random, i);
    const identifiedOn = daysBefore(today, random.int(120, 900));
    const assessedOn = ASSESSED_STATUSES.has(status) ? daysBefore(identifiedOn, -random.int(10, 45)) : null;
    const adoptedOn = ['ADOPTED', 'UNDER_REVIEW', 'ARCHIVED'].includes(status) && assessedOn ? daysBefore(assessedOn, -random.int(3, 20)) : null;
    const closedOn = status === 'ARCHIVED' ? daysBefore(today, random.int(5, 60)) : status === 'REJECTED' ? daysBefore(identifiedOn, -random.int(20, 60)) : null;
    const owner = i % 5 === 4 ? 'SEROCU' : force;
    const id = random.uuid();
    const word = OPERATION_WORDS[i % OPERATION_WORDS.length];
    const name = size.threats > OPERATION_WORDS.length ? `Operation ${word} ${Math.floor(i / OPERATION_WORDS.length) + 1}` : `Operation ${word}`;
    // A few threats keep a single recorded activity: the analysis flags them for a second look.
    const activityCount = i % 6 === 5 ? 1 : random.int(...size.activitiesPerThreat);
    const categories = random.sample(Object.keys(ACTIVITY_TEMPLATES), activityCount) as (keyof typeof ACTIVITY_TEMPLATES)[];
    const activities = categories.map((category) => {
      const [subCategory, description] = random.pick<readonly [string, string]>(ACTIVITY_TEMPLATES[category]);
      return { id: random.uuid(), category, subCategory, description };
    });
    const sharing = random.weighted([['REGIONAL_LAW_ENFORCEMENT', 6], ['ALL_PARTNERS', 2], ['OWNER_ONLY', 1]] as const);
    threatRows.push({
      id,
      urn: `SE-${identifiedOn.slice(0, 4)}-${String(i + 1).padStart(4, '0')}`,
      name,
      summary: `${name}: ${activities.map((a) => a.description.toLowerCase().replace(/\.$/, '')).join('; ')}.`,
      subject_type: random.weighted([['ORGANISED_CRIME_GROUP', 8], ['PRIORITY_INDIVIDUAL', 2], ['VULNERABILITY', 1]] as const),
      lead_organisation_id: org(world, owner === 'SEROCU' ? random.pick(FORCES) : force),
      tasking_level: owner === 'SEROCU' ? 'REGIONAL' : random.pick(['LOCAL', 'FORCE', 'FORCE', 'REGIONAL']),
      geographic_scope: random.pick(['FORCE', 'REGIONAL', 'REGIONAL', 'NATIONAL', 'INTERNATIONAL']),
      areas_affected: random.sample(FORCES, random.int(1, 3)).map((c) => org(world, c)),
      status,
      archive_reason: status === 'ARCHIVED' ? random.pick(['DISMANTLED', 'NO_LONGER_MEETS_CRITERIA', 'MERGED']) : null,
      identified_on: identifiedOn,
      assessed_on: assessedOn,
      adopted_on: adoptedOn,
      closed_on: closedOn,
      lro_id: adoptedOn ? user(world, 'serocu.lro') : null,
      sro_id: adoptedOn ? user(world, 'serocu.sro') : null,
      next_review_due: adoptedOn && status !== 'ARCHIVED' ? daysBefore(today, random.int(-80, 20)) : null,
      // Threats shared with all partners are marked OFFICIAL, which partners' agreements cover.
      ...shared(world, org(world, owner), sharing === 'ALL_PARTNERS' || random.chance(0.2) ? 'OFFICIAL' : 'OFFICIAL_SENSITIVE', sharing, user(world, owner === 'SEROCU' ? 'serocu.analyst' : `${force.toLowerCase()}.${force === 'HIOW' ? 'analyst' : 'investigator'}`), identifiedOn),
    });
    activities.forEach((a) =>
      activityRows.push({ id: a.id, threat_id: id, category: a.category, sub_category: a.subCategory, description: a.description, first_identified: identifiedOn, last_evidenced: daysBefore(today, random.int(0, 90)) }),
    );
    world.threats.push({ id, name, status, ownerId: org(world, owner), identifiedOn, assessedOn, closedOn, activities });
  }
  await insertAll(world.knex, 'soc_threat', threatRows);
  await world.knex.raw(`select setval('soc_threat_urn_seq', greatest((select count(*) from soc_threat), 1))`);
  await insertAll(world.knex, 'criminal_activity', activityRows);
}

function scoresAt(random: Random, level: number): FactorScores {
  const around = () => Math.max(0, Math.min(4, level + random.int(-1, 1)));
  return {
    harm: { physical: around(), psychological: around(), financial: around(), communityEnvironment: around(), geographicScope: around() },
    likelihood: { victimVulnerability: around(), frequency: around(), trajectory: around() },
    organisationalPosition: { capacity: random.int(1, 3), capability: random.int(1, 3), opportunity: random.int(1, 3) },
  };
}

/** Approved assessments of the whole threat and of most activities, and the priority they give. */
async function generateAssessments(world: World): Promise<void> {
  const { random } = world;
  const model = await currentModel(world.knex);
  const rows: Record<string, unknown>[] = [];
  const priorities: { id: string; risk: number | null }[] = [];
  for (const threat of world.threats) {
    if (threat.status === 'TRIGGER_SUBMITTED' || threat.status === 'REJECTED') continue;
    const approved = ASSESSED_STATUSES.has(threat.status);
    const level = random.int(1, 4);
    const targets = [null, ...threat.activities.filter((_, i) => i === 0 || random.chance(0.85)).map((a) => a.id)];
    const activityRisks: number[] = [];
    let wholeRisk: number | null = null;
    for (const activityId of approved ? targets : [null]) {
      const scores = scoresAt(random, activityId ? random.int(1, 4) : level);
      const confidence = random.pick([Confidence.HIGH, Confidence.MEDIUM, Confidence.LOW]);
      const computed = scoreAssessment(model.definition, scores, confidence);
      if (approved) activityId ? activityRisks.push(computed.riskScore) : (wholeRisk = computed.riskScore);
      rows.push({
        threat_id: threat.id,
        criminal_activity_id: activityId,
        method: 'MORILE_TACTICAL',
        scores: JSON.stringify(scores),
        confidence,
        rationale: 'Assessed from force intelligence, partner information and open sources (demo data).',
        model_version: model.version,
        harm_score: computed.harmScore,
        likelihood_score: computed.likelihoodScore,
        organisational_position_score: computed.organisationalPositionScore,
        risk_score: computed.riskScore,
        priority: computed.priority,
        status: approved ? 'APPROVED' : 'SUBMITTED',
        assessed_by: user(world, 'serocu.analyst'),
        decided_by: approved ? user(world, 'serocu.sro') : null,
        decided_at: approved ? `${threat.assessedOn}T12:00:00Z` : null,
        review_due: approved ? daysBefore(world.today, random.int(-120, 30)) : null,
      });
    }
    if (approved) priorities.push({ id: threat.id, risk: threatRisk(model.definition, wholeRisk, activityRisks) });
  }
  await insertAll(world.knex, 'threat_assessment', rows);
  for (const p of priorities) {
    await world.knex('soc_threat').update({ risk_score: p.risk, priority: p.risk == null ? null : bandFor(model.definition, p.risk) }).where({ id: p.id });
  }
}

/** People in the groups (some of them exploited children), some belonging to two groups. */
async function generateNominals(world: World): Promise<void> {
  const { random, today } = world;
  const nominalRows: Record<string, unknown>[] = [];
  const memberships: Record<string, unknown>[] = [];
  const roles = [['PRINCIPAL', 1], ['SIGNIFICANT', 2], ['PERIPHERAL', 2], ['ENABLER', 1], ['EXPLOITED_VICTIM', 2]] as const;
  world.threats.forEach((threat, i) => {
    const people = random.int(2, 4);
    for (let n = 0; n < people; n++) {
      const role = n === 0 ? 'PRINCIPAL' : random.weighted(roles);
      const isChild = role === 'EXPLOITED_VICTIM' && random.chance(0.7);
      const id = random.uuid();
      nominalRows.push({
        id,
        name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
        aliases: random.chance(0.5) ? [random.pick(['Jay', 'Smokey', 'K', 'Blue', 'Tiny', 'Ghost'])] : [],
        date_of_birth: isChild ? daysBefore(today, random.int(13 * 365, 17 * 365)) : daysBefore(today, random.int(19 * 365, 45 * 365)),
        // Free text, as an officer writes it (the web client shows it as it is).
        vulnerability_flags: isChild ? ['Child criminal exploitation'] : role === 'EXPLOITED_VICTIM' ? ['Adult at risk'] : [],
        // Victims are OFFICIAL, so that the safeguarding partners their referrals go to can read who they are.
        ...shared(world, threat.ownerId, role === 'EXPLOITED_VICTIM' ? 'OFFICIAL' : 'OFFICIAL_SENSITIVE', 'REGIONAL_LAW_ENFORCEMENT', user(world, 'serocu.analyst'), threat.identifiedOn),
      });
      world.nominals.push({ id, isChild, owner: threat.ownerId, threatId: threat.id, role });
      memberships.push({ threat_id: threat.id, nominal_id: id, role, from_date: threat.identifiedOn, under_offender_management: role === 'PRINCIPAL' && random.chance(0.3) });
    }
    // Every seventh group shares an enabler with the previous one: a possible link to spot.
    if (i > 0 && i % 7 === 0) {
      const previous = memberships.find((m) => m.threat_id === world.threats[i - 1].id);
      if (previous) memberships.push({ threat_id: threat.id, nominal_id: previous.nominal_id, role: 'ENABLER', from_date: threat.identifiedOn, under_offender_management: false });
    }
  });
  await insertAll(world.knex, 'nominal', nominalRows);
  await insertAll(world.knex, 'membership', memberships);
}

async function generateLinks(world: World): Promise<void> {
  const rows: Record<string, unknown>[] = [];
  for (let i = 3; i < world.threats.length; i += 5) {
    const [a, b] = [world.threats[i].id, world.threats[i - 3].id].sort();
    rows.push({ threat_id: a, linked_threat_id: b, reason: 'Same supply route and shared phones (demo data).', created_by: user(world, 'serocu.analyst') });
  }
  await insertAll(world.knex, 'threat_link', rows);
}

export type GeneratorStep = (world: World, size: DemoSize) => Promise<void>;

/**
 * Fills an empty domain with demo data of the given size. `steps` are the later generators
 * (plans, disruptions, referrals, practice) run in order after threats and people exist.
 */
export async function generateDemoWorld(knex: Knex, size: DemoSize, steps: GeneratorStep[], seed = 20_240_401): Promise<World> {
  const world = await loadWorld(knex, new Random(seed), size);
  await generateThreats(world, size);
  await generateAssessments(world);
  await generateNominals(world);
  await generateLinks(world);
  for (const step of steps) await step(world, size);
  return world;
}

export { org, user, shared };
