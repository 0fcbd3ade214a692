import fs from 'node:fs';
import path from 'node:path';
import { createThreat, expectData, orgId } from '../support/factories';
import { CREATE_REFERRAL, REFERRAL_FIELDS, createNominal, createReferral, referralInput, referralStep } from '../support/referral-factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { stampedDays } from '../support/clock';
import { statementsSentDuring } from '../support/statements';

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

async function sql(query: string, params: unknown[] = []): Promise<any[]> {
  return app.app.orm.em.getConnection().execute(query, params);
}

async function rowCounts() {
  const [row] = await sql(`select (select count(*) from safeguarding_referral)::int as referrals, (select count(*) from referral_update)::int as updates`);
  return row;
}

function problemFields(result: { errors?: { extensions?: Record<string, any> }[] }): string[] {
  expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  return result.errors![0].extensions!.fields.map((f: { field: string }) => f.field).sort();
}

const HOUR = 3600_000;

describe('making a referral', () => {
  it('records a child referral from the referring organisation, shared with the receiving one only, with the share and its reason on the timeline', async () => {
    const child = await createNominal(app, 'tvp.safeguarding', 'Kyle Barrowby', '2011-03-14');
    const threat = await createThreat(app, 'tvp.investigator');
    const result = await app.gql('tvp.safeguarding', `mutation ($input: CreateReferralInput!) {
      createReferral(input: $input) { ${REFERRAL_FIELDS} history { action part } } }`, {
      input: await referralInput(app, { subjectId: child.id, linkedThreatIds: [threat.id] }),
    });
    const referral = expectData(result).createReferral;
    expect(referral).toMatchObject({
      version: 1,
      status: 'SUBMITTED',
      outcome: null,
      urgency: 'AMBER',
      subjectIsChild: true,
      consentObtained: false,
      protectiveMarking: 'OFFICIAL',
      sharing: 'NAMED_ORGANISATIONS',
      sharedWith: [{ code: 'OXON_CS' }],
      owningOrganisation: { code: 'TVP' },
      referringOrganisation: { code: 'TVP' },
      receivingOrganisation: { code: 'OXON_CS' },
      subject: { id: child.id, name: 'Kyle Barrowby' },
      linkedThreats: [{ id: threat.id, name: threat.name }],
      acknowledgedAt: null,
      isAcknowledgementOverdue: false,
      acknowledgedWithinTarget: null,
    });
    const years = (await stampedDays(app.db.url)).map((d) => d.slice(0, 4));
    expect(referral.reference).toMatch(new RegExp(`^SR-(${years.join('|')})-[2-9A-HJKMNP-Z]{8}$`));
    expect(referral.timeline).toEqual([
      expect.objectContaining({ kind: 'STATUS_CHANGE', fromStatus: null, toStatus: 'SUBMITTED', by: { username: 'tvp.safeguarding' }, organisation: { code: 'TVP' } }),
      expect.objectContaining({
        kind: 'SHARE',
        shareReason: 'Child at risk of significant harm (Children Act 1989 s47); consent would place them at greater risk.',
        sharedWithOrganisation: { code: 'OXON_CS' },
      }),
    ]);
    expect(referral.history).toEqual(expect.arrayContaining([{ action: 'CREATE', part: null }, { action: 'CREATE', part: 'update' }]));
  });

  it('takes no sharing from the client: a referral is shared with the receiving organisation, never wider', async () => {
    const result = await app.gql('tvp.safeguarding', CREATE_REFERRAL, {
      input: { ...(await referralInput(app)), access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } },
    });
    expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT'); // not an input field at all
    expect(result.errors![0].message).toMatch(/access/);
  });

  it('refuses a referral marked above what anyone at the receiving organisation can read, naming its highest marking, and writes nothing', async () => {
    // Oxfordshire's people are cleared to OFFICIAL: an OFFICIAL-SENSITIVE referral would be in no one's inbox.
    const before = await rowCounts();
    const refused = await app.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(app, { protectiveMarking: 'OFFICIAL_SENSITIVE' }) });
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [
        {
          field: 'input.protectiveMarking',
          message: "Oxfordshire County Council Children's Services can read referrals marked up to official: mark this referral official or refer to another organisation",
        },
      ],
    });
    expect(await rowCounts()).toEqual(before);
    // Marked within what it can read, it arrives in the receiver's inbox.
    const sent = await createReferral(app, { protectiveMarking: 'OFFICIAL' });
    const inbox = expectData(await app.gql('oxon.mash', '{ referrals(first: 100, filter: { direction: INBOX }) { edges { node { reference } } } }'));
    expect(inbox.referrals.edges.map((e: any) => e.node.reference)).toContain(sent.reference);
  });

  it('records "consent obtained" as the reason when consent was given', async () => {
    const referral = await createReferral(app, { consentObtained: true, sharingReason: null });
    expect(referral.timeline.find((e: any) => e.kind === 'SHARE').shareReason).toBe('consent obtained');
  });

  it('reports every invalid field in one response and writes nothing', async () => {
    const before = await rowCounts();
    const missingNominal = Buffer.from('Nominal:00000000-0000-0000-0000-000000000000').toString('base64url');
    const missingThreat = Buffer.from('SocThreat:00000000-0000-0000-0000-000000000000').toString('base64url');
    const result = await app.gql('tvp.safeguarding', CREATE_REFERRAL, {
      input: await referralInput(app, {
        receivingOrganisationId: await orgId(app, 'TVP'),
        subjectId: missingNominal,
        exploitationTypes: [],
        summary: '   ',
        sharingReason: null,
        linkedThreatIds: [missingThreat, 'not-an-id'],
      }),
    });
    expect(problemFields(result)).toEqual([
      'input.exploitationTypes',
      'input.linkedThreatIds[0]',
      'input.linkedThreatIds[1]',
      'input.receivingOrganisationId',
      'input.sharingReason',
      'input.subjectId',
      'input.summary',
    ]);
    expect(result.errors![0].extensions!.fields).toEqual(
      expect.arrayContaining([
        { field: 'input.receivingOrganisationId', message: 'must be another organisation than yours, the referring one' },
        { field: 'input.subjectId', message: 'no such nominal' },
        { field: 'input.linkedThreatIds[0]', message: 'no such threat' },
      ]),
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('needs a reason for every share without consent, a child included', async () => {
    const result = await app.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(app, { sharingReason: '  ' }) });
    expect(result.errors![0].extensions!.fields).toEqual([
      { field: 'input.sharingReason', message: 'is required when consent was not obtained: record why the information is shared without it' },
    ]);
    const adult = await app.gql('tvp.safeguarding', CREATE_REFERRAL, {
      input: await referralInput(app, { subjectIsChild: false, referralType: 'ADULT_SAFEGUARDING_CONCERN', exploitationTypes: ['CUCKOOING'], sharingReason: null }),
    });
    expect(problemFields(adult)).toEqual(['input.sharingReason']);
  });

  it("refuses an adult's NRM referral without consent, and takes a child's without it", async () => {
    const adultNrm = { subjectIsChild: false, referralType: 'NRM_REFERRAL', exploitationTypes: ['MODERN_SLAVERY_FORCED_LABOUR'], consentObtained: false };
    const refused = await app.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(app, adultNrm) });
    expect(refused.errors![0].extensions!.fields).toEqual([
      { field: 'input.consentObtained', message: "an adult's NRM referral needs their consent; without it, make a DUTY_TO_NOTIFY_MS1 instead" },
    ]);
    const consented = await createReferral(app, { ...adultNrm, consentObtained: true, sharingReason: null });
    expect(consented).toMatchObject({ referralType: 'NRM_REFERRAL', consentObtained: true });
    const child = await createReferral(app, { referralType: 'NRM_REFERRAL', consentObtained: false });
    expect(child).toMatchObject({ referralType: 'NRM_REFERRAL', subjectIsChild: true, consentObtained: false });
  });

  it('keeps an MS1 duty-to-notify anonymous and for adults only', async () => {
    const adult = await createNominal(app, 'tvp.safeguarding', 'Marek Dunhill', '1988-07-02');
    const ms1 = { referralType: 'DUTY_TO_NOTIFY_MS1', subjectIsChild: false, exploitationTypes: ['MODERN_SLAVERY_FORCED_LABOUR'], sharingReason: null };
    const identified = await app.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(app, { ...ms1, subjectId: adult.id }) });
    expect(identified.errors![0].extensions!.fields).toEqual([
      { field: 'input.subjectId', message: 'an MS1 duty-to-notify for an adult is anonymous and holds no identifying fields' },
    ]);
    const forChild = await app.gql('tvp.safeguarding', CREATE_REFERRAL, {
      input: await referralInput(app, { ...ms1, subjectIsChild: true, exploitationTypes: ['MODERN_SLAVERY_FORCED_LABOUR'] }),
    });
    expect(problemFields(forChild)).toEqual(['input.subjectIsChild']);

    const anonymous = await createReferral(app, { ...ms1, receivingOrganisationId: await orgId(app, 'NCA') });
    expect(anonymous).toMatchObject({ subject: null, subjectIsChild: false, consentObtained: false, receivingOrganisation: { code: 'NCA' } });
    expect(anonymous.timeline[1]).toMatchObject({ kind: 'SHARE', shareReason: expect.stringMatching(/duty to notify/) });
  });

  it("checks subjectIsChild against the nominal's date of birth when it is known", async () => {
    const child = await createNominal(app, 'tvp.safeguarding', 'Lacey Ormond', '2012-09-30');
    const adult = await createNominal(app, 'tvp.safeguarding', 'Dean Prothero', '1990-01-15');
    const unknown = await createNominal(app, 'tvp.safeguarding', 'Unknown male, "Tiny"', null);
    const childAsAdult = await app.gql('tvp.safeguarding', CREATE_REFERRAL, {
      input: await referralInput(app, { subjectId: child.id, subjectIsChild: false, exploitationTypes: ['COUNTY_LINES'] }),
    });
    expect(childAsAdult.errors![0].extensions!.fields).toEqual([
      { field: 'input.subjectIsChild', message: "does not agree with the subject's date of birth: the nominal is a child" },
    ]);
    const adultAsChild = await app.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(app, { subjectId: adult.id }) });
    expect(problemFields(adultAsChild)).toEqual(['input.subjectIsChild']);
    expect(await createReferral(app, { subjectId: unknown.id, subjectIsChild: true })).toMatchObject({ subject: { name: 'Unknown male, "Tiny"' } });
    expect(await createReferral(app, { subjectId: unknown.id, subjectIsChild: false, exploitationTypes: ['CUCKOOING'] })).toMatchObject({
      subjectIsChild: false,
    });
  });

  it('refuses exploitation types and referral types that cannot apply at the subject’s age', async () => {
    const adult = await app.gql('tvp.safeguarding', CREATE_REFERRAL, {
      input: await referralInput(app, { subjectIsChild: false, exploitationTypes: ['CHILD_SEXUAL_EXPLOITATION', 'CUCKOOING'] }),
    });
    expect(adult.errors![0].extensions!.fields).toEqual([{ field: 'input.exploitationTypes', message: 'CHILD_SEXUAL_EXPLOITATION cannot apply to an adult' }]);
    const child = await app.gql('tvp.safeguarding', CREATE_REFERRAL, {
      input: await referralInput(app, { referralType: 'ADULT_SAFEGUARDING_CONCERN', exploitationTypes: ['CRIMINAL_EXPLOITATION_ADULT'] }),
    });
    expect(problemFields(child)).toEqual(['input.exploitationTypes', 'input.referralType']);
  });

  it('sets the acknowledgement due time from the configured target for each urgency', async () => {
    const file = JSON.parse(fs.readFileSync(path.join(__dirname, '../../server/src/modules/referrals/referral-rules.json'), 'utf8'));
    const rules = expectData(await app.gql('oxon.mash', '{ referralRules { acknowledgementTargets { urgency hours } } }')).referralRules;
    expect(rules.acknowledgementTargets).toEqual([
      { urgency: 'RED', hours: file.acknowledgementHours.RED },
      { urgency: 'AMBER', hours: file.acknowledgementHours.AMBER },
      { urgency: 'GREEN', hours: file.acknowledgementHours.GREEN },
    ]);
    for (const { urgency, hours } of rules.acknowledgementTargets) {
      const referral = await createReferral(app, { urgency });
      const due = new Date(referral.acknowledgementDueAt).getTime() - new Date(referral.submittedAt).getTime();
      expect(due).toBe(hours * HOUR);
    }
  });
});

describe('the referral lifecycle', () => {
  it('is moved by the receiving organisation, one step at a time, each step on the timeline', async () => {
    let r = await createReferral(app);
    const ack = expectData(await referralStep(app, 'oxon.mash', 'acknowledgeReferral', { id: r.id, expectedVersion: 1, note: 'Allocated to the exploitation team.' }));
    r = ack.acknowledgeReferral;
    expect(r).toMatchObject({ status: 'ACKNOWLEDGED', version: 2, acknowledgedWithinTarget: true, isAcknowledgementOverdue: false });
    expect(r.acknowledgedAt).not.toBeNull();
    r = expectData(await referralStep(app, 'oxon.mash', 'startReferralWork', { id: r.id, expectedVersion: 2 })).startReferralWork;
    expect(r).toMatchObject({ status: 'IN_PROGRESS', version: 3 });
    r = expectData(
      await referralStep(app, 'oxon.mash', 'recordReferralDecision', { id: r.id, expectedVersion: 3, outcome: 'CSC_ASSESSMENT', note: 'Strategy meeting held.' }, 'ReferralDecisionInput'),
    ).recordReferralDecision;
    expect(r).toMatchObject({ status: 'DECISION', outcome: 'CSC_ASSESSMENT', version: 4 });
    r = expectData(await referralStep(app, 'oxon.mash', 'closeReferral', { id: r.id, expectedVersion: 4 })).closeReferral;
    expect(r).toMatchObject({ status: 'CLOSED', outcome: 'CSC_ASSESSMENT', version: 5 });
    expect(r.timeline.filter((e: any) => e.kind === 'STATUS_CHANGE').map((e: any) => [e.fromStatus, e.toStatus, e.text, e.organisation.code])).toEqual([
      [null, 'SUBMITTED', null, 'TVP'],
      ['SUBMITTED', 'ACKNOWLEDGED', 'Allocated to the exploitation team.', 'OXON_CS'],
      ['ACKNOWLEDGED', 'IN_PROGRESS', null, 'OXON_CS'],
      ['IN_PROGRESS', 'DECISION', 'Strategy meeting held.', 'OXON_CS'],
      ['DECISION', 'CLOSED', null, 'OXON_CS'],
    ]);
  });

  it('refuses the referring organisation, and to anyone else the referral does not exist', async () => {
    const r = await createReferral(app);
    const referrer = await referralStep(app, 'tvp.safeguarding', 'acknowledgeReferral', { id: r.id, expectedVersion: 1 });
    expect(referrer.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(referrer.errors![0].message).toBe('Only the receiving organisation can acknowledge a referral.');
    // A third organisation cannot see the referral at all: indistinguishable from a missing one.
    const outsider = await referralStep(app, 'hiow.analyst', 'acknowledgeReferral', { id: r.id, expectedVersion: 1 });
    expect(outsider.errors![0].extensions!.code).toBe('NOT_FOUND');
    const note = await referralStep(app, 'hiow.analyst', 'addReferralNote', { id: r.id, expectedVersion: 1, text: 'Not mine.' }, 'ReferralTextInput');
    expect(note.errors![0].extensions!.code).toBe('NOT_FOUND');
    const [{ version, status }] = await sql('select version, status from safeguarding_referral where reference = ?', [r.reference]);
    expect({ version, status }).toEqual({ version: 1, status: 'SUBMITTED' });
  });

  it('refuses illegal moves, naming the allowed one, and changes nothing', async () => {
    const r = await createReferral(app);
    const skip = await referralStep(app, 'oxon.mash', 'startReferralWork', { id: r.id, expectedVersion: 1 });
    expect(skip.errors![0].extensions!.fields).toEqual([
      { field: 'input', message: 'this referral is “submitted”, so it cannot become “in progress”; next it can only become “acknowledged”' },
    ]);
    const decide = await referralStep(app, 'oxon.mash', 'recordReferralDecision', { id: r.id, expectedVersion: 1, outcome: 'NO_FURTHER_ACTION' }, 'ReferralDecisionInput');
    expect(problemFields(decide)).toEqual(['input']);
    const ack = expectData(await referralStep(app, 'oxon.mash', 'acknowledgeReferral', { id: r.id, expectedVersion: 1 })).acknowledgeReferral;
    const again = await referralStep(app, 'oxon.mash', 'acknowledgeReferral', { id: r.id, expectedVersion: ack.version });
    expect(again.errors![0].extensions!.fields[0].message).toBe('this referral is “acknowledged”, so it cannot become “acknowledged”; next it can only become “in progress”');
    const [{ version }] = await sql('select version from safeguarding_referral where reference = ?', [r.reference]);
    expect(version).toBe(2);
  });

  it('allows NRM decisions only on NRM referrals', async () => {
    const walk = async (r: any) => {
      const a = expectData(await referralStep(app, 'oxon.mash', 'acknowledgeReferral', { id: r.id, expectedVersion: 1 })).acknowledgeReferral;
      return expectData(await referralStep(app, 'oxon.mash', 'startReferralWork', { id: r.id, expectedVersion: a.version })).startReferralWork;
    };
    const mash = await walk(await createReferral(app));
    const refused = await referralStep(app, 'oxon.mash', 'recordReferralDecision', { id: mash.id, expectedVersion: mash.version, outcome: 'REASONABLE_GROUNDS_POSITIVE' }, 'ReferralDecisionInput');
    expect(refused.errors![0].extensions!.fields).toEqual([{ field: 'input.outcome', message: 'REASONABLE_GROUNDS_POSITIVE is an NRM decision; this is a MASH_CONTACT referral' }]);
    const nrm = await walk(await createReferral(app, { referralType: 'NRM_REFERRAL' }));
    const decided = expectData(
      await referralStep(app, 'oxon.mash', 'recordReferralDecision', { id: nrm.id, expectedVersion: nrm.version, outcome: 'REASONABLE_GROUNDS_POSITIVE' }, 'ReferralDecisionInput'),
    ).recordReferralDecision;
    expect(decided).toMatchObject({ status: 'DECISION', outcome: 'REASONABLE_GROUNDS_POSITIVE' });
  });

  it('takes notes from either party and feedback from the receiving side only', async () => {
    const r = await createReferral(app);
    const fromReferrer = expectData(await referralStep(app, 'tvp.safeguarding', 'addReferralNote', { id: r.id, expectedVersion: 1, text: 'Seen again with the same older males.' }, 'ReferralTextInput')).addReferralNote;
    const fromReceiver = expectData(await referralStep(app, 'oxon.mash', 'addReferralNote', { id: r.id, expectedVersion: 2, text: 'School informed.' }, 'ReferralTextInput')).addReferralNote;
    expect(fromReceiver.version).toBe(3);
    const blank = await referralStep(app, 'oxon.mash', 'addReferralNote', { id: r.id, expectedVersion: 3, text: ' ' }, 'ReferralTextInput');
    expect(blank.errors![0].extensions!.fields).toEqual([{ field: 'input.text', message: 'is required' }]);

    const notReceiver = await referralStep(app, 'tvp.safeguarding', 'recordReferralFeedback', { id: r.id, expectedVersion: 3, text: 'x' }, 'ReferralTextInput');
    expect(notReceiver.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(fromReferrer.feedbackToReferrerAt).toBeNull();
    const fed = expectData(await referralStep(app, 'oxon.mash', 'recordReferralFeedback', { id: r.id, expectedVersion: 3, text: 'Accepted for assessment; allocated social worker.' }, 'ReferralTextInput')).recordReferralFeedback;
    expect(fed.feedbackToReferrerAt).not.toBeNull();
    expect(fed.version).toBe(4);
    expect(fed.timeline.slice(2).map((e: any) => [e.kind, e.text, e.by.username])).toEqual([
      ['NOTE', 'Seen again with the same older males.', 'tvp.safeguarding'],
      ['NOTE', 'School informed.', 'oxon.mash'],
      ['FEEDBACK', 'Accepted for assessment; allocated social worker.', 'oxon.mash'],
    ]);
  });

  it('refuses a stale version with CONFLICT and the current version', async () => {
    const r = await createReferral(app);
    expectData(await referralStep(app, 'oxon.mash', 'addReferralNote', { id: r.id, expectedVersion: 1, text: 'First.' }, 'ReferralTextInput'));
    const stale = await referralStep(app, 'oxon.mash', 'acknowledgeReferral', { id: r.id, expectedVersion: 1 });
    expect(stale.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const staleNote = await referralStep(app, 'tvp.safeguarding', 'addReferralNote', { id: r.id, expectedVersion: 1, text: 'Late.' }, 'ReferralTextInput');
    expect(staleNote.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
  });

  it('flags a referral whose acknowledgement is overdue, and records that it was acknowledged late', async () => {
    const r = await createReferral(app, { urgency: 'RED' });
    expect(r.isAcknowledgementOverdue).toBe(false);
    // Tests cannot wait four hours: move the submission (and so its due time) into the past instead.
    await sql(`update safeguarding_referral set submitted_at = submitted_at - interval '5 hours',
      acknowledgement_due_at = acknowledgement_due_at - interval '5 hours' where reference = ?`, [r.reference]);
    const overdue = expectData(await app.gql('oxon.mash', `query ($id: ID!) { node(id: $id) { ... on SafeguardingReferral { isAcknowledgementOverdue acknowledgedWithinTarget } } }`, { id: r.id })).node;
    expect(overdue).toEqual({ isAcknowledgementOverdue: true, acknowledgedWithinTarget: null });
    const late = expectData(await referralStep(app, 'oxon.mash', 'acknowledgeReferral', { id: r.id, expectedVersion: r.version })).acknowledgeReferral;
    expect(late).toMatchObject({ isAcknowledgementOverdue: false, acknowledgedWithinTarget: false });
  });
});

describe('listing referrals', () => {
  let fresh: TestApp;
  const made: Record<string, any> = {};
  const LIST = `query ($filter: ReferralFilter, $orderBy: [ReferralOrder!], $first: Int) {
    referrals(filter: $filter, orderBy: $orderBy, first: $first) { totalCount edges { node { reference summary urgency status } } } }`;
  const list = async (as: string, variables: Record<string, unknown>) => expectData(await fresh.gql(as, LIST, variables)).referrals;
  const refs = (conn: any) => conn.edges.map((e: any) => e.node.reference);

  beforeAll(async () => {
    fresh = await createTestApp();
    made.red = expectData(await fresh.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(fresh, { urgency: 'RED', summary: 'Cuckooed flat in Abingdon.' }) })).createReferral;
    made.amber = expectData(await fresh.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(fresh, { urgency: 'AMBER' }) })).createReferral;
    made.green = expectData(await fresh.gql('tvp.safeguarding', CREATE_REFERRAL, {
      input: await referralInput(fresh, { urgency: 'GREEN', referralType: 'EARLY_HELP', consentObtained: true, sharingReason: null }),
    })).createReferral;
    made.toPolice = expectData(await fresh.gql('oxon.mash', CREATE_REFERRAL, {
      input: await referralInput(fresh, { receivingOrganisationId: await orgId(fresh, 'TVP'), urgency: 'AMBER', summary: 'Older males collecting a looked-after child from school.' }),
    })).createReferral;
    expectData(await fresh.gql('oxon.mash', `mutation ($input: ReferralStepInput!) { acknowledgeReferral(input: $input) { id } }`, { input: { id: made.amber.id, expectedVersion: 1 } }));
    // The RED one was submitted a day ago and never acknowledged (moved back rather than waiting).
    await fresh.app.orm.em.getConnection().execute(`update safeguarding_referral set submitted_at = submitted_at - interval '1 day',
      acknowledgement_due_at = acknowledgement_due_at - interval '1 day' where reference = ?`, [made.red.reference]);
  });
  afterAll(() => fresh.stop());

  it('lists inbox and outbox relative to the caller, everything without a direction', async () => {
    expect(refs(await list('oxon.mash', { filter: { direction: 'INBOX' } })).sort()).toEqual([made.red, made.amber, made.green].map((r) => r.reference).sort());
    expect(refs(await list('oxon.mash', { filter: { direction: 'OUTBOX' } }))).toEqual([made.toPolice.reference]);
    expect(refs(await list('tvp.safeguarding', { filter: { direction: 'INBOX' } }))).toEqual([made.toPolice.reference]);
    expect((await list('tvp.safeguarding', {})).totalCount).toBe(4);
  });

  it('filters by status, urgency, type, acknowledgement, overdue, dates and text', async () => {
    expect(refs(await list('oxon.mash', { filter: { status: ['ACKNOWLEDGED'] } }))).toEqual([made.amber.reference]);
    expect(refs(await list('oxon.mash', { filter: { urgency: ['RED', 'GREEN'], direction: 'INBOX' }, orderBy: [{ field: 'URGENCY' }] }))).toEqual([made.red.reference, made.green.reference]);
    expect(refs(await list('oxon.mash', { filter: { referralType: ['EARLY_HELP'] } }))).toEqual([made.green.reference]);
    expect(refs(await list('oxon.mash', { filter: { awaitingAcknowledgement: false } }))).toEqual([made.amber.reference]);
    expect((await list('oxon.mash', { filter: { awaitingAcknowledgement: true } })).totalCount).toBe(3);
    expect(refs(await list('oxon.mash', { filter: { overdue: true } }))).toEqual([made.red.reference]);
    expect((await list('oxon.mash', { filter: { overdue: false } })).totalCount).toBe(3);
    // The day they were submitted, by the server's (the database's) clock, not the test's today:
    // the run may have crossed midnight since.
    const today = new Date(made.green.submittedAt).toISOString().slice(0, 10);
    const yesterday = new Date(new Date(made.green.submittedAt).getTime() - 24 * HOUR).toISOString().slice(0, 10);
    expect(refs(await list('oxon.mash', { filter: { submittedTo: yesterday } }))).toEqual([made.red.reference]);
    expect((await list('oxon.mash', { filter: { submittedFrom: today, submittedTo: today } })).totalCount).toBe(3);
    expect(refs(await list('oxon.mash', { filter: { text: 'abingdon' } }))).toEqual([made.red.reference]);
    expect(refs(await list('oxon.mash', { filter: { text: made.green.reference } }))).toEqual([made.green.reference]);
  });

  it('orders by urgency, due time and submission', async () => {
    const byUrgency = await list('oxon.mash', { filter: { direction: 'INBOX' }, orderBy: [{ field: 'URGENCY', direction: 'ASC' }] });
    expect(byUrgency.edges.map((e: any) => e.node.urgency)).toEqual(['RED', 'AMBER', 'GREEN']);
    const byDue = await list('oxon.mash', { orderBy: [{ field: 'ACKNOWLEDGEMENT_DUE_AT', direction: 'DESC' }] });
    expect(refs(byDue)[0]).toBe(made.green.reference);
    expect(refs(byDue).at(-1)).toBe(made.red.reference);
    expect(refs(await list('oxon.mash', {})).at(-1)).toBe(made.red.reference); // default: newest submission first
  });

  it('finds referrals and timeline entries by global ID', async () => {
    const data = expectData(await fresh.gql('oxon.mash', `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: [made.red.id] }));
    expect(data.nodes).toEqual([{ __typename: 'SafeguardingReferral', id: made.red.id }]);
    const withTimeline = expectData(await fresh.gql('oxon.mash', `query ($id: ID!) { node(id: $id) { ... on SafeguardingReferral { timeline { id kind } } } }`, { id: made.red.id })).node;
    const entry = withTimeline.timeline[1];
    const found = expectData(await fresh.gql('oxon.mash', `query ($id: ID!) { node(id: $id) { __typename ... on ReferralUpdate { kind referral { reference } } } }`, { id: entry.id })).node;
    expect(found).toEqual({ __typename: 'ReferralUpdate', kind: 'SHARE', referral: { reference: made.red.reference } });
  });

  it('loads nested fields in batches: the same number of SQL statements for 3 or 10 referrals', async () => {
    const threat = expectData(await fresh.gql('tvp.investigator', `mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id } }`, {
      input: {
        name: 'Operation Larch', subjectType: 'ORGANISED_CRIME_GROUP', leadOrganisationId: await orgId(fresh, 'TVP'), taskingLevel: 'FORCE', geographicScope: 'FORCE',
        criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply.', firstIdentified: '2025-01-01' }],
        access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
      },
    })).createThreat;
    for (let i = 0; i < 8; i++) {
      const subject = await createNominal(fresh, 'tvp.safeguarding', `Fictional child ${i}`, '2012-01-01');
      expectData(await fresh.gql('tvp.safeguarding', CREATE_REFERRAL, { input: await referralInput(fresh, { subjectId: subject.id, linkedThreatIds: [threat.id] }) }));
    }
    const NESTED = `query ($first: Int) { referrals(first: $first) { totalCount edges { node {
      reference subject { name isChild } referringOrganisation { code } receivingOrganisation { name } owningOrganisation { code } sharedWith { code }
      linkedThreats { name } createdBy { username } history { action }
      timeline { kind at by { username } organisation { code } sharedWithOrganisation { code } }
    } } } }`;
    const measure = async (first: number) => {
      await fresh.gql('oxon.mash', '{ viewer { username } }');
      const sent = await statementsSentDuring(fresh, async () => {
        expect(expectData(await fresh.gql('oxon.mash', NESTED, { first })).referrals.edges).toHaveLength(first);
      });
      return sent.sql.length;
    };
    const few = await measure(3);
    const many = await measure(10);
    expect(many).toBe(few);
    expect(few).toBeLessThanOrEqual(13); // including the request transaction's BEGIN, caller settings and COMMIT
  });
});
