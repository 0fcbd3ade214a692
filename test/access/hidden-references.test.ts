import { randomUUID } from 'node:crypto';
import type { AccessLayers } from '../../server/src/access/layers';
import { assessedThreat, createDisruption, dbId, globalId } from '../support/disruption-factories';
import { createThreat, flatScores, orgId } from '../support/factories';
import { insertRecord, type WorldRecord } from '../support/access-world';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * A record a mutation names by id (besides the one it changes), or a part it acts on, that the
 * caller may not read is told apart from one that does not exist by nothing: the same error code,
 * message and field, and nothing written (access/references.ts). Each reference is tried twice,
 * once with a record hidden from the caller (another force's, owner only) and once with an id
 * that names nothing, with both layers, with row-level security alone and with the application
 * policy alone: plain existence checks let the application layer alone link a hidden threat, add
 * a hidden person, and tell hidden records' dates, threats and versions by their answers.
 */

type Call = (id: string) => { as: string; mutation: string; inputType: string; input: Record<string, unknown> };
interface Reference {
  name: string;
  type: string;
  /** The hidden record's database id. */
  hidden: () => string;
  call: Call;
}

describe.each<[string, AccessLayers]>([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('a reference to a record the caller may not read is as missing as one that does not exist, with %s', (_mode, accessLayers) => {
  let app: TestApp;
  const exec = (text: string, params: unknown[] = []): Promise<any[]> => app.app.orm.em.getConnection().execute(text, params);
  /** Surrey's records, owner only: hidden from TVP and SEROCU. */
  const hidden: Record<string, string> = {};
  let own: { id: string; version: number };
  let ownLinked: { id: string; version: number };
  let disruption: { id: string; version: number };
  let ownActivity: string;

  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
    const surrey: WorldRecord = { category: 'THREAT', owner: 'SURREY', marking: 'OFFICIAL', sharing: 'OWNER_ONLY', sharedWith: [], receiver: 'SURREY', partner: null, parent: 0 };
    hidden.threat = await insertRecord(exec, surrey, 'hr', 'threat', null, 'ADOPTED');
    hidden.linked = await insertRecord(exec, surrey, 'hr', 'linked', null, 'ADOPTED');
    hidden.nominal = await insertRecord(exec, { ...surrey, category: 'NOMINAL' }, 'hr', 'nominal', null);
    hidden.plan = await insertRecord(exec, { ...surrey, category: 'PLAN' }, 'hr', 'plan', hidden.threat);
    [{ id: hidden.activity }] = await exec(`insert into criminal_activity (threat_id, category, description, first_identified) values (?, 'ILLEGAL_DRUGS', 'hidden', current_date) returning id`, [hidden.threat]);
    [{ id: hidden.membership }] = await exec(`insert into membership (threat_id, nominal_id, role) values (?, ?, 'PERIPHERAL') returning id`, [hidden.threat, hidden.nominal]);
    [{ id: hidden.objective }] = await exec(`insert into plan_objective (plan_id, strand, description) values (?, 'PURSUE', 'hidden') returning id`, [hidden.plan]);
    const surreyOrg = (await exec(`select id from organisation where code = 'SURREY'`))[0].id;
    [{ id: hidden.action }] = await exec(`insert into plan_action (plan_id, strand, description, tactic, owner_organisation_id) values (?, 'PURSUE', 'hidden', 'CRIME', ?) returning id`, [hidden.plan, surreyOrg]);
    const author = (await exec(`select id from app_user where username = 'serocu.analyst'`))[0].id;
    [{ id: hidden.gap }] = await exec(`insert into plan_entry (plan_id, kind, text, recorded_by) values (?, 'INTELLIGENCE_GAP', 'hidden', ?) returning id`, [hidden.plan, author]);
    // TVP's own threats (one linked to the hidden one, as its owner could have done) and a claim.
    const assessed = await assessedThreat(app);
    own = assessed;
    ownActivity = dbId(assessed.criminalActivities[0].id);
    ownLinked = await createThreat(app, 'tvp.investigator', { name: 'Operation Rowan' });
    await exec(`insert into threat_link (threat_id, linked_threat_id, reason, created_by) select least(?::uuid, ?::uuid), greatest(?::uuid, ?::uuid), 'hidden link', ?`, [
      dbId(ownLinked.id), hidden.linked, dbId(ownLinked.id), hidden.linked, author,
    ]);
    disruption = await createDisruption(app, 'tvp.investigator', own.id);
    // An assessment of the hidden threat, by someone else, for the parts acted on.
    const [{ id: assessment }] = await exec(
      `insert into threat_assessment (threat_id, method, scores, confidence, rationale, model_version, harm_score, likelihood_score, organisational_position_score, risk_score, priority, status, assessed_by)
       values (?, 'MORILE_TACTICAL', '{}', 'HIGH', 'hidden', 1, 1, 1, 1, 1, 'LOW', 'DRAFT', ?) returning id`,
      [hidden.threat, author],
    );
    hidden.assessment = assessment;
  });
  afterAll(() => app.stop());

  const ref = (name: string, type: string, key: string, call: Call): Reference => ({ name, type, hidden: () => hidden[key], call });
  const tvp = 'tvp.investigator';
  const references: Reference[] = [
    ref('addMember: the person', 'Nominal', 'nominal', (id) => ({ as: tvp, mutation: 'addMember', inputType: 'AddMemberInput', input: { threatId: own.id, expectedVersion: own.version, nominalId: id, role: 'PERIPHERAL' } })),
    ref('linkThreats: the other threat', 'SocThreat', 'threat', (id) => ({ as: tvp, mutation: 'linkThreats', inputType: 'LinkThreatsInput', input: { threatId: own.id, expectedVersion: own.version, linkedThreatId: id, reason: 'Shared phones.' } })),
    ref('unlinkThreats: the other threat', 'SocThreat', 'linked', (id) => ({ as: tvp, mutation: 'unlinkThreats', inputType: 'UnlinkThreatsInput', input: { threatId: ownLinked.id, expectedVersion: ownLinked.version, linkedThreatId: id } })),
    ref('updateDisruption: the threat', 'SocThreat', 'threat', (id) => ({ as: tvp, mutation: 'updateDisruption', inputType: 'UpdateDisruptionInput', input: { id: disruption.id, expectedVersion: disruption.version, threatId: id } })),
    ref('updateDisruption: the activity', 'CriminalActivity', 'activity', (id) => ({ as: tvp, mutation: 'updateDisruption', inputType: 'UpdateDisruptionInput', input: { id: disruption.id, expectedVersion: disruption.version, criminalActivityId: id } })),
    ref('updateDisruption: the plan action', 'PlanAction', 'action', (id) => ({ as: tvp, mutation: 'updateDisruption', inputType: 'UpdateDisruptionInput', input: { id: disruption.id, expectedVersion: disruption.version, planActionId: id } })),
    ref('createDisruption: the threat', 'SocThreat', 'threat', (id) => ({ as: tvp, mutation: 'createDisruption', inputType: 'CreateDisruptionInput', input: disruptionInputFor(id) })),
    ref('createPlan: the threat', 'SocThreat', 'threat', (id) => ({ as: tvp, mutation: 'createPlan', inputType: 'CreatePlanInput', input: { threatId: id, access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } } })),
    ref('createAssessment: the threat', 'SocThreat', 'threat', (id) => ({ as: 'serocu.analyst', mutation: 'createAssessment', inputType: 'CreateAssessmentInput', input: { threatId: id, method: 'MORILE_TACTICAL', confidence: 'HIGH', rationale: 'r', ...flatScores(2) } })),
    ...(['threatIds', 'activityIds', 'nominalIds'] as const).map((field) =>
      ref(`createIntelligenceReport: ${field}`, field === 'threatIds' ? 'SocThreat' : field === 'activityIds' ? 'CriminalActivity' : 'Nominal', field === 'threatIds' ? 'threat' : field === 'activityIds' ? 'activity' : 'nominal', (id) => ({
        as: tvp, mutation: 'createIntelligenceReport', inputType: 'CreateIntelligenceReportInput', input: { ...REPORT, [field]: [id] },
      })),
    ),
    // The part a mutation acts on: "<part> not found", not its record's name (nor its version).
    ref('updateCriminalActivity: the activity', 'CriminalActivity', 'activity', (id) => ({ as: tvp, mutation: 'updateCriminalActivity', inputType: 'UpdateCriminalActivityInput', input: { id, expectedVersion: 1, activity: { category: 'ILLEGAL_DRUGS', description: 'x', firstIdentified: '2025-06-01' } } })),
    ref('removeMember: the membership', 'Membership', 'membership', (id) => ({ as: tvp, mutation: 'removeMember', inputType: 'RemoveMemberInput', input: { membershipId: id, expectedVersion: 1 } })),
    ref('removeObjective: the objective', 'PlanObjective', 'objective', (id) => ({ as: tvp, mutation: 'removeObjective', inputType: 'RemovePlanPartInput', input: { id, expectedVersion: 1 } })),
    ref('updateAction: the action', 'PlanAction', 'action', (id) => ({ as: tvp, mutation: 'updateAction', inputType: 'UpdateActionInput', input: { id, expectedVersion: 1, status: 'IN_PROGRESS' } })),
    ref('resolveIntelligenceGap: the gap', 'PlanEntry', 'gap', (id) => ({ as: tvp, mutation: 'resolveIntelligenceGap', inputType: 'ResolveIntelligenceGapInput', input: { id, expectedVersion: 1, resolution: 'x' } })),
    ref('reviseAssessment: the assessment (its version not told)', 'ThreatAssessment', 'assessment', (id) => ({
      as: 'serocu.analyst', mutation: 'reviseAssessment', inputType: 'ReviseAssessmentInput', input: { id, expectedVersion: 99, method: 'MORILE_TACTICAL', confidence: 'HIGH', rationale: 'r', ...flatScores(2) },
    })),
  ];

  const disruptionInputFor = (threatId: string) => ({
    threatId, date: '2025-08-01', strand: 'PURSUE', level: 'MODERATE', tactic: 'CRIME', description: 'd', impactNarrative: 'i', evidenceRefs: ['E-1'],
    access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' },
  });
  const REPORT = {
    receivedOn: '2026-10-14', sourceEvaluation: 'RELIABLE', intelligenceAssessment: 'A', handlingCode: 'P', sanitisedText: 's', originalText: 'o',
    access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' },
  };

  /** Everything a mutation here could write: row counts and versions of the tables involved. */
  const written = async () =>
    (await exec(`select
      (select count(*) from membership) m, (select count(*) from threat_link) l, (select count(*) from safeguarding_referral) r,
      (select count(*) from disruption) d, (select sum(version) from disruption) dv, (select count(*) from intelligence_report) i,
      (select count(*) from fourp_plan) p, (select count(*) from threat_assessment) a, (select sum(version) from threat_assessment) av,
      (select sum(version) from soc_threat) tv, (select sum(version) from fourp_plan) pv,
      (select string_agg(description, ',' order by id) from criminal_activity) ca, (select count(*) from plan_objective) o,
      (select string_agg(status, ',' order by id) from plan_action) pa, (select count(*) from plan_entry where resolved_on is not null) g`))[0];

  const answer = async (call: ReturnType<Call>) => {
    const result = await app.gql(call.as, `mutation ($input: ${call.inputType}!) { ${call.mutation}(input: $input) { __typename } }`, { input: call.input });
    const error = result.errors?.[0];
    return { data: result.data?.[call.mutation] ?? null, code: error?.extensions?.code, message: error?.message, fields: error?.extensions?.fields };
  };

  it.each(references.map((r) => [r.name, r] as const))('%s', async (_name, reference) => {
    const before = await written();
    const asHidden = await answer(reference.call(globalId(reference.type, reference.hidden())));
    const asMissing = await answer(reference.call(globalId(reference.type, randomUUID())));
    expect(asMissing.data).toBeNull();
    expect(['NOT_FOUND', 'BAD_USER_INPUT']).toContain(asMissing.code);
    expect(asHidden).toEqual(asMissing);
    expect(await written()).toEqual(before);
  });

  it('createReferral: a linked threat and the subject', async () => {
    const input = async (overrides: Record<string, unknown>) => ({
      subjectIsChild: true, referralType: 'MASH_CONTACT', exploitationTypes: ['COUNTY_LINES'], receivingOrganisationId: await orgId(app, 'OXON_CS'), urgency: 'AMBER',
      consentObtained: true, summary: 's', protectiveMarking: 'OFFICIAL', ...overrides,
    });
    for (const [field, type, key] of [['linkedThreatIds', 'SocThreat', 'threat'], ['subjectId', 'Nominal', 'nominal']] as const) {
      const value = (id: string) => (field === 'linkedThreatIds' ? [id] : id);
      const call = async (id: string) => ({ as: 'tvp.safeguarding', mutation: 'createReferral', inputType: 'CreateReferralInput', input: await input({ [field]: value(id) }) });
      const before = await written();
      const asHidden = await answer(await call(globalId(type, hidden[key])));
      const asMissing = await answer(await call(globalId(type, randomUUID())));
      expect(asMissing.code).toBe('BAD_USER_INPUT');
      expect({ field, ...asHidden }).toEqual({ field, ...asMissing });
      expect(await written()).toEqual(before);
    }
  });

  it("shows no link to a threat the caller may not read, nor its reason (issue 13: a link's reason about an owner-only threat)", async () => {
    const read = async () =>
      (await app.gql(tvp, `query ($id: ID!) { node(id: $id) { ... on SocThreat { linkedThreats { reason threat { id } } } } }`, { id: ownLinked.id })).data?.node;
    expect(await read()).toEqual({ linkedThreats: [] });
    // Once the other threat is shared with the region, the link and its reason are shown.
    await exec(`update soc_threat set sharing = 'REGIONAL_LAW_ENFORCEMENT' where id = ?`, [hidden.linked]);
    expect(await read()).toEqual({ linkedThreats: [{ reason: 'hidden link', threat: { id: globalId('SocThreat', hidden.linked) } }] });
    await exec(`update soc_threat set sharing = 'OWNER_ONLY' where id = ?`, [hidden.linked]);
  });

  it('filters claims by a possible duplicate only the caller may read', async () => {
    const hiddenClaim = await insertRecord(exec, { category: 'DISRUPTION', owner: 'SURREY', marking: 'OFFICIAL', sharing: 'OWNER_ONLY', sharedWith: [], receiver: 'SURREY', partner: null, parent: 0 }, 'hr', 'claim', hidden.threat);
    const seenClaim = await createDisruption(app, tvp, own.id, { tactic: 'BUSINESS' });
    const flagged = async (possibleDuplicate: boolean) =>
      (await app.gql(tvp, `query ($f: DisruptionFilter) { disruptions(first: 50, filter: $f) { edges { node { id possibleDuplicateOf { id } } } } }`, { f: { possibleDuplicate } })).data?.disruptions.edges
        .map((e: any) => e.node)
        .filter((d: any) => d.id === disruption.id);
    await exec(`update disruption set possible_duplicate_of = ? where id = ?`, [hiddenClaim, dbId(disruption.id)]);
    expect(await flagged(true)).toEqual([]);
    expect(await flagged(false)).toEqual([{ id: disruption.id, possibleDuplicateOf: null }]);
    await exec(`update disruption set possible_duplicate_of = ? where id = ?`, [dbId(seenClaim.id), dbId(disruption.id)]);
    expect(await flagged(true)).toEqual([{ id: disruption.id, possibleDuplicateOf: { id: seenClaim.id } }]);
    expect(await flagged(false)).toEqual([]);
    await exec(`update disruption set possible_duplicate_of = null where id = ?`, [dbId(disruption.id)]);
  });

  it('a reference the caller may read is still taken (the check is not vacuous)', async () => {
    const linked = await createThreat(app, 'tvp.investigator', { name: 'Operation Sorrel' });
    const done = await answer({ as: tvp, mutation: 'linkThreats', inputType: 'LinkThreatsInput', input: { threatId: linked.id, expectedVersion: linked.version, linkedThreatId: own.id, reason: 'Same cash.' } });
    expect(done).toEqual({ data: { __typename: 'SocThreat' }, code: undefined, message: undefined, fields: undefined });
    const withActivity = await answer({ as: tvp, mutation: 'updateDisruption', inputType: 'UpdateDisruptionInput', input: { id: disruption.id, expectedVersion: disruption.version, criminalActivityId: globalId('CriminalActivity', ownActivity) } });
    expect(withActivity).toEqual({ data: { __typename: 'Disruption' }, code: undefined, message: undefined, fields: undefined });
  });
});
