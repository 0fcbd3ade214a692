import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { buildAppSchema } from '../../server/src/graphql/schema';
import { flatScores } from '../support/factories';
import { addYears } from '../../server/src/modules/retention/retention-periods';
import { createTestApp, type TestApp } from '../support/test-app';
import {
  agreementCovers,
  ALL_ROLES,
  CATEGORIES,
  clear,
  insertRecord,
  lawEnforcement,
  oracle,
  plant,
  REGIONAL_UNIT,
  toGlobal,
  TYPES,
  withParents,
  worldArbOf,
  type World,
  type WorldRecord,
  type WorldUser,
} from '../support/access-world';

/**
 * The write oracle: every mutation that acts on an existing record, called by every user of
 * random worlds (random organisations, roles, clearances, agreements, markings and sharing) on
 * the world's records, through the real GraphQL API, compared with who may do what to which
 * record as docs/access.md and the role table (server/src/access/mutation-roles.ts) state it,
 * restated here without calling the implementation:
 *
 *   1. a caller none of whose roles may call the mutation is FORBIDDEN, whatever the record;
 *   2. a record the caller cannot read (the read oracle), or a part of one they read but are not
 *      shown (a partner: a threat's members and assessments, a plan's intelligence gaps and other
 *      organisations' actions), is missing: NOT_FOUND, or for a
 *      creation that names it (a plan, an assessment of a threat) "no such threat"; and once per
 *      mutation and world, the same call naming a record that does not exist gets the very same
 *      answer (code, message and fields), so nothing tells the hidden record from none;
 *   3. one they can read but may not change is FORBIDDEN (owner; receiving organisation;
 *      either party; the organisation that manages a threat; the author or not the author of
 *      an assessment; a validator of another organisation; the owner of a plan action);
 *   4. otherwise the change is made, unless the input is refused by a rule restated here
 *      (a dissemination to an agency no agreement in force allows: BAD_USER_INPUT).
 *
 * A refused write changes nothing (the record and its parts are compared before and after); a
 * change that is made changes them. It runs with both layers, with row-level security alone
 * and with the application policy alone: each must refuse on its own.
 *
 * ACCESS_PROPERTY_WORLDS=N scales the number of worlds: N / 20 here (at least 2; each world makes
 * about 45 x 7 calls), so the default 40 gives 2 per layer setting and 600 gives 30.
 */
const WORLDS = Math.max(2, Math.round(Number(process.env.ACCESS_PROPERTY_WORLDS ?? 40) / 20));
const SEED = process.env.ACCESS_PROPERTY_SEED ? Number(process.env.ACCESS_PROPERTY_SEED) : undefined;

/** Who may call each mutation, by role: server/src/access/mutation-roles.ts, restated. */
const INTELLIGENCE = ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR'];
const PEOPLE = [...INTELLIGENCE, 'SAFEGUARDING_PRACTITIONER'];
const CLAIMANTS = [...INTELLIGENCE, 'PARTNER_CONTRIBUTOR'];
const ACTION_OWNERS = [...INTELLIGENCE, 'PARTNER_CONTRIBUTOR', 'SAFEGUARDING_PRACTITIONER'];
const SAFEGUARDING = ['SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'INVESTIGATOR', 'ANALYST', 'LRO'];
const ASSESSORS = ['THREAT_ASSESSOR'];
const APPROVERS = ['THREAT_ASSESSOR', 'SRO', 'OCG_COORDINATOR'];
const VALIDATORS = ['DISRUPTION_VALIDATOR'];
const PRACTITIONERS = ALL_ROLES.filter((r) => r !== 'AUDITOR' && r !== 'ADMIN');

type Category = WorldRecord['category'];
type Outcome = 'DONE' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT';

/** One call: a user of the world acting on one of its records. */
interface Call {
  world: World;
  index: number;
  record: WorldRecord;
  /** The record's database id and global id. */
  id: string;
  gid: string;
  user: WorldUser;
  userId: string;
  /** The user's number in the world: assessments alternate between the caller's and another's. */
  u: number;
  tag: string;
  /** Unique within the run (names of copies). */
  n: number;
}

/** The input to send, and the rows (table, column, value) that must stay as they were when the write is refused. */
interface Prepared {
  input: Record<string, unknown>;
  watch: [string, string, string][];
}

interface WriteCase {
  category: Category;
  roles: readonly string[];
  /** Plants what the call needs (parts, a status) with SQL, and builds the input. */
  prepare(c: Call): Promise<Prepared>;
  /** Beyond the role and reading the record: whether this caller may make this change. */
  may(c: Call): boolean;
  /** For one who may: whether the input is refused all the same (BAD_USER_INPUT), as the rules say. */
  badInput?(c: Call): boolean;
  /** What a caller who cannot read the record is told, when not NOT_FOUND. */
  hidden?: 'BAD_USER_INPUT';
  /**
   * For a mutation acting on a part of the record: whether the caller, who reads the record, is
   * shown that part (docs/access.md: partners are not shown a threat's members or assessments, a
   * plan's intelligence gaps or other organisations' actions). A part not shown is missing.
   */
  partShown?(c: Call): boolean;
  /** The input type, when not the mutation's name with Input. */
  inputType?: string;
  /** The mutation, when the case is one of several for it (one per kind of record it acts on). */
  mutation?: string;
}

let app: TestApp;
const exec = (text: string, params: unknown[] = []): Promise<any[]> => app.app.orm.em.getConnection().execute(text, params);
const orgIds = new Map<string, string>();
const orgGid = (code: string) => toGlobal('Organisation', orgIds.get(code)!);
const version = async (table: string, id: string): Promise<number> => (await exec(`select version from ${table} where id = ?`, [id]))[0].version;
const today = () => new Date().toISOString().slice(0, 10);
/** A finished assessment to copy scores from (made through the API once). */
let templateAssessment: string;
let fixtureAuthor: string;

const owner = (c: Call) => c.user.org === c.record.owner;
/** docs/access.md: law enforcement that owns or leads the threat (planted threats are led by their owner), or the regional unit. */
const manages = (c: Call) => lawEnforcement.has(c.user.org) && (c.user.org === c.record.owner || c.user.org === REGIONAL_UNIT);
const receiver = (c: Call) => c.user.org === c.record.receiver;
const party = (c: Call) => c.user.org === c.record.owner || c.user.org === c.record.receiver;
/** docs/access.md: law enforcement, and the record's own organisation, see the whole record; partners a sanitised view. */
const seesWhole = (c: Call) => lawEnforcement.has(c.user.org) || owner(c);
/** An organisation other than the record's owner, to add as a plan partner. */
const otherOrg = (c: Call) => (c.record.owner === 'BUCKS_TS' ? 'HANTS_CS' : 'BUCKS_TS');

const threatWatch = (c: Call, part?: string): [string, string, string][] => [['soc_threat', 'id', c.id], ...(part ? [[part, 'threat_id', c.id] as [string, string, string]] : [])];
const planWatch = (c: Call, part?: string): [string, string, string][] => [['fourp_plan', 'id', c.id], ...(part ? [[part, 'plan_id', c.id] as [string, string, string]] : [])];
const activity = () => ({ category: 'ILLEGAL_DRUGS', description: 'pw activity', firstIdentified: today() });

async function insertActivity(threatId: string): Promise<string> {
  const [row] = await exec(`insert into criminal_activity (threat_id, category, description, first_identified) values (?, 'ILLEGAL_DRUGS', 'pw activity', current_date) returning id`, [threatId]);
  return row.id;
}

/** Per world and organisation: a person and a threat it owns (OFFICIAL, owner only), for members and links. */
const fixtures = new Map<string, string>();
async function fixture(c: Call, kind: 'nominal' | 'threat'): Promise<string> {
  const key = `${c.tag}:${kind}:${c.record.owner}`;
  if (!fixtures.has(key)) {
    const r: WorldRecord = { category: kind === 'nominal' ? 'NOMINAL' : 'THREAT', owner: c.record.owner, marking: 'OFFICIAL', sharing: 'OWNER_ONLY', sharedWith: [], receiver: c.record.owner, partner: null, parent: 0 };
    fixtures.set(key, await insertRecord(exec, r, c.tag, `fx-${c.record.owner}`, null));
  }
  return fixtures.get(key)!;
}

/** An assessment of the record (a threat) in `status`, by the caller (every other user) or by someone else. */
async function insertAssessment(c: Call, status: string, byCaller: boolean): Promise<string> {
  const [row] = await exec(
    `insert into threat_assessment (threat_id, method, scores, confidence, rationale, model_version, harm_score, likelihood_score, organisational_position_score, risk_score, priority, status, assessed_by)
     select ?, method, scores, confidence, rationale, model_version, harm_score, likelihood_score, organisational_position_score, risk_score, priority, ?, ? from threat_assessment where id = ? returning id`,
    [c.id, status, byCaller ? c.userId : fixtureAuthor, templateAssessment],
  );
  return row.id;
}
const authoredByCaller = (c: Call) => c.u % 2 === 0;
const scores = { method: 'MORILE_TACTICAL', confidence: 'HIGH', rationale: 'pw scoring', ...flatScores(2) };

async function referralIn(c: Call, status: string): Promise<Prepared> {
  await exec(`update safeguarding_referral set status = ?, outcome = case when ? = 'DECISION' then 'NO_FURTHER_ACTION' end where id = ?`, [status, status, c.id]);
  return { input: { id: c.gid, expectedVersion: await version('safeguarding_referral', c.id) }, watch: [['safeguarding_referral', 'id', c.id], ['referral_update', 'referral_id', c.id]] };
}

async function disruptionIn(c: Call, status: string): Promise<{ expectedVersion: number; watch: [string, string, string][] }> {
  await exec(
    `update disruption set status = ?, submitted_at = case when ? = 'DRAFT' then null else now() end, superseded_by_id = null, status_reason = null, decision_reasons = null,
       decision = case when ? = 'VALIDATED' then 'VALIDATED' end, decided_by = case when ? = 'VALIDATED' then ?::uuid end, decided_at = case when ? = 'VALIDATED' then now() end,
       level_agreed = case when ? = 'VALIDATED' then level end, strand_agreed = case when ? = 'VALIDATED' then strand end where id = ?`,
    [status, status, status, status, fixtureAuthor, status, status, status, c.id],
  );
  // A claim is corrected once: the copy an earlier correction made goes.
  await exec(`delete from disruption where supersedes_id = ?`, [c.id]);
  return { expectedVersion: await version('disruption', c.id), watch: [['disruption', 'id', c.id], ['disruption', 'supersedes_id', c.id]] };
}

/** Partner agencies (not law enforcement): those intelligence is disseminated to. */
const PARTNER_AGENCIES = ['OXON_CS', 'HANTS_CS', 'BUCKS_TS'];
/**
 * docs/access.md: a report is disseminated by its owner to a partner agency (not law enforcement,
 * not itself) with which an agreement in force covers intelligence at its marking. The recipient
 * tried: the first such agency in the world, else one without an agreement (then refused).
 */
const recipientOf = (c: Call) => {
  const agencies = PARTNER_AGENCIES.filter((o) => o !== c.record.owner);
  return agencies.find((o) => agreementCovers(c.world, o, c.record)) ?? agencies[0];
};
/**
 * Removes the disseminations earlier calls made (the world's own, to its partner, stays): a report
 * given to another agency would let that agency read it, and the read oracle would no longer hold.
 */
async function resetDisseminations(c: Call): Promise<void> {
  await exec(`delete from intelligence_dissemination where report_id = ? and recipient_organisation_id is distinct from ?`, [c.id, c.record.partner && c.record.partner !== c.record.owner ? orgIds.get(c.record.partner) : null]);
}
const reportWatch = (c: Call): [string, string, string][] => [['intelligence_report', 'id', c.id], ['intelligence_dissemination', 'report_id', c.id]];

/** Analytical requests: SEROCU's OCG coordinators decide them; the assigned analyst (every other caller, in turn) works them. */
const ANALYSIS_MANAGERS = ['OCG_COORDINATOR'];
const ANALYSTS = ['ANALYST'];
const requestWatch = (c: Call): [string, string, string][] => [['analytical_request', 'id', c.id]];
const assignedToCaller = (c: Call) => c.u % 2 === 0;
/** Puts the request in `status` (with an analyst for work accepted or in hand: the caller, or someone else) with SQL, and builds a step's input. */
async function requestIn(c: Call, status: 'REQUESTED' | 'ACCEPTED' | 'IN_PROGRESS', more: Record<string, unknown> = {}): Promise<Prepared> {
  const analyst = status === 'REQUESTED' ? null : assignedToCaller(c) ? c.userId : fixtureAuthor;
  await exec(
    `update analytical_request set status = ?, assigned_analyst_id = ?, accepted_at = case when ? then now() end,
       declined_at = null, decline_reason = null, decline_explanation = null, delivered_at = null where id = ?`,
    [status, analyst, status !== 'REQUESTED', c.id],
  );
  return { input: { id: c.gid, expectedVersion: await version('analytical_request', c.id), ...more }, watch: requestWatch(c) };
}

const CASES: Record<string, WriteCase> = {
  // Threats and their parts: the owning organisation.
  updateThreat: {
    category: 'THREAT', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => ({ input: { id: c.gid, expectedVersion: await version('soc_threat', c.id), name: `pw${c.tag} threat ${c.index} by ${c.u}` }, watch: threatWatch(c) }),
  },
  changeThreatStatus: {
    category: 'THREAT', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      await exec(`update soc_threat set status = 'TRIGGER_SUBMITTED' where id = ?`, [c.id]);
      return { input: { id: c.gid, expectedVersion: await version('soc_threat', c.id), status: 'UNDER_ASSESSMENT' }, watch: threatWatch(c) };
    },
  },
  addCriminalActivity: {
    category: 'THREAT', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => ({ input: { threatId: c.gid, expectedVersion: await version('soc_threat', c.id), activity: activity() }, watch: threatWatch(c, 'criminal_activity') }),
  },
  updateCriminalActivity: {
    category: 'THREAT', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      const id = await insertActivity(c.id);
      return { input: { id: toGlobal('CriminalActivity', id), expectedVersion: await version('soc_threat', c.id), activity: { ...activity(), description: `pw changed by ${c.u}` } }, watch: threatWatch(c, 'criminal_activity') };
    },
  },
  removeCriminalActivity: {
    category: 'THREAT', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      const id = await insertActivity(c.id);
      await insertActivity(c.id); // a threat keeps at least one
      return { input: { id: toGlobal('CriminalActivity', id), expectedVersion: await version('soc_threat', c.id) }, watch: threatWatch(c, 'criminal_activity') };
    },
  },
  addMember: {
    category: 'THREAT', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      const nominal = await fixture(c, 'nominal');
      await exec(`delete from membership where threat_id = ? and nominal_id = ?`, [c.id, nominal]);
      return { input: { threatId: c.gid, expectedVersion: await version('soc_threat', c.id), nominalId: toGlobal('Nominal', nominal), role: 'PERIPHERAL' }, watch: threatWatch(c, 'membership') };
    },
  },
  removeMember: {
    category: 'THREAT', roles: INTELLIGENCE, may: owner, partShown: seesWhole,
    prepare: async (c) => {
      const [m] = await exec(`insert into membership (threat_id, nominal_id, role) values (?, ?, 'PERIPHERAL') returning id`, [c.id, await fixture(c, 'nominal')]);
      return { input: { membershipId: toGlobal('Membership', m.id), expectedVersion: await version('soc_threat', c.id) }, watch: threatWatch(c, 'membership') };
    },
  },
  linkThreats: {
    category: 'THREAT', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      const other = await fixture(c, 'threat');
      await exec(`delete from threat_link where threat_id in (?, ?) and linked_threat_id in (?, ?)`, [c.id, other, c.id, other]);
      return {
        input: { threatId: c.gid, expectedVersion: await version('soc_threat', c.id), linkedThreatId: toGlobal('SocThreat', other), reason: 'pw link' },
        watch: [...threatWatch(c, 'threat_link'), ['threat_link', 'linked_threat_id', c.id]],
      };
    },
  },
  unlinkThreats: {
    category: 'THREAT', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      const other = await fixture(c, 'threat');
      const [a, b] = [c.id, other].sort();
      await exec(`insert into threat_link (threat_id, linked_threat_id, reason, created_by) values (?, ?, 'pw link', ?) on conflict do nothing`, [a, b, fixtureAuthor]);
      return {
        input: { threatId: c.gid, expectedVersion: await version('soc_threat', c.id), linkedThreatId: toGlobal('SocThreat', other) },
        watch: [...threatWatch(c, 'threat_link'), ['threat_link', 'linked_threat_id', c.id]],
      };
    },
  },
  // Opening a plan and assessing: the organisations that manage the threat.
  createPlan: {
    category: 'THREAT', roles: INTELLIGENCE, may: manages, hidden: 'BAD_USER_INPUT',
    prepare: async (c) => {
      // A copy of the threat (same owner, marking and sharing), adopted and without a plan.
      const copy = await insertRecord(exec, c.record, c.tag, `${c.index}c${c.n}`, null, 'ADOPTED');
      return { input: { threatId: toGlobal('SocThreat', copy), access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } }, watch: [['fourp_plan', 'threat_id', copy], ['soc_threat', 'id', copy]] };
    },
  },
  // Creations that name a threat: whoever may create, of a threat they can read.
  createDisruption: {
    category: 'THREAT', roles: CLAIMANTS, may: () => true, hidden: 'BAD_USER_INPUT',
    prepare: async (c) => ({
      input: {
        threatId: c.gid, date: today(), strand: 'PREVENT', level: 'MINOR', tactic: 'CRIME', description: `pw${c.tag} disruption claim ${c.n}`, impactNarrative: 'pw impact',
        evidenceRefs: ['PW-1'], access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' },
      },
      watch: [['disruption', 'created_by', c.userId]],
    }),
  },
  createIntelligenceReport: {
    category: 'THREAT', roles: INTELLIGENCE, may: () => true, hidden: 'BAD_USER_INPUT',
    prepare: async (c) => ({
      input: {
        threatIds: [c.gid], receivedOn: today(), sourceEvaluation: 'RELIABLE', intelligenceAssessment: 'B', handlingCode: 'P', sanitisedText: `pw${c.tag} intelligence report ${c.n}`,
        originalText: 'pw original', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' },
      },
      watch: [['intelligence_report', 'created_by', c.userId]],
    }),
  },
  createAssessment: {
    category: 'THREAT', roles: ASSESSORS, may: manages, hidden: 'BAD_USER_INPUT',
    prepare: async (c) => ({ input: { threatId: c.gid, ...scores }, watch: threatWatch(c, 'threat_assessment') }),
  },
  reviseAssessment: {
    category: 'THREAT', roles: ASSESSORS, may: (c) => manages(c) && authoredByCaller(c), partShown: seesWhole,
    prepare: async (c) => ({ input: { id: toGlobal('ThreatAssessment', await insertAssessment(c, 'DRAFT', authoredByCaller(c))), expectedVersion: 1, ...scores, rationale: `pw revised by ${c.u}` }, watch: threatWatch(c, 'threat_assessment') }),
  },
  submitAssessment: {
    category: 'THREAT', roles: ASSESSORS, may: (c) => manages(c) && authoredByCaller(c), partShown: seesWhole, inputType: 'AssessmentDecisionInput',
    prepare: async (c) => ({ input: { id: toGlobal('ThreatAssessment', await insertAssessment(c, 'DRAFT', authoredByCaller(c))), expectedVersion: 1 }, watch: threatWatch(c, 'threat_assessment') }),
  },
  approveAssessment: {
    category: 'THREAT', roles: APPROVERS, may: (c) => manages(c) && !authoredByCaller(c), partShown: seesWhole, inputType: 'AssessmentDecisionInput',
    prepare: async (c) => ({ input: { id: toGlobal('ThreatAssessment', await insertAssessment(c, 'SUBMITTED', authoredByCaller(c))), expectedVersion: 1 }, watch: threatWatch(c, 'threat_assessment') }),
  },
  returnAssessment: {
    category: 'THREAT', roles: APPROVERS, may: (c) => manages(c) && !authoredByCaller(c), partShown: seesWhole, inputType: 'AssessmentDecisionInput',
    prepare: async (c) => ({ input: { id: toGlobal('ThreatAssessment', await insertAssessment(c, 'SUBMITTED', authoredByCaller(c))), expectedVersion: 1, reason: 'pw return' }, watch: threatWatch(c, 'threat_assessment') }),
  },
  // People: the owning organisation.
  updateNominal: {
    category: 'NOMINAL', roles: PEOPLE, may: owner,
    prepare: async (c) => ({ input: { id: c.gid, expectedVersion: await version('nominal', c.id), name: `pw${c.tag} nominal ${c.index} by ${c.u}` }, watch: [['nominal', 'id', c.id]] }),
  },
  // Retention reviews (MoPI): the owning organisation's reviewers keep a person for now.
  retainRecord: {
    category: 'NOMINAL', roles: ['INTELLIGENCE_OFFICER', 'LRO', 'SRO'], may: owner,
    prepare: async (c) => ({
      input: { id: c.gid, reason: `pw${c.tag} kept by ${c.u}`, nextReviewOn: addYears(today(), 1), expectedVersion: await version('nominal', c.id) },
      watch: [['nominal', 'id', c.id]],
    }),
  },
  // ... and a threat or a safeguarding referral (its owner: the organisation that made it; the receiving one is FORBIDDEN).
  'retainRecord (threat)': {
    mutation: 'retainRecord', category: 'THREAT', roles: ['INTELLIGENCE_OFFICER', 'LRO', 'SRO'], may: owner,
    prepare: async (c) => ({
      input: { id: c.gid, reason: `pw${c.tag} kept by ${c.u}`, nextReviewOn: addYears(today(), 1), expectedVersion: await version('soc_threat', c.id) },
      watch: [['soc_threat', 'id', c.id]],
    }),
  },
  'retainRecord (referral)': {
    mutation: 'retainRecord', category: 'REFERRAL', roles: ['INTELLIGENCE_OFFICER', 'LRO', 'SRO'], may: owner,
    prepare: async (c) => ({
      input: { id: c.gid, reason: `pw${c.tag} kept by ${c.u}`, nextReviewOn: addYears(today(), 1), expectedVersion: await version('safeguarding_referral', c.id) },
      watch: [['safeguarding_referral', 'id', c.id]],
    }),
  },
  // Plans and their parts: the owning organisation; an action also by the organisation that owns it (its status only).
  updatePlan: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => ({ input: { id: c.gid, expectedVersion: await version('fourp_plan', c.id), reviewFrequencyDays: 30 + (c.n % 300) }, watch: planWatch(c) }),
  },
  changePlanStatus: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      await exec(`update fourp_plan set status = 'ACTIVE' where id = ?`, [c.id]);
      return { input: { id: c.gid, expectedVersion: await version('fourp_plan', c.id), status: 'UNDER_REVIEW' }, watch: planWatch(c) };
    },
  },
  addObjective: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => ({ input: { planId: c.gid, expectedVersion: await version('fourp_plan', c.id), objective: { strand: 'PURSUE', description: 'pw objective' } }, watch: planWatch(c, 'plan_objective') }),
  },
  updateObjective: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      const [o] = await exec(`insert into plan_objective (plan_id, strand, description) values (?, 'PURSUE', 'pw objective') returning id`, [c.id]);
      return { input: { id: toGlobal('PlanObjective', o.id), expectedVersion: await version('fourp_plan', c.id), objective: { strand: 'PREVENT', description: `pw by ${c.u}` } }, watch: planWatch(c, 'plan_objective') };
    },
  },
  removeObjective: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner, inputType: 'RemovePlanPartInput',
    prepare: async (c) => {
      const [o] = await exec(`insert into plan_objective (plan_id, strand, description) values (?, 'PURSUE', 'pw objective') returning id`, [c.id]);
      return { input: { id: toGlobal('PlanObjective', o.id), expectedVersion: await version('fourp_plan', c.id) }, watch: planWatch(c, 'plan_objective') };
    },
  },
  addAction: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => ({
      input: { planId: c.gid, expectedVersion: await version('fourp_plan', c.id), action: { strand: 'PURSUE', description: 'pw action', tactic: 'CRIME', ownerOrganisationId: orgGid(c.record.owner), addressesActivityIds: [] } },
      watch: planWatch(c, 'plan_action'),
    }),
  },
  updateAction: {
    // The action belongs to the plan's partner when it has one (who may then record its status), else to the owner.
    category: 'PLAN', roles: ACTION_OWNERS, may: (c) => owner(c) || c.user.org === (c.record.partner ?? c.record.owner),
    partShown: (c) => seesWhole(c) || c.user.org === (c.record.partner ?? c.record.owner),
    prepare: async (c) => {
      const [a] = await exec(`insert into plan_action (plan_id, strand, description, tactic, owner_organisation_id) values (?, 'PREVENT', 'pw action', 'CRIME', ?) returning id`, [
        c.id, orgIds.get(c.record.partner ?? c.record.owner),
      ]);
      return { input: { id: toGlobal('PlanAction', a.id), expectedVersion: await version('fourp_plan', c.id), status: 'IN_PROGRESS' }, watch: planWatch(c, 'plan_action') };
    },
  },
  removeAction: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner, inputType: 'RemovePlanPartInput', partShown: seesWhole,
    prepare: async (c) => {
      const [a] = await exec(`insert into plan_action (plan_id, strand, description, tactic, owner_organisation_id) values (?, 'PURSUE', 'pw action', 'CRIME', ?) returning id`, [c.id, orgIds.get(c.record.owner)]);
      return { input: { id: toGlobal('PlanAction', a.id), expectedVersion: await version('fourp_plan', c.id) }, watch: planWatch(c, 'plan_action') };
    },
  },
  addPlanPartner: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      await exec(`delete from plan_partner where plan_id = ? and organisation_id = ?`, [c.id, orgIds.get(otherOrg(c))]);
      return { input: { planId: c.gid, expectedVersion: await version('fourp_plan', c.id), organisationId: orgGid(otherOrg(c)), strands: ['PREVENT'] }, watch: planWatch(c, 'plan_partner') };
    },
  },
  removePlanPartner: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      await exec(`insert into plan_partner (plan_id, organisation_id, strands) values (?, ?, '{PREVENT}') on conflict do nothing`, [c.id, orgIds.get(otherOrg(c))]);
      return { input: { planId: c.gid, expectedVersion: await version('fourp_plan', c.id), organisationId: orgGid(otherOrg(c)) }, watch: planWatch(c, 'plan_partner') };
    },
  },
  addPlanEntry: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => ({ input: { planId: c.gid, expectedVersion: await version('fourp_plan', c.id), kind: 'LEARNING', text: 'pw learning' }, watch: planWatch(c, 'plan_entry') }),
  },
  resolveIntelligenceGap: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner, partShown: seesWhole,
    prepare: async (c) => {
      const [e] = await exec(`insert into plan_entry (plan_id, kind, text, recorded_by) values (?, 'INTELLIGENCE_GAP', 'pw gap', ?) returning id`, [c.id, fixtureAuthor]);
      return { input: { id: toGlobal('PlanEntry', e.id), expectedVersion: await version('fourp_plan', c.id), resolution: 'pw resolved' }, watch: planWatch(c, 'plan_entry') };
    },
  },
  recordPlanReview: {
    category: 'PLAN', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => ({ input: { planId: c.gid, expectedVersion: await version('fourp_plan', c.id), date: today(), forum: 'pw forum', decisions: 'pw decisions' }, watch: planWatch(c, 'plan_review') }),
  },
  // Disruption claims: the claiming organisation; decisions: a validator of another organisation.
  updateDisruption: {
    category: 'DISRUPTION', roles: CLAIMANTS, may: owner,
    prepare: async (c) => {
      const { expectedVersion, watch } = await disruptionIn(c, 'DRAFT');
      return { input: { id: c.gid, expectedVersion, description: `pw${c.tag} disruption ${c.index} by ${c.u}` }, watch };
    },
  },
  submitDisruption: {
    category: 'DISRUPTION', roles: CLAIMANTS, may: owner,
    prepare: async (c) => {
      const { expectedVersion, watch } = await disruptionIn(c, 'DRAFT');
      return { input: { id: c.gid, expectedVersion }, watch };
    },
  },
  supersedeDisruption: {
    category: 'DISRUPTION', roles: CLAIMANTS, may: owner,
    prepare: async (c) => {
      const { expectedVersion, watch } = await disruptionIn(c, 'VALIDATED');
      return { input: { id: c.gid, expectedVersion, reason: 'pw correction' }, watch };
    },
  },
  validateDisruption: {
    category: 'DISRUPTION', roles: VALIDATORS, may: (c) => !owner(c),
    prepare: async (c) => {
      const { expectedVersion, watch } = await disruptionIn(c, 'SUBMITTED');
      return { input: { id: c.gid, expectedVersion, levelAgreed: 'MINOR', strandAgreed: 'PURSUE' }, watch };
    },
  },
  returnDisruption: {
    category: 'DISRUPTION', roles: VALIDATORS, may: (c) => !owner(c), inputType: 'DisruptionDecisionInput',
    prepare: async (c) => {
      const { expectedVersion, watch } = await disruptionIn(c, 'SUBMITTED');
      return { input: { id: c.gid, expectedVersion, reason: 'pw returned' }, watch };
    },
  },
  rejectDisruption: {
    category: 'DISRUPTION', roles: VALIDATORS, may: (c) => !owner(c), inputType: 'DisruptionDecisionInput',
    prepare: async (c) => {
      const { expectedVersion, watch } = await disruptionIn(c, 'SUBMITTED');
      return { input: { id: c.gid, expectedVersion, reason: 'pw rejected' }, watch };
    },
  },
  // Referrals: each step by the receiving organisation; notes by either party.
  acknowledgeReferral: { category: 'REFERRAL', roles: SAFEGUARDING, may: receiver, inputType: 'ReferralStepInput', prepare: (c) => referralIn(c, 'SUBMITTED') },
  startReferralWork: { category: 'REFERRAL', roles: SAFEGUARDING, may: receiver, inputType: 'ReferralStepInput', prepare: (c) => referralIn(c, 'ACKNOWLEDGED') },
  recordReferralDecision: {
    category: 'REFERRAL', roles: SAFEGUARDING, may: receiver, inputType: 'ReferralDecisionInput',
    prepare: async (c) => {
      const p = await referralIn(c, 'IN_PROGRESS');
      return { ...p, input: { ...p.input, outcome: 'NO_FURTHER_ACTION' } };
    },
  },
  closeReferral: { category: 'REFERRAL', roles: SAFEGUARDING, may: receiver, inputType: 'ReferralStepInput', prepare: (c) => referralIn(c, 'DECISION') },
  recordReferralFeedback: {
    category: 'REFERRAL', roles: SAFEGUARDING, may: receiver, inputType: 'ReferralTextInput',
    prepare: async (c) => {
      const p = await referralIn(c, 'IN_PROGRESS');
      return { ...p, input: { ...p.input, text: 'pw feedback' } };
    },
  },
  addReferralNote: {
    category: 'REFERRAL', roles: SAFEGUARDING, may: party, inputType: 'ReferralTextInput',
    prepare: async (c) => {
      const p = await referralIn(c, 'IN_PROGRESS');
      return { ...p, input: { ...p.input, text: 'pw note' } };
    },
  },
  // Practice: the owner edits; other organisations endorse; a user withdraws their own endorsement.
  updatePractice: {
    category: 'PRACTICE', roles: PRACTITIONERS, may: owner,
    prepare: async (c) => ({ input: { id: c.gid, expectedVersion: await version('practice_entry', c.id), title: `pw${c.tag} practice ${c.index} by ${c.u}` }, watch: [['practice_entry', 'id', c.id]] }),
  },
  endorsePractice: {
    category: 'PRACTICE', roles: PRACTITIONERS, may: (c) => !owner(c),
    prepare: async (c) => {
      await exec(`delete from practice_endorsement where entry_id = ? and user_id = ?`, [c.id, c.userId]);
      return { input: { id: c.gid }, watch: [['practice_entry', 'id', c.id], ['practice_endorsement', 'entry_id', c.id]] };
    },
  },
  withdrawEndorsement: {
    category: 'PRACTICE', roles: PRACTITIONERS, may: () => true,
    prepare: async (c) => {
      await exec(`insert into practice_endorsement (entry_id, user_id, organisation_id) values (?, ?, ?) on conflict do nothing`, [c.id, c.userId, orgIds.get(c.user.org)]);
      return { input: { id: c.gid }, watch: [['practice_entry', 'id', c.id], ['practice_endorsement', 'entry_id', c.id]] };
    },
  },
  // Intelligence reports: the owning organisation changes and disseminates them.
  updateIntelligenceReport: {
    category: 'INTELLIGENCE', roles: INTELLIGENCE, may: owner,
    prepare: async (c) => {
      await resetDisseminations(c);
      return { input: { id: c.gid, expectedVersion: await version('intelligence_report', c.id), sanitisedText: `pw${c.tag} intelligence ${c.index} by ${c.u}` }, watch: reportWatch(c) };
    },
  },
  disseminateIntelligence: {
    category: 'INTELLIGENCE', roles: INTELLIGENCE, may: owner, badInput: (c) => !agreementCovers(c.world, recipientOf(c), c.record),
    prepare: async (c) => {
      await resetDisseminations(c);
      return { input: { id: c.gid, recipientOrganisationId: orgGid(recipientOf(c)) }, watch: reportWatch(c) };
    },
  },
  // Analytical requests: the regional unit's OCG coordinators accept, decline and assign; the assigned analyst starts and delivers.
  acceptAnalyticalRequest: {
    category: 'ANALYTICAL_REQUEST', roles: ANALYSIS_MANAGERS, may: (c) => c.user.org === REGIONAL_UNIT, inputType: 'AnalyticalRequestStepInput',
    prepare: (c) => requestIn(c, 'REQUESTED'),
  },
  declineAnalyticalRequest: {
    category: 'ANALYTICAL_REQUEST', roles: ANALYSIS_MANAGERS, may: (c) => c.user.org === REGIONAL_UNIT,
    prepare: (c) => requestIn(c, 'REQUESTED', { reason: 'LACK_OF_CAPACITY', explanation: 'pw no analyst free' }),
  },
  assignAnalyticalRequest: {
    category: 'ANALYTICAL_REQUEST', roles: ANALYSIS_MANAGERS, may: (c) => c.user.org === REGIONAL_UNIT,
    prepare: (c) => requestIn(c, 'ACCEPTED', { analystId: toGlobal('User', fixtureAuthor) }),
  },
  startAnalyticalRequest: {
    category: 'ANALYTICAL_REQUEST', roles: ANALYSTS, may: assignedToCaller, inputType: 'AnalyticalRequestStepInput',
    prepare: (c) => requestIn(c, 'ACCEPTED'),
  },
  deliverAnalyticalRequest: {
    category: 'ANALYTICAL_REQUEST', roles: ANALYSTS, may: assignedToCaller, inputType: 'AnalyticalRequestStepInput',
    prepare: (c) => requestIn(c, 'IN_PROGRESS'),
  },
};

/** Mutations not exercised here, each with its reason: none of them acts on, or names, an existing shared record the oracle's worlds can judge. */
const NOT_COVERED: Record<string, string> = {
  createThreat: 'creates a record; who may create is test/access/mutation-roles.test.ts',
  createNominal: 'creates a record; who may create is test/access/mutation-roles.test.ts',
  createPractice: 'creates a record; who may create is test/access/mutation-roles.test.ts',
  createAnalyticalRequest: 'creates a record (law enforcement only); who may create is test/access/mutation-roles.test.ts, the threat or plan it names is found only if readable (test/modules/analytical-requests.test.ts)',
  createReferral: "creates a referral between two organisations: its subject and linked threats are found only if readable (test/access/hidden-references.test.ts), who it may be about is test/access/referral-access.test.ts, the receiver's clearance test/modules/referrals.test.ts; the worlds here hold no users of a receiver to restate that rule",
  createSharingAgreement: 'administration of agreements, not a shared record: role only (mutation-roles.test.ts, sharing-agreements.test.ts)',
  updateSharingAgreement: 'administration of agreements, not a shared record: role only (mutation-roles.test.ts, sharing-agreements.test.ts)',
  activateSharingAgreement: 'administration of agreements, not a shared record: role only (mutation-roles.test.ts, sharing-agreements.test.ts)',
  suspendSharingAgreement: 'administration of agreements, not a shared record: role only (mutation-roles.test.ts, sharing-agreements.test.ts)',
  reinstateSharingAgreement: 'administration of agreements, not a shared record: role only (mutation-roles.test.ts, sharing-agreements.test.ts)',
  expireSharingAgreement: 'administration of agreements, not a shared record: role only (mutation-roles.test.ts, sharing-agreements.test.ts)',
  setAccessRoleGrants: 'the role policy, not a shared record: role only (mutation-roles.test.ts)',
  publishAssessmentModel: 'the scoring model, not a shared record: role only (mutation-roles.test.ts)',
  statePurpose: "the caller's own stated purpose, not a record: test/access/purpose-change.test.ts",
  createUser: 'administration of accounts, not a shared record: test/administration/users-and-keys.test.ts (reach by organisation, role only)',
  changeUserRoles: 'administration of accounts, not a shared record: test/administration/users-and-keys.test.ts',
  changeUserClearance: 'administration of accounts, not a shared record: test/administration/users-and-keys.test.ts',
  deactivateUser: 'administration of accounts, not a shared record: test/administration/users-and-keys.test.ts',
  createApiKey: 'administration of API keys, not a shared record: test/administration/users-and-keys.test.ts',
  revokeApiKey: 'administration of API keys, not a shared record: test/administration/users-and-keys.test.ts',
  checkIdentifier: 'names no record: a deconfliction check of an identifier (test/modules/deconfliction.test.ts)',
  recordIdentifier: "records an identifier on a person or report: a hidden one is refused in the words a missing one gets, a readable one held by another organisation FORBIDDEN, by test/modules/deconfliction.test.ts; the oracle's worlds plant no identifiers to judge",
  removeIdentifier: "removes an identifier, not a shared record: another organisation's, or one on a record the caller may not read, NOT_FOUND as a missing one, with each layer alone, by test/access/deconfliction-access.test.ts and test/modules/deconfliction-identifiers.test.ts; the oracle's worlds plant no identifiers to judge",
  disposeRecord: 'deletes the record, which the worlds here share between calls: who may dispose of what (the owner\'s reviewers; another organisation\'s FORBIDDEN, a hidden one NOT_FOUND as a missing one) is test/modules/retention.test.ts',
};

/** The answer the rules give (1-4 above). */
function expectedOutcome(name: string, c: Call): Outcome {
  const kase = CASES[name];
  if (!c.user.roles.some((r) => kase.roles.includes(r))) return 'FORBIDDEN';
  if (!oracle(c.world, c.user, c.index)) return kase.hidden ?? 'NOT_FOUND';
  if (kase.partShown && !kase.partShown(c)) return 'NOT_FOUND';
  if (!kase.may(c)) return 'FORBIDDEN';
  return kase.badInput?.(c) ? 'BAD_USER_INPUT' : 'DONE';
}

const mutationText = (name: string, kase: WriteCase) => {
  const mutation = kase.mutation ?? name;
  return `mutation ($input: ${kase.inputType ?? `${mutation[0].toUpperCase()}${mutation.slice(1)}Input`}!) { ${mutation}(input: $input) { __typename } }`;
};

/** A caller with a role for the mutation who cannot read the record or is not shown the part: told what one who names a missing record is told. */
const hiddenFrom = (name: string, c: Call) =>
  c.user.roles.some((r) => CASES[name].roles.includes(r)) && (!oracle(c.world, c.user, c.index) || CASES[name].partShown?.(c) === false);

/**
 * The input with the record it acts on (its first field: id, threatId, planId, membershipId, or
 * the first of threatIds) swapped for one that does not exist.
 */
function missingTwin(input: Record<string, unknown>): Record<string, unknown> {
  const [key, value] = Object.entries(input)[0];
  const missing = (gid: string) => toGlobal(Buffer.from(gid, 'base64url').toString().split(':')[0], randomUUID());
  return { ...input, [key]: Array.isArray(value) ? [missing(value[0]), ...value.slice(1)] : missing(String(value)) };
}

const errorOf = (answer: { errors?: { message: string; extensions?: Record<string, any> }[] }) => {
  const e = answer.errors?.[0];
  return e ? { code: e.extensions?.code, message: e.message, fields: e.extensions?.fields } : 'DONE';
};

/** The watched rows, as JSON, in a fixed order. */
async function snapshot(watch: [string, string, string][]): Promise<string[]> {
  const out: string[] = [];
  for (const [table, column, value] of watch) {
    const [row] = await exec(`select coalesce(jsonb_agg(to_jsonb(t) order by t.id), '[]'::jsonb)::text as rows from ${table} t where t.${column} = ?`, [value]);
    out.push(`${table}.${column}: ${row.rows}`);
  }
  return out;
}

/**
 * Worlds for writes: users with any role, and the first eight records one of each kind, so each
 * world exercises every case. More users make changes likely to be allowed: an analyst
 * and assessor of the first record's owner, a validator and safeguarding practitioner of the
 * receiving organisation of the referral, an intelligence officer of the report's owner, and an
 * LRO of the referral's owner (who reviews it for retention), all cleared to SECRET; and an OCG
 * coordinator and analyst of the regional unit (analytical requests).
 */
const writeWorldArb = worldArbOf(ALL_ROLES).map((w) => {
  const kinds: Category[] = ['THREAT', 'NOMINAL', 'PLAN', 'DISRUPTION', 'REFERRAL', 'PRACTICE', 'INTELLIGENCE', 'ANALYTICAL_REQUEST'];
  const records = [...kinds.map((category, i) => ({ ...(w.records[i] ?? w.records[0]), category })), ...w.records.slice(kinds.length)];
  const world = withParents({ ...w, records });
  return {
    ...world,
    users: [
      ...world.users,
      { org: world.records[0].owner, roles: ['ANALYST', 'THREAT_ASSESSOR', 'SAFEGUARDING_PRACTITIONER'], clearance: 'SECRET' },
      { org: world.records[4].receiver, roles: ['DISRUPTION_VALIDATOR', 'SRO', 'SAFEGUARDING_PRACTITIONER'], clearance: 'SECRET' },
      { org: world.records[6].owner, roles: ['INTELLIGENCE_OFFICER'], clearance: 'SECRET' },
      { org: world.records[4].owner, roles: ['LRO'], clearance: 'SECRET' },
      { org: REGIONAL_UNIT, roles: ['OCG_COORDINATOR', 'ANALYST'], clearance: 'SECRET' },
    ],
  };
});

describe('every mutation on an existing record is in the write oracle, or listed with a reason', () => {
  it('covers the schema', async () => {
    const schema = await buildAppSchema();
    const mutations = Object.keys(schema.getMutationType()!.getFields()).sort();
    expect([...new Set([...Object.entries(CASES).map(([name, kase]) => kase.mutation ?? name), ...Object.keys(NOT_COVERED)])].sort()).toEqual(mutations);
    for (const kase of Object.values(CASES)) expect(CATEGORIES).toContain(kase.category);
  });
});

describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('writes hold for random worlds, with %s', (mode, accessLayers) => {
  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
    for (const o of await exec(`select code, id from organisation`)) orgIds.set(o.code, o.id);
    fixtureAuthor = (await exec(`select id from app_user where username = 'serocu.analyst'`))[0].id;
    // One real assessment (made through the API) whose scores the planted ones copy.
    const threat = await app.gql('serocu.analyst', `mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }`, {
      input: {
        name: 'Operation Template', subjectType: 'ORGANISED_CRIME_GROUP', leadOrganisationId: orgGid('SEROCU'), taskingLevel: 'FORCE', geographicScope: 'FORCE', identifiedOn: today(),
        criminalActivities: [activity()], access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' },
      },
    });
    const made = await app.gql('serocu.analyst', `mutation ($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }`, { input: { threatId: threat.data.createThreat.id, ...scores } });
    templateAssessment = Buffer.from(made.data.createAssessment.id, 'base64url').toString().split(':')[1];
  });
  afterAll(() => app.stop());

  it('every user may make exactly the changes the rules allow, to every kind of record; refused writes change nothing', async () => {
    const outcomes: Record<string, Record<Outcome, number>> = {};
    let worldNo = 0;
    let n = 0;
    await fc.assert(
      fc.asyncProperty(writeWorldArb, async (world) => {
        const tag = `x${Date.now().toString(36)}${worldNo++}`;
        const { usernames, ids } = await plant(app, world, tag);
        const userIds = new Map<string, string>((await exec(`select username, id from app_user where username like ?`, [`pw${tag}.%`])).map((r: any) => [r.username, r.id]));
        const twinChecked = new Set<string>();
        try {
          for (const [name, kase] of Object.entries(CASES)) {
            // The first record of the kind (the first eight are one of each).
            const index = world.records.findIndex((r) => r.category === kase.category);
            const record = world.records[index];
            for (const [u, username] of usernames.entries()) {
              const c: Call = { world, index, record, id: ids[index], gid: toGlobal(TYPES[record.category], ids[index]), user: world.users[u], userId: userIds.get(username)!, u, tag, n: n++ };
              const { input, watch } = await kase.prepare(c);
              const before = await snapshot(watch);
              const answer = await app.gql(username, mutationText(name, kase), { input });
              const expected = expectedOutcome(name, c);
              const got = answer.errors?.length ? String(answer.errors[0].extensions?.code) : 'DONE';
              if (hiddenFrom(name, c) && !twinChecked.has(name)) {
                // Hidden is missing: the same call naming a record that does not exist is answered alike.
                twinChecked.add(name);
                const twin = await app.gql(username, mutationText(name, kase), { input: missingTwin(input) });
                expect({ mutation: name, user: c.user, record, answer: errorOf(answer) }).toEqual({ mutation: name, user: c.user, record, answer: errorOf(twin) });
              }
              // On a mismatch the server's message is shown too.
              const message = got === expected ? {} : { message: answer.errors?.[0]?.message };
              expect({ mutation: name, user: c.user, record, got, ...message }).toEqual({ mutation: name, user: c.user, record, got: expected });
              const after = await snapshot(watch);
              if (expected === 'DONE') expect({ mutation: name, changed: after }).not.toEqual({ mutation: name, changed: before });
              else expect({ mutation: name, user: c.user, rows: after }).toEqual({ mutation: name, user: c.user, rows: before });
              outcomes[name] ??= { DONE: 0, FORBIDDEN: 0, NOT_FOUND: 0, BAD_USER_INPUT: 0 };
              outcomes[name][expected]++;
            }
          }
        } finally {
          await clear(app, tag);
        }
      }),
      // No shrinking: a world takes a minute or more to replay, and shrinking one failure ran past
      // the test's limit in CI (under load), so that the failure itself was never shown. The
      // failing world is printed whole, with its seed.
      { numRuns: WORLDS, seed: SEED, endOnFailure: true },
    );
    const totals = { DONE: 0, FORBIDDEN: 0, NOT_FOUND: 0, BAD_USER_INPUT: 0 };
    for (const o of Object.values(outcomes)) for (const k of Object.keys(totals) as Outcome[]) totals[k] += o[k];
    console.log(`write property (${mode}): ${WORLDS} worlds, ${Object.keys(outcomes).length} mutations, ${JSON.stringify(totals)}\n${JSON.stringify(outcomes)}`);
    // Not vacuous: every mutation was called, and each kind of answer was expected and checked.
    expect(Object.keys(outcomes).sort()).toEqual(Object.keys(CASES).sort());
    for (const outcome of ['DONE', 'FORBIDDEN', 'NOT_FOUND'] as const) expect(totals[outcome]).toBeGreaterThan(5);
    // A few minutes on an idle machine; over 900 s at load average 12 to 30 (beside other test
    // runs), since retention's two record kinds and a referral-owner LRO joined every world.
  }, 1_800_000);
});
