import { addDays, today } from '../../server/src/shared/validation';
import { createThreat, expectData, orgId } from '../support/factories';
import { CREATE_REFERRAL, createNominal, createReferral, referralInput, referralStep } from '../support/referral-factories';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Referrals and the people they are about under the access model (issue 13): a referral must
 * reach a receiver that can read it, an agreement decides what a partner reads of the owner's
 * people even through a referral, a referral cannot pass someone else's person on, a receiver
 * reads the subject it was sent, and SEROCU reads the referrals linked to threats it can read.
 */

const NOMINAL = `query ($id: ID!) { node(id: $id) { ... on Nominal { id name } } }`;
const REFERRAL = `query ($id: ID!) { node(id: $id) { ... on SafeguardingReferral { id subject { id } } } }`;
const REFERRAL_IDS = `{ referrals(first: 100) { totalCount edges { node { id } } } }`;

function fieldsOf(result: { errors?: { extensions?: Record<string, any> }[] }): Record<string, string> {
  expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  return Object.fromEntries(result.errors![0].extensions!.fields.map((f: { field: string; message: string }) => [f.field, f.message]));
}

async function sql(app: TestApp, text: string, params: unknown[] = []): Promise<any[]> {
  return app.app.orm.em.getConnection().execute(text, params);
}

/** A user of `org` inserted directly (the demo identity has no one at some partners). */
async function addUser(app: TestApp, username: string, org: string, roles: string[], clearance: string) {
  await sql(app, `insert into app_user (username, display_name, organisation_id, roles, clearance) values (?, ?, (select id from organisation where code = ?), ?::text[], ?)`, [
    username, username, org, `{${roles.join(',')}}`, clearance,
  ]);
}

/** An ACTIVE agreement in force between `parties` covering `categories` up to OFFICIAL, made by the administrator. */
async function agreement(app: TestApp, parties: string[], categories: string[]) {
  return expectData(
    await app.gql('serocu.admin', `mutation ($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { id version } }`, {
      input: {
        title: `Referral access ${parties.join(' and ')}`,
        partyIds: await Promise.all(parties.map((code) => orgId(app, code))),
        legalGateways: ['CHILDREN_ACT_2004_S11'],
        purposes: ['SAFEGUARDING'],
        dataCategories: categories,
        maxProtectiveMarking: 'OFFICIAL',
        effectiveFrom: addDays(today(), -30),
        expiresOn: addDays(today(), 365),
        status: 'ACTIVE',
      },
    }),
  ).createSharingAgreement;
}

const countReferrals = async (app: TestApp) => (await sql(app, 'select count(*)::int as n from safeguarding_referral'))[0].n as number;

describe('a referral must reach a receiver that can read it', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  it('counts only active users whose roles may read referrals, and then the referral lands in their inbox', async () => {
    await addUser(app, 'hants.admin', 'HANTS_CS', ['ADMIN'], 'SECRET'); // no role that reads referrals
    await addUser(app, 'hants.gone', 'HANTS_CS', ['SAFEGUARDING_PRACTITIONER'], 'SECRET');
    await sql(app, `update app_user set active = false where username = 'hants.gone'`);
    await addUser(app, 'hants.mash', 'HANTS_CS', ['SAFEGUARDING_PRACTITIONER'], 'OFFICIAL_SENSITIVE');
    const input = { receivingOrganisationId: await orgId(app, 'HANTS_CS'), protectiveMarking: 'SECRET' };
    expect(fieldsOf(await app.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(app, input) }))['input.protectiveMarking']).toMatch(
      /can read referrals marked up to official-sensitive: mark this referral official-sensitive/,
    );
    const referral = await createReferral(app, { ...input, protectiveMarking: 'OFFICIAL_SENSITIVE' });
    const inbox = expectData(await app.gql('hants.mash', REFERRAL_IDS)).referrals.edges.map((e: any) => e.node.id);
    expect(inbox).toContain(referral.id);
    expect(expectData(await referralStep(app, 'hants.mash', 'acknowledgeReferral', { id: referral.id, expectedVersion: 1 })).acknowledgeReferral.status).toBe('ACKNOWLEDGED');
  });
});

describe('who a referral may be about', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
    await agreement(app, ['TVP', 'OXON_CS'], ['NOMINAL', 'REFERRAL']);
  });
  afterAll(() => app.stop());

  it("refuses a partner's referral passing a police-owned person on to a third organisation; referring them back to the owner is fine", async () => {
    const child = await createNominal(app, 'tvp.safeguarding', 'Kai Pennington', '2011-05-02');
    await createReferral(app, { subjectId: child.id });
    expect(expectData(await app.gql('oxon.mash', NOMINAL, { id: child.id })).node).toEqual({ id: child.id, name: 'Kai Pennington' });

    const before = await countReferrals(app);
    const passOn = await app.gql('oxon.mash', CREATE_REFERRAL, { input: await referralInput(app, { subjectId: child.id, receivingOrganisationId: await orgId(app, 'SURREY') }) });
    expect(fieldsOf(passOn)).toEqual({
      'input.subjectId': 'was recorded by Thames Valley Police: refer this person to Thames Valley Police, or ask Thames Valley Police to make the referral',
    });
    expect(await countReferrals(app)).toBe(before);
    const back = await createReferral(app, { subjectId: child.id, receivingOrganisationId: await orgId(app, 'TVP') }, 'oxon.mash');
    expect(back.subject).toEqual({ id: child.id, name: 'Kai Pennington' });
  });

  it("refuses a force's referral of another force's person to a partner", async () => {
    const surreys = await createNominal(app, 'surrey.investigator', 'Dylan Ashgrove', '2010-09-09');
    expect(expectData(await app.gql('tvp.safeguarding', NOMINAL, { id: surreys.id })).node).not.toBeNull(); // shared regionally
    const result = await app.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(app, { subjectId: surreys.id }) });
    expect(Object.keys(fieldsOf(result))).toEqual(['input.subjectId']);
  });
});

describe.each([
  ['both layers', { database: true, application: true }],
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('reading referrals and their subjects, with %s', (_mode, accessLayers) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ accessLayers });
    await addUser(app, 'hants.reader', 'HANTS_CS', ['SAFEGUARDING_PRACTITIONER'], 'OFFICIAL');
  });
  afterAll(() => app.stop());

  it("suspending the agreement hides the police-owned person from the partner, but not the partner's own referral", async () => {
    const isa = await agreement(app, ['TVP', 'OXON_CS'], ['NOMINAL', 'REFERRAL']);
    const child = await createNominal(app, 'tvp.safeguarding', 'Ellis Marchant', '2012-01-20');
    const referral = await createReferral(app, { subjectId: child.id });
    expect(expectData(await app.gql('oxon.mash', NOMINAL, { id: child.id })).node).toEqual({ id: child.id, name: 'Ellis Marchant' });

    expectData(
      await app.gql('serocu.admin', `mutation ($input: SuspendSharingAgreementInput!) { suspendSharingAgreement(input: $input) { status } }`, {
        input: { id: isa.id, expectedVersion: isa.version, reason: 'Data protection impact assessment under review.' },
      }),
    );
    expect(expectData(await app.gql('oxon.mash', NOMINAL, { id: child.id })).node).toBeNull();
    expect(expectData(await app.gql('oxon.mash', REFERRAL, { id: referral.id })).node).toEqual({ id: referral.id, subject: null });
  });

  it('a referral between two organisations that do not own the person makes them known to neither (rows written round the service)', async () => {
    await agreement(app, ['TVP', 'HANTS_CS'], ['NOMINAL', 'REFERRAL']);
    const child = await createNominal(app, 'tvp.safeguarding', 'Robin Staveley', '2011-11-11');
    const [{ id }] = await sql(app, `insert into safeguarding_referral (reference, subject_id, subject_is_child, referral_type, exploitation_types, referring_organisation_id,
        receiving_organisation_id, urgency, consent_obtained, summary, acknowledgement_due_at, owning_organisation_id, protective_marking, sharing, shared_with, created_by, updated_by)
      select 'SR-PASS-ON', ?, true, 'MASH_CONTACT', '{COUNTY_LINES}', ox.id, ha.id, 'GREEN', true, 'passed on', now() + interval '1 day', ox.id, 'OFFICIAL',
             'NAMED_ORGANISATIONS', array[ha.id], u.id, u.id
        from organisation ox, organisation ha, app_user u where ox.code = 'OXON_CS' and ha.code = 'HANTS_CS' and u.username = 'oxon.mash'
      returning id`, [Buffer.from(child.id, 'base64url').toString().split(':')[1]]);
    const referralId = Buffer.from(`SafeguardingReferral:${id}`).toString('base64url');
    expect(expectData(await app.gql('hants.reader', REFERRAL, { id: referralId })).node).toEqual({ id: referralId, subject: null });
    expect(expectData(await app.gql('hants.reader', NOMINAL, { id: child.id })).node).toBeNull();
  });

  it("the receiving force reads the subject a partner recorded and referred to it, whatever the person's sharing", async () => {
    const partnerChild = expectData(
      await app.gql('oxon.mash', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, {
        input: { name: 'Jamie Orchard', dateOfBirth: '2012-07-07', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } },
      }),
    ).createNominal;
    const referral = await createReferral(app, { subjectId: partnerChild.id, receivingOrganisationId: await orgId(app, 'TVP') }, 'oxon.mash');
    expect(expectData(await app.gql('tvp.safeguarding', REFERRAL, { id: referral.id })).node).toEqual({ id: referral.id, subject: { id: partnerChild.id } });
    expect(expectData(await app.gql('tvp.safeguarding', NOMINAL, { id: partnerChild.id })).node).toEqual({ id: partnerChild.id, name: 'Jamie Orchard' });
    // Another force, not a party, does not.
    expect(expectData(await app.gql('surrey.investigator', NOMINAL, { id: partnerChild.id })).node).toBeNull();
  });

  // Both layers on: the application's policy once read the referrals under their own row-level
  // security, which asks whether the caller's roles read referrals at all; such a user of the
  // receiving force was told the person was not found (write-property.test.ts, seed 416856522).
  it("the receiving force's people whose roles read people but not referrals read the subject too, and may not change them", async () => {
    await addUser(app, 'tvp.people.reader', 'TVP', ['THREAT_ASSESSOR'], 'OFFICIAL');
    const partnerChild = expectData(
      await app.gql('oxon.mash', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id } }`, {
        input: { name: 'Morgan Hale', dateOfBirth: '2013-03-03', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } },
      }),
    ).createNominal;
    const referral = await createReferral(app, { subjectId: partnerChild.id, receivingOrganisationId: await orgId(app, 'TVP') }, 'oxon.mash');
    expect(expectData(await app.gql('tvp.people.reader', REFERRAL, { id: referral.id })).node).toBeNull();
    expect(expectData(await app.gql('tvp.people.reader', NOMINAL, { id: partnerChild.id })).node).toEqual({ id: partnerChild.id, name: 'Morgan Hale' });
    const update = await app.gql('tvp.people.reader', `mutation ($input: UpdateNominalInput!) { updateNominal(input: $input) { id } }`, {
      input: { id: partnerChild.id, expectedVersion: 1, name: 'Morgan Hale-Smith' },
    });
    expect(update.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(expectData(await app.gql('oxon.mash', NOMINAL, { id: partnerChild.id })).node.name).toBe('Morgan Hale');
  });

  it('SEROCU reads the referrals linked to a threat it can read, and no others; a force not party reads none', async () => {
    const regional = await createThreat(app, 'tvp.investigator', { name: 'Operation Hawthorn' });
    const ownerOnly = await createThreat(app, 'tvp.investigator', { name: 'Operation Blackthorn', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    const linked = await createReferral(app, { linkedThreatIds: [regional.id] });
    const hidden = await createReferral(app, { linkedThreatIds: [ownerOnly.id] });
    const unlinked = await createReferral(app);
    const seen = (as: string) => app.gql(as, REFERRAL_IDS).then((r) => expectData(r).referrals.edges.map((e: any) => e.node.id));
    const serocu = await seen('serocu.analyst');
    expect(serocu).toContain(linked.id);
    expect(serocu).not.toContain(hidden.id);
    expect(serocu).not.toContain(unlinked.id);
    expect(expectData(await app.gql('serocu.analyst', REFERRAL, { id: linked.id })).node).toEqual({ id: linked.id, subject: null });
    expect(expectData(await app.gql('serocu.analyst', REFERRAL, { id: hidden.id })).node).toBeNull();
    expect(await seen('hiow.analyst')).not.toContain(linked.id);
  });
});
