import { sharingAgreement } from '../support/access-factories';
import { expectData, orgId } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Intelligence figures (issue 19, "intelligence in reports"): the reports the caller may read,
 * counted in the database by organisation, grading and handling code, with the disseminated and
 * the flagged (3E) among them; partners never shown grading; every count an audited read.
 */
const STATS = `query IntelStats($groupBy: [IntelligenceStatsDimension!]!, $filter: IntelligenceStatsFilter) {
  intelligenceStats(groupBy: $groupBy, filter: $filter) {
    total withheld { field reason }
    rows { owningOrganisation { code } sourceEvaluation intelligenceAssessment handlingCode fiscalYear quarter count disseminated flagged } } }`;
const CREATE = `mutation ($input: CreateIntelligenceReportInput!) { createIntelligenceReport(input: $input) { id } }`;
const DISSEMINATE = `mutation ($input: DisseminateIntelligenceInput!) { disseminateIntelligence(input: $input) { id } }`;

let app: TestApp;
const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);

async function report(as: string, grading: [string, string], code: 'P' | 'C', receivedOn: string, sharing = 'REGIONAL_LAW_ENFORCEMENT') {
  return expectData(await app.gql(as, CREATE, {
    input: {
      receivedOn,
      sourceEvaluation: grading[0],
      intelligenceAssessment: grading[1],
      handlingCode: code,
      handlingConditions: code === 'C' ? 'For safeguarding only.' : null,
      sanitisedText: 'A fictional sanitised account of a drop-off at a car park.',
      originalText: 'A fictional original account of a drop-off at a car park, with the source named.',
      access: { protectiveMarking: 'OFFICIAL', sharing },
    },
  })).createIntelligenceReport;
}

const stats = async (as: string, groupBy: string[], filter?: Record<string, unknown>) => expectData(await app.gql(as, STATS, { groupBy, filter })).intelligenceStats;

beforeAll(async () => {
  app = await createTestApp();
  await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], categories: ['THREAT', 'INTELLIGENCE'], maxMarking: 'OFFICIAL' });
  const given = await report('tvp.investigator', ['RELIABLE', 'A'], 'C', '2025-05-10');
  await report('tvp.investigator', ['NOT_RELIABLE', 'E'], 'P', '2025-11-02');
  await report('tvp.investigator', ['NOT_RELIABLE', 'E'], 'P', '2026-02-20', 'OWNER_ONLY');
  await report('surrey.investigator', ['UNTESTED', 'C'], 'P', '2025-08-01');
  expectData(await app.gql('tvp.investigator', DISSEMINATE, { input: { id: given.id, recipientOrganisationId: await orgId(app, 'OXON_CS') } }));
}, 120_000);
afterAll(() => app?.stop());

describe('intelligence figures', () => {
  it('count what the caller may read by organisation and grading, with the disseminated and the flagged', async () => {
    const tvp = await stats('tvp.investigator', ['OWNING_ORGANISATION', 'SOURCE_EVALUATION', 'INTELLIGENCE_ASSESSMENT']);
    expect(tvp.total).toBe(4);
    expect(tvp.withheld).toEqual([]);
    expect(tvp.rows.map((r: any) => [r.owningOrganisation.code, r.sourceEvaluation, r.intelligenceAssessment, r.count, r.disseminated, r.flagged]).sort()).toEqual([
      ['SURREY', 'UNTESTED', 'C', 1, 0, 0],
      ['TVP', 'NOT_RELIABLE', 'E', 2, 0, 2],
      ['TVP', 'RELIABLE', 'A', 1, 1, 0],
    ]);
    // Surrey does not read TVP's own-only report.
    const surrey = await stats('surrey.investigator', []);
    expect(surrey.rows).toEqual([expect.objectContaining({ count: 3, flagged: 1, disseminated: 1 })]);
  });

  it('break down by reporting year and quarter of receipt, and filter by date received', async () => {
    const byQuarter = await stats('tvp.investigator', ['FISCAL_YEAR', 'QUARTER']);
    expect(byQuarter.rows.map((r: any) => [r.fiscalYear, r.quarter, r.count])).toEqual([
      ['2025/26', 'Q1', 1],
      ['2025/26', 'Q2', 1],
      ['2025/26', 'Q3', 1],
      ['2025/26', 'Q4', 1],
    ]);
    expect((await stats('tvp.investigator', ['HANDLING_CODE'], { from: '2025-06-01', to: '2025-12-31' })).rows.map((r: any) => [r.handlingCode, r.count])).toEqual([['P', 2]]);
  });

  it('never show a partner grading: it counts what was disseminated to it under a null grading, and says why', async () => {
    const oxon = await stats('oxon.mash', ['SOURCE_EVALUATION', 'HANDLING_CODE']);
    expect(oxon.total).toBe(1);
    expect(oxon.rows).toEqual([expect.objectContaining({ sourceEvaluation: null, intelligenceAssessment: null, handlingCode: 'C', count: 1, flagged: null })]);
    expect(oxon.withheld.map((w: any) => w.field)).toEqual(['sourceEvaluation']);
    expect(oxon.withheld[0].reason).toMatch(/\w/);
  });

  it('refuse bad arguments by field, and audit the count as a read that needs a purpose', async () => {
    const bad = await app.gql('tvp.investigator', STATS, { groupBy: ['QUARTER', 'QUARTER'], filter: { from: '2026-01-01', to: '2025-01-01' } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    // The quarter twice, and each without its reporting year; the range backwards.
    expect([...new Set(bad.errors![0].extensions!.fields.map((f: any) => f.field))].sort()).toEqual(['filter.to', 'groupBy[0]', 'groupBy[1]']);
    const refused = await app.gql('tvp.investigator', STATS, { groupBy: [] }, { purpose: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    expectData(await app.gql('surrey.investigator', 'query IntelStatsAudited { intelligenceStats(groupBy: []) { total } }'));
    const events = await sql(`select action, record_type, detail->'aggregates' as aggregates from audit_event where operation = 'IntelStatsAudited'`);
    expect(events).toEqual([{ action: 'READ', record_type: 'IntelligenceReport', aggregates: [{ statistic: 'intelligenceStats', sensitiveRecords: 3 }] }]);
  });
});
