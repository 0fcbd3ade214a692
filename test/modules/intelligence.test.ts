import { approvedAssessment, createThreat, expectData, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { statementsSentDuring } from '../support/statements';
import type { AccessLayers } from '../../server/src/access/layers';
import { LiveSubscription } from '../support/live-client';
import { inWords } from '../support/dates';
import { purposeFor } from '../support/purposes';

/**
 * Intelligence reports graded 3x5x2 (issue 19), through the real API on real PostgreSQL: entry
 * rules, who reads what (law enforcement by sharing; partners only what is disseminated to them,
 * sanitised), dissemination as its own audited act, a threat's intelligence, and the database's
 * row-level security alone denying the same.
 */

const FIELDS = `id reference receivedOn sourceEvaluation intelligenceAssessment handlingCode handlingConditions grading
  gradingFlags { code message } sourceReference sanitisedText originalText version protectiveMarking sharing
  owningOrganisation { code } threats { id name } activities { id category } nominals { id } crimeCategories
  disseminations { handlingCode handlingConditions sanitisedText recipientOrganisation { code } disseminatedBy { username } }
  withheld { field reason }`;
const CREATE = `mutation ($input: CreateIntelligenceReportInput!) { createIntelligenceReport(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($input: UpdateIntelligenceReportInput!) { updateIntelligenceReport(input: $input) { ${FIELDS} } }`;
const DISSEMINATE = `mutation ($input: DisseminateIntelligenceInput!) { disseminateIntelligence(input: $input) { ${FIELDS} } }`;
const NODE = `query ($id: ID!) { node(id: $id) { ... on IntelligenceReport { ${FIELDS} } } }`;

function reportInput(overrides: Record<string, unknown> = {}) {
  return {
    receivedOn: '2026-10-14',
    sourceEvaluation: 'RELIABLE',
    intelligenceAssessment: 'A',
    handlingCode: 'P',
    sourceReference: 'Source TV-0417 (fictional)',
    sanitisedText: 'A male known as "Kestrel" collects cash from the Jay line runners in Banbury on Fridays.',
    originalText: 'Source saw Kestrel take cash from two runners at the Banbury flat on Friday evening and heard him name the next drop.',
    access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
    ...overrides,
  };
}

const problemFields = (result: { errors?: { extensions?: Record<string, any> }[] }): string[] => {
  expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  return result.errors![0].extensions!.fields.map((f: { field: string }) => f.field).sort();
};
const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;

function setUp(accessLayers?: AccessLayers) {
  const ctx = {} as { app: TestApp; sql: (text: string, params?: unknown[]) => Promise<any[]> };
  beforeAll(async () => {
    ctx.app = await createTestApp({ accessLayers });
    ctx.sql = (text, params = []) => ctx.app.app.orm.em.getConnection().execute(text, params);
    // Oxfordshire children's services may be given intelligence by the forces and SEROCU.
    await sharingAgreement(ctx.app, { parties: ['SEROCU', 'TVP', 'SURREY', 'OXON_CS'], categories: ['THREAT', 'INTELLIGENCE'], maxMarking: 'OFFICIAL' });
  });
  afterAll(() => ctx.app.stop());
  return ctx;
}

const create = async (app: TestApp, as: string, overrides: Record<string, unknown> = {}) => expectData(await app.gql(as, CREATE, { input: reportInput(overrides) })).createIntelligenceReport;
const read = async (app: TestApp, as: string, id: string) => expectData(await app.gql(as, NODE, { id })).node;
const disseminate = async (app: TestApp, as: string, id: string, code: string) =>
  app.gql(as, DISSEMINATE, { input: { id, recipientOrganisationId: await orgId(app, code) } });

describe('recording intelligence', () => {
  const ctx = setUp();

  it('records a graded report owned by the caller, linked to a threat and its activity, and shows its grading to its owner', async () => {
    const threat = await createThreat(ctx.app, 'tvp.investigator', { name: 'Operation Kestrel' });
    const activityId = threat.criminalActivities[0].id;
    const report = await create(ctx.app, 'tvp.investigator', { threatIds: [threat.id], activityIds: [activityId] });
    expect(report).toMatchObject({
      reference: expect.stringMatching(/^INT-\d{4}-[2-9A-HJKMNP-Z]{8}$/),
      receivedOn: '2026-10-14',
      sourceEvaluation: 'RELIABLE',
      intelligenceAssessment: 'A',
      handlingCode: 'P',
      grading: '1A P',
      gradingFlags: [],
      originalText: expect.stringContaining('Banbury flat'),
      owningOrganisation: { code: 'TVP' },
      threats: [{ id: threat.id, name: 'Operation Kestrel' }],
      activities: [{ id: activityId, category: 'ILLEGAL_DRUGS' }],
      withheld: [],
      version: 1,
    });
    // A threat shows the intelligence behind it.
    const shown = expectData(await ctx.app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on SocThreat { intelligence(first: 10) { totalCount edges { node { id grading } } } } } }`, { id: threat.id })).node;
    expect(shown.intelligence).toEqual({ totalCount: 1, edges: [{ node: { id: report.id, grading: '1A P' } }] });
  });

  it('names every missing grading and text, and writes nothing', async () => {
    const [{ n: before }] = await ctx.sql('select count(*)::int as n from intelligence_report');
    const result = await ctx.app.gql('tvp.investigator', CREATE, {
      input: { access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' }, sanitisedText: '  ' },
    });
    expect(problemFields(result)).toEqual(['input.handlingCode', 'input.intelligenceAssessment', 'input.originalText', 'input.receivedOn', 'input.sanitisedText', 'input.sourceEvaluation']);
    const [{ n: after }] = await ctx.sql('select count(*)::int as n from intelligence_report');
    expect(after).toBe(before);
  });

  it('needs the conditions stated for handling code C, and refuses a future date and links the caller cannot read', async () => {
    const hidden = await createThreat(ctx.app, 'surrey.investigator', { name: 'Hidden from TVP', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    const result = await ctx.app.gql('tvp.investigator', CREATE, { input: reportInput({ handlingCode: 'C', handlingConditions: ' ', receivedOn: '2999-01-01', threatIds: [hidden.id] }) });
    expect(problemFields(result)).toEqual(['input.handlingConditions', 'input.receivedOn', 'input.threatIds[0]']);
    expect(result.errors![0].extensions!.fields.find((f: any) => f.field === 'input.threatIds[0]').message).toBe('no such threat');
  });

  it('flags a 3E grading, as the entry rules configure', async () => {
    const report = await create(ctx.app, 'tvp.investigator', { sourceEvaluation: 'NOT_RELIABLE', intelligenceAssessment: 'E' });
    expect(report.grading).toBe('3E P');
    expect(report.gradingFlags).toEqual([{ code: 'UNRELIABLE_SOURCE_SUSPECTED_FALSE', message: expect.stringContaining('3E') }]);
  });

  it('is changed by its owner only, at the version read, under the same entry rules', async () => {
    const report = await create(ctx.app, 'tvp.investigator');
    const stale = await ctx.app.gql('tvp.investigator', UPDATE, { input: { id: report.id, expectedVersion: 7, intelligenceAssessment: 'B' } });
    expect(codeOf(stale)).toBe('CONFLICT');
    const noConditions = await ctx.app.gql('tvp.investigator', UPDATE, { input: { id: report.id, expectedVersion: 1, handlingCode: 'C' } });
    expect(problemFields(noConditions)).toEqual(['input.handlingConditions']);
    const other = await ctx.app.gql('surrey.investigator', UPDATE, { input: { id: report.id, expectedVersion: 1, intelligenceAssessment: 'B' } });
    expect(codeOf(other)).toBe('FORBIDDEN');
    const changed = expectData(
      await ctx.app.gql('tvp.investigator', UPDATE, { input: { id: report.id, expectedVersion: 1, handlingCode: 'C', handlingConditions: 'Not to be shared with the subject\'s school.' } }),
    ).updateIntelligenceReport;
    expect(changed).toMatchObject({ version: 2, grading: '1A C', handlingConditions: "Not to be shared with the subject's school." });
  });

  it('keeps every linked activity with its threat when the links change', async () => {
    const threat = await createThreat(ctx.app, 'tvp.investigator', { name: 'Operation Siskin' });
    const other = await createThreat(ctx.app, 'tvp.investigator', { name: 'Operation Linnet' });
    const report = await create(ctx.app, 'tvp.investigator', { threatIds: [threat.id], activityIds: [threat.criminalActivities[0].id] });
    const orphaning = await ctx.app.gql('tvp.investigator', UPDATE, { input: { id: report.id, expectedVersion: 1, threatIds: [other.id] } });
    expect(problemFields(orphaning)).toEqual(['input.threatIds']);
    const wrongThreat = await ctx.app.gql('tvp.investigator', UPDATE, { input: { id: report.id, expectedVersion: 1, activityIds: [other.criminalActivities[0].id] } });
    expect(problemFields(wrongThreat)).toEqual(['input.activityIds[0]']);
    const moved = expectData(
      await ctx.app.gql('tvp.investigator', UPDATE, { input: { id: report.id, expectedVersion: 1, threatIds: [other.id], activityIds: [other.criminalActivities[0].id] } }),
    ).updateIntelligenceReport;
    expect(moved).toMatchObject({ version: 2, threats: [{ name: 'Operation Linnet' }], activities: [{ id: other.criminalActivities[0].id }] });
  });

  it('is refused to roles that do not handle intelligence', async () => {
    for (const as of ['serocu.admin', 'serocu.validator', 'serocu.auditor']) {
      expect(codeOf(await ctx.app.gql(as, CREATE, { input: reportInput() }))).toBe('FORBIDDEN');
    }
  });

  it('audits every read, and refuses one with no stated purpose', async () => {
    const report = await create(ctx.app, 'tvp.investigator');
    const refused = await ctx.app.gql('surrey.investigator', NODE, { id: report.id }, { purpose: null });
    expect(codeOf(refused)).toBe('PURPOSE_REQUIRED');
    await ctx.app.gql('surrey.investigator', 'query SurreyReadsIntelligence ($id: ID!) { node(id: $id) { id } }', { id: report.id }, { purpose: 'SAFEGUARDING' });
    const [dbId] = (await ctx.sql('select id from intelligence_report where reference = ?', [report.reference])).map((r) => r.id);
    const events = await ctx.sql(`select action, record_type, purpose, username from audit_event where operation = 'SurreyReadsIntelligence'`);
    expect(events).toEqual([{ action: 'READ', record_type: 'IntelligenceReport', purpose: 'SAFEGUARDING', username: 'surrey.investigator' }]);
    const [event] = await ctx.sql(`select record_ids from audit_event where operation = 'SurreyReadsIntelligence'`);
    expect(event.record_ids).toEqual([dbId]);
  });
});

describe("a page of threats, each with its intelligence", () => {
  const ctx = setUp();
  const PAGE_OF_INTELLIGENCE = 'totalCount edges { cursor node { id reference } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
  const THREATS = `query ($first: Int!) { threats(first: $first) { edges { node { id intelligence(first: 2) { ${PAGE_OF_INTELLIGENCE} } } } } }`;
  const ONE_THREAT = `query ($id: ID!, $after: String) { node(id: $id) { ... on SocThreat { intelligence(first: 2, after: $after) { ${PAGE_OF_INTELLIGENCE} } } } }`;
  const LISTED = `query ($threatId: ID!) { intelligenceReports(first: 2, filter: { threatIds: [$threatId] }) { ${PAGE_OF_INTELLIGENCE} } }`;
  /** Reports TVP may read about each of the six threats, newest first: 0, 1, 2, 3, 0, 3 (one of them about two threats). */
  const readable = new Map<string, string[]>();

  beforeAll(async () => {
    const threats = [];
    for (let i = 0; i < 6; i++) threats.push(await createThreat(ctx.app, 'tvp.investigator', { name: `Operation Batch ${i}` }));
    const about = async (as: string, threatIds: string[], day: number, access?: Record<string, string>) =>
      (await create(ctx.app, as, { threatIds, receivedOn: `2026-10-${String(day).padStart(2, '0')}`, ...(access ? { access } : {}) })).reference as string;
    for (const t of threats) readable.set(t.id, []);
    for (const [index, count] of [1, 2, 3, 0, 3].entries()) {
      const t = threats[index + 1];
      for (let n = 0; n < count; n++) readable.get(t.id)!.unshift(await about('tvp.investigator', [t.id], n + 1));
    }
    // One report about two threats; one TVP may not read (Surrey's own), which no count includes.
    const shared = await about('tvp.investigator', [threats[1].id, threats[5].id], 20);
    readable.get(threats[1].id)!.unshift(shared);
    readable.get(threats[5].id)!.unshift(shared);
    await about('surrey.investigator', [threats[2].id], 21, { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' });
  });

  const statementsFor = async (first: number) => {
    await ctx.app.gql('tvp.investigator', '{ viewer { username } }');
    const sent = await statementsSentDuring(ctx.app, async () => expectData(await ctx.app.gql('tvp.investigator', THREATS, { first })).threats.edges);
    expect(sent.result).toHaveLength(first);
    return sent.sql.length;
  };

  it('is read in the same number of SQL statements for 2 threats as for 6', async () => {
    const few = await statementsFor(2);
    expect(await statementsFor(6)).toBe(few);
  });

  it("gives each threat the first page, count and cursors its own list gives, only what the caller may read, and pages on from them", async () => {
    const page = expectData(await ctx.app.gql('tvp.investigator', THREATS, { first: 6 })).threats.edges.map((e: any) => e.node);
    expect(page.map((t: any) => t.id).sort()).toEqual([...readable.keys()].sort());
    for (const threat of page) {
      const references = readable.get(threat.id)!;
      const alone = expectData(await ctx.app.gql('tvp.investigator', LISTED, { threatId: threat.id })).intelligenceReports;
      expect(threat.intelligence).toEqual(alone);
      expect(threat.intelligence.totalCount).toBe(references.length);
      const paged = threat.intelligence.edges.map((e: any) => e.node.reference);
      let after = threat.intelligence.pageInfo.endCursor;
      for (let more = threat.intelligence.pageInfo.hasNextPage; more; ) {
        const next = expectData(await ctx.app.gql('tvp.investigator', ONE_THREAT, { id: threat.id, after })).node.intelligence;
        paged.push(...next.edges.map((e: any) => e.node.reference));
        ({ hasNextPage: more, endCursor: after } = next.pageInfo);
      }
      expect(paged).toEqual(references);
    }
  });
});

describe('dissemination to a partner', () => {
  const ctx = setUp();

  it('is the only way a partner reads intelligence; it is given the sanitised text and the conditions, never the grading, source or original', async () => {
    const report = await create(ctx.app, 'tvp.investigator', {
      handlingCode: 'C',
      handlingConditions: 'For safeguarding the named child only; not to be disclosed to the family.',
      access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' },
    });
    // Shared with all partners, under an agreement covering intelligence: still not readable until disseminated.
    expect(await read(ctx.app, 'oxon.mash', report.id)).toBeNull();
    const listed = expectData(await ctx.app.gql('oxon.mash', '{ intelligenceReports(first: 50) { totalCount } }'));
    expect(listed.intelligenceReports.totalCount).toBe(0);

    const given = expectData(await disseminate(ctx.app, 'tvp.investigator', report.id, 'OXON_CS')).disseminateIntelligence;
    expect(given.version).toBe(1);
    expect(given.disseminations).toEqual([
      {
        handlingCode: 'C',
        handlingConditions: 'For safeguarding the named child only; not to be disclosed to the family.',
        sanitisedText: report.sanitisedText,
        recipientOrganisation: { code: 'OXON_CS' },
        disseminatedBy: { username: 'tvp.investigator' },
      },
    ]);

    const seen = await read(ctx.app, 'oxon.mash', report.id);
    expect(seen).toMatchObject({
      sanitisedText: report.sanitisedText,
      handlingCode: 'C',
      handlingConditions: 'For safeguarding the named child only; not to be disclosed to the family.',
      sourceEvaluation: null,
      intelligenceAssessment: null,
      grading: null,
      gradingFlags: null,
      sourceReference: null,
      originalText: null,
      nominals: null,
    });
    expect(seen.withheld.map((w: any) => w.field).sort()).toEqual(
      ['disseminations', 'grading', 'gradingFlags', 'history', 'intelligenceAssessment', 'nominals', 'originalText', 'sourceEvaluation', 'sourceReference'],
    );
    expect(seen.withheld.find((w: any) => w.field === 'originalText').reason).toMatch(/withheld from partner organisations/);
    expect(seen.disseminations.map((d: any) => d.recipientOrganisation.code)).toEqual(['OXON_CS']);
  });

  it('shows a partner only the disseminations made to its own organisation', async () => {
    await sharingAgreement(ctx.app, { parties: ['TVP', 'HANTS_CS'], categories: ['INTELLIGENCE'], maxMarking: 'OFFICIAL' });
    const report = await create(ctx.app, 'tvp.investigator');
    expectData(await disseminate(ctx.app, 'tvp.investigator', report.id, 'HANTS_CS'));
    expectData(await disseminate(ctx.app, 'tvp.investigator', report.id, 'OXON_CS'));
    expect((await read(ctx.app, 'tvp.investigator', report.id)).disseminations.map((d: any) => d.recipientOrganisation.code)).toEqual(['HANTS_CS', 'OXON_CS']);
    expect((await read(ctx.app, 'oxon.mash', report.id)).disseminations.map((d: any) => d.recipientOrganisation.code)).toEqual(['OXON_CS']);
  });

  it('explains why a partner can or cannot read a report: dissemination, then the agreement', async () => {
    const report = await create(ctx.app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    const explain = async () =>
      expectData(await ctx.app.gql('serocu.admin', `query ($id: ID!) { explainAccess(recordId: $id, username: "oxon.mash") { canRead rules { rule passed detail } } }`, { id: report.id })).explainAccess;
    const before = await explain();
    expect(before.canRead).toBe(false);
    expect(before.rules.find((r: any) => r.rule === 'DISSEMINATION')).toMatchObject({ passed: false, detail: expect.stringContaining('only when it is disseminated') });
    expectData(await disseminate(ctx.app, 'tvp.investigator', report.id, 'OXON_CS'));
    const after = await explain();
    expect(after.canRead).toBe(true);
    expect(after.rules.map((r: any) => r.rule)).toEqual(['CLEARANCE', 'ROLE', 'DISSEMINATION', 'AGREEMENT']);
    // Dates in the explanation are in words.
    const [given] = expectData(await ctx.app.gql('tvp.investigator', 'query ($id: ID!) { node(id: $id) { ... on IntelligenceReport { disseminations { disseminatedAt } } } }', { id: report.id })).node.disseminations;
    expect(after.rules.find((r: any) => r.rule === 'DISSEMINATION').detail).toBe(`Disseminated to OXON_CS on ${inWords(given.disseminatedAt.slice(0, 10))}.`);
    expect(after.rules.find((r: any) => r.rule === 'AGREEMENT').detail).toMatch(/^Covered by ".*" \(in force until \d{1,2} [A-Z][a-z]+ \d{4}\)\.$/);
  });

  it('is audited as an EXPORT of the report, with the recipient in the record', async () => {
    const report = await create(ctx.app, 'tvp.investigator');
    const result = await ctx.app.gql('tvp.investigator', `mutation GiveToMash ($input: DisseminateIntelligenceInput!) { disseminateIntelligence(input: $input) { id } }`, {
      input: { id: report.id, recipientOrganisationId: await orgId(ctx.app, 'OXON_CS') },
    });
    expectData(result);
    const [row] = await ctx.sql(`select r.id, d.recipient_organisation_id from intelligence_report r join intelligence_dissemination d on d.report_id = r.id where r.reference = ?`, [report.reference]);
    const events = await ctx.sql(`select action, record_type, record_ids from audit_event where operation = 'GiveToMash'`);
    expect(events).toEqual([{ action: 'EXPORT', record_type: 'IntelligenceReport', record_ids: [row.id] }]);
    const [oxon] = await ctx.sql(`select id from organisation where code = 'OXON_CS'`);
    expect(row.recipient_organisation_id).toBe(oxon.id);
  });

  it('is refused to law enforcement recipients, to partners without an agreement covering intelligence, and to all but the owner', async () => {
    const report = await create(ctx.app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
    const police = await disseminate(ctx.app, 'tvp.investigator', report.id, 'SURREY');
    expect(problemFields(police)).toEqual(['input.recipientOrganisationId']);
    const noAgreement = await disseminate(ctx.app, 'tvp.investigator', report.id, 'WSX_CS');
    expect(problemFields(noAgreement)).toEqual(['input.recipientOrganisationId']);
    expect(noAgreement.errors![0].extensions!.fields[0].message).toMatch(/no information sharing agreement/);
    expect(codeOf(await disseminate(ctx.app, 'surrey.investigator', report.id, 'OXON_CS'))).toBe('FORBIDDEN');
    const secret = await create(ctx.app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    expect(codeOf(await disseminate(ctx.app, 'surrey.investigator', secret.id, 'OXON_CS'))).toBe('NOT_FOUND');
    const [{ n }] = await ctx.sql('select count(*)::int as n from intelligence_dissemination d join intelligence_report r on r.id = d.report_id where r.reference in (?, ?)', [report.reference, secret.reference]);
    expect(n).toBe(0);
  });
});

// Who reads what, with both layers, and with the database's row-level security alone.
describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('reading intelligence, with %s', (_mode, accessLayers) => {
  const ctx = setUp(accessLayers);
  let world: Record<string, { id: string; reference: string }>;

  beforeAll(async () => {
    world = {
      regional: await create(ctx.app, 'tvp.investigator', { sanitisedText: 'Rule regional.' }),
      ownerOnly: await create(ctx.app, 'tvp.investigator', { sanitisedText: 'Rule owner only.', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } }),
      sensitive: await create(ctx.app, 'tvp.investigator', { sanitisedText: 'Rule sensitive.', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'ALL_PARTNERS' } }),
      allPartners: await create(ctx.app, 'tvp.investigator', { sanitisedText: 'Rule all partners.', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } }),
      given: await create(ctx.app, 'tvp.investigator', { sanitisedText: 'Rule given.', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } }),
    };
    // Written directly, so that every layer setting gets the same world.
    await ctx.sql(
      `insert into intelligence_dissemination (report_id, recipient_organisation_id, handling_code, sanitised_text, disseminated_by)
       select r.id, (select id from organisation where code = 'OXON_CS'), r.handling_code, r.sanitised_text, r.created_by from intelligence_report r where r.reference = ?`,
      [world.given.reference],
    );
  });

  const visible = async (as: string) =>
    expectData(await ctx.app.gql(as, '{ intelligenceReports(first: 100) { totalCount edges { node { sanitisedText } } } }'))
      .intelligenceReports.edges.map((e: any) => e.node.sanitisedText)
      .sort();

  it('law enforcement reads by marking and sharing; the owner reads all of its own', async () => {
    expect(await visible('tvp.investigator')).toEqual(['Rule all partners.', 'Rule given.', 'Rule owner only.', 'Rule regional.', 'Rule sensitive.']);
    expect(await visible('surrey.investigator')).toEqual(['Rule all partners.', 'Rule regional.', 'Rule sensitive.']);
    expect(await visible('hmrc.officer')).toEqual(['Rule all partners.', 'Rule regional.', 'Rule sensitive.']);
  });

  it('a partner reads only what was disseminated to it, whatever the sharing says', async () => {
    expect(await visible('oxon.mash')).toEqual(['Rule given.']);
    expect(await read(ctx.app, 'oxon.mash', world.allPartners.id)).toBeNull();
  });

  it('roles the policy does not grant intelligence read none, even in their own organisation', async () => {
    expect(await visible('serocu.validator')).toEqual([]);
    expect(await visible('serocu.admin')).toEqual([]);
    expect(await read(ctx.app, 'serocu.validator', world.regional.id)).toBeNull();
  });
});

describe('intelligence in the insights', () => {
  const ctx = setUp();
  const INSIGHTS = `query UnassessedIntelligence { insights(kinds: [UNASSESSED_INTELLIGENCE]) { items { summary recordIds } counts { kind total } withheld { kind } } }`;

  it('finds the activities intelligence is about that no approved assessment covers, counting only intelligence the caller may read', async () => {
    const twoActivities = [
      { category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply via the "Wren" line.', firstIdentified: '2025-06-01' },
      { category: 'MONEY_LAUNDERING', description: 'Cash through a nail bar.', firstIdentified: '2025-06-01' },
    ];
    const threat = await createThreat(ctx.app, 'tvp.investigator', { name: 'Operation Wren', criminalActivities: twoActivities, access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
    const [drugs, laundering] = threat.criminalActivities;
    await approvedAssessment(ctx.app, threat.id, { level: 2, activityId: drugs.id });
    const shared = await create(ctx.app, 'tvp.investigator', { threatIds: [threat.id], activityIds: [drugs.id, laundering.id] });
    await create(ctx.app, 'tvp.investigator', { threatIds: [threat.id], activityIds: [laundering.id], access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });

    const tvp = expectData(await ctx.app.gql('tvp.investigator', INSIGHTS)).insights;
    expect(tvp.counts).toEqual([{ kind: 'UNASSESSED_INTELLIGENCE', total: 1 }]);
    expect(tvp.items).toEqual([{ summary: '2 intelligence reports about the money laundering activity of Operation Wren (' + threat.urn + '), which has no approved assessment.', recordIds: [laundering.id, threat.id, expect.any(String)] }]);

    // Surrey reads the threat and one of the two reports.
    const surrey = expectData(await ctx.app.gql('surrey.investigator', INSIGHTS)).insights;
    expect(surrey.items).toEqual([{ summary: expect.stringMatching(/^1 intelligence report about the money laundering activity/), recordIds: [laundering.id, threat.id, shared.id] }]);
    // The intelligence the finding names is audited as read.
    const events = await ctx.sql(`select action, record_type from audit_event where operation = 'UnassessedIntelligence' and username = 'surrey.investigator' order by record_type`);
    expect(events).toEqual(expect.arrayContaining([{ action: 'READ', record_type: 'IntelligenceReport' }]));

    const oxon = expectData(await ctx.app.gql('oxon.mash', INSIGHTS)).insights;
    expect(oxon.withheld).toEqual([{ kind: 'UNASSESSED_INTELLIGENCE' }]);
  });
});

describe('crime the intelligence mentions that a threat does not list', () => {
  const ctx = setUp();
  const INSIGHTS = `query Unlisted { insights(kinds: [UNLISTED_CRIME_CATEGORY]) { items { summary recordIds } counts { kind total } withheld { kind } } }`;
  const ADD_MEMBER = `mutation ($input: AddMemberInput!) { addMember(input: $input) { version } }`;

  it('finds categories mentioned by intelligence about the threat or its people that its profile lacks, from what the caller may read', async () => {
    const threat = await createThreat(ctx.app, 'tvp.investigator', {
      name: 'Operation Linnet',
      criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply via the "Linnet" line.', firstIdentified: '2025-06-01' }],
      access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
    });
    const person = expectData(await ctx.app.gql('tvp.investigator', 'mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }', {
      input: { name: 'Dorian Quell (fictional)', access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    })).createNominal;
    expectData(await ctx.app.gql('tvp.investigator', ADD_MEMBER, { input: { threatId: threat.id, expectedVersion: threat.version, nominalId: person.id, role: 'PRINCIPAL', from: '2025-06-01' } }));
    // About the person, not the threat: mentions firearms (unlisted) and drugs (listed).
    const aboutPerson = await create(ctx.app, 'tvp.investigator', { nominalIds: [person.id], crimeCategories: ['ILLEGAL_FIREARMS', 'ILLEGAL_DRUGS', 'ILLEGAL_FIREARMS'] });
    expect(aboutPerson.crimeCategories).toEqual(['ILLEGAL_FIREARMS', 'ILLEGAL_DRUGS']);
    // About the threat, but TVP's own: Surrey may not read it.
    const ownOnly = await create(ctx.app, 'tvp.investigator', { threatIds: [threat.id], crimeCategories: ['MONEY_LAUNDERING', 'ILLEGAL_FIREARMS'], access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });

    const tvp = expectData(await ctx.app.gql('tvp.investigator', INSIGHTS)).insights;
    expect(tvp.counts).toEqual([{ kind: 'UNLISTED_CRIME_CATEGORY', total: 2 }]);
    expect(tvp.items.map((i: any) => i.summary)).toEqual([
      `2 intelligence reports about Operation Linnet (${threat.urn}) or its people mention illegal firearms, which the threat does not list: is part of its criminality missing from the profile?`,
      `1 intelligence report about Operation Linnet (${threat.urn}) or its people mentions money laundering, which the threat does not list: is part of its criminality missing from the profile?`,
    ]);
    expect(tvp.items[1].recordIds).toEqual([threat.id, ownOnly.id]);

    const surrey = expectData(await ctx.app.gql('surrey.investigator', INSIGHTS)).insights;
    expect(surrey.items).toEqual([{ summary: expect.stringMatching(/^1 intelligence report about Operation Linnet .* mentions illegal firearms/), recordIds: [threat.id, aboutPerson.id] }]);
    const audited = await ctx.sql(`select record_type, record_ids from audit_event where operation = 'Unlisted' and username = 'surrey.investigator' and record_type = 'IntelligenceReport'`);
    expect(audited).toHaveLength(1);

    // Listing the category answers the finding.
    const listed = expectData(await ctx.app.gql('tvp.investigator', `mutation ($input: AddCriminalActivityInput!) { addCriminalActivity(input: $input) { id } }`, {
      input: { threatId: threat.id, expectedVersion: threat.version + 1, activity: { category: 'ILLEGAL_FIREARMS', description: 'Supplies handguns to the line.', firstIdentified: '2025-09-01' } },
    }));
    expect(listed).toBeTruthy();
    expect(expectData(await ctx.app.gql('surrey.investigator', INSIGHTS)).insights.items).toEqual([]);

    expect(expectData(await ctx.app.gql('oxon.mash', INSIGHTS)).insights.withheld).toEqual([{ kind: 'UNLISTED_CRIME_CATEGORY' }]);
  });

  it('refuses a category that is not one', async () => {
    const result = await ctx.app.gql('tvp.investigator', CREATE, { input: reportInput({ crimeCategories: ['SHOPLIFTING'] }) });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('live events', () => {
  const ctx = setUp();

  it('tell a subscriber who may read a report of its creation and changes, with the report as they may see it, and no one else', async () => {
    const query = `subscription ($after: String) { events(after: $after) { type recordType recordId changedFields
      record { ... on IntelligenceReport { sanitisedText grading } } } }`;
    const subscribe = async (as: string) => {
      const after = expectData(await ctx.app.gql(as, '{ eventCursor }')).eventCursor;
      return new LiveSubscription(ctx.app.url, await ctx.app.tokenFor(as), query, { after }, purposeFor(as));
    };
    const [surrey, oxon] = [await subscribe('surrey.investigator'), await subscribe('oxon.mash')];
    try {
      await create(ctx.app, 'tvp.investigator', { sanitisedText: 'Live owner only.', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
      const report = await create(ctx.app, 'tvp.investigator', { sanitisedText: 'Live regional.' });
      // An event carries the record as it is when delivered: the creation is heard before the change.
      const [created] = await surrey.take(1);
      expectData(await ctx.app.gql('tvp.investigator', UPDATE, { input: { id: report.id, expectedVersion: 1, intelligenceAssessment: 'B' } }));
      const [, updated] = await surrey.take(2);
      expect(created.events).toEqual({ type: 'CREATED', recordType: 'IntelligenceReport', recordId: report.id, changedFields: expect.any(Array), record: { sanitisedText: 'Live regional.', grading: '1A P' } });
      expect(updated.events).toMatchObject({ type: 'UPDATED', recordId: report.id, changedFields: ['intelligenceAssessment'], record: { grading: '1B P' } });
      // A dissemination is a change to the report's disseminations, heard by those who read them all.
      expectData(await disseminate(ctx.app, 'tvp.investigator', report.id, 'OXON_CS'));
      const [, , disseminated] = await surrey.take(3);
      expect(disseminated.events).toMatchObject({ type: 'UPDATED', recordId: report.id, changedFields: ['disseminations'] });
      // A marker after them all: the partner, to whom the disseminations are narrowed, was told nothing before it.
      await create(ctx.app, 'tvp.investigator', { sanitisedText: 'Live marker.' });
      await surrey.take(4);
      expect(oxon.received).toEqual([]);
      expect(surrey.received.map((m) => m.events.record?.sanitisedText)).toEqual(['Live regional.', 'Live regional.', 'Live regional.', 'Live marker.']);
      // The owner's history of the report shows the dissemination.
      const history = (await ctx.app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on IntelligenceReport { history { action part changes { field } } } } }`, { id: report.id })).data.node.history;
      expect(history.map((h: any) => [h.action, h.part])).toEqual([['CREATE', null], ['UPDATE', null], ['CREATE', 'disseminations']]);
    } finally {
      await Promise.all([surrey.close(), oxon.close()]);
    }
  });
});
