import { createTestApp, type TestApp } from './support/test-app';
import { expectData } from './support/factories';

/**
 * The demo data must be rich enough to show every screen and report: these checks read it
 * through the API as a user would.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp({ seed: 'demo' })));
afterAll(() => app.stop());

async function all(query: string, path: string, as = 'serocu.analyst'): Promise<any[]> {
  const data = expectData(await app.gql(as, query));
  return data[path].edges.map((e: any) => e.node);
}

describe('demo data', () => {
  it('has a dozen or more threats across the four forces, in every status, with several activities each', async () => {
    const threats = await all(`{ threats(first: 100) { edges { node { status priority owningOrganisation { code } leadOrganisation { code }
      criminalActivities { category } members { role nominal { isChild } } currentAssessment { status } } } } }`, 'threats');
    expect(threats.length).toBeGreaterThanOrEqual(12);
    expect(new Set(threats.map((t) => t.status))).toEqual(new Set(['TRIGGER_SUBMITTED', 'UNDER_ASSESSMENT', 'ASSESSED', 'ADOPTED', 'UNDER_REVIEW', 'ARCHIVED', 'REJECTED']));
    expect(new Set(threats.map((t) => t.leadOrganisation.code))).toEqual(new Set(['TVP', 'HIOW', 'SURREY', 'SUSSEX']));
    const activityCounts = threats.map((t) => t.criminalActivities.length);
    expect(activityCounts.filter((n) => n >= 2).length).toBeGreaterThan(threats.length / 2);
    expect(activityCounts).toContain(1);
    expect(new Set(threats.map((t) => t.priority).filter(Boolean)).size).toBeGreaterThanOrEqual(2);
    expect(threats.some((t) => t.members.some((m: any) => m.role === 'EXPLOITED_VICTIM' && m.nominal.isChild))).toBe(true);
    for (const t of threats.filter((x) => ['ASSESSED', 'ADOPTED', 'UNDER_REVIEW', 'ARCHIVED'].includes(x.status))) {
      expect(t.currentAssessment).toEqual({ status: 'APPROVED' });
    }
  });
});

describe('demo plans and disruptions', () => {
  it('has plans in every state, some failing the quality gate in different ways', async () => {
    const plans = await all('{ plans(first: 100) { edges { node { status quality { passes problems { code } } } } } }', 'plans');
    expect(new Set(plans.map((p) => p.status))).toEqual(new Set(['DRAFT', 'ACTIVE', 'UNDER_REVIEW', 'CLOSED']));
    expect(plans.some((p) => p.quality.passes)).toBe(true);
    const codes = new Set(plans.flatMap((p) => p.quality.problems.map((x: any) => x.code)));
    for (const code of ['MISSING_STRAND', 'ACTIVITY_NOT_ADDRESSED', 'NO_LRO', 'REVIEW_OVERDUE']) expect(codes).toContain(code);
    const attention = expectData(await app.gql('serocu.analyst', '{ plansNeedingAttention(first: 100) { totalCount } }')).plansNeedingAttention;
    expect(attention.totalCount).toBeGreaterThan(0);
  });

  it('has a year and a half of disruptions across every level and strand, some returned, rejected, late or waiting', async () => {
    const query = (after: string | null) => app.gql('serocu.analyst', `query ($after: String) { disruptions(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { date status level strand isLate } } } }`, { after });
    const disruptions: any[] = [];
    for (let after: string | null = null, more = true; more; ) {
      const page: any = expectData(await query(after)).disruptions;
      disruptions.push(...page.edges.map((e: any) => e.node));
      [after, more] = [page.pageInfo.endCursor, page.pageInfo.hasNextPage];
    }
    expect(disruptions.length).toBeGreaterThanOrEqual(60);
    expect(new Set(disruptions.map((d) => d.level))).toEqual(new Set(['MAJOR', 'MODERATE', 'MINOR', 'NONE', 'NEGATIVE']));
    expect(new Set(disruptions.map((d) => d.strand))).toEqual(new Set(['PURSUE', 'PREVENT', 'PROTECT', 'PREPARE']));
    for (const status of ['VALIDATED', 'SUBMITTED', 'RETURNED', 'REJECTED']) expect(disruptions.map((d) => d.status)).toContain(status);
    expect(disruptions.some((d) => d.isLate)).toBe(true);
    const dates = disruptions.map((d) => d.date).sort();
    const spanDays = (Date.parse(dates.at(-1)) - Date.parse(dates[0])) / 86_400_000;
    expect(spanDays).toBeGreaterThan(365);
  });
});

describe('demo sharing agreements', () => {
  it('let the regional partnership\'s children\'s services read what is shared with all partners, and nothing else', async () => {
    const seenByPartner = await all('{ threats(first: 100) { edges { node { sharing protectiveMarking } } } }', 'threats', 'oxon.mash');
    expect(seenByPartner.length).toBeGreaterThan(0);
    expect(seenByPartner.every((t) => t.sharing === 'ALL_PARTNERS' && t.protectiveMarking === 'OFFICIAL')).toBe(true);
    const referrals = await all('{ referrals(first: 100) { edges { node { subject { isChild } } } } }', 'referrals', 'oxon.mash');
    expect(referrals.length).toBeGreaterThan(0);
    expect(referrals.some((r) => r.subject?.isChild)).toBe(true);
  });
});

describe('demo referrals and practice', () => {
  it('has referrals in every state, both ways between police and children\'s services, some overdue', async () => {
    const referrals = await all(`{ referrals(first: 100) { edges { node { status referralType isAcknowledgementOverdue
      referringOrganisation { type } receivingOrganisation { type } timeline { kind } } } } }`, 'referrals', 'serocu.auditor');
    expect(new Set(referrals.map((r) => r.status))).toEqual(new Set(['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'DECISION', 'CLOSED']));
    const directions = new Set(referrals.map((r) => `${r.referringOrganisation.type}->${r.receivingOrganisation.type}`));
    // And one the regional unit made ten years ago, due for its retention review (demo/retention.ts).
    expect(directions).toEqual(
      new Set(['TERRITORIAL_POLICE_FORCE->LOCAL_AUTHORITY_CHILDRENS_SERVICES', 'LOCAL_AUTHORITY_CHILDRENS_SERVICES->TERRITORIAL_POLICE_FORCE', 'ROCU->LOCAL_AUTHORITY_CHILDRENS_SERVICES']),
    );
    expect(referrals.every((r) => r.timeline.some((u: any) => u.kind === 'SHARE'))).toBe(true);
    expect(referrals.map((r) => r.referralType)).toContain('NRM_REFERRAL');
  });

  it("shows children's services the person each of its referrals is about (a person one of the parties recorded)", async () => {
    const referrals = await all('{ referrals(first: 100) { edges { node { referralType subject { id } } } } }', 'referrals', 'oxon.mash');
    const identified = referrals.filter((r) => r.referralType !== 'DUTY_TO_NOTIFY_MS1');
    expect(identified.length).toBeGreaterThan(0);
    expect(identified.filter((r) => r.subject === null)).toEqual([]);
  });

  it('has practice entries with endorsements, findable by search', async () => {
    const found = await all('{ practices(first: 20, filter: { text: "cuckooed" }) { edges { node { title endorsementCount } } } }', 'practices');
    expect(found[0]).toEqual({ title: 'Joint police and MASH visits to cuckooed addresses', endorsementCount: 2 });
  });
});

describe('demo intelligence', () => {
  it('has graded intelligence behind threats, a 3E report flagged, handling conditions, and a report disseminated to children\'s services', async () => {
    const reports = await all(`{ intelligenceReports(first: 100) { edges { node { grading gradingFlags { code } handlingCode handlingConditions
      threats { id } disseminations { recipientOrganisation { code } } } } } }`, 'intelligenceReports', 'serocu.analyst');
    expect(reports.length).toBeGreaterThanOrEqual(5);
    expect(new Set(reports.map((r) => r.grading[0]))).toEqual(new Set(['1', '2', '3']));
    expect(reports.some((r) => r.gradingFlags.some((f: any) => f.code === 'UNRELIABLE_SOURCE_SUSPECTED_FALSE'))).toBe(true);
    expect(reports.filter((r) => r.handlingCode === 'C').every((r) => r.handlingConditions)).toBe(true);
    expect(reports.every((r) => r.threats.length === 1)).toBe(true);
    const given = await all('{ intelligenceReports(first: 100) { edges { node { sanitisedText originalText grading } } } }', 'intelligenceReports', 'oxon.mash');
    expect(given.length).toBe(1);
    expect(given[0]).toMatchObject({ originalText: null, grading: null });
  });
});

describe('demo analytical requests', () => {
  it('has requests from the forces in every state, some declined for lack of capacity, each about a threat its requester reads, counted on the coordinator\'s figures', async () => {
    const requests = await all(`{ analyticalRequests(first: 100) { edges { node { status declineReason deliveredOnTime owningOrganisation { code }
      threat { id } assignedAnalyst { username } } } } }`, 'analyticalRequests', 'serocu.sro');
    expect(new Set(requests.map((r) => r.status))).toEqual(new Set(['REQUESTED', 'ACCEPTED', 'IN_PROGRESS', 'DELIVERED', 'DECLINED']));
    expect(requests.filter((r) => r.declineReason === 'LACK_OF_CAPACITY').length).toBeGreaterThanOrEqual(2);
    expect(new Set(requests.filter((r) => r.status === 'DELIVERED').map((r) => r.deliveredOnTime))).toEqual(new Set([true, false]));
    expect(requests.filter((r) => ['ACCEPTED', 'IN_PROGRESS', 'DELIVERED'].includes(r.status)).every((r) => r.assignedAnalyst?.username === 'serocu.analyst')).toBe(true);
    const own = await all('{ analyticalRequests(first: 100) { edges { node { owningOrganisation { code } threat { id } } } } }', 'analyticalRequests', 'hiow.analyst');
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((r) => r.owningOrganisation.code === 'HIOW' && r.threat)).toBe(true);
    const stats = expectData(await app.gql('serocu.sro', '{ analyticalRequestStats { totals { requested declinedForLackOfCapacity } months { month } } }')).analyticalRequestStats;
    expect(stats.totals.requested).toBe(requests.length);
    expect(stats.months.length).toBeGreaterThanOrEqual(5);
  });
});

describe('demo retention reviews', () => {
  it("has people, intelligence, a threat and a safeguarding referral due for review in SEROCU's review queue, one kept at an earlier review", async () => {
    const due = expectData(await app.gql('serocu.lro', '{ retentionReviewQueue(first: 100) { edges { node { kind dueSince reviews { reason } } } } }')).retentionReviewQueue.edges.map((e: any) => e.node);
    expect(due.filter((d: any) => d.kind === 'PERSON').length).toBeGreaterThanOrEqual(3);
    expect(due.filter((d: any) => d.kind === 'INTELLIGENCE_REPORT').length).toBeGreaterThanOrEqual(1);
    expect(due.filter((d: any) => d.kind === 'THREAT').length).toBe(1);
    expect(due.filter((d: any) => d.kind === 'SAFEGUARDING_REFERRAL').length).toBe(1);
    expect(due.some((d: any) => d.reviews.length > 0)).toBe(true);
  });
});

describe('demo deconfliction', () => {
  it('holds identifiers taken from the people themselves, which match across forces', async () => {
    // Surrey's person is held by Hampshire too: found by the identifier each force's person was given from their name and date of birth.
    const [hiow] = await all('{ nominals(first: 5, filter: { text: "Dale Pemberton" }) { edges { node { id identifiers { value derivedFrom } } } } }', 'nominals', 'hiow.analyst');
    expect(hiow.identifiers).toEqual([{ value: 'Dale Pemberton', derivedFrom: 'NAME' }]);
    const check = expectData(await app.gql('surrey.investigator', `mutation { checkIdentifier(input: { kind: PERSON, value: "Dale Pemberton", dateOfBirth: "1993-05-09" }) {
      matches { organisation { code } strength } } }`)).checkIdentifier;
    expect(check.matches).toEqual([{ organisation: { code: 'HIOW' }, strength: 'EXACT' }]);
    // Every person with a date of birth has one; reports hold the people they are about.
    const people = await all('{ nominals(first: 100) { edges { node { owningOrganisation { code } dateOfBirth identifiers { derivedFrom } } } } }', 'nominals', 'tvp.investigator');
    const own = people.filter((p) => p.owningOrganisation.code === 'TVP');
    expect(own.filter((p) => p.dateOfBirth).length).toBeGreaterThan(0);
    expect(own.filter((p) => p.dateOfBirth && !p.identifiers.some((i: any) => i.derivedFrom === 'NAME'))).toEqual([]);
    const reports = await all('{ intelligenceReports(first: 50) { edges { node { owningOrganisation { code } nominals { id } identifiers { derivedFrom } } } } }', 'intelligenceReports', 'tvp.investigator');
    expect(reports.some((r) => r.owningOrganisation.code === 'TVP' && r.identifiers.some((i: any) => i.derivedFrom === 'LINKED_PERSON'))).toBe(true);
  });
});
