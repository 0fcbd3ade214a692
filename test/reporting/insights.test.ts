import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';
import { FILE_TODAY_MS, createDisruption, daysAgo, dbId, sql, submitDisruption, validateDisruption } from '../support/disruption-factories';
import { databaseToday } from '../support/clock';
import { adoptedThreat, completePlan, daysFromToday, planDo } from '../support/plan-factories';
import { createNominal } from '../support/referral-factories';
import { inWords } from '../support/dates';

/** insights through the real API: each kind finds what the set-up planted, within the caller's access. */

let app: TestApp;

/**
 * The server counts days to its today; the fixtures' dates were set from this file's, which is a
 * day behind once a run has crossed midnight UTC since it loaded: 0, or 1 then.
 */
async function daysSinceFileToday(): Promise<number> {
  return Math.round((Date.parse(await databaseToday(app.db.url)) - FILE_TODAY_MS) / 86_400_000);
}
const ids: Record<string, string> = {};

const INSIGHTS = `query ($kinds: [InsightKind!], $noDisruptionDays: Int, $limit: Int) {
  insights(kinds: $kinds, noDisruptionDays: $noDisruptionDays, limit: $limit) {
    items { kind summary recordIds records { __typename id } }
    counts { kind total }
    withheld { kind reason } } }`;

async function insights(as: string, variables: Record<string, unknown> = {}) {
  return expectData(await app.gql(as, INSIGHTS, variables)).insights;
}

const ofKind = (result: any, kind: string) => result.items.filter((i: any) => i.kind === kind);

async function addMember(as: string, threat: { id: string }, nominalId: string) {
  const { version } = expectData(await app.gql(as, `query ($id: ID!) { node(id: $id) { ... on SocThreat { version } } }`, { id: threat.id })).node;
  expectData(
    await app.gql(as, `mutation ($input: AddMemberInput!) { addMember(input: $input) { version } }`, {
      input: { threatId: threat.id, expectedVersion: version, nominalId, role: 'SIGNIFICANT' },
    }),
  );
}

beforeAll(async () => {
  app = await createTestApp();
  const surrey = await orgId(app, 'SURREY');

  // A plan in force whose only action is cancelled: its activity is addressed by nothing. Its
  // review was due 120 days ago; the threat has two activities, so it is not a single-activity one.
  const twoActivities = [
    { category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply.', firstIdentified: '2025-06-01' },
    { category: 'MONEY_LAUNDERING', description: 'Cash through a car wash.', firstIdentified: '2025-06-01' },
  ];
  let { plan, threat } = await completePlan(app, 'tvp.investigator', { name: 'Operation Ash', criminalActivities: twoActivities });
  plan = await planDo(app, 'tvp.investigator', 'updateAction', { id: plan.actions[0].id, expectedVersion: plan.version, status: 'CANCELLED' });
  await planDo(app, 'tvp.investigator', 'recordPlanReview', { planId: plan.id, expectedVersion: plan.version, date: daysFromToday(-120), forum: 'TTCG', decisions: 'Carry on.' });
  ids.ashPlan = plan.id;
  ids.ash = threat.id;
  ids.ashActivities = threat.criminalActivities.map((a: any) => a.id).join(',');

  // Adopted long ago, last validated disruption 120 days ago; its assessment review is overdue.
  const beech = await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Beech', identifiedOn: '2025-06-01', criminalActivities: twoActivities });
  await sql(app, `update soc_threat set assessed_on = '2025-07-01', adopted_on = '2025-07-02', next_review_due = ? where id = ?`, [daysFromToday(-10), dbId(beech.id)]);
  const claim = await submitDisruption(app, 'tvp.investigator', await createDisruption(app, 'tvp.investigator', beech.id, { date: daysAgo(120) }));
  await validateDisruption(app, 'serocu.validator', claim);
  ids.beech = beech.id;

  // Adopted long ago, never disrupted, one activity; and one adopted today (nothing to say yet).
  const cedar = await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Cedar' });
  await sql(app, `update soc_threat set adopted_on = ? where id = ?`, [daysFromToday(-200), dbId(cedar.id)]);
  ids.cedar = cedar.id;
  ids.damson = (await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Damson', criminalActivities: twoActivities })).id;

  // A person who is a member of Ash and Damson (Thames Valley's), and of Elm, Surrey's own.
  const person = await createNominal(app, 'tvp.investigator', 'Dwayne Fictional', '1990-01-01');
  ids.person = person.id;
  const elm = await createThreat(app, 'surrey.investigator', {
    name: 'Operation Elm',
    leadOrganisationId: surrey,
    criminalActivities: twoActivities,
    access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' },
  });
  ids.elm = elm.id;
  await addMember('tvp.investigator', { id: ids.ash }, person.id);
  await addMember('tvp.investigator', { id: ids.damson }, person.id);
  await addMember('surrey.investigator', elm, person.id);

  // Agreements: Thames Valley and Oxfordshire, expiring in 30 days and in 90; Surrey and Oxfordshire in 45.
  ids.isa30 = await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], expiresOn: daysFromToday(30) });
  await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], expiresOn: daysFromToday(90) });
  ids.isa45 = await sharingAgreement(app, { parties: ['SURREY', 'OXON_CS'], expiresOn: daysFromToday(45) });
}, 240_000);
afterAll(() => app.stop());

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64url');

describe('insights', () => {
  it('finds threats with a single recorded criminal activity', async () => {
    const found = ofKind(await insights('tvp.investigator'), 'SINGLE_ACTIVITY_THREAT');
    expect(found.map((i: any) => i.recordIds)).toEqual([[ids.cedar]]);
    expect(found[0].summary).toMatch(/^Operation Cedar \(SE-\d{4}-[2-9A-Z]{8}\) has a single recorded criminal activity \(illegal drugs\)/);
    expect(found[0].records).toEqual([{ __typename: 'SocThreat', id: ids.cedar }]);
  });

  it('finds activities no plan action addresses, with the activity, threat and plan', async () => {
    const found = ofKind(await insights('tvp.investigator'), 'ACTIVITY_WITHOUT_PLAN_ACTION');
    expect(found).toHaveLength(2);
    expect(found.map((i: any) => i.recordIds[0]).sort()).toEqual(ids.ashActivities.split(',').sort());
    expect(found.every((i: any) => i.recordIds[1] === ids.ash && i.recordIds[2] === ids.ashPlan)).toBe(true);
    expect(found.map((i: any) => i.summary)).toContainEqual(expect.stringMatching(/^No action in the 4P plan for Operation Ash .* addresses its money laundering activity\.$/));
  });

  it('finds overdue assessment and plan reviews', async () => {
    const result = await insights('serocu.analyst', { kinds: ['ASSESSMENT_REVIEW_OVERDUE', 'PLAN_REVIEW_OVERDUE'] });
    expect(ofKind(result, 'ASSESSMENT_REVIEW_OVERDUE').map((i: any) => i.recordIds)).toEqual([[ids.beech]]);
    expect(ofKind(result, 'ASSESSMENT_REVIEW_OVERDUE')[0].summary).toMatch(new RegExp(` was due for review on ${inWords(daysFromToday(-10))}\\.$`));
    expect(ofKind(result, 'PLAN_REVIEW_OVERDUE')[0].summary).toMatch(new RegExp(`^The 4P plan for Operation Ash \\(.*\\) was due for review on \\d{1,2} [A-Z][a-z]+ \\d{4}\\.$`));
    expect(ofKind(result, 'PLAN_REVIEW_OVERDUE').map((i: any) => i.recordIds)).toEqual([[ids.ashPlan, ids.ash]]);
    expect(result.counts).toEqual([
      { kind: 'ASSESSMENT_REVIEW_OVERDUE', total: 1 },
      { kind: 'PLAN_REVIEW_OVERDUE', total: 1 },
    ]);
  });

  it('finds adopted threats with no validated disruption in N days (default 90), counted from adoption when there is none', async () => {
    const found = ofKind(await insights('tvp.investigator', { kinds: ['NO_RECENT_DISRUPTION'] }), 'NO_RECENT_DISRUPTION');
    const crossed = await daysSinceFileToday();
    expect(found.map((i: any) => i.recordIds[0])).toEqual([ids.cedar, ids.beech]);
    expect(found[0].summary).toContain(`since it was adopted on ${inWords(daysFromToday(-200))} (${200 + crossed} days ago).`);
    expect(found[1].summary).toContain(`for ${120 + crossed} days: the last was on ${inWords(daysAgo(120))}.`);
    const longer = ofKind(await insights('tvp.investigator', { kinds: ['NO_RECENT_DISRUPTION'], noDisruptionDays: 150 }), 'NO_RECENT_DISRUPTION');
    expect(longer.map((i: any) => i.recordIds[0])).toEqual([ids.cedar]);
  });

  it('finds threats sharing a member only when the caller can see both sides', async () => {
    const tvp = ofKind(await insights('tvp.investigator', { kinds: ['POSSIBLE_LINK'] }), 'POSSIBLE_LINK');
    expect(tvp).toHaveLength(1);
    expect(tvp[0].recordIds.slice(0, 2).sort()).toEqual([ids.ash, ids.damson].sort());
    expect(tvp[0].recordIds[2]).toBe(ids.person);
    expect(tvp[0].summary).toMatch(/share 1 member but are not linked/);
    // Surrey sees its own Elm too, and so two more pairs; SEROCU cannot see Elm.
    expect(ofKind(await insights('surrey.investigator', { kinds: ['POSSIBLE_LINK'] }), 'POSSIBLE_LINK')).toHaveLength(3);
    expect(ofKind(await insights('serocu.analyst', { kinds: ['POSSIBLE_LINK'] }), 'POSSIBLE_LINK')).toHaveLength(1);
    expect(JSON.stringify(await insights('tvp.investigator'))).not.toContain(ids.elm);
  });

  it('drops a possible link once the threats are linked', async () => {
    const ash = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on SocThreat { version } } }`, { id: ids.ash })).node;
    const before = ofKind(await insights('serocu.analyst', { kinds: ['POSSIBLE_LINK'] }), 'POSSIBLE_LINK');
    expect(before).toHaveLength(1);
    expectData(
      await app.gql('tvp.investigator', `mutation ($input: LinkThreatsInput!) { linkThreats(input: $input) { id } }`, {
        input: { threatId: ids.ash, expectedVersion: ash.version, linkedThreatId: ids.damson, reason: 'Same line holder' },
      }),
    );
    expect(ofKind(await insights('serocu.analyst', { kinds: ['POSSIBLE_LINK'] }), 'POSSIBLE_LINK')).toHaveLength(0);
  });

  it('lists agreements expiring within 60 days that the caller may see', async () => {
    const tvp = ofKind(await insights('tvp.investigator', { kinds: ['AGREEMENT_EXPIRING'] }), 'AGREEMENT_EXPIRING');
    expect(tvp.map((i: any) => i.recordIds)).toEqual([[globalId('InformationSharingAgreement', ids.isa30)]]);
    expect(tvp[0].summary).toMatch(new RegExp(` expires on ${inWords(daysFromToday(30))} \\(in ${30 - (await daysSinceFileToday())} days\\)\\.$`));
    const oxon = ofKind(await insights('oxon.mash', { kinds: ['AGREEMENT_EXPIRING'] }), 'AGREEMENT_EXPIRING');
    expect(oxon.map((i: any) => i.recordIds[0])).toEqual([globalId('InformationSharingAgreement', ids.isa30), globalId('InformationSharingAgreement', ids.isa45)]);
    expect(ofKind(await insights('sussex.investigator', { kinds: ['AGREEMENT_EXPIRING'] }), 'AGREEMENT_EXPIRING')).toEqual([]);
    const admin = await insights('serocu.admin', { kinds: ['AGREEMENT_EXPIRING'] });
    expect(admin.counts).toEqual([{ kind: 'AGREEMENT_EXPIRING', total: 2 }]);
  });

  it('withholds from partners the analyses that read intelligence withheld from them', async () => {
    const oxon = await insights('oxon.mash');
    expect(oxon.withheld.map((w: any) => w.kind)).toEqual(['ACTIVITY_WITHOUT_PLAN_ACTION', 'ASSESSMENT_REVIEW_OVERDUE', 'PLAN_REVIEW_OVERDUE', 'NO_RECENT_DISRUPTION', 'POSSIBLE_LINK', 'UNASSESSED_INTELLIGENCE', 'UNLISTED_CRIME_CATEGORY']);
    expect(oxon.counts.map((c: any) => c.kind)).toEqual(['SINGLE_ACTIVITY_THREAT', 'AGREEMENT_EXPIRING']);
    expect(ofKind(oxon, 'SINGLE_ACTIVITY_THREAT')).toEqual([]);
  });

  it('limits the items of each kind, keeping the totals', async () => {
    const result = await insights('tvp.investigator', { kinds: ['ACTIVITY_WITHOUT_PLAN_ACTION'], limit: 1 });
    expect(result.items).toHaveLength(1);
    expect(result.counts).toEqual([{ kind: 'ACTIVITY_WITHOUT_PLAN_ACTION', total: 2 }]);
  });

  it('refuses bad arguments, naming them', async () => {
    const result = await app.gql('tvp.investigator', INSIGHTS, { noDisruptionDays: 0, limit: 1000 });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].extensions!.fields.map((f: any) => f.field).sort()).toEqual(['limit', 'noDisruptionDays']);
  });

  it('audits the sensitive records a finding names as reads, and needs a purpose for them', async () => {
    const refused = await app.gql('tvp.investigator', '{ insights(kinds: [SINGLE_ACTIVITY_THREAT]) { items { summary } } }', undefined, { purpose: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    expectData(await app.gql('tvp.investigator', 'query Gaps { insights(kinds: [SINGLE_ACTIVITY_THREAT]) { items { summary } } }', undefined, { purpose: 'INVESTIGATION' }));
    const events = await sql(app, `select action, record_type, record_ids from audit_event where operation = 'Gaps'`);
    expect(events).toEqual([{ action: 'READ', record_type: 'SocThreat', record_ids: [dbId(ids.cedar)] }]);
  });
});
