import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';
import { enumSpellingsIn } from '../support/enum-spellings';
import { insertRecord, toGlobal, type WorldRecord } from '../support/access-world';

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const EXPLAIN = `query ($id: ID!, $username: String) { explainAccess(recordId: $id, username: $username) {
  canRead user { username } rules { rule passed detail } } }`;

const explain = async (as: string, id: string, username?: string) => app.gql(as, EXPLAIN, { id, username });

/** A record of TVP's, marked OFFICIAL, to plant with SQL (test/support/access-world.ts). */
const tvpRecord = (category: WorldRecord['category'], sharing: string): WorldRecord => ({ category, owner: 'TVP', marking: 'OFFICIAL', sharing, sharedWith: [], receiver: 'SURREY', partner: null, parent: 0 });
/** Plants with SQL, as the database owner, on `on`'s database. */
const plantOn = (on: TestApp) => (text: string, params: unknown[] = []) => on.app.orm.em.getConnection().execute(text, params);

describe('explainAccess', () => {
  it('tells a reader which rules let them see a record', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
    const answer = expectData(await explain('surrey.investigator', threat.id)).explainAccess;
    expect(answer.canRead).toBe(true);
    expect(answer.user.username).toBe('surrey.investigator');
    expect(answer.rules.map((r: any) => [r.rule, r.passed])).toEqual([['CLEARANCE', true], ['ROLE', true], ['SHARING', true], ['AGREEMENT', true]]);
    expect(answer.rules[2].detail).toBe('Owned by TVP, shared with regional law enforcement: reaches SURREY.');
    // Read on screen ("Who can see this?"): in words, no API spelling.
    expect(answer.rules.map((r: any) => r.detail)).toEqual([
      'Record marked official-sensitive; surrey.investigator is cleared to official-sensitive.',
      'As investigator, surrey.investigator may read threat records.',
      expect.any(String),
      'SURREY is a law-enforcement organisation: no agreement needed.',
    ]);
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
    const agreement = after.rules.find((r: any) => r.rule === 'AGREEMENT').detail;
    // The agreement's status, categories and marking in words, as they are read on screen.
    expect(agreement).toMatch(/^No agreement in force covers threat records marked official-sensitive: ".*": active, .+ covers .+ records up to official\.$/);
    expect(after.rules.flatMap((r: any) => enumSpellingsIn(r.detail))).toEqual([]);
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

  it('a partner reads its own records with no agreement, as the OWNER rule has it', async () => {
    const own = expectData(await app.gql('oxon.mash', `mutation ($input: CreatePracticeInput!) { createPractice(input: $input) { id } }`, {
      input: {
        title: 'Drop-in for young people at risk', aim: 'Reach children before they are groomed.', description: 'A weekly drop-in run with youth workers.',
        topics: ['county lines'], stage: 'PILOT', evidenceRating: 'PROMISING', contact: 'Claire Dunmore', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' },
      },
    })).createPractice;
    // OXON_CS has no agreement with anyone: its own record needs none.
    const answer = expectData(await explain('oxon.mash', own.id)).explainAccess;
    expect(answer.canRead).toBe(true);
    expect(answer.rules.map((r: any) => [r.rule, r.passed])).toEqual([['CLEARANCE', true], ['ROLE', true], ['SHARING', true], ['AGREEMENT', true]]);
    expect(answer.rules[3].detail).toBe('OXON_CS owns the record: no agreement needed.');
  });

  it('a plan or disruption is read only with its threat, and the explanation says so', async () => {
    const exec = plantOn(app);
    const hidden = await insertRecord(exec, tvpRecord('THREAT', 'OWNER_ONLY'), 'explain', 'hidden', null);
    const shared = await insertRecord(exec, tvpRecord('THREAT', 'REGIONAL_LAW_ENFORCEMENT'), 'explain', 'shared', null);
    // Both shared with regional law enforcement: Surrey reaches each by its sharing, and reads it exactly when it reads its threat.
    const cases = [
      { type: 'FourPPlan', id: await insertRecord(exec, tvpRecord('PLAN', 'REGIONAL_LAW_ENFORCEMENT'), 'explain', 'p1', hidden), readable: false },
      { type: 'FourPPlan', id: await insertRecord(exec, tvpRecord('PLAN', 'REGIONAL_LAW_ENFORCEMENT'), 'explain', 'p2', shared), readable: true },
      { type: 'Disruption', id: await insertRecord(exec, tvpRecord('DISRUPTION', 'REGIONAL_LAW_ENFORCEMENT'), 'explain', 'd1', hidden), readable: false },
    ];
    for (const { type, id, readable } of cases) {
      const globalId = toGlobal(type, id);
      const read = expectData(await app.gql('surrey.investigator', `query ($id: ID!) { node(id: $id) { id } }`, { id: globalId })).node;
      expect(read?.id ?? null).toBe(readable ? globalId : null);
      const answer = expectData(await explain('serocu.auditor', globalId, 'surrey.investigator')).explainAccess;
      expect(answer.canRead).toBe(readable);
      expect(answer.rules.filter((r: any) => !r.passed).map((r: any) => r.rule)).toEqual(readable ? [] : ['THREAT']);
      expect(answer.rules.at(-1).detail).toBe(
        readable ? 'It belongs to threat PW-explain-shared, which surrey.investigator can read.' : 'It belongs to threat PW-explain-hidden, which surrey.investigator cannot read; it is read only with its threat.',
      );
    }
  });
});

describe('explainAccess with the application policy alone', () => {
  let alone: TestApp;
  beforeAll(async () => (alone = await createTestApp({ accessLayers: { database: false, application: true } })));
  afterAll(() => alone.stop());

  it('gives nothing about a plan whose threat the asker cannot read, nor names the threat', async () => {
    const exec = plantOn(alone);
    const hidden = await insertRecord(exec, tvpRecord('THREAT', 'OWNER_ONLY'), 'alone', 'hidden', null);
    const plan = toGlobal('FourPPlan', await insertRecord(exec, tvpRecord('PLAN', 'REGIONAL_LAW_ENFORCEMENT'), 'alone', 'p1', hidden));
    // Surrey reaches the plan by its sharing, but not its threat: the plan is hidden, so there is nothing to explain.
    expect(expectData(await alone.gql('surrey.investigator', `query ($id: ID!) { node(id: $id) { id } }`, { id: plan })).node).toBeNull();
    expect(expectData(await alone.gql('surrey.investigator', EXPLAIN, { id: plan })).explainAccess).toBeNull();
  });
});
