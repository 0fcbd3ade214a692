import { createTestApp, type TestApp } from '../support/test-app';
import { approvedAssessment, createThreat, expectData, moveThreat, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';
import { sql } from '../support/disruption-factories';

/** threatStats through the real API, against figures computed here from the threats made. */

interface Made {
  owner: string;
  subjectType: string;
  lead: string;
  categories: string[];
  priority: string | null;
  status: string;
  marking: string;
  sharing: string;
  sharedWith: string[];
}

const USERS: Record<string, { org: string; police: boolean; clearance: number }> = {
  'tvp.investigator': { org: 'TVP', police: true, clearance: 1 },
  'surrey.investigator': { org: 'SURREY', police: true, clearance: 1 },
  'serocu.analyst': { org: 'SEROCU', police: true, clearance: 1 },
  'oxon.mash': { org: 'OXON_CS', police: false, clearance: 0 },
};

/** The access rules for threats, plainly: Oxfordshire has an agreement with Thames Valley only, up to OFFICIAL. */
function visibleTo(username: string, t: Made): boolean {
  const u = USERS[username];
  if ((t.marking === 'OFFICIAL_SENSITIVE' ? 1 : 0) > u.clearance) return false;
  if (t.owner === u.org) return true;
  const reaches = t.sharing === 'ALL_PARTNERS' || (t.sharing === 'REGIONAL_LAW_ENFORCEMENT' && u.police) || (t.sharing === 'NAMED_ORGANISATIONS' && t.sharedWith.includes(u.org));
  return reaches && (u.police || (t.owner === 'TVP' && t.marking === 'OFFICIAL'));
}

let app: TestApp;
const made: Made[] = [];

const STATS = `query ($filter: ThreatStatsFilter, $groupBy: [ThreatStatsDimension!]!) {
  threatStats(filter: $filter, groupBy: $groupBy) { total rows { subjectType priority leadOrganisation { code } category status count } } }`;

function tally<T>(items: T[], key: (t: T) => string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) for (const k of key(item)) out[k] = (out[k] ?? 0) + 1;
  return out;
}

beforeAll(async () => {
  app = await createTestApp();
  await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], categories: ['THREAT'], maxMarking: 'OFFICIAL' });
  const org = async (code: string) => orgId(app, code);

  async function threat(as: string, owner: string, t: Omit<Made, 'owner' | 'priority' | 'status'>, assessLevel?: number) {
    const created = await createThreat(app, as, {
      name: `Operation ${made.length + 1}`,
      subjectType: t.subjectType,
      leadOrganisationId: await org(t.lead),
      criminalActivities: t.categories.map((category) => ({ category, description: `${category} activity.`, firstIdentified: '2025-06-01' })),
      access: { protectiveMarking: t.marking, sharing: t.sharing, sharedWithIds: await Promise.all(t.sharedWith.map(org)) },
    });
    let status = created.status;
    let priority = null;
    if (assessLevel !== undefined) {
      await moveThreat(app, as, created, 'UNDER_ASSESSMENT');
      priority = (await approvedAssessment(app, created.id, { level: assessLevel })).priority;
      status = 'UNDER_ASSESSMENT';
    }
    const read = expectData(await app.gql(as, `query ($id: ID!) { node(id: $id) { ... on SocThreat { priority status } } }`, { id: created.id })).node;
    expect(read).toEqual({ priority, status });
    made.push({ ...t, owner, priority, status });
  }

  await threat('tvp.investigator', 'TVP', { subjectType: 'ORGANISED_CRIME_GROUP', lead: 'TVP', categories: ['ILLEGAL_DRUGS', 'MODERN_SLAVERY_HUMAN_TRAFFICKING'], marking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT', sharedWith: [] }, 4);
  await threat('tvp.investigator', 'TVP', { subjectType: 'PRIORITY_INDIVIDUAL', lead: 'SURREY', categories: ['FRAUD'], marking: 'OFFICIAL', sharing: 'ALL_PARTNERS', sharedWith: [] }, 1);
  await threat('tvp.investigator', 'TVP', { subjectType: 'ORGANISED_CRIME_GROUP', lead: 'TVP', categories: ['ILLEGAL_DRUGS'], marking: 'OFFICIAL_SENSITIVE', sharing: 'ALL_PARTNERS', sharedWith: [] });
  await threat('surrey.investigator', 'SURREY', { subjectType: 'ORGANISED_CRIME_GROUP', lead: 'SURREY', categories: ['ILLEGAL_DRUGS'], marking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY', sharedWith: [] });
  await threat('surrey.investigator', 'SURREY', { subjectType: 'VULNERABILITY', lead: 'SURREY', categories: ['CHILD_SEXUAL_ABUSE'], marking: 'OFFICIAL', sharing: 'ALL_PARTNERS', sharedWith: [] });
  await threat('hiow.analyst', 'HIOW', { subjectType: 'VULNERABILITY', lead: 'HIOW', categories: ['CHILD_SEXUAL_ABUSE', 'MODERN_SLAVERY_HUMAN_TRAFFICKING'], marking: 'OFFICIAL_SENSITIVE', sharing: 'NAMED_ORGANISATIONS', sharedWith: ['TVP'] });
}, 120_000);
afterAll(() => app.stop());

async function stats(as: string, groupBy: string[], filter: Record<string, unknown> = {}) {
  return expectData(await app.gql(as, STATS, { groupBy, filter })).threatStats;
}

describe('threatStats', () => {
  it.each(Object.keys(USERS))('counts threats by subject type and lead organisation as %s may see them', async (user) => {
    const result = await stats(user, ['SUBJECT_TYPE', 'LEAD_ORGANISATION']);
    const visible = made.filter((t) => visibleTo(user, t));
    expect(Object.fromEntries(result.rows.map((r: any) => [`${r.subjectType}/${r.leadOrganisation.code}`, r.count]))).toEqual(tally(visible, (t) => [`${t.subjectType}/${t.lead}`]));
    expect(result.total).toBe(visible.length);
    expect(result.rows.every((r: any) => r.priority === null && r.category === null)).toBe(true);
  });

  it('counts a threat once under each of its categories, and once in the total', async () => {
    const user = 'tvp.investigator';
    const result = await stats(user, ['CATEGORY']);
    const visible = made.filter((t) => visibleTo(user, t));
    expect(Object.fromEntries(result.rows.map((r: any) => [r.category, r.count]))).toEqual(tally(visible, (t) => t.categories));
    expect(result.total).toBe(visible.length);
  });

  it('breaks down by priority band and status for police, with unassessed threats under null', async () => {
    const user = 'serocu.analyst';
    const result = await stats(user, ['PRIORITY_BAND', 'STATUS']);
    const visible = made.filter((t) => visibleTo(user, t));
    expect(Object.fromEntries(result.rows.map((r: any) => [`${r.priority}/${r.status}`, r.count]))).toEqual(tally(visible, (t) => [`${t.priority}/${t.status}`]));
  });

  it('narrows by category and lead organisation', async () => {
    const result = await stats('serocu.analyst', [], { categories: ['ILLEGAL_DRUGS'], leadOrganisationIds: [await orgId(app, 'TVP')] });
    expect(result.total).toBe(made.filter((t) => visibleTo('serocu.analyst', t) && t.lead === 'TVP' && t.categories.includes('ILLEGAL_DRUGS')).length);
    expect(result.total).toBe(2);
  });

  it('gives a partner a breakdown by priority with other organisations\' bands withheld (counted under null, and said why), not a refusal', async () => {
    const withheld = `query ($groupBy: [ThreatStatsDimension!]!) { threatStats(groupBy: $groupBy) { total withheld { field reason } rows { subjectType priority count } } }`;
    const partner = expectData(await app.gql('oxon.mash', withheld, { groupBy: ['SUBJECT_TYPE', 'PRIORITY_BAND'] })).threatStats;
    const visible = made.filter((t) => visibleTo('oxon.mash', t));
    expect(visible.some((t) => t.priority !== null)).toBe(true); // there is a band to withhold
    expect(partner.rows.every((r: any) => r.priority === null)).toBe(true);
    expect(Object.fromEntries(partner.rows.map((r: any) => [r.subjectType, r.count]))).toEqual(tally(visible, (t) => [t.subjectType]));
    expect(partner.withheld).toEqual([{ field: 'priority', reason: expect.stringMatching(/withheld from partner organisations/) }]);
    const police = expectData(await app.gql('serocu.analyst', withheld, { groupBy: ['PRIORITY_BAND'] })).threatStats;
    expect(police.withheld).toEqual([]);
  });

  it('refuses a dimension listed twice and a bad organisation ID', async () => {
    const result = await app.gql('serocu.analyst', STATS, { groupBy: ['STATUS', 'STATUS'], filter: { leadOrganisationIds: ['x'] } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.fields.map((f: any) => f.field).sort()).toEqual(['filter.leadOrganisationIds[0]', 'groupBy[1]']);
  });

  it('audits the figures as a read of threats, and needs a purpose for sensitive ones', async () => {
    const refused = await app.gql('serocu.analyst', '{ threatStats(groupBy: []) { total } }', undefined, { purpose: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    expectData(await app.gql('serocu.analyst', 'query ThreatPicture { threatStats(groupBy: [SUBJECT_TYPE]) { total } }', undefined, { purpose: 'ANALYSIS' }));
    const [event] = await sql(app, `select action, record_type, purpose, detail from audit_event where operation = 'ThreatPicture'`);
    const sensitive = made.filter((t) => visibleTo('serocu.analyst', t) && t.marking !== 'OFFICIAL').length;
    expect(event).toEqual({ action: 'READ', record_type: 'SocThreat', purpose: 'ANALYSIS', detail: { aggregates: [{ statistic: 'threatStats', sensitiveRecords: sensitive }] } });
  });
});
