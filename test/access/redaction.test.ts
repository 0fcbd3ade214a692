import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';

let app: TestApp;
let threat: any;
beforeAll(async () => {
  app = await createTestApp();
  await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], maxMarking: 'OFFICIAL' });
  threat = await createThreat(app, 'tvp.investigator', {
    name: 'Operation Sanitised',
    summary: 'Source reporting says the line holder stores cash at his mother\'s address.',
    access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' },
  });
});
afterAll(() => app.stop());

const VIEW = `query ($id: ID!) { node(id: $id) { ... on SocThreat {
  name summary priority riskScore members { role } linkedThreats { reason } currentAssessment { id } history { action }
  lro { username } areasAffected { code } withheld { field reason }
  criminalActivities { category subCategory description withheld { field } } } } }`;

describe('sanitised views for partners', () => {
  it('a partner sees the sanitised summary, with every withheld field null and listed with its reason', async () => {
    const view = expectData(await app.gql('oxon.mash', VIEW, { id: threat.id })).node;
    expect(view).toMatchObject({ name: 'Operation Sanitised', summary: null, priority: null, riskScore: null, members: null, linkedThreats: null, currentAssessment: null, history: null });
    expect(view.withheld.map((w: any) => w.field).sort()).toEqual(
      ['assessmentHistory', 'currentAssessment', 'history', 'linkedThreats', 'members', 'priority', 'riskScore', 'summary', 'unassessedActivities'],
    );
    expect(view.withheld.find((w: any) => w.field === 'summary').reason).toMatch(/withheld from partner organisations/);
    expect(view.criminalActivities).toEqual([{ category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: null, withheld: [{ field: 'description' }, { field: 'assessment' }] }]);
  });

  it('police see everything and nothing is listed as withheld', async () => {
    const view = expectData(await app.gql('surrey.investigator', VIEW, { id: threat.id })).node;
    expect(view.summary).toMatch(/line holder/);
    expect(view.members).toEqual([]);
    expect(view.withheld).toEqual([]);
    expect(view.criminalActivities[0].description).toMatch(/Class A/);
  });

  it('a partner cannot find a threat by words only its withheld summary holds, nor filter or sort by priority', async () => {
    const search = (as: string) => app.gql(as, `{ threats(first: 10, filter: { text: "mother" }) { totalCount } }`);
    expect(expectData(await search('surrey.investigator')).threats.totalCount).toBe(1);
    expect(expectData(await search('oxon.mash')).threats.totalCount).toBe(0);
    const byPriority = await app.gql('oxon.mash', `{ threats(first: 10, filter: { priority: [HIGH] }, orderBy: [{ field: RISK, direction: DESC }]) { totalCount } }`);
    expect(byPriority.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        { field: 'filter.priority', message: 'priority is withheld from partner organisations' },
        { field: 'orderBy[0].field', message: 'risk is withheld from partner organisations' },
      ],
    });
  });
});
