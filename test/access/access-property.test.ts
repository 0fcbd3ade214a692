import fc from 'fast-check';
import { createTestApp, type TestApp } from '../support/test-app';
import { expectData } from '../support/factories';

/**
 * Property test of the access rules: random worlds (organisations of different kinds, users with
 * random roles and clearances, agreements in and out of force, records with random markings and
 * sharing), every read path run through the real GraphQL API for every user, compared with an
 * oracle written plainly from docs/domain.md's rules. No leak, no over-denial. It runs with both
 * enforcement layers, with row-level security alone and with the application policy alone.
 *
 * A "case" is one user's view of one record; the normal suite checks well over 1,000 per layer
 * setting. ACCESS_PROPERTY_WORLDS=400 gives the long run (10,000+ cases).
 */

const WORLDS = Number(process.env.ACCESS_PROPERTY_WORLDS ?? 40);
const MARKINGS = ['OFFICIAL', 'OFFICIAL_SENSITIVE', 'SECRET'] as const;
const SHARINGS = ['OWNER_ONLY', 'NAMED_ORGANISATIONS', 'REGIONAL_LAW_ENFORCEMENT', 'ALL_PARTNERS'] as const;
const ROLES = ['ANALYST', 'INVESTIGATOR', 'LRO', 'SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'AUDITOR', 'ADMIN'] as const;
/** The regional unit, police and national agencies, then partners that are not law enforcement. */
const ORGS = ['SEROCU', 'TVP', 'SURREY', 'HMRC', 'OXON_CS', 'HANTS_CS', 'BUCKS_TS'] as const;
const CATEGORIES = ['THREAT', 'PRACTICE', 'REFERRAL', 'PLAN', 'DISRUPTION', 'NOMINAL', 'INTELLIGENCE'] as const;
const rank = (m: string) => ['OFFICIAL', 'OFFICIAL_SENSITIVE', 'SECRET', 'TOP_SECRET'].indexOf(m);

/** The default role policy (access migration), restated for the oracle. */
const ROLE_GRANTS: Record<(typeof CATEGORIES)[number], string[]> = {
  THREAT: ROLES.filter((r) => r !== 'ADMIN'),
  PRACTICE: [...ROLES],
  REFERRAL: ['SAFEGUARDING_PRACTITIONER', 'PARTNER_CONTRIBUTOR', 'INVESTIGATOR', 'ANALYST', 'LRO', 'AUDITOR'],
  PLAN: ROLES.filter((r) => r !== 'ADMIN'),
  DISRUPTION: ROLES.filter((r) => r !== 'ADMIN'),
  NOMINAL: ['ANALYST', 'INVESTIGATOR', 'LRO', 'SAFEGUARDING_PRACTITIONER', 'AUDITOR'],
  INTELLIGENCE: ROLES.filter((r) => r !== 'ADMIN'),
};

interface WorldUser { org: string; roles: string[]; clearance: string }
interface WorldAgreement { parties: string[]; categories: string[]; marking: string; status: string; from: number; to: number }
/**
 * `receiver`: a referral's receiving organisation. `partner`: the organisation owning an action in
 * a plan, contributing to a disruption, or referring a nominal to its owner (as the subject of a
 * referral; that partner also refers the nominal on to `receiver`, a referral between two
 * organisations that do not own the person); for a referral, any partner links it to its parent
 * threat. `parent`: which of the world's threats a plan, disruption or linked referral belongs to
 * (an index into the threats, taken modulo their number). For intelligence, `partner` is the
 * organisation it was disseminated to.
 */
interface WorldRecord {
  category: (typeof CATEGORIES)[number];
  owner: string;
  marking: string;
  sharing: string;
  sharedWith: string[];
  receiver: string;
  partner: string | null;
  parent: number;
}
interface World { users: WorldUser[]; agreements: WorldAgreement[]; records: WorldRecord[] }

const orgArb = fc.constantFrom(...ORGS);
const worldArb: fc.Arbitrary<World> = fc.record({
  users: fc.array(fc.record({ org: orgArb, roles: fc.subarray([...ROLES], { minLength: 0, maxLength: 3 }), clearance: fc.constantFrom(...MARKINGS) }), { minLength: 3, maxLength: 5 }),
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

/**
 * Plans and disruptions hang off threats: the world's first record is made a threat, and each
 * plan takes a threat of its own (one plan per threat); plans beyond the threats are dropped.
 */
function withParents(world: World): World {
  const records = [{ ...world.records[0], category: 'THREAT' as const }, ...world.records.slice(1)];
  const threats = records.filter((r) => r.category === 'THREAT').length;
  let plans = 0;
  return { ...world, records: records.filter((r) => r.category !== 'PLAN' || plans++ < threats) };
}

/** The world's threats, in order, as plans and disruptions refer to them. */
function threatsOf(world: World): number[] {
  return world.records.flatMap((r, i) => (r.category === 'THREAT' ? [i] : []));
}

/** The threat record (its index) a plan or disruption belongs to. */
function parentOf(world: World, index: number): number {
  const threats = threatsOf(world);
  const record = world.records[index];
  if (record.category === 'PLAN') return threats[world.records.slice(0, index).filter((r) => r.category === 'PLAN').length];
  return threats[record.parent % threats.length];
}

const lawEnforcement = new Set(['SEROCU', 'TVP', 'SURREY', 'HMRC']);
/** The regional unit (an organisation of type ROCU). */
const REGIONAL_UNIT = 'SEROCU';

/** The rules, written plainly from docs/domain.md and issue 4, independent of both layers. */
function oracle(world: World, user: WorldUser, index: number): boolean {
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
function sharedRule(world: World, user: WorldUser, record: WorldRecord): boolean {
  if (user.org === record.owner) return true;
  const named = record.sharing === 'NAMED_ORGANISATIONS' ? record.sharedWith : [];
  const reaches =
    record.sharing === 'ALL_PARTNERS' || named.includes(user.org) || (record.sharing === 'REGIONAL_LAW_ENFORCEMENT' && lawEnforcement.has(user.org));
  if (!reaches) return false;
  if (lawEnforcement.has(user.org)) return true;
  return agreementCovers(world, user.org, record);
}

/** An agreement in force between `org` and the record's owner covers its category and marking. */
function agreementCovers(world: World, org: string, record: WorldRecord): boolean {
  return world.agreements.some(
    (a) =>
      a.status === 'ACTIVE' && a.from <= 0 && 0 < a.to && a.parties.includes(org) && a.parties.includes(record.owner) &&
      a.categories.includes(record.category) && rank(a.marking) >= rank(record.marking),
  );
}

const days = (n: number) => `current_date + ${Math.trunc(n)}`;

/** Writes a world with SQL (as the database owner) and returns the ids of its users and records. */
async function plant(app: TestApp, world: World, tag: string) {
  const exec = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
  const org = (code: string) => `(select id from organisation where code = '${code}')`;
  const orgArray = (codes: string[]) => `array[${codes.map(org).join(',')}]::uuid[]`;
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
  const author = `(select id from app_user where username = 'serocu.analyst')`;
  const ids: string[] = new Array(world.records.length);
  // Threats first: plans and disruptions refer to them.
  const order = world.records.map((_, i) => i).sort((x, y) => Number(world.records[y].category === 'THREAT') - Number(world.records[x].category === 'THREAT'));
  for (const i of order) {
    const r = world.records[i];
    const shared = `${org(r.owner)}, ?, ?, ${orgArray(r.sharedWith)}, ${author}, ${author}`;
    const sharing = r.category === 'REFERRAL' ? 'NAMED_ORGANISATIONS' : r.sharing;
    const params = [r.marking, sharing];
    const parentId = r.category === 'PLAN' || r.category === 'DISRUPTION' || (r.category === 'REFERRAL' && r.partner) ? ids[parentOf(world, i)] : null;
    const [row] =
      r.category === 'THREAT'
        ? await exec(`insert into soc_threat (urn, name, subject_type, lead_organisation_id, tasking_level, geographic_scope, identified_on,
              owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
            values (?, ?, 'ORGANISED_CRIME_GROUP', ${org(r.owner)}, 'FORCE', 'FORCE', current_date, ${shared}) returning id`, [`PW-${tag}-${i}`, `pw${tag} threat ${i}`, ...params])
        : r.category === 'PRACTICE'
          ? await exec(`insert into practice_entry (title, aim, description, topics, stage, evidence_rating, contact,
                owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
              values (?, 'aim', 'description', '{property}', 'PILOT', 'PROMISING', 'contact', ${shared}) returning id`, [`pw${tag} practice ${i}`, ...params])
          : r.category === 'PLAN'
            ? await exec(`insert into fourp_plan (threat_id, owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
                values (?, ${shared}) returning id`, [parentId, ...params])
            : r.category === 'NOMINAL'
              ? await exec(`insert into nominal (name, owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
                  values (?, ${shared}) returning id`, [`pw${tag} nominal ${i}`, ...params])
            : r.category === 'INTELLIGENCE'
              ? await exec(`insert into intelligence_report (reference, received_on, source_evaluation, intelligence_assessment, handling_code, sanitised_text, original_text,
                    owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
                  values (?, current_date, 'UNTESTED', 'C', 'P', ?, 'original', ${shared}) returning id`, [`PW-${tag}-${i}`, `pw${tag} intelligence ${i}`, ...params])
            : r.category === 'DISRUPTION'
              ? await exec(`insert into disruption (threat_id, date, claiming_organisation_id, strand, level, tactic, description, impact_narrative, evidence_refs, contributors,
                    owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
                  values (?, current_date, ${org(r.owner)}, 'PURSUE', 'MINOR', 'CRIME', ?, 'impact', '{EV-1}', ${orgArray(r.partner ? [r.partner] : [])}, ${shared}) returning id`,
                  [parentId, `pw${tag} disruption ${i}`, ...params])
              : await exec(`insert into safeguarding_referral (reference, subject_is_child, referral_type, exploitation_types, referring_organisation_id,
                    receiving_organisation_id, urgency, consent_obtained, summary, acknowledgement_due_at, linked_threat_ids,
                    owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
                  values (?, true, 'MASH_CONTACT', '{COUNTY_LINES}', ${org(r.owner)}, ${org(r.receiver)}, 'GREEN', true, ?, now() + interval '1 day', ?::uuid[],
                    ${org(r.owner)}, ?, ?, array[${org(r.receiver)}]::uuid[], ${author}, ${author}) returning id`,
                  [`PW-${tag}-${i}`, `pw${tag} referral ${i}`, parentId ? `{${parentId}}` : '{}', ...params]);
    ids[i] = row.id;
    if (r.category === 'NOMINAL' && r.partner && r.partner !== r.owner) {
      // The referral that makes the nominal known to the partner: not one of the world's records.
      await exec(`insert into safeguarding_referral (reference, subject_id, subject_is_child, referral_type, exploitation_types, referring_organisation_id,
          receiving_organisation_id, urgency, consent_obtained, summary, acknowledgement_due_at,
          owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
        values (?, ?, true, 'MASH_CONTACT', '{COUNTY_LINES}', ${org(r.partner)}, ${org(r.owner)}, 'GREEN', true, ?, now() + interval '1 day',
          ${org(r.partner)}, 'OFFICIAL', 'NAMED_ORGANISATIONS', array[${org(r.owner)}]::uuid[], ${author}, ${author})`, [`PWL-${tag}-${i}`, row.id, `pwlink${tag}`]);
      if (r.receiver !== r.partner) {
        // The partner passes the person on to a third organisation (written round the service, which refuses it).
        await exec(`insert into safeguarding_referral (reference, subject_id, subject_is_child, referral_type, exploitation_types, referring_organisation_id,
            receiving_organisation_id, urgency, consent_obtained, summary, acknowledgement_due_at,
            owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
          values (?, ?, true, 'MASH_CONTACT', '{COUNTY_LINES}', ${org(r.partner)}, ${org(r.receiver)}, 'GREEN', true, ?, now() + interval '1 day',
            ${org(r.partner)}, 'OFFICIAL', 'NAMED_ORGANISATIONS', array[${org(r.receiver)}]::uuid[], ${author}, ${author})`, [`PWP-${tag}-${i}`, row.id, `pwlink${tag}`]);
      }
    }
    if (r.category === 'INTELLIGENCE' && r.partner && r.partner !== r.owner) {
      await exec(`insert into intelligence_dissemination (report_id, recipient_organisation_id, handling_code, sanitised_text, disseminated_by)
        values (?, ${org(r.partner)}, 'P', 'given', ${author})`, [row.id]);
    }
    if (r.category === 'PLAN' && r.partner) {
      await exec(`insert into plan_action (plan_id, strand, description, tactic, owner_organisation_id) values (?, 'PREVENT', 'pw action', 'CRIME', ${org(r.partner)})`, [row.id]);
    }
  }
  return { usernames, ids };
}

async function clear(app: TestApp, tag: string) {
  const exec = (text: string) => app.app.orm.em.getConnection().execute(text);
  await exec(`delete from safeguarding_referral where summary like 'pw${tag} %'`);
  await exec(`delete from practice_entry where title like 'pw${tag} %'`);
  await exec(`delete from intelligence_report where sanitised_text like 'pw${tag} %'`);
  await exec(`delete from disruption where description like 'pw${tag} %'`);
  await exec(`delete from fourp_plan where threat_id in (select id from soc_threat where name like 'pw${tag} %')`);
  await exec(`delete from soc_threat where name like 'pw${tag} %'`);
  await exec(`delete from safeguarding_referral where summary = 'pwlink${tag}'`);
  await exec(`delete from nominal where name like 'pw${tag} %'`);
  await exec(`delete from information_sharing_agreement where title = 'pw${tag}'`);
  // Users stay: the audit trail refers to them, and the database keeps it append-only.
  await exec(`update app_user set active = false where username like 'pw${tag}.%'`);
}

const toGlobal = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');
const TYPES = { THREAT: 'SocThreat', PRACTICE: 'PracticeEntry', REFERRAL: 'SafeguardingReferral', PLAN: 'FourPPlan', DISRUPTION: 'Disruption', NOMINAL: 'Nominal', INTELLIGENCE: 'IntelligenceReport' } as const;

/** What a user sees of this world through every read path: lists with totals, filters, node, nodes, nested parents, aliases and fragments. */
async function seenBy(app: TestApp, username: string, tag: string, globalIds: string[], threatIds: string[]): Promise<{ lists: Set<string>; nodes: Set<string>; totals: number }> {
  const data = expectData(
    await app.gql(
      username,
      `query ($text: String!, $ids: [ID!]!, $first: ID!, $threatIds: [ID!]!) {
        threats(first: 100, filter: { text: $text }) { totalCount edges { node { id } } }
        practices(first: 100, filter: { topics: ["property"] }) { totalCount edges { node { id } } }
        referrals(first: 100, filter: { text: $text }) { totalCount edges { node { id } } }
        plans(first: 100, filter: { threatIds: $threatIds }) { totalCount edges { node { id threat { id } } } }
        disruptions(first: 100, filter: { threatIds: $threatIds }) { totalCount edges { node { id threat { id } } } }
        nominals(first: 100, filter: { text: $text }) { totalCount edges { node { id } } }
        intelligenceReports(first: 100) { totalCount edges { node { id } } }
        nodes(ids: $ids) { id ... on FourPPlan { threat { id } } ... on Disruption { threat { id } } }
        one: node(id: $first) { id }
        again: threats(first: 100, filter: { text: $text }) { edges { node { ...Ids } } }
        plansAgain: plans(first: 100, filter: { threatIds: $threatIds }) { edges { node { ...Ids } } }
      }
      fragment Ids on Node { id }`,
      { text: `pw${tag} `, ids: globalIds, first: globalIds[0], threatIds },
    ),
  );
  const listed = [data.threats, data.practices, data.referrals, data.plans, data.disruptions, data.nominals, data.intelligenceReports];
  const lists = new Set<string>(listed.flatMap((c: any) => c.edges.map((e: any) => e.node.id)));
  const nodes = new Set<string>(data.nodes.filter(Boolean).map((n: any) => n.id));
  // node(id) must agree with nodes(ids) for the first record.
  expect(data.one?.id ?? null).toBe(nodes.has(globalIds[0]) ? globalIds[0] : null);
  // Aliases and fragments give the same answers as the plain fields.
  expect(data.again.edges.map((e: any) => e.node.id)).toEqual(data.threats.edges.map((e: any) => e.node.id));
  expect(data.plansAgain.edges.map((e: any) => e.node.id)).toEqual(data.plans.edges.map((e: any) => e.node.id));
  // A plan or disruption always comes with its threat, which the user can therefore see.
  for (const child of [...data.plans.edges.map((e: any) => e.node), ...data.disruptions.edges.map((e: any) => e.node), ...data.nodes.filter((n: any) => n?.threat)]) {
    expect(nodes.has(child.threat.id) || lists.has(child.threat.id)).toBe(true);
  }
  return { lists, nodes, totals: listed.reduce((sum: number, c: any) => sum + c.totalCount, 0) };
}

/** Who may call each write below, by role (server/src/access/mutation-roles.ts), restated for the oracle. */
const WRITE_ROLES: Record<'updateThreat' | 'updateNominal', string[]> = {
  updateThreat: ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR'],
  updateNominal: ['ANALYST', 'INTELLIGENCE_OFFICER', 'INVESTIGATOR', 'LRO', 'SRO', 'OCG_COORDINATOR', 'THREAT_ASSESSOR', 'SAFEGUARDING_PRACTITIONER'],
};

/**
 * The write oracle: what changing a record must answer. The role is checked first (FORBIDDEN
 * whatever the record); a record the user cannot read is missing (NOT_FOUND, as one that does
 * not exist); one they can read but do not own is FORBIDDEN; the owner's change is made.
 */
function writeOracle(world: World, user: WorldUser, index: number, mutation: keyof typeof WRITE_ROLES): 'DONE' | 'FORBIDDEN' | 'NOT_FOUND' {
  if (!user.roles.some((r) => WRITE_ROLES[mutation].includes(r))) return 'FORBIDDEN';
  if (!oracle(world, user, index)) return 'NOT_FOUND';
  return user.org === world.records[index].owner ? 'DONE' : 'FORBIDDEN';
}

describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('access rules hold for random worlds, with %s', (_mode, accessLayers) => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ accessLayers })));
  afterAll(() => app.stop());

  it('every user sees exactly what the rules allow, through every read path', async () => {
    let cases = 0;
    let granted = 0;
    let worldNo = 0;
    await fc.assert(
      fc.asyncProperty(worldArb, async (world) => {
        const tag = `${Date.now().toString(36)}${worldNo++}`;
        const { usernames, ids } = await plant(app, world, tag);
        try {
          const globalIds = ids.map((id, i) => toGlobal(TYPES[world.records[i].category], id));
          const threatIds = threatsOf(world).map((i) => globalIds[i]);
          for (const [u, username] of usernames.entries()) {
            const expected = new Set(globalIds.filter((_, i) => oracle(world, world.users[u], i)));
            const seen = await seenBy(app, username, tag, globalIds, threatIds);
            expect({ user: world.users[u], lists: [...seen.lists].sort() }).toEqual({ user: world.users[u], lists: [...expected].sort() });
            expect({ user: world.users[u], nodes: [...seen.nodes].sort() }).toEqual({ user: world.users[u], nodes: [...expected].sort() });
            expect(seen.totals).toBe(expected.size);
            cases += globalIds.length;
            granted += expected.size;
          }
        } finally {
          await clear(app, tag);
        }
      }),
      { numRuns: WORLDS, seed: process.env.ACCESS_PROPERTY_SEED ? Number(process.env.ACCESS_PROPERTY_SEED) : undefined },
    );
    // Reported for the long run's record; the normal suite must check at least 1,000.
    console.log(`access property (${_mode}): ${WORLDS} worlds, ${cases} user-record cases, ${granted} granted`);
    expect(cases).toBeGreaterThanOrEqual(WORLDS >= 40 ? 1000 : 0);
    // Not vacuous: the worlds both grant and deny, in fair measure.
    expect(granted).toBeGreaterThan(cases * 0.1);
    expect(granted).toBeLessThan(cases * 0.9);
  }, 600_000);

  it('every user may change exactly what the rules allow: refused writes change nothing', async () => {
    const outcomes: Record<string, number> = { DONE: 0, FORBIDDEN: 0, NOT_FOUND: 0 };
    let worldNo = 0;
    const exec = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
    await fc.assert(
      // Each world also has an analyst of its first threat's owner, cleared to SECRET: someone who may change it.
      fc.asyncProperty(worldArb.map((w) => ({ ...w, users: [...w.users, { org: w.records[0].owner, roles: ['ANALYST'], clearance: 'SECRET' }] })), async (world) => {
        const tag = `w${Date.now().toString(36)}${worldNo++}`;
        const { usernames, ids } = await plant(app, world, tag);
        try {
          for (const [i, record] of world.records.entries()) {
            const mutation = record.category === 'THREAT' ? 'updateThreat' : record.category === 'NOMINAL' ? 'updateNominal' : null;
            if (!mutation) continue;
            const table = mutation === 'updateThreat' ? 'soc_threat' : 'nominal';
            for (const [u, username] of usernames.entries()) {
              const [before] = await exec(`select name, version from ${table} where id = ?`, [ids[i]]);
              const name = `pw${tag} ${record.category.toLowerCase()} ${i} by ${u}`;
              const type = TYPES[record.category];
              const answer = await app.gql(username, `mutation ($input: ${mutation === 'updateThreat' ? 'UpdateThreatInput' : 'UpdateNominalInput'}!) { ${mutation}(input: $input) { id } }`, {
                input: { id: toGlobal(type, ids[i]), expectedVersion: before.version, name },
              });
              const expected = writeOracle(world, world.users[u], i, mutation);
              const got = answer.errors?.length ? String(answer.errors[0].extensions?.code) : 'DONE';
              expect({ user: world.users[u], record, mutation, got }).toEqual({ user: world.users[u], record, mutation, got: expected });
              const [after] = await exec(`select name, version from ${table} where id = ?`, [ids[i]]);
              expect(after).toEqual(expected === 'DONE' ? { name, version: before.version + 1 } : before);
              outcomes[expected]++;
            }
          }
        } finally {
          await clear(app, tag);
        }
      }),
      { numRuns: Math.max(5, Math.round(WORLDS / 4)), seed: process.env.ACCESS_PROPERTY_SEED ? Number(process.env.ACCESS_PROPERTY_SEED) : undefined },
    );
    console.log(`write property (${_mode}): ${JSON.stringify(outcomes)}`);
    // Not vacuous: every kind of answer was expected, and checked.
    for (const outcome of Object.values(outcomes)) expect(outcome).toBeGreaterThan(5);
  }, 600_000);
});
