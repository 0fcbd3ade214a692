import fc from 'fast-check';
import type { TestApp } from './test-app';

/**
 * Random worlds for the access property tests (test/access/access-property.test.ts reads,
 * test/access/write-property.test.ts writes): organisations of different kinds, users with random
 * roles and clearances, agreements in and out of force, records with random markings and sharing,
 * planted with SQL; and the read oracle, written plainly from docs/domain.md's rules,
 * independent of both enforcement layers.
 */
export const MARKINGS = ['OFFICIAL', 'OFFICIAL_SENSITIVE', 'SECRET'] as const;
export const SHARINGS = ['OWNER_ONLY', 'NAMED_ORGANISATIONS', 'REGIONAL_LAW_ENFORCEMENT', 'ALL_PARTNERS'] as const;
/** The roles the read property draws from. */
export const ROLES = ['ANALYST', 'INVESTIGATOR', 'LRO', 'SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'AUDITOR', 'ADMIN'] as const;
/** Every role (the write property draws from these: validators, assessors and approvers act on records too). */
export const ALL_ROLES = [...ROLES, 'INTELLIGENCE_OFFICER', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR', 'DISRUPTION_VALIDATOR'] as const;
/** The regional unit, police and national agencies, then partners that are not law enforcement. */
export const ORGS = ['SEROCU', 'TVP', 'SURREY', 'HMRC', 'OXON_CS', 'HANTS_CS', 'BUCKS_TS'] as const;
export const CATEGORIES = ['THREAT', 'PRACTICE', 'REFERRAL', 'PLAN', 'DISRUPTION', 'NOMINAL', 'INTELLIGENCE', 'ANALYTICAL_REQUEST'] as const;
export const rank = (m: string) => ['OFFICIAL', 'OFFICIAL_SENSITIVE', 'SECRET', 'TOP_SECRET'].indexOf(m);

/** The default role policy (access migration), restated for the oracle. */
export const ROLE_GRANTS: Record<(typeof CATEGORIES)[number], string[]> = {
  THREAT: ALL_ROLES.filter((r) => r !== 'ADMIN'),
  PRACTICE: [...ALL_ROLES],
  REFERRAL: ['SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'INVESTIGATOR', 'ANALYST', 'INTELLIGENCE_OFFICER', 'LRO', 'SRO', 'OCG_COORDINATOR', 'AUDITOR'],
  PLAN: ALL_ROLES.filter((r) => r !== 'ADMIN'),
  DISRUPTION: ALL_ROLES.filter((r) => r !== 'ADMIN'),
  NOMINAL: ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR', 'SAFEGUARDING_PRACTITIONER', 'AUDITOR'],
  // Not administrators nor disruption validators (the intelligence migration's default policy).
  INTELLIGENCE: ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR', 'SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'AUDITOR'],
  // Intelligence and investigative roles and auditors (the analytical requests migration's default policy).
  ANALYTICAL_REQUEST: ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR', 'AUDITOR'],
};

export interface WorldUser { org: string; roles: string[]; clearance: string }
export interface WorldAgreement { parties: string[]; categories: string[]; marking: string; status: string; from: number; to: number }
/**
 * `receiver`: a referral's receiving organisation. `partner`: the organisation owning an action in
 * a plan, contributing to a disruption, or referring a nominal to its owner (as the subject of a
 * referral; that partner also refers the nominal on to `receiver`, a referral between two
 * organisations that do not own the person); for a referral, any partner links it to its parent
 * threat. `parent`: which of the world's threats a plan, disruption or linked referral belongs to
 * (an index into the threats, taken modulo their number). For intelligence, `partner` is the
 * organisation it was disseminated to.
 */
export interface WorldRecord {
  category: (typeof CATEGORIES)[number];
  owner: string;
  marking: string;
  sharing: string;
  sharedWith: string[];
  receiver: string;
  partner: string | null;
  parent: number;
}
export interface World { users: WorldUser[]; agreements: WorldAgreement[]; records: WorldRecord[] }

const orgArb = fc.constantFrom(...ORGS);
/** Random worlds whose users hold roles drawn from `roles`. */
export const worldArbOf = (roles: readonly string[] = ROLES): fc.Arbitrary<World> => fc.record({
  users: fc.array(fc.record({ org: orgArb, roles: fc.subarray([...roles], { minLength: 0, maxLength: 3 }), clearance: fc.constantFrom(...MARKINGS) }), { minLength: 3, maxLength: 5 }),
  agreements: fc.array(
    fc.record({
      parties: fc.subarray([...ORGS], { minLength: 2, maxLength: 4 }),
      categories: fc.subarray([...CATEGORIES], { minLength: 1 }),
      marking: fc.constantFrom(...MARKINGS),
      status: fc.constantFrom('ACTIVE', 'ACTIVE', 'SUSPENDED', 'EXPIRED', 'DRAFT'),
      // Days from today: in force, not yet started, or already ended.
      from: fc.constantFrom(-400, -30, 10),
      to: fc.constantFrom(-5, 0, 1, 200),
    }).filter((a) => a.to > a.from),
    { maxLength: 3 },
  ),
  records: fc.array(
    fc.record({
      category: fc.constantFrom(...CATEGORIES),
      owner: orgArb,
      marking: fc.constantFrom(...MARKINGS),
      sharing: fc.constantFrom(...SHARINGS),
      sharedWith: fc.subarray([...ORGS], { maxLength: 2 }),
      receiver: orgArb,
      partner: fc.option(orgArb, { nil: null }),
      parent: fc.nat(7),
    }).filter((r) => r.receiver !== r.owner),
    { minLength: 6, maxLength: 12 },
  ),
}).map(withParents);

export const worldArb = worldArbOf(ROLES);

/**
 * Plans and disruptions hang off threats: the world's first record is made a threat, and each
 * plan takes a threat of its own (one plan per threat); plans beyond the threats are dropped.
 */
export function withParents(world: World): World {
  const records = [{ ...world.records[0], category: 'THREAT' as const }, ...world.records.slice(1)];
  const threats = records.filter((r) => r.category === 'THREAT').length;
  let plans = 0;
  return { ...world, records: records.filter((r) => r.category !== 'PLAN' || plans++ < threats) };
}

/** The world's threats, in order, as plans and disruptions refer to them. */
export function threatsOf(world: World): number[] {
  return world.records.flatMap((r, i) => (r.category === 'THREAT' ? [i] : []));
}

/** The threat record (its index) a plan or disruption belongs to. */
export function parentOf(world: World, index: number): number {
  const threats = threatsOf(world);
  const record = world.records[index];
  if (record.category === 'PLAN') return threats[world.records.slice(0, index).filter((r) => r.category === 'PLAN').length];
  return threats[record.parent % threats.length];
}

export const lawEnforcement = new Set(['SEROCU', 'TVP', 'SURREY', 'HMRC']);
/** The regional unit (an organisation of type ROCU). */
export const REGIONAL_UNIT = 'SEROCU';

/** The rules, written plainly from docs/domain.md and issue 4, independent of both layers. */
export function oracle(world: World, user: WorldUser, index: number): boolean {
  const record = world.records[index];
  if (rank(user.clearance) < rank(record.marking)) return false;
  if (!user.roles.some((r) => ROLE_GRANTS[record.category].includes(r))) return false;
  if (record.category === 'REFERRAL') {
    // The parties and auditors; the regional unit also reads one linked to a threat it can read.
    if (user.org === record.owner || user.org === record.receiver || user.roles.includes('AUDITOR')) return true;
    return user.org === REGIONAL_UNIT && record.partner !== null && oracle(world, user, parentOf(world, index));
  }
  // A plan or disruption is seen only together with its threat (its \`threat\` field is never null).
  if (record.category === 'PLAN' || record.category === 'DISRUPTION') {
    if (!oracle(world, user, parentOf(world, index))) return false;
    if (!lawEnforcement.has(user.org)) {
      // Partners: a disruption they claim or contribute to; a plan shared with them or holding an action of theirs.
      if (record.category === 'DISRUPTION') return user.org === record.owner || user.org === record.partner;
      if (user.org === record.partner) return true;
    }
  }
  if (record.category === 'NOMINAL') {
    if (user.org === record.owner) return true;
    // The partner referred the person to their owner: a party to a referral the owner is party to
    // reads its subject, police at once, others with an agreement in force with the owner. The
    // referral the partner passed on to the receiver (neither owns the person) grants nothing.
    if (user.org === record.partner && (lawEnforcement.has(user.org) || agreementCovers(world, user.org, record))) return true;
    // Otherwise partners see no one; police by the common rule.
    if (!lawEnforcement.has(user.org)) return false;
  }
  // Intelligence: police by the common rule; partners only their own, or what was disseminated
  // to them under an agreement in force covering intelligence at its marking, whatever the sharing.
  if (record.category === 'INTELLIGENCE' && !lawEnforcement.has(user.org)) {
    return user.org === record.owner || (user.org === record.partner && agreementCovers(world, user.org, record));
  }
  return sharedRule(world, user, record);
}

/** The common rule: owner, or sharing that reaches the user plus (partners) an agreement in force. */
export function sharedRule(world: World, user: WorldUser, record: WorldRecord): boolean {
  if (user.org === record.owner) return true;
  const named = record.sharing === 'NAMED_ORGANISATIONS' ? record.sharedWith : [];
  const reaches =
    record.sharing === 'ALL_PARTNERS' || named.includes(user.org) || (record.sharing === 'REGIONAL_LAW_ENFORCEMENT' && lawEnforcement.has(user.org));
  if (!reaches) return false;
  if (lawEnforcement.has(user.org)) return true;
  return agreementCovers(world, user.org, record);
}

/** An agreement in force between `org` and the record's owner covers its category and marking. */
export function agreementCovers(world: World, org: string, record: WorldRecord): boolean {
  return world.agreements.some(
    (a) =>
      a.status === 'ACTIVE' && a.from <= 0 && 0 < a.to && a.parties.includes(org) && a.parties.includes(record.owner) &&
      a.categories.includes(record.category) && rank(a.marking) >= rank(record.marking),
  );
}

const days = (n: number) => `current_date + ${Math.trunc(n)}`;

type Exec = (text: string, params?: unknown[]) => Promise<any[]>;
const org = (code: string) => `(select id from organisation where code = '${code}')`;
const orgArray = (codes: string[]) => `array[${codes.map(org).join(',')}]::uuid[]`;
const AUTHOR = `(select id from app_user where username = 'serocu.analyst')`;

/**
 * Inserts one of a world's records with SQL (as the database owner) and returns its id. `key`
 * makes its name and reference unique (the index, or the index and a copy number); `parentId` is
 * its threat (plans, disruptions, linked referrals); `status` overrides the table's default.
 */
export async function insertRecord(exec: Exec, r: WorldRecord, tag: string, key: string, parentId: string | null, status?: string): Promise<string> {
  const shared = `${org(r.owner)}, ?, ?, ${orgArray(r.sharedWith)}, ${AUTHOR}, ${AUTHOR}`;
  const sharing = r.category === 'REFERRAL' ? 'NAMED_ORGANISATIONS' : r.sharing;
  const params = [r.marking, sharing];
  const st = status ?? null;
  const [row] =
    r.category === 'THREAT'
      ? await exec(`insert into soc_threat (urn, name, subject_type, lead_organisation_id, tasking_level, geographic_scope, identified_on,
            owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by, status, assessed_on)
          values (?, ?, 'ORGANISED_CRIME_GROUP', ${org(r.owner)}, 'FORCE', 'FORCE', current_date, ${shared}, coalesce(?, 'TRIGGER_SUBMITTED'), current_date) returning id`, [`PW-${tag}-${key}`, `pw${tag} threat ${key}`, ...params, st])
      : r.category === 'PRACTICE'
        ? await exec(`insert into practice_entry (title, aim, description, topics, stage, evidence_rating, contact,
              owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
            values (?, 'aim', 'description', '{property}', 'PILOT', 'PROMISING', 'contact', ${shared}) returning id`, [`pw${tag} practice ${key}`, ...params])
        : r.category === 'PLAN'
          ? await exec(`insert into fourp_plan (threat_id, owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by, status)
              values (?, ${shared}, coalesce(?, 'DRAFT')) returning id`, [parentId, ...params, st])
          : r.category === 'NOMINAL'
            ? await exec(`insert into nominal (name, owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
                values (?, ${shared}) returning id`, [`pw${tag} nominal ${key}`, ...params])
          : r.category === 'INTELLIGENCE'
            ? await exec(`insert into intelligence_report (reference, received_on, source_evaluation, intelligence_assessment, handling_code, sanitised_text, original_text,
                  owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
                values (?, current_date, 'UNTESTED', 'C', 'P', ?, 'original', ${shared}) returning id`, [`PW-${tag}-${key}`, `pw${tag} intelligence ${key}`, ...params])
          : r.category === 'ANALYTICAL_REQUEST'
            ? await exec(`insert into analytical_request (reference, question, product_type, priority, due_on, threat_id,
                  owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
                values (?, ?, 'PROFILE', 'MEDIUM', current_date + 7, ?, ${shared}) returning id`,
                [`PW-${tag}-${key}`, `pw${tag} request ${key}`, parentId ?? (await insertRecord(exec, { ...r, category: 'THREAT' }, tag, `${key}t`, null)), ...params])
          : r.category === 'DISRUPTION'
            ? await exec(`insert into disruption (threat_id, date, claiming_organisation_id, strand, level, tactic, description, impact_narrative, evidence_refs, contributors,
                  owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by, status, submitted_at)
                values (?, current_date, ${org(r.owner)}, 'PURSUE', 'MINOR', 'CRIME', ?, 'impact', '{EV-1}', ${orgArray(r.partner && r.partner !== r.owner ? [r.partner] : [])}, ${shared},
                  coalesce(?, 'DRAFT'), case when ? in ('SUBMITTED', 'VALIDATED') then now() end) returning id`,
                [parentId, `pw${tag} disruption ${key}`, ...params, st, st])
            : await exec(`insert into safeguarding_referral (reference, subject_is_child, referral_type, exploitation_types, referring_organisation_id,
                  receiving_organisation_id, urgency, consent_obtained, summary, acknowledgement_due_at, linked_threat_ids,
                  owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by, status)
                values (?, true, 'MASH_CONTACT', '{COUNTY_LINES}', ${org(r.owner)}, ${org(r.receiver)}, 'GREEN', true, ?, now() + interval '1 day', ?::uuid[],
                  ${org(r.owner)}, ?, ?, array[${org(r.receiver)}]::uuid[], ${AUTHOR}, ${AUTHOR}, coalesce(?, 'SUBMITTED')) returning id`,
                [`PW-${tag}-${key}`, `pw${tag} referral ${key}`, parentId ? `{${parentId}}` : '{}', ...params, st]);
  return row.id;
}

/** The parent threat id a record is planted with (plans, disruptions, referrals linked to a threat), or null. */
export function parentIdOf(world: World, ids: string[], index: number): string | null {
  const r = world.records[index];
  return r.category === 'PLAN' || r.category === 'DISRUPTION' || r.category === 'ANALYTICAL_REQUEST' || (r.category === 'REFERRAL' && r.partner) ? ids[parentOf(world, index)] : null;
}

/** Writes a world with SQL (as the database owner) and returns the ids of its users and records. */
export async function plant(app: TestApp, world: World, tag: string) {
  const exec: Exec = (text, params = []) => app.app.orm.em.getConnection().execute(text, params);
  const usernames: string[] = [];
  for (const [i, u] of world.users.entries()) {
    const username = `pw${tag}.u${i}`;
    usernames.push(username);
    await exec(`insert into app_user (username, display_name, organisation_id, roles, clearance) values (?, ?, ${org(u.org)}, ?::text[], ?)`, [
      username, `Property user ${i}`, `{${u.roles.join(',')}}`, u.clearance,
    ]);
  }
  for (const a of world.agreements) {
    await exec(`insert into information_sharing_agreement (title, parties, legal_gateways, data_categories, max_protective_marking, effective_from, expires_on, status)
      values (?, ${orgArray(a.parties)}, '{OTHER}', ?::text[], ?, ${days(a.from)}, ${days(a.to)}, ?)`, [`pw${tag}`, `{${a.categories.join(',')}}`, a.marking, a.status]);
  }
  const ids: string[] = new Array(world.records.length);
  // Threats first: plans and disruptions refer to them.
  const order = world.records.map((_, i) => i).sort((x, y) => Number(world.records[y].category === 'THREAT') - Number(world.records[x].category === 'THREAT'));
  for (const i of order) {
    const r = world.records[i];
    ids[i] = await insertRecord(exec, r, tag, String(i), parentIdOf(world, ids, i));
    const rowId = ids[i];
    if (r.category === 'NOMINAL' && r.partner && r.partner !== r.owner) {
      // The referral that makes the nominal known to the partner: not one of the world's records.
      await exec(`insert into safeguarding_referral (reference, subject_id, subject_is_child, referral_type, exploitation_types, referring_organisation_id,
          receiving_organisation_id, urgency, consent_obtained, summary, acknowledgement_due_at,
          owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
        values (?, ?, true, 'MASH_CONTACT', '{COUNTY_LINES}', ${org(r.partner)}, ${org(r.owner)}, 'GREEN', true, ?, now() + interval '1 day',
          ${org(r.partner)}, 'OFFICIAL', 'NAMED_ORGANISATIONS', array[${org(r.owner)}]::uuid[], ${AUTHOR}, ${AUTHOR})`, [`PWL-${tag}-${i}`, rowId, `pwlink${tag}`]);
      if (r.receiver !== r.partner) {
        // The partner passes the person on to a third organisation (written round the service, which refuses it).
        await exec(`insert into safeguarding_referral (reference, subject_id, subject_is_child, referral_type, exploitation_types, referring_organisation_id,
            receiving_organisation_id, urgency, consent_obtained, summary, acknowledgement_due_at,
            owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
          values (?, ?, true, 'MASH_CONTACT', '{COUNTY_LINES}', ${org(r.partner)}, ${org(r.receiver)}, 'GREEN', true, ?, now() + interval '1 day',
            ${org(r.partner)}, 'OFFICIAL', 'NAMED_ORGANISATIONS', array[${org(r.receiver)}]::uuid[], ${AUTHOR}, ${AUTHOR})`, [`PWP-${tag}-${i}`, rowId, `pwlink${tag}`]);
      }
    }
    if (r.category === 'INTELLIGENCE' && r.partner && r.partner !== r.owner) {
      await exec(`insert into intelligence_dissemination (report_id, recipient_organisation_id, handling_code, sanitised_text, disseminated_by)
        values (?, ${org(r.partner)}, 'P', 'given', ${AUTHOR})`, [rowId]);
    }
    if (r.category === 'PLAN' && r.partner) {
      await exec(`insert into plan_action (plan_id, strand, description, tactic, owner_organisation_id) values (?, 'PREVENT', 'pw action', 'CRIME', ${org(r.partner)})`, [rowId]);
    }
  }
  return { usernames, ids };
}

export async function clear(app: TestApp, tag: string) {
  const exec = (text: string) => app.app.orm.em.getConnection().execute(text);
  await exec(`delete from safeguarding_referral where summary like 'pw${tag} %'`);
  await exec(`delete from practice_entry where title like 'pw${tag} %'`);
  await exec(`delete from intelligence_report where sanitised_text like 'pw${tag} %'`);
  await exec(`delete from analytical_request where question like 'pw${tag} %'`);
  await exec(`delete from disruption where description like 'pw${tag} %'`);
  await exec(`delete from fourp_plan where threat_id in (select id from soc_threat where name like 'pw${tag} %')`);
  await exec(`delete from soc_threat where name like 'pw${tag} %'`);
  await exec(`delete from safeguarding_referral where summary = 'pwlink${tag}'`);
  await exec(`delete from nominal where name like 'pw${tag} %'`);
  // With the lapses the live job may have announced meanwhile (an agreement of the world ending today), in one statement.
  await exec(`with lapses as (delete from agreement_lapse where agreement_id in (select id from information_sharing_agreement where title = 'pw${tag}'))
    delete from information_sharing_agreement where title = 'pw${tag}'`);
  // Users stay: the audit trail refers to them, and the database keeps it append-only.
  await exec(`update app_user set active = false where username like 'pw${tag}.%'`);
}

export const toGlobal = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');
export const TYPES = { THREAT: 'SocThreat', PRACTICE: 'PracticeEntry', REFERRAL: 'SafeguardingReferral', PLAN: 'FourPPlan', DISRUPTION: 'Disruption', NOMINAL: 'Nominal', INTELLIGENCE: 'IntelligenceReport', ANALYTICAL_REQUEST: 'AnalyticalRequest' } as const;
