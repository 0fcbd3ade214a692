import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const EXPLAIN = `query ($id: ID!, $username: String) { explainAccess(recordId: $id, username: $username) {
  canRead user { username } rules { rule passed detail } } }`;

const explain = async (as: string, id: string, username?: string) => app.gql(as, EXPLAIN, { id, username });

describe('explainAccess', () => {
  it('tells a reader which rules let them see a record', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
    const answer = expectData(await explain('surrey.investigator', threat.id)).explainAccess;
    expect(answer.canRead).toBe(true);
    expect(answer.user.username).toBe('surrey.investigator');
    expect(answer.rules.map((r: any) => [r.rule, r.passed])).toEqual([['CLEARANCE', true], ['ROLE', true], ['SHARING', true], ['AGREEMENT', true]]);
    expect(answer.rules[2].detail).toBe('Owned by TVP, shared REGIONAL_LAW_ENFORCEMENT: reaches SURREY.');
  });

  it('gives nothing about a record the asker cannot see, so existence does not leak', async () => {
    const secret = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    expect(expectData(await explain('surrey.investigator', secret.id)).explainAccess).toBeNull();
  });

  it('lets an auditor ask for another user, naming every rule that denies', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'ALL_PARTNERS' } });
    const answer = expectData(await explain('serocu.auditor', threat.id, 'oxon.mash')).explainAccess;
    expect(answer.canRead).toBe(false);
    const failed = answer.rules.filter((r: any) => !r.passed).map((r: any) => r.rule);
    expect(failed).toEqual(['CLEARANCE', 'AGREEMENT']);
    expect(answer.rules.find((r: any) => r.rule === 'AGREEMENT').detail).toMatch(/there is no agreement between the two organisations/);

    await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], maxMarking: 'OFFICIAL' });
    const after = expectData(await explain('serocu.auditor', threat.id, 'oxon.mash')).explainAccess;
    expect(after.rules.find((r: any) => r.rule === 'AGREEMENT').detail).toMatch(/covers .* up to OFFICIAL/);
  });

  it('asks an overseer for a purpose, and puts each explanation on the audit trail as a read of the record', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    const refused = await app.gql('serocu.auditor', EXPLAIN, { id: threat.id, username: 'oxon.mash' }, { purpose: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    expect(refused.data?.explainAccess ?? null).toBeNull();
    expectData(await app.gql('serocu.auditor', EXPLAIN, { id: threat.id, username: 'oxon.mash' }, { purpose: 'AUDIT' }));
    const rows = await app.app.orm.em.getConnection().execute(
      `select a.action, a.purpose, a.record_type, a.detail from audit_event a join app_user u on u.id = a.user_id
        where u.username = 'serocu.auditor' and ?::uuid = any (a.record_ids)`,
      [Buffer.from(threat.id, 'base64url').toString().split(':')[1]],
    );
    expect(rows).toEqual([{ action: 'READ', purpose: 'AUDIT', record_type: 'SocThreat', detail: expect.objectContaining({ explainAccessFor: ['oxon.mash'] }) }]);
  });

  it('refuses to explain another user\'s access to anyone but admins and auditors', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const result = await explain('tvp.investigator', threat.id, 'oxon.mash');
    expect(result.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('explains the referral rule: parties and auditors only, whatever the sharing', async () => {
    const nominal = expectData(await app.gql('tvp.safeguarding', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, {
      input: { name: 'Jordan Ashcombe', dateOfBirth: '2010-02-02', access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    })).createNominal;
    const referral = expectData(await app.gql('tvp.safeguarding', `mutation ($input: CreateReferralInput!) { createReferral(input: $input) { id } }`, {
      input: {
        receivingOrganisationId: await orgId(app, 'OXON_CS'), referralType: 'MASH_CONTACT', subjectId: nominal.id, subjectIsChild: true,
        exploitationTypes: ['COUNTY_LINES'], urgency: 'AMBER', consentObtained: false, sharingReason: 'Child at risk.', summary: 'Found with a line phone.', protectiveMarking: 'OFFICIAL',
      },
    })).createReferral;
    const outsider = expectData(await explain('serocu.auditor', referral.id, 'surrey.investigator')).explainAccess;
    expect(outsider.canRead).toBe(false);
    expect(outsider.rules.find((r: any) => r.rule === 'REFERRAL_PARTY').detail).toMatch(/Only the referring and receiving organisations and auditors/);
    const receiver = expectData(await explain('oxon.mash', referral.id)).explainAccess;
    expect(receiver.canRead).toBe(true);
  });
});

describe('explainAccess states the referral and nominal rules as the layers enforce them', () => {
  const referTo = async (as: string, receiver: string, extra: Record<string, unknown>) =>
    expectData(await app.gql(as, `mutation ($input: CreateReferralInput!) { createReferral(input: $input) { id } }`, {
      input: {
        receivingOrganisationId: await orgId(app, receiver), referralType: 'MASH_CONTACT', subjectIsChild: true, exploitationTypes: ['COUNTY_LINES'], urgency: 'AMBER',
        consentObtained: false, sharingReason: 'Child at risk.', summary: 'Seen with older males.', protectiveMarking: 'OFFICIAL', ...extra,
      },
    })).createReferral;

  it('the regional unit reads a referral linked to a threat it can read', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
    const referral = await referTo('tvp.safeguarding', 'OXON_CS', { linkedThreatIds: [threat.id] });
    const answer = expectData(await explain('serocu.analyst', referral.id)).explainAccess;
    expect(answer.canRead).toBe(true);
    expect(answer.rules.find((r: any) => r.rule === 'REFERRAL_PARTY').detail).toMatch(/SEROCU, the regional unit, reads referrals linked to a threat it can read/);
  });

  it("a partner reads a referral's subject only with an agreement in force with the person's owner", async () => {
    const nominal = expectData(await app.gql('surrey.investigator', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, {
      input: { name: 'Casey Wendover', dateOfBirth: '2011-04-04', access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
    })).createNominal;
    await referTo('surrey.investigator', 'OXON_CS', { subjectId: nominal.id });
    const answer = expectData(await explain('serocu.auditor', nominal.id, 'oxon.mash')).explainAccess;
    expect(answer.canRead).toBe(false);
    expect(answer.rules.filter((r: any) => !r.passed).map((r: any) => r.rule)).toEqual(['AGREEMENT']);
    expect(answer.rules.find((r: any) => r.rule === 'PARTNER_NOMINAL').detail).toMatch(/^Subject of referral SR-/);
  });
});
