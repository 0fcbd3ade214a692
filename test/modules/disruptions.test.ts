import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, moveThreat, orgId } from '../support/factories';
import {
  DISRUPTION_FIELDS,
  assessedThreat,
  createDisruption,
  daysAgo,
  dbId,
  disruptionInput,
  globalId,
  sql,
  submitDisruption,
  submittedDisruption,
  validateDisruption,
} from '../support/disruption-factories';
import { databaseToday } from '../support/clock';
import { statementsSentDuring } from '../support/statements';

const CREATE = `mutation ($input: CreateDisruptionInput!) { createDisruption(input: $input) { ${DISRUPTION_FIELDS} } }`;
const UPDATE = `mutation ($input: UpdateDisruptionInput!) { updateDisruption(input: $input) { ${DISRUPTION_FIELDS} } }`;
const SUBMIT = `mutation ($input: SubmitDisruptionInput!) { submitDisruption(input: $input) { ${DISRUPTION_FIELDS} } }`;
const VALIDATE = `mutation ($input: ValidateDisruptionInput!) { validateDisruption(input: $input) { ${DISRUPTION_FIELDS} } }`;
const RETURN = `mutation ($input: DisruptionDecisionInput!) { returnDisruption(input: $input) { ${DISRUPTION_FIELDS} } }`;
const REJECT = `mutation ($input: DisruptionDecisionInput!) { rejectDisruption(input: $input) { ${DISRUPTION_FIELDS} } }`;
const SUPERSEDE = `mutation ($input: SupersedeDisruptionInput!) { supersedeDisruption(input: $input) {
  ${DISRUPTION_FIELDS} supersedes { id status statusReason countsAsDisruption supersededBy { id } } } }`;

let app: TestApp;
let threat: Awaited<ReturnType<typeof assessedThreat>>;
beforeAll(async () => {
  app = await createTestApp();
  threat = await assessedThreat(app);
});
afterAll(() => app.stop());

async function disruptionCount(): Promise<number> {
  const [{ count }] = await sql(app, 'select count(*)::int as count from disruption');
  return count;
}

function fieldsOf(result: { errors?: any[] }): string[] {
  expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  return result.errors![0].extensions!.fields.map((f: any) => f.field).sort();
}

function messageFor(result: { errors?: any[] }, field: string): string | undefined {
  return result.errors?.[0]?.extensions?.fields?.find((f: any) => f.field === field)?.message;
}

/** A 4P plan with one action for a threat, written with SQL: the plans module's mutations are not part of this feature. */
async function planActionFor(threatGlobalId: string, description: string): Promise<string> {
  const owner = `(select id from organisation where code = 'TVP')`;
  const person = `(select id from app_user where username = 'tvp.investigator')`;
  const [plan] = await sql(app, `insert into fourp_plan (threat_id, owning_organisation_id, protective_marking, sharing, created_by, updated_by)
    values (?, ${owner}, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', ${person}, ${person}) returning id`, [dbId(threatGlobalId)]);
  const [action] = await sql(app, `insert into plan_action (plan_id, strand, description, tactic, owner_organisation_id, status)
    values (?, 'PURSUE', ?, 'CRIME', ${owner}, 'IN_PROGRESS') returning id`, [plan.id, description]);
  return globalId('PlanAction', action.id);
}

describe('recording a disruption', () => {
  it('records a DRAFT claimed by the caller organisation, one record with the partners as contributors', async () => {
    const oxon = await orgId(app, 'OXON_CS');
    const result = await app.gql('tvp.investigator', `mutation ($input: CreateDisruptionInput!) { createDisruption(input: $input) {
      ${DISRUPTION_FIELDS} threat { name } criminalActivity { category } owningOrganisation { code } createdBy { username } history { action version } } }`, {
      input: disruptionInput(threat.id, { contributorIds: [oxon, oxon], criminalActivityId: threat.criminalActivities[1].id, evidenceRefs: [' 43/1/26 ', 'SEIZ-778'] }),
    });
    const d = expectData(result).createDisruption;
    expect(d).toMatchObject({
      status: 'DRAFT',
      version: 1,
      claimingOrganisation: { code: 'TVP' },
      owningOrganisation: { code: 'TVP' },
      contributors: [{ code: 'OXON_CS' }],
      criminalActivity: { category: 'MODERN_SLAVERY_HUMAN_TRAFFICKING' },
      threat: { name: 'Operation Larch' },
      evidenceRefs: ['43/1/26', 'SEIZ-778'],
      isLate: false,
      submittedAt: null,
      validation: null,
      countsAsDisruption: false,
      createdBy: { username: 'tvp.investigator' },
      history: [{ action: 'CREATE', version: 1 }],
    });
    const fetched = expectData(await app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { __typename ... on Disruption { status } } }`, { id: d.id }));
    expect(fetched.node).toEqual({ __typename: 'Disruption', status: 'DRAFT' });
  });

  it('reports every problem in one response and writes nothing', async () => {
    const other = await assessedThreat(app, { name: 'Operation Other' });
    const before = await disruptionCount();
    const result = await app.gql('tvp.investigator', CREATE, {
      input: disruptionInput(threat.id, {
        date: '2099-01-01',
        strand: null,
        level: null,
        tactic: null,
        description: ' ',
        impactNarrative: null,
        evidenceRefs: [],
        criminalActivityId: other.criminalActivities[0].id,
        contributorIds: [await orgId(app, 'TVP')],
      }),
    });
    expect(fieldsOf(result)).toEqual([
      'input.contributorIds[0]',
      'input.criminalActivityId',
      'input.date',
      'input.description',
      'input.evidenceRefs',
      'input.impactNarrative',
      'input.level',
      'input.strand',
      'input.tactic',
    ]);
    expect(messageFor(result, 'input.date')).toBe('cannot be in the future');
    expect(messageFor(result, 'input.criminalActivityId')).toBe('is not an activity of this threat');
    expect(messageFor(result, 'input.contributorIds[0]')).toMatch(/is the claiming organisation/);
    expect(await disruptionCount()).toBe(before);
  });

  it('needs the threat assessed or adopted on the date of the disruption', async () => {
    const unassessed = await createThreat(app, 'tvp.investigator', { name: 'Operation Unassessed' });
    const notYet = await app.gql('tvp.investigator', CREATE, { input: disruptionInput(unassessed.id) });
    expect(fieldsOf(notYet)).toEqual(['input.threatId']);
    expect(messageFor(notYet, 'input.threatId')).toMatch(/has not been assessed/);

    // Identified 2025-06-01, assessed 2025-07-01: a date in between is before the assessment.
    const early = await app.gql('tvp.investigator', CREATE, { input: disruptionInput(threat.id, { date: '2025-06-15' }) });
    expect(fieldsOf(early)).toEqual(['input.date']);
    expect(messageFor(early, 'input.date')).toBe('the threat was not yet assessed or adopted on this date (first assessed on 1 July 2025)');
    expect(expectData(await app.gql('tvp.investigator', CREATE, { input: disruptionInput(threat.id, { date: '2025-07-01', tactic: 'TRAVEL' }) })).createDisruption.date).toBe('2025-07-01');
  });

  it('refuses a date after the threat was closed, but accepts one while it was open', async () => {
    const closed = await assessedThreat(app, { name: 'Operation Closed' });
    await moveThreat(app, 'tvp.investigator', closed, 'ARCHIVED', { archiveReason: 'DISMANTLED' });
    // Archiving stamps today's date; set it back so the threat was open from July to September 2025.
    await sql(app, `update soc_threat set closed_on = '2025-09-01' where id = ?`, [dbId(closed.id)]);
    const after = await app.gql('tvp.investigator', CREATE, { input: disruptionInput(closed.id, { date: '2025-10-01' }) });
    expect(messageFor(after, 'input.date')).toBe('the threat was closed on 1 September 2025, before this date');
    expect(expectData(await app.gql('tvp.investigator', CREATE, { input: disruptionInput(closed.id, { date: '2025-08-15' }) })).createDisruption.status).toBe('DRAFT');
  });

  it('refuses a date before the threat was identified, and a date in the future', async () => {
    const before = await app.gql('tvp.investigator', CREATE, { input: disruptionInput(threat.id, { date: '2025-05-31' }) });
    expect(fieldsOf(before)).toEqual(['input.date']);
    expect(messageFor(before, 'input.date')).toBe('cannot be before the threat was identified (1 June 2025)');
    const future = await app.gql('tvp.investigator', CREATE, { input: disruptionInput(threat.id, { date: '2099-12-31' }) });
    expect(fieldsOf(future)).toEqual(['input.date']);
  });

  it('needs at least one evidence reference, none of them blank', async () => {
    const none = await app.gql('tvp.investigator', CREATE, { input: disruptionInput(threat.id, { evidenceRefs: [] }) });
    expect(fieldsOf(none)).toEqual(['input.evidenceRefs']);
    expect(messageFor(none, 'input.evidenceRefs')).toBe('give at least one evidence reference');
    const missing = await app.gql('tvp.investigator', CREATE, { input: disruptionInput(threat.id, { evidenceRefs: null }) });
    expect(fieldsOf(missing)).toEqual(['input.evidenceRefs']);
    const blank = await app.gql('tvp.investigator', CREATE, { input: disruptionInput(threat.id, { evidenceRefs: ['  '] }) });
    expect(fieldsOf(blank)).toEqual(['input.evidenceRefs[0]']);
  });

  it("accepts an action of the threat's own plan only, and contributors that exist", async () => {
    const other = await assessedThreat(app, { name: 'Operation Elsewhere' });
    const mine = await planActionFor(threat.id, 'Warrant on the trap house');
    const theirs = await planActionFor(other.id, 'Financial investigation');
    const wrong = await app.gql('tvp.investigator', CREATE, {
      input: disruptionInput(threat.id, { planActionId: theirs, contributorIds: [globalId('Organisation', '00000000-0000-0000-0000-000000000000')] }),
    });
    expect(fieldsOf(wrong)).toEqual(['input.contributorIds', 'input.planActionId']);
    expect(messageFor(wrong, 'input.planActionId')).toBe("is not an action of this threat's plan");

    const ok = expectData(await app.gql('tvp.investigator', `mutation ($input: CreateDisruptionInput!) { createDisruption(input: $input) { planAction { __typename id description strand tactic status } } }`, {
      input: disruptionInput(threat.id, { planActionId: mine, tactic: 'LIFESTYLE' }),
    })).createDisruption;
    expect(ok.planAction).toEqual({ __typename: 'PlanAction', id: mine, description: 'Warrant on the trap house', strand: 'PURSUE', tactic: 'CRIME', status: 'IN_PROGRESS' });
  });

  it('publishes its rules: level definitions, lateness and MAJOR validator seniority', async () => {
    const rules = expectData(await app.gql('tvp.investigator', '{ disruptionRules { lateAfterDays majorClaimValidatorRoles levels { level counts definition } } }')).disruptionRules;
    expect(rules.lateAfterDays).toBe(30);
    expect(rules.majorClaimValidatorRoles).toEqual(['SRO']);
    expect(rules.levels.map((l: any) => [l.level, l.counts])).toEqual([['MAJOR', true], ['MODERATE', true], ['MINOR', true], ['NONE', false], ['NEGATIVE', false]]);
    expect(rules.levels.every((l: any) => l.definition.length > 20)).toBe(true);
  });
});

describe('flags', () => {
  it('flags a likely duplicate (same threat, date, organisation and tactic) without refusing it', async () => {
    const t = await assessedThreat(app, { name: 'Operation Duplicate' });
    const date = daysAgo(3);
    const first = await createDisruption(app, 'tvp.investigator', t.id, { date });
    expect(first.possibleDuplicateOf).toBeNull();
    const again = await createDisruption(app, 'tvp.investigator', t.id, { date, description: 'Same warrant, recorded again.' });
    expect(again.possibleDuplicateOf).toEqual({ id: first.id });
    expect((await createDisruption(app, 'tvp.investigator', t.id, { date, tactic: 'VEHICLES' })).possibleDuplicateOf).toBeNull();
    expect((await createDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(4) })).possibleDuplicateOf).toBeNull();
    expect((await createDisruption(app, 'surrey.investigator', t.id, { date })).possibleDuplicateOf).toBeNull();
    // One event counts once: a partner claiming it again with the first claimant as contributor is flagged too.
    const partner = await createDisruption(app, 'hiow.analyst', t.id, { date, contributorIds: [await orgId(app, 'TVP')] });
    expect(partner.possibleDuplicateOf).toEqual({ id: first.id });

    // Editing the flagged one to another tactic clears the flag; the first is never flagged against the later one.
    const edited = expectData(await app.gql('tvp.investigator', UPDATE, { input: { id: again.id, expectedVersion: again.version, tactic: 'BUSINESS' } })).updateDisruption;
    expect(edited.possibleDuplicateOf).toBeNull();
    const firstSubmitted = await submitDisruption(app, 'tvp.investigator', first);
    expect(firstSubmitted.possibleDuplicateOf).toBeNull();

    const flagged = expectData(await app.gql('serocu.analyst', `query ($f: DisruptionFilter) { disruptions(filter: $f) { edges { node { id } } } }`, {
      f: { threatIds: [t.id], possibleDuplicate: true },
    })).disruptions.edges.map((e: any) => e.node.id);
    expect(flagged).toEqual([partner.id]);
  });

  it('flags a record first submitted more than lateAfterDays after its date as late', async () => {
    const old = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: '2025-08-01' });
    expect(old).toMatchObject({ status: 'SUBMITTED', isLate: true });
    // Counted back from the database's today as the test runs: the submission is dated by it, and
    // this file's daysAgo(30) is 31 days back once a run has crossed midnight UTC since it loaded.
    const edge = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: await databaseToday(app.db.url, -30), tactic: 'BEHAVIOUR' });
    expect(edge.isLate).toBe(false);
    const justLate = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: await databaseToday(app.db.url, -31), tactic: 'BEHAVIOUR' });
    expect(justLate.isLate).toBe(true);
    const draft = await createDisruption(app, 'tvp.investigator', threat.id, { date: '2025-08-02' });
    expect(draft.isLate).toBe(false);
    const late = expectData(await app.gql('serocu.analyst', `query ($f: DisruptionFilter) { disruptions(filter: $f, first: 100) { edges { node { id } } } }`, {
      f: { threatIds: [threat.id], isLate: true },
    })).disruptions.edges.map((e: any) => e.node.id);
    expect(late).toEqual(expect.arrayContaining([old.id, justLate.id]));
    expect(late).not.toContain(edge.id);
  });

  it('rechecks the entry rules at submission, naming the record fields', async () => {
    const t = await assessedThreat(app, { name: 'Operation Recheck' });
    const d = await createDisruption(app, 'tvp.investigator', t.id, { date: '2025-08-01' });
    // The threat's assessment date is corrected after the draft was written.
    await sql(app, `update soc_threat set assessed_on = '2025-09-01' where id = ?`, [dbId(t.id)]);
    const result = await app.gql('tvp.investigator', SUBMIT, { input: { id: d.id, expectedVersion: d.version } });
    expect(fieldsOf(result)).toEqual(['disruption.date']);
    const [row] = await sql(app, 'select status from disruption where id = ?', [dbId(d.id)]);
    expect(row.status).toBe('DRAFT');
  });
});

describe('validation', () => {
  it('validates a claim from another organisation, recording who, when and the agreed level and strand', async () => {
    const d = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(6), tactic: 'TRAVEL' });
    const v = await validateDisruption(app, 'serocu.validator', d);
    expect(v).toMatchObject({
      status: 'VALIDATED',
      version: d.version + 1,
      countsAsDisruption: true,
      validation: { decision: 'VALIDATED', levelAgreed: 'MODERATE', strandAgreed: 'PURSUE', reasons: null, validator: { username: 'serocu.validator' } },
    });
    const history = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on Disruption { history { action actor { username } changes { field to } } } } }`, { id: d.id })).node.history;
    expect(history.at(-1)).toMatchObject({ action: 'UPDATE', actor: { username: 'serocu.validator' } });
    expect(history.at(-1).changes).toEqual(expect.arrayContaining([{ field: 'status', to: 'VALIDATED' }]));
  });

  it("refuses a validator deciding on their own organisation's claim, and anyone without the role", async () => {
    const ours = await submittedDisruption(app, 'serocu.analyst', threat.id, { date: daysAgo(7), tactic: 'BUSINESS' });
    const own = await app.gql('serocu.validator', VALIDATE, { input: { id: ours.id, expectedVersion: ours.version, levelAgreed: 'MODERATE', strandAgreed: 'PURSUE' } });
    expect(own.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(own.errors![0].message).toMatch(/own organisation \(SEROCU\)/);
    const ownReturn = await app.gql('serocu.sro', RETURN, { input: { id: ours.id, expectedVersion: ours.version, reason: 'More evidence.' } });
    expect(ownReturn.errors![0].extensions!.code).toBe('FORBIDDEN');

    const theirs = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(7), tactic: 'BUSINESS' });
    const notValidator = await app.gql('surrey.investigator', VALIDATE, { input: { id: theirs.id, expectedVersion: theirs.version, levelAgreed: 'MODERATE', strandAgreed: 'PURSUE' } });
    expect(notValidator.errors![0]).toMatchObject({ message: 'Only someone with one of these roles can do this: disruption validator.', extensions: { code: 'FORBIDDEN' } });
    const [row] = await sql(app, 'select status from disruption where id = ?', [dbId(ours.id)]);
    expect(row.status).toBe('SUBMITTED');
  });

  it('needs a validator of the configured seniority for a MAJOR claim or a MAJOR agreed level', async () => {
    const major = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(8), level: 'MAJOR' });
    const junior = await app.gql('serocu.validator', VALIDATE, { input: { id: major.id, expectedVersion: major.version, levelAgreed: 'MAJOR', strandAgreed: 'PURSUE' } });
    expect(junior.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(junior.errors![0].message).toBe('A MAJOR disruption (claimed or agreed) must be decided by a validator who also holds one of these roles: SRO.');
    const juniorDown = await app.gql('serocu.validator', VALIDATE, { input: { id: major.id, expectedVersion: major.version, levelAgreed: 'MODERATE', strandAgreed: 'PURSUE', reasons: 'Only moderate.' } });
    expect(juniorDown.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await validateDisruption(app, 'serocu.sro', major)).validation).toMatchObject({ levelAgreed: 'MAJOR', validator: { username: 'serocu.sro' } });

    const moderate = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(8), tactic: 'TRAVEL' });
    const upgrade = await app.gql('serocu.validator', VALIDATE, { input: { id: moderate.id, expectedVersion: moderate.version, levelAgreed: 'MAJOR', strandAgreed: 'PURSUE', reasons: 'Group dismantled.' } });
    expect(upgrade.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('needs reasons when the agreed level or strand differs from the claim; NONE validates without counting', async () => {
    const d = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(9) });
    const noReason = await app.gql('serocu.validator', VALIDATE, { input: { id: d.id, expectedVersion: d.version, levelAgreed: 'MINOR', strandAgreed: 'PURSUE' } });
    expect(noReason.errors![0].extensions!.fields).toEqual([{ field: 'input.reasons', message: 'is required when the agreed level or strand differs from the claim' }]);
    const strand = await app.gql('serocu.validator', VALIDATE, { input: { id: d.id, expectedVersion: d.version, levelAgreed: 'MODERATE', strandAgreed: 'PROTECT' } });
    expect(fieldsOf(strand)).toEqual(['input.reasons']);
    const minor = await validateDisruption(app, 'serocu.validator', d, { levelAgreed: 'MINOR', reasons: 'The line was running again within days.' });
    expect(minor).toMatchObject({ level: 'MODERATE', countsAsDisruption: true, validation: { levelAgreed: 'MINOR', reasons: 'The line was running again within days.' } });

    const none = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(9), tactic: 'VEHICLES' });
    const v = await validateDisruption(app, 'serocu.validator', none, { levelAgreed: 'NONE', reasons: 'No effect on the group.' });
    expect(v).toMatchObject({ status: 'VALIDATED', countsAsDisruption: false });
  });

  it('refuses illegal moves, naming the allowed ones', async () => {
    const d = await createDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(10) });
    const early = await app.gql('serocu.validator', VALIDATE, { input: { id: d.id, expectedVersion: d.version, levelAgreed: 'MODERATE', strandAgreed: 'PURSUE' } });
    expect(early.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.id', message: 'this disruption is “draft”, so it cannot become “validated”; next it can only become “submitted”' }],
    });
    const supersede = await app.gql('tvp.investigator', SUPERSEDE, { input: { id: d.id, expectedVersion: d.version, reason: 'Wrong.' } });
    expect(supersede.errors![0].extensions!.fields[0].message).toBe('this disruption is “draft”, so it cannot become “superseded”; next it can only become “submitted”');
  });

  it('returns a claim with a reason; the claimant edits and resubmits it and it is validated', async () => {
    const d = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(11) });
    const noReason = await app.gql('serocu.validator', RETURN, { input: { id: d.id, expectedVersion: d.version } });
    expect(fieldsOf(noReason)).toEqual(['input.reason']);
    const returned = expectData(await app.gql('serocu.validator', RETURN, { input: { id: d.id, expectedVersion: d.version, reason: 'Say what happened to the line afterwards.' } })).returnDisruption;
    expect(returned).toMatchObject({ status: 'RETURNED', statusReason: 'Say what happened to the line afterwards.', validation: { decision: 'RETURNED', validator: { username: 'serocu.validator' } } });

    const notYours = await app.gql('surrey.investigator', UPDATE, { input: { id: d.id, expectedVersion: returned.version, impactNarrative: 'Mine now.' } });
    expect(notYours.errors![0].extensions!.code).toBe('FORBIDDEN');
    const badEdit = await app.gql('tvp.investigator', UPDATE, { input: { id: d.id, expectedVersion: returned.version, impactNarrative: ' ', date: '2099-01-01' } });
    expect(fieldsOf(badEdit)).toEqual(['input.date', 'input.impactNarrative']);
    const edited = expectData(await app.gql('tvp.investigator', UPDATE, {
      input: { id: d.id, expectedVersion: returned.version, impactNarrative: 'The line stopped for six weeks; no new runners were seen.' },
    })).updateDisruption;
    expect(edited).toMatchObject({ status: 'RETURNED', version: returned.version + 1, impactNarrative: 'The line stopped for six weeks; no new runners were seen.' });

    const resubmitted = await submitDisruption(app, 'tvp.investigator', edited);
    expect(resubmitted).toMatchObject({ status: 'SUBMITTED', validation: null, statusReason: null, submittedAt: d.submittedAt });
    const inSubmitted = await app.gql('tvp.investigator', UPDATE, { input: { id: d.id, expectedVersion: resubmitted.version, description: 'Too late.' } });
    expect(inSubmitted.errors![0].extensions!.fields[0]).toEqual({ field: 'input.id', message: 'only “draft” or “returned” disruptions can be edited; this one is “submitted”' });
    expect((await validateDisruption(app, 'serocu.validator', resubmitted)).status).toBe('VALIDATED');
  });

  it('rejects a claim with a reason, after which it can go nowhere', async () => {
    const d = await submittedDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(12) });
    const rejected = expectData(await app.gql('serocu.validator', REJECT, { input: { id: d.id, expectedVersion: d.version, reason: 'Not a disruption of this group.' } })).rejectDisruption;
    expect(rejected).toMatchObject({ status: 'REJECTED', countsAsDisruption: false, validation: { decision: 'REJECTED', reasons: 'Not a disruption of this group.' } });
    const again = await app.gql('tvp.investigator', SUBMIT, { input: { id: d.id, expectedVersion: rejected.version } });
    expect(again.errors![0].extensions!.fields[0].message).toBe('this disruption is “rejected”, so it cannot become “submitted”; “rejected” is final');
    const edit = await app.gql('tvp.investigator', UPDATE, { input: { id: d.id, expectedVersion: rejected.version, description: 'x' } });
    expect(edit.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('supersedes a validated disruption with a new draft copy that corrects it', async () => {
    const t = await assessedThreat(app, { name: 'Operation Supersede' });
    const d = await submittedDisruption(app, 'tvp.investigator', t.id, { date: '2025-08-01', contributorIds: [await orgId(app, 'HMRC')] });
    expect(d.isLate).toBe(true);
    const v = await validateDisruption(app, 'serocu.validator', d);
    const noReason = await app.gql('tvp.investigator', SUPERSEDE, { input: { id: d.id, expectedVersion: v.version } });
    expect(fieldsOf(noReason)).toEqual(['input.reason']);
    const byValidator = await app.gql('serocu.validator', SUPERSEDE, { input: { id: d.id, expectedVersion: v.version, reason: 'Wrong date.' } });
    expect(byValidator.errors![0].extensions!.code).toBe('FORBIDDEN');

    const copy = expectData(await app.gql('tvp.investigator', SUPERSEDE, { input: { id: d.id, expectedVersion: v.version, reason: 'The warrant was on 2 August.' } })).supersedeDisruption;
    expect(copy).toMatchObject({
      status: 'DRAFT',
      version: 1,
      date: '2025-08-01',
      contributors: [{ code: 'HMRC' }],
      validation: null,
      supersedes: { id: d.id, status: 'SUPERSEDED', statusReason: 'The warrant was on 2 August.', countsAsDisruption: false, supersededBy: { id: copy.id } },
    });
    expect(copy.id).not.toBe(d.id);
    const summary = async () => expectData(await app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat { disruptionSummary { validatedCount } } } }`, { id: t.id })).node.disruptionSummary;
    expect(await summary()).toEqual({ validatedCount: 0 });

    const fixed = expectData(await app.gql('tvp.investigator', UPDATE, { input: { id: copy.id, expectedVersion: 1, date: '2025-08-02' } })).updateDisruption;
    // The correction of a record first reported late is still late: lateness runs from the first report of the event.
    const resubmitted = await submitDisruption(app, 'tvp.investigator', fixed);
    expect(resubmitted).toMatchObject({ status: 'SUBMITTED', isLate: true, possibleDuplicateOf: null });
    await validateDisruption(app, 'serocu.validator', resubmitted);
    expect(await summary()).toEqual({ validatedCount: 1 });
  });
});

describe('figures and lists', () => {
  it('counts only VALIDATED disruptions in the threat summary; lists them all on the threat', async () => {
    const t = await assessedThreat(app, { name: 'Operation Figures' });
    await createDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(20), level: 'MAJOR' });
    await submittedDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(19), level: 'MAJOR' });
    const toReturn = await submittedDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(18) });
    expectData(await app.gql('serocu.validator', RETURN, { input: { id: toReturn.id, expectedVersion: toReturn.version, reason: 'More detail.' } }));
    const toReject = await submittedDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(17) });
    expectData(await app.gql('serocu.validator', REJECT, { input: { id: toReject.id, expectedVersion: toReject.version, reason: 'Not this group.' } }));
    await validateDisruption(app, 'serocu.validator', await submittedDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(16) }));
    await validateDisruption(app, 'serocu.validator', await submittedDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(15), level: 'MINOR' }), {
      levelAgreed: 'NONE',
      reasons: 'No effect.',
    });
    await validateDisruption(app, 'serocu.sro', await submittedDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(25), level: 'MAJOR' }));

    const data = expectData(await app.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat {
      disruptionSummary { validatedCount countingCount lastValidatedDate byLevel { level count } }
      all: disruptions { status } validated: disruptions(status: [VALIDATED]) { date } } } }`, { id: t.id })).node;
    expect(data.disruptionSummary).toEqual({
      validatedCount: 3,
      countingCount: 2,
      lastValidatedDate: daysAgo(15),
      byLevel: [
        { level: 'MAJOR', count: 1 },
        { level: 'MODERATE', count: 1 },
        { level: 'MINOR', count: 0 },
        { level: 'NONE', count: 1 },
        { level: 'NEGATIVE', count: 0 },
      ],
    });
    expect(data.all.map((d: any) => d.status).sort()).toEqual(['DRAFT', 'REJECTED', 'RETURNED', 'SUBMITTED', 'VALIDATED', 'VALIDATED', 'VALIDATED']);
    expect(data.validated.map((d: any) => d.date)).toEqual([daysAgo(15), daysAgo(16), daysAgo(25)]);
  });

  it('filters and orders the disruption list', async () => {
    const t = await assessedThreat(app, { name: 'Operation Lists' });
    const a = await createDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(40), strand: 'PREVENT', description: 'Schools input on county lines grooming.' });
    const b = await submittedDisruption(app, 'surrey.investigator', t.id, { date: daysAgo(2), level: 'MINOR', impactNarrative: 'Runners diverted to a youth worker.' });
    const c = await submittedDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(20), tactic: 'VEHICLES' });
    const ids = async (filter: object, orderBy?: object[]) =>
      expectData(await app.gql('serocu.analyst', `query ($f: DisruptionFilter, $o: [DisruptionOrder!]) { disruptions(filter: $f, orderBy: $o, first: 100) { totalCount edges { node { id } } } }`, {
        f: { threatIds: [t.id], ...filter },
        o: orderBy,
      })).disruptions.edges.map((e: any) => e.node.id);
    expect(await ids({})).toEqual([b.id, c.id, a.id]);
    expect(await ids({}, [{ field: 'DATE', direction: 'ASC' }])).toEqual([a.id, c.id, b.id]);
    expect(await ids({ status: ['SUBMITTED'] }, [{ field: 'SUBMITTED_AT', direction: 'ASC' }])).toEqual([b.id, c.id]);
    expect(await ids({ claimingOrganisationIds: [await orgId(app, 'SURREY')] })).toEqual([b.id]);
    expect(await ids({ level: ['MINOR'] })).toEqual([b.id]);
    expect(await ids({ strand: ['PREVENT'] })).toEqual([a.id]);
    expect(await ids({ dateFrom: daysAgo(30), dateTo: daysAgo(10) })).toEqual([c.id]);
    expect(await ids({ text: 'youth worker' })).toEqual([b.id]);
    expect(await ids({ text: 'GROOMING' })).toEqual([a.id]);
    expect(await ids({ isLate: false, status: ['SUBMITTED'] })).toEqual([b.id, c.id]);
  });

  it('queues SUBMITTED claims the caller could validate, oldest first', async () => {
    const t = await assessedThreat(app, { name: 'Operation Queue' });
    const older = await submittedDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(3) });
    const newer = await submittedDisruption(app, 'surrey.investigator', t.id, { date: daysAgo(4) });
    const ours = await submittedDisruption(app, 'serocu.analyst', t.id, { date: daysAgo(3) });
    const major = await submittedDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(5), level: 'MAJOR' });
    const draft = await createDisruption(app, 'tvp.investigator', t.id, { date: daysAgo(6) });
    const queue = async (as: string) =>
      expectData(await app.gql(as, '{ disruptionValidationQueue(first: 100) { totalCount edges { node { id status } } } }')).disruptionValidationQueue.edges.map((e: any) => e.node.id);

    const validator = await queue('serocu.validator');
    expect(validator.indexOf(older.id)).toBeGreaterThanOrEqual(0);
    expect(validator.indexOf(older.id)).toBeLessThan(validator.indexOf(newer.id));
    expect(validator).not.toContain(ours.id);
    expect(validator).not.toContain(major.id);
    expect(validator).not.toContain(draft.id);
    const senior = await queue('serocu.sro');
    expect(senior).toEqual(expect.arrayContaining([older.id, newer.id, major.id]));
    expect(senior).not.toContain(ours.id);
    expect(await queue('tvp.investigator')).toEqual([]);

    await validateDisruption(app, 'serocu.validator', older);
    expect(await queue('serocu.validator')).not.toContain(older.id);
  });
});

describe('optimistic concurrency', () => {
  it('refuses a stale expectedVersion with CONFLICT and changes nothing', async () => {
    const d = await createDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(13) });
    const first = expectData(await app.gql('tvp.investigator', UPDATE, { input: { id: d.id, expectedVersion: 1, description: 'Warrant and two arrests.' } })).updateDisruption;
    expect(first.version).toBe(2);
    const stale = await app.gql('tvp.investigator', UPDATE, { input: { id: d.id, expectedVersion: 1, description: 'Stale.' } });
    expect(stale.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const submitted = await submitDisruption(app, 'tvp.investigator', first);
    const staleValidation = await app.gql('serocu.validator', VALIDATE, { input: { id: d.id, expectedVersion: first.version, levelAgreed: 'MODERATE', strandAgreed: 'PURSUE' } });
    expect(staleValidation.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: submitted.version });
    const [row] = await sql(app, 'select status, description from disruption where id = ?', [dbId(d.id)]);
    expect(row).toEqual({ status: 'SUBMITTED', description: 'Warrant and two arrests.' });
  });
});

describe('batching', () => {
  it('costs the same number of SQL statements for a page of 3 or of 10 disruptions with nested fields', async () => {
    const t = await assessedThreat(app, { name: 'Operation Batch' });
    const action = await planActionFor(t.id, 'Disrupt the line');
    const contributors = [await orgId(app, 'OXON_CS'), await orgId(app, 'HMRC')];
    for (let i = 0; i < 10; i++) {
      const d = await submittedDisruption(app, i % 2 ? 'tvp.investigator' : 'surrey.investigator', t.id, {
        date: daysAgo(40 + i),
        contributorIds: contributors,
        criminalActivityId: t.criminalActivities[i % 2].id,
        planActionId: action,
      });
      await validateDisruption(app, i % 3 ? 'serocu.validator' : 'serocu.sro', d);
    }
    const NESTED = `query ($first: Int, $f: DisruptionFilter) { disruptions(first: $first, filter: $f) { totalCount edges { node {
      date threat { name leadOrganisation { code } disruptionSummary { validatedCount } } claimingOrganisation { code } contributors { code }
      owningOrganisation { code } createdBy { username } criminalActivity { category } planAction { description }
      validation { decision validator { username organisation { code } } } possibleDuplicateOf { id } supersedes { id } history { action }
    } } } }`;
    const measure = async (first: number) => {
      await app.gql('serocu.analyst', '{ viewer { username } }');
      const sent = await statementsSentDuring(app, async () => {
        const page = expectData(await app.gql('serocu.analyst', NESTED, { first, f: { threatIds: [t.id] } })).disruptions;
        expect(page.edges).toHaveLength(first);
        expect(page.edges.every((e: any) => e.node.validation.validator.username.startsWith('serocu.'))).toBe(true);
      });
      return sent.sql.length;
    };
    const few = await measure(3);
    const many = await measure(10);
    expect(many).toBe(few);
    expect(few).toBeLessThanOrEqual(14);
  });
});
