import { expectData } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { purposeFor } from '../support/purposes';

/**
 * Deconfliction identifiers kept with their records (issue 19): taken from a person's name and
 * aliases with their date of birth, and from the people a report is linked to, in the write's
 * transaction and checked at once; replaced when those fields change; removed by their holder
 * (another organisation: not found); gone with their record. And a check's audit is the events
 * the design names, no more.
 */

const IDENTIFIERS = `identifiers { id kind value derivedFrom checkedAt matches { organisation { code } contact kind strength } }`;
const CREATE = `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id version name ${IDENTIFIERS} } }`;
const UPDATE = `mutation ($input: UpdateNominalInput!) { updateNominal(input: $input) { id version ${IDENTIFIERS} } }`;
const READ = `query ($id: ID!) { node(id: $id) { id ... on Nominal { ${IDENTIFIERS} } ... on IntelligenceReport { ${IDENTIFIERS} } } }`;
const REMOVE = `mutation ($id: ID!) { removeIdentifier(id: $id) { __typename ... on Nominal { id ${IDENTIFIERS} } ... on IntelligenceReport { id ${IDENTIFIERS} } } }`;
const RECORD = `mutation ($input: RecordIdentifierInput!) { recordIdentifier(input: $input) { identifier { id value } deconfliction { matched } } }`;
const CHECK = `mutation ($input: IdentifierInput!) { checkIdentifier(input: $input) { matched } }`;
const REPORT = `mutation ($input: CreateIntelligenceReportInput!) { createIntelligenceReport(input: $input) { id version ${IDENTIFIERS} } }`;
const UPDATE_REPORT = `mutation ($input: UpdateIntelligenceReportInput!) { updateIntelligenceReport(input: $input) { id version ${IDENTIFIERS} } }`;

let app: TestApp;
let sql: (text: string, params?: unknown[]) => Promise<any[]>;
beforeAll(async () => {
  app = await createTestApp();
  sql = (text, params = []) => app.app.orm.em.getConnection().execute(text, params);
  await sql(`update app_user set clearance = 'SECRET' where username = 'tvp.investigator'`);
});
afterAll(() => app.stop());

const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];
const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;
const person = async (as: string, input: Record<string, unknown>, marking = 'OFFICIAL_SENSITIVE', sharing = 'OWNER_ONLY') =>
  expectData(await app.gql(as, CREATE, { input: { ...input, access: { protectiveMarking: marking, sharing } } })).createNominal;
const reportInput = (nominalIds: string[]) => ({
  receivedOn: '2026-10-01', sourceEvaluation: 'RELIABLE', intelligenceAssessment: 'B', handlingCode: 'P', nominalIds,
  sanitisedText: 'Seen at the car wash twice.', originalText: 'Source saw them at the car wash on Tuesday and Friday.',
  access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' },
});
/** Audit events of a request, by the operation name it was sent with. */
const eventsOf = (operation: string) => sql(`select action, record_type, record_ids from audit_event where operation = ? order by action, record_type`, [operation]);

describe('identifiers taken from a person', () => {
  it('are recorded and checked when the person is created: the creator learns who else holds them, nothing of the hidden record, and the holder is told', async () => {
    const hidden = await person('tvp.investigator', { name: 'Wilhelmina Crake', aliases: ['Mina Crake', 'Crakey'], dateOfBirth: '1986-03-04' }, 'SECRET');
    expect(hidden.identifiers.map((i: any) => [i.kind, i.value, i.derivedFrom, i.matches])).toEqual([
      ['PERSON', 'Wilhelmina Crake', 'NAME', []],
      ['PERSON', 'Mina Crake', 'ALIAS', []],
    ]);
    expect(hidden.identifiers.every((i: any) => i.checkedAt)).toBe(true);

    const created = await app.gql('surrey.investigator', CREATE.replace('mutation (', 'mutation SurreyCreatesCrake ('), {
      input: { name: 'CRAKE, Wilhelmina', dateOfBirth: '1986-03-04', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } },
    });
    const own = expectData(created).createNominal;
    expect(own.identifiers).toEqual([
      expect.objectContaining({ value: 'CRAKE, Wilhelmina', derivedFrom: 'NAME', matches: [{ organisation: { code: 'TVP' }, contact: 'Thames Valley Police intelligence unit', kind: 'PERSON', strength: 'EXACT' }] }),
    ]);
    // Read again later, by a colleague: the answer is kept with the identifier.
    expect(expectData(await app.gql('surrey.investigator', READ, { id: own.id })).node.identifiers).toEqual(own.identifiers);
    const everything = JSON.stringify(created);
    expect([hidden.id, dbId(hidden.id), 'Wilhelmina Crake', 'Mina', 'Crakey', 'SECRET'].filter((field) => everything.includes(field))).toEqual([]);

    // The holder has an interest, about its own person; both sides audited (the creator's check as a READ, the write as a CREATE).
    const interests = expectData(await app.gql('tvp.investigator', `{ deconflictionInterests { checkingOrganisation { code } nominal { id } kind } }`)).deconflictionInterests;
    expect(interests).toContainEqual({ checkingOrganisation: { code: 'SURREY' }, nominal: { id: hidden.id }, kind: 'PERSON' });
    // (one holder's event for each of its identifiers that matched)
    const events = await eventsOf('SurreyCreatesCrake');
    expect([...new Set(events.map((e) => `${e.action} ${e.record_type}`))]).toEqual(['CREATE Nominal', 'READ DeconflictionCheck', 'READ DeconflictionHit']);
  });

  it('are replaced when the name, aliases or date of birth change, and left alone (not checked again) when other fields do; hand-recorded ones stay', async () => {
    const p = await person('sussex.investigator', { name: 'Oswin Tarrant', aliases: ['Oz Tarrant'], dateOfBirth: '1979-09-09' });
    const [name, alias] = p.identifiers;
    expectData(await app.gql('sussex.investigator', RECORD, { input: { recordId: p.id, kind: 'PHONE', value: '07700 900871' } }));
    const checksBefore = (await sql(`select count(*)::int as n from audit_event where username = 'sussex.investigator' and record_type = 'DeconflictionCheck'`))[0].n;

    const flagged = expectData(await app.gql('sussex.investigator', UPDATE, { input: { id: p.id, expectedVersion: p.version, vulnerabilityFlags: ['DRUG_DEPENDENCY'] } })).updateNominal;
    expect(flagged.identifiers.map((i: any) => i.id)).toEqual([name.id, alias.id, expect.any(String)]);
    expect((await sql(`select count(*)::int as n from audit_event where username = 'sussex.investigator' and record_type = 'DeconflictionCheck'`))[0].n).toBe(checksBefore);

    const renamed = expectData(await app.gql('sussex.investigator', UPDATE, { input: { id: p.id, expectedVersion: flagged.version, name: 'Oswald Tarrant' } })).updateNominal;
    expect(renamed.identifiers.map((i: any) => [i.value, i.derivedFrom, i.id === name.id])).toEqual([
      ['Oz Tarrant', 'ALIAS', false],
      ['07700 900871', null, false],
      ['Oswald Tarrant', 'NAME', false],
    ]);
    expect(renamed.identifiers.find((i: any) => i.derivedFrom === 'ALIAS').id).toBe(alias.id);
    expect(renamed.identifiers.find((i: any) => i.derivedFrom === 'NAME').checkedAt).toBeTruthy();

    // A new date of birth replaces every identifier taken from the person; without one there are none.
    const reborn = expectData(await app.gql('sussex.investigator', UPDATE, { input: { id: p.id, expectedVersion: renamed.version, dateOfBirth: '1979-09-10' } })).updateNominal;
    expect(reborn.identifiers.filter((i: any) => i.derivedFrom).map((i: any) => i.id)).not.toContain(alias.id);
    const unborn = expectData(await app.gql('sussex.investigator', UPDATE, { input: { id: p.id, expectedVersion: reborn.version, dateOfBirth: null } })).updateNominal;
    expect(unborn.identifiers.map((i: any) => i.value)).toEqual(['07700 900871']);
  });

  it('need a stated purpose to be checked, or nothing is written; a role that does not check records them unchecked', async () => {
    const refused = await app.gql('hiow.analyst', CREATE, { input: { name: 'Perry Winslade', dateOfBirth: '1990-02-02', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } } }, { purpose: null });
    expect(codeOf(refused)).toBe('PURPOSE_REQUIRED');
    expect(await sql(`select count(*)::int as n from nominal where name = 'Perry Winslade'`)).toEqual([{ n: 0 }]);
    // Without a date of birth there is nothing to check, and no purpose is needed.
    expectData(await app.gql('hiow.analyst', CREATE, { input: { name: 'Perry Winslade', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } } }, { purpose: null }));

    const subject = await person('tvp.safeguarding', { name: 'Ellery Brandwood', dateOfBirth: '2011-05-05' }, 'OFFICIAL');
    expect(subject.identifiers).toEqual([expect.objectContaining({ value: 'Ellery Brandwood', checkedAt: null, matches: [] })]);
    expect(await sql(`select count(*)::int as n from audit_event where username = 'tvp.safeguarding' and record_type = 'DeconflictionCheck'`)).toEqual([{ n: 0 }]);
  });
});

describe('identifiers taken from the people a report is linked to', () => {
  it('come with each link, are checked, and go when the link does', async () => {
    const sharedPerson = await person('hiow.analyst', { name: 'Lorcan Ashby', dateOfBirth: '1984-12-01' }, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT');
    const other = await person('surrey.investigator', { name: 'Rowena Kestle', dateOfBirth: '1992-06-30' });
    const report = expectData(await app.gql('surrey.investigator', REPORT, { input: reportInput([sharedPerson.id, other.id]) })).createIntelligenceReport;
    expect(report.identifiers.map((i: any) => [i.value, i.derivedFrom, i.matches.map((m: any) => m.organisation.code)])).toEqual([
      ['Lorcan Ashby', 'LINKED_PERSON', ['HIOW']],
      ['Rowena Kestle', 'LINKED_PERSON', []],
    ]);
    const unlinked = expectData(await app.gql('surrey.investigator', UPDATE_REPORT, { input: { id: report.id, expectedVersion: report.version, nominalIds: [other.id] } })).updateIntelligenceReport;
    expect(unlinked.identifiers.map((i: any) => i.value)).toEqual(['Rowena Kestle']);
    expect(unlinked.identifiers[0].id).toBe(report.identifiers[1].id);
  });
});

describe('removing an identifier', () => {
  it('is for its holder, with the record it was on back, audited as a change of that record; the interests shown in it go too', async () => {
    const p = await person('tvp.investigator', { name: 'Cassius Mornay', dateOfBirth: '1975-01-20' });
    const [held] = p.identifiers;
    expect(expectData(await app.gql('hiow.analyst', CHECK, { input: { kind: 'PERSON', value: 'Cassius Mornay', dateOfBirth: '1975-01-20' } })).checkIdentifier.matched).toBe(true);

    const interestsIn = async () => (await sql(`select count(*)::int as n from deconfliction_interest where identifier_id = ?`, [dbId(held.id)]))[0].n;
    expect(await interestsIn()).toBe(1);
    // Another force cannot remove it, or tell it from one that does not exist.
    const missing = Buffer.from('RecordedIdentifier:00000000-0000-4000-8000-000000000000').toString('base64url');
    const [theirs, none] = [await app.gql('hiow.analyst', REMOVE, { id: held.id }), await app.gql('hiow.analyst', REMOVE, { id: missing })];
    expect(codeOf(theirs)).toBe('NOT_FOUND');
    expect(theirs.errors).toEqual(none.errors);
    expect(JSON.stringify(theirs)).not.toContain('Cassius');
    expect(codeOf(await app.gql('tvp.investigator', REMOVE, { id: p.id }))).toBe('BAD_USER_INPUT');

    const removed = await app.gql('tvp.investigator', REMOVE.replace('mutation (', 'mutation TvpRemovesMornay ('), { id: held.id });
    expect(expectData(removed).removeIdentifier).toEqual({ __typename: 'Nominal', id: p.id, identifiers: [] });
    expect(await interestsIn()).toBe(0);
    expect(await sql(`select count(*)::int as n from deconfliction_identifier where id = ?`, [dbId(held.id)])).toEqual([{ n: 0 }]);
    expect((await eventsOf('TvpRemovesMornay')).map((e) => [e.action, e.record_type, e.record_ids])).toEqual([['UPDATE', 'Nominal', [dbId(p.id)]]]);
    // Gone: a check no longer finds it.
    expect(expectData(await app.gql('hiow.analyst', CHECK, { input: { kind: 'PERSON', value: 'Cassius Mornay', dateOfBirth: '1975-01-20' } })).checkIdentifier.matched).toBe(false);
    expect(codeOf(await app.gql('tvp.investigator', REMOVE, { id: held.id }))).toBe('NOT_FOUND');
  });
});

describe('disposing of a record', () => {
  it('takes its identifiers with it, and a person\'s from the reports linked to them', async () => {
    const p = await person('serocu.lro', { name: 'Isadora Penhallow', dateOfBirth: '1969-08-08' });
    const report = expectData(await app.gql('serocu.lro', REPORT, { input: reportInput([p.id]) })).createIntelligenceReport;
    expect(report.identifiers).toHaveLength(1);
    expectData(await app.gql('surrey.investigator', CHECK, { input: { kind: 'PERSON', value: 'Isadora Penhallow', dateOfBirth: '1969-08-08' } }));
    expectData(await app.gql('serocu.lro', `mutation ($input: DisposeRecordInput!) { disposeRecord(input: $input) { recordId } }`, { input: { id: p.id, reason: 'No longer needed for a policing purpose.' } }));
    expect(await sql(`select count(*)::int as n from deconfliction_identifier where raw_value = 'Isadora Penhallow'`)).toEqual([{ n: 0 }]);
    expect(expectData(await app.gql('serocu.lro', READ, { id: report.id })).node.identifiers).toEqual([]);
  });
});

describe('what a check is audited as', () => {
  it('a check by hand is one READ of the check (nothing changed); recording one is a change of its record and that READ', async () => {
    expectData(await app.gql('sussex.investigator', CHECK.replace('mutation (', 'mutation SussexChecksOnly ('), { input: { kind: 'VEHICLE', value: 'ZZ07 QKA' } }));
    expect(await eventsOf('SussexChecksOnly')).toEqual([{ action: 'READ', record_type: 'DeconflictionCheck', record_ids: [] }]);
    const p = await person('sussex.investigator', { name: 'Bramwell Oake' });
    expectData(await app.gql('sussex.investigator', RECORD.replace('mutation (', 'mutation SussexRecordsOnly ('), { input: { recordId: p.id, kind: 'VEHICLE', value: 'ZZ07 QKB' } }));
    expect(await eventsOf('SussexRecordsOnly')).toEqual([
      { action: 'READ', record_type: 'DeconflictionCheck', record_ids: [] },
      { action: 'UPDATE', record_type: 'Nominal', record_ids: [dbId(p.id)] },
    ]);
    expect((await sql(`select purpose from audit_event where operation = 'SussexChecksOnly'`))[0].purpose).toBe(purposeFor('sussex.investigator'));
  });
});
