import { createThreat, expectData, orgId } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import type { AccessLayers } from '../../server/src/access/layers';
import { LiveSubscription } from '../support/live-client';
import { purposeFor } from '../support/purposes';

/**
 * Deconfliction, hit / no hit across organisations (issue 19), through the real API on real
 * PostgreSQL: a user learns that another organisation holds an identifier, and whom to contact,
 * without anything of the record it is on; the holder is told live; both sides are audited.
 */

const NOMINAL = `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id name dateOfBirth protectiveMarking } }`;
const RESULT = `matched matches { organisation { code name } contact kind strength }`;
const RECORD = `mutation ($input: RecordIdentifierInput!) { recordIdentifier(input: $input) {
  identifier { kind value normalisedValue dateOfBirth recordedAt } deconfliction { ${RESULT} } } }`;
const CHECK = `mutation ($input: IdentifierInput!) { checkIdentifier(input: $input) { ${RESULT} } }`;
const INTERESTS = `{ deconflictionInterests { id kind value strength checkedAt message checkingOrganisation { code } checkedBy { username } nominal { id name } } }`;

function setUp(accessLayers?: AccessLayers) {
  const ctx = {} as { app: TestApp; sql: (text: string, params?: unknown[]) => Promise<any[]> };
  beforeAll(async () => {
    ctx.app = await createTestApp({ accessLayers });
    ctx.sql = (text, params = []) => ctx.app.app.orm.em.getConnection().execute(text, params);
    // Thames Valley's investigator is cleared to SECRET here, to hold what Surrey may not read.
    await ctx.sql(`update app_user set clearance = 'SECRET' where username = 'tvp.investigator'`);
    await ctx.sql(`update organisation set deconfliction_contact = 'TVP Force Intelligence Bureau, 01632 960417' where code = 'TVP'`);
  });
  afterAll(() => ctx.app.stop());
  return ctx;
}

const person = async (app: TestApp, as: string, name: string, marking: string, dateOfBirth = '1991-04-02') =>
  expectData(await app.gql(as, NOMINAL, { input: { name, aliases: [`${name.split(' ')[0]}y`], dateOfBirth, access: { protectiveMarking: marking, sharing: 'OWNER_ONLY' } } })).createNominal;
const record = (app: TestApp, as: string, recordId: string, kind: string, value: string, dateOfBirth?: string) =>
  app.gql(as, RECORD, { input: { recordId, kind, value, dateOfBirth } });
const check = (app: TestApp, as: string, kind: string, value: string, dateOfBirth?: string) => app.gql(as, CHECK, { input: { kind, value, dateOfBirth } });
const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;

describe('a hit on a record the caller may not read', () => {
  const ctx = setUp();

  it('tells the caller who holds it and whom to contact, and nothing of the record, in the answer, the events or the errors; the holder hears of it live', async () => {
    const hidden = await person(ctx.app, 'tvp.investigator', 'Corvin Aldmoor', 'SECRET', '1988-11-23');
    const held = expectData(await record(ctx.app, 'tvp.investigator', hidden.id, 'PHONE', '07700 900417')).recordIdentifier;
    expect(held).toMatchObject({ identifier: { value: '07700 900417', normalisedValue: '07700900417' }, deconfliction: { matched: false, matches: [] } });

    const subscribe = async (as: string) => {
      const after = expectData(await ctx.app.gql(as, '{ eventCursor }')).eventCursor;
      return new LiveSubscription(ctx.app.url, await ctx.app.tokenFor(as), `subscription ($after: String) { events(after: $after) { type recordType recordId changedFields
        record { id ... on DeconflictionInterest { kind strength message value checkingOrganisation { code } nominal { id } } ... on Nominal { name } } } }`, { after }, purposeFor(as));
    };
    const [holder, checker] = [await subscribe('tvp.investigator'), await subscribe('surrey.investigator')];
    try {
      // Surrey records the same phone, written another way, on its own person.
      const own = await person(ctx.app, 'surrey.investigator', 'Dale Pemberton', 'OFFICIAL_SENSITIVE');
      const answer = await record(ctx.app, 'surrey.investigator', own.id, 'PHONE', '+44 7700 900417');
      expect(expectData(answer).recordIdentifier.deconfliction).toEqual({
        matched: true,
        matches: [{ organisation: { code: 'TVP', name: 'Thames Valley Police' }, contact: 'TVP Force Intelligence Bureau, 01632 960417', kind: 'PHONE', strength: 'EXACT' }],
      });

      // The holder is told, with a link to its own record.
      await holder.until(() => holder.received.some((m) => m.events.recordType === 'DeconflictionInterest'), 'the interest event');
      const told = holder.received.find((m) => m.events.recordType === 'DeconflictionInterest').events;
      expect(told).toMatchObject({
        type: 'CREATED',
        record: { kind: 'PHONE', strength: 'EXACT', value: '07700 900417', message: 'Surrey Police has an interest in a phone number you hold.', checkingOrganisation: { code: 'SURREY' }, nominal: { id: hidden.id } },
      });
      expect(expectData(await ctx.app.gql('tvp.investigator', INTERESTS)).deconflictionInterests).toEqual([
        expect.objectContaining({ kind: 'PHONE', checkedBy: { username: 'surrey.investigator' }, nominal: { id: hidden.id, name: 'Corvin Aldmoor' } }),
      ]);

      // Everything Surrey could try: the check again, the hidden person by id, its own interests.
      const again = await check(ctx.app, 'surrey.investigator', 'PHONE', '07700900417');
      const byId = await ctx.app.gql('surrey.investigator', `query ($id: ID!) { node(id: $id) { id ... on Nominal { name } } }`, { id: hidden.id });
      const onHidden = await record(ctx.app, 'surrey.investigator', hidden.id, 'PHONE', '07700 900418');
      const interests = await ctx.app.gql('surrey.investigator', INTERESTS);
      expect(byId.data.node).toBeNull();
      expect(codeOf(onHidden)).toBe('NOT_FOUND');
      expect(interests.data.deconflictionInterests).toEqual([]);
      // A change of Surrey's own, heard after every event before it: Surrey's events are all in.
      expectData(await record(ctx.app, 'surrey.investigator', own.id, 'VEHICLE', 'WX17 ZZT'));
      await ctx.app.gql('surrey.investigator', `mutation ($input: UpdateNominalInput!) { updateNominal(input: $input) { id } }`, { input: { id: own.id, expectedVersion: 1, name: 'Dale Pemberton Jr' } });
      await checker.until(() => checker.received.some((m) => m.events.recordId === own.id && m.events.type === 'UPDATED'), "Surrey's own change");

      const everything = JSON.stringify([answer, again, byId, onHidden, interests, checker.messages, checker.errors]);
      const [identifier] = await ctx.sql(`select id from deconfliction_identifier where nominal_id = ?`, [Buffer.from(hidden.id, 'base64url').toString().split(':')[1]]);
      const hiddenFields = [hidden.id, Buffer.from(hidden.id, 'base64url').toString().split(':')[1], identifier.id, 'Corvin', 'Aldmoor', 'Corviny', '1988-11-23', 'SECRET', '07700 900417', told.recordId];
      expect(hiddenFields.filter((field) => everything.includes(field))).toEqual([]);
      // The check found it the second time too: the answer is what was said, not nothing.
      expect(again.data.checkIdentifier.matched).toBe(true);
    } finally {
      await holder.close();
      await checker.close();
    }
  });

  it('is audited on both sides: the checker with hit or no hit and the holders, the holder with its record and who checked', async () => {
    const hidden = await person(ctx.app, 'tvp.investigator', 'Ysolde Quarrington', 'SECRET', '1979-02-14');
    expectData(await record(ctx.app, 'tvp.investigator', hidden.id, 'VEHICLE', 'YQ19 KTE'));
    expectData(await check(ctx.app, 'sussex.investigator', 'VEHICLE', 'yq19kte'));
    expectData(await check(ctx.app, 'sussex.investigator', 'VEHICLE', 'ZZ99 ZZZ'));
    const checker = await ctx.sql(`select action, record_type, record_ids, detail from audit_event where username = 'sussex.investigator' and record_type = 'DeconflictionCheck' order by id`);
    expect(checker.map((e) => e.detail.checks)).toEqual([
      [{ kind: 'VEHICLE', outcome: 'HIT', holders: [expect.any(String)] }],
      [{ kind: 'VEHICLE', outcome: 'NO_HIT', holders: [] }],
    ]);
    expect(checker.every((e) => e.action === 'READ' && e.record_ids.length === 0)).toBe(true);
    const nominalId = Buffer.from(hidden.id, 'base64url').toString().split(':')[1];
    const holderSide = await ctx.sql(
      `select e.action, e.username, o.code, e.record_ids, e.detail, e.purpose from audit_event e join organisation o on o.id = e.organisation_id where e.record_type = 'DeconflictionHit' and ? = any (e.record_ids)`,
      [nominalId],
    );
    expect(holderSide).toEqual([
      { action: 'READ', username: 'sussex.investigator', code: 'TVP', record_ids: [nominalId], detail: { checkedByOrganisation: ['SUSSEX'], kinds: ['VEHICLE'], strengths: ['EXACT'], interests: [expect.any(String)] }, purpose: purposeFor('sussex.investigator') },
    ]);
    // The holder's auditor finds it in the audit search.
    const search = expectData(await ctx.app.gql('serocu.auditor', `query ($f: AuditEventFilter) { auditEvents(filter: $f) { edges { node { recordType user { username } } } } }`, { f: { recordId: hidden.id } }));
    expect(search.auditEvents.edges.map((e: any) => e.node)).toContainEqual({ recordType: 'DeconflictionHit', user: { username: 'sussex.investigator' } });
  });
});

describe('matching', () => {
  const ctx = setUp();

  it('finds a person by date of birth and a similar name, says how strong, and never within the caller\'s own organisation', async () => {
    const held = await person(ctx.app, 'hiow.analyst', 'Jonathan Merriwether', 'OFFICIAL_SENSITIVE', '1990-07-30');
    expectData(await record(ctx.app, 'hiow.analyst', held.id, 'PERSON', 'Jonathan Merriwether', '1990-07-30'));
    const exact = expectData(await check(ctx.app, 'surrey.investigator', 'PERSON', 'MERRIWETHER, Jonathan', '1990-07-30')).checkIdentifier;
    expect(exact.matches).toEqual([expect.objectContaining({ organisation: expect.objectContaining({ code: 'HIOW' }), kind: 'PERSON', strength: 'EXACT' })]);
    const possible = expectData(await check(ctx.app, 'surrey.investigator', 'PERSON', 'Jonathon Merriweather', '1990-07-30')).checkIdentifier;
    expect(possible.matches).toEqual([expect.objectContaining({ strength: 'POSSIBLE' })]);
    // Another date of birth, or a name too far from it, is no hit.
    expect(expectData(await check(ctx.app, 'surrey.investigator', 'PERSON', 'Jonathan Merriwether', '1990-07-31')).checkIdentifier).toEqual({ matched: false, matches: [] });
    expect(expectData(await check(ctx.app, 'surrey.investigator', 'PERSON', 'Jane Merrow', '1990-07-30')).checkIdentifier).toEqual({ matched: false, matches: [] });
    // Hampshire's own users see it already: no hit for them.
    expect(expectData(await check(ctx.app, 'hiow.analyst', 'PERSON', 'Jonathan Merriwether', '1990-07-30')).checkIdentifier.matched).toBe(false);
  });

  it('matches addresses by postcode and premises; the contact falls back to the organisation\'s intelligence unit', async () => {
    const held = await person(ctx.app, 'sussex.investigator', 'Tamsin Halloway', 'OFFICIAL');
    expectData(await record(ctx.app, 'sussex.investigator', held.id, 'ADDRESS', 'Flat 3, 27 Quarry Road, Lewes BN7 2QX'));
    const hit = expectData(await check(ctx.app, 'tvp.investigator', 'ADDRESS', '3 Quarry Rd, bn72qx')).checkIdentifier;
    expect(hit.matches).toEqual([{ organisation: { code: 'SUSSEX', name: 'Sussex Police' }, contact: 'Sussex Police intelligence unit', kind: 'ADDRESS', strength: 'EXACT' }]);
    expect(expectData(await check(ctx.app, 'tvp.investigator', 'ADDRESS', '27 Quarry Road, Lewes BN7 2QX')).checkIdentifier.matched).toBe(false);
  });
});

describe('identifiers on intelligence reports', () => {
  const ctx = setUp();

  it('match as a person\'s do; with no named contact, the lead responsible officer of the holder\'s threat is whom to contact; the holder is linked to its report', async () => {
    const threat = await createThreat(ctx.app, 'hiow.analyst', { name: 'Operation Thornapple', leadOrganisationId: await orgId(ctx.app, 'HIOW') });
    await ctx.sql(`update soc_threat set lro_id = (select id from app_user where username = 'hiow.analyst') where id = ?`, [Buffer.from(threat.id, 'base64url').toString().split(':')[1]]);
    const report = expectData(await ctx.app.gql('hiow.analyst', `mutation ($input: CreateIntelligenceReportInput!) { createIntelligenceReport(input: $input) { id reference } }`, {
      input: {
        receivedOn: '2026-10-01', sourceEvaluation: 'RELIABLE', intelligenceAssessment: 'B', handlingCode: 'P', threatIds: [threat.id],
        sanitisedText: 'A grey van is used to move cash between the car washes.', originalText: 'Source saw the grey van collect cash at both car washes on Tuesday.',
        access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' },
      },
    })).createIntelligenceReport;
    const held = expectData(await record(ctx.app, 'hiow.analyst', report.id, 'VEHICLE', 'zz61 vnx')).recordIdentifier;
    expect(held.identifier).toMatchObject({ kind: 'VEHICLE', value: 'zz61 vnx', normalisedValue: 'ZZ61VNX' });
    const hit = expectData(await check(ctx.app, 'tvp.investigator', 'VEHICLE', 'ZZ61-VNX')).checkIdentifier;
    expect(hit.matches).toEqual([{ organisation: { code: 'HIOW', name: 'Hampshire and Isle of Wight Constabulary' }, contact: 'Nadia Brierley, lead responsible officer', kind: 'VEHICLE', strength: 'EXACT' }]);
    const interests = expectData(await ctx.app.gql('hiow.analyst', `{ deconflictionInterests { message intelligenceReport { id reference } nominal { id } } }`)).deconflictionInterests;
    expect(interests).toEqual([{ message: 'Thames Valley Police has an interest in a vehicle you hold.', intelligenceReport: { id: report.id, reference: report.reference }, nominal: null }]);
    const identifiers = expectData(await ctx.app.gql('hiow.analyst', `query ($id: ID!) { node(id: $id) { ... on IntelligenceReport { identifiers { kind value } } } }`, { id: report.id })).node.identifiers;
    expect(identifiers).toEqual([{ kind: 'VEHICLE', value: 'zz61 vnx' }]);
  });
});

describe('refusals', () => {
  const ctx = setUp();

  it('names each field at fault, needs a stated purpose, and is for the intelligence roles', async () => {
    const bad = await check(ctx.app, 'surrey.investigator', 'PHONE', '12345', '2001-01-01');
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.value' }, { field: 'input.dateOfBirth', message: 'is only for a person' }] });
    const noBirth = await check(ctx.app, 'surrey.investigator', 'PERSON', 'Jo Bloggs');
    expect(noBirth.errors?.[0]?.extensions?.fields).toEqual([{ field: 'input.dateOfBirth', message: 'is required for a person' }]);
    expect(codeOf(await ctx.app.gql('surrey.investigator', CHECK, { input: { kind: 'PHONE', value: '07700 900001' } }, { purpose: null }))).toBe('PURPOSE_REQUIRED');
    expect(codeOf(await check(ctx.app, 'oxon.mash', 'PHONE', '07700 900001'))).toBe('FORBIDDEN');
    const wrongId = await record(ctx.app, 'surrey.investigator', Buffer.from('SocThreat:00000000-0000-0000-0000-000000000000').toString('base64url'), 'PHONE', '07700 900001');
    expect(wrongId.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.recordId' }] });
  });

  it('refuses a hidden record in the words a missing one gets, and a readable one held by another organisation as forbidden', async () => {
    const hidden = await person(ctx.app, 'tvp.investigator', 'Odile Fensworth', 'SECRET');
    const missing = Buffer.from('Nominal:00000000-0000-4000-8000-000000000000').toString('base64url');
    const [a, b] = [await record(ctx.app, 'surrey.investigator', hidden.id, 'PHONE', '07700 900002'), await record(ctx.app, 'surrey.investigator', missing, 'PHONE', '07700 900002')];
    expect(a.errors).toEqual(b.errors);
    expect(codeOf(a)).toBe('NOT_FOUND');
    const shared = expectData(await ctx.app.gql('tvp.investigator', NOMINAL, { input: { name: 'Rhys Tallentire', access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } } })).createNominal;
    expect(codeOf(await record(ctx.app, 'surrey.investigator', shared.id, 'PHONE', '07700 900003'))).toBe('FORBIDDEN');
    expect(await ctx.sql(`select count(*)::int as n from deconfliction_identifier where raw_value in ('07700 900002', '07700 900003')`)).toEqual([{ n: 0 }]);
  });
});

describe('row-level security on identifiers and interests, asked directly as the application role', () => {
  const ctx = setUp();

  /** Rows of `table` a user sees as soc_app with their settings, as a request would (request-db.ts). */
  async function seenAs(username: string, table: string): Promise<number> {
    const [u] = await ctx.sql(`select u.id, u.organisation_id, o.is_law_enforcement, u.roles::text, u.clearance from app_user u join organisation o on o.id = u.organisation_id where u.username = ?`, [username]);
    const knex = ctx.app.app.orm.em.getConnection().getKnex();
    return knex.transaction(async (trx) => {
      await trx.raw(`select set_config('soc.user_id', ?, true), set_config('soc.organisation_id', ?, true), set_config('soc.is_law_enforcement', ?, true),
        set_config('soc.roles', ?, true), set_config('soc.clearance', ?, true), set_config('role', 'soc_app', true)`, [u.id, u.organisation_id, String(u.is_law_enforcement), u.roles, u.clearance]);
      const { rows } = await trx.raw(`select count(*)::int as n from ${table}`);
      return rows[0].n;
    });
  }

  it('shows the holder\'s rows only to its users who may read the record, and nobody else\'s', async () => {
    const hidden = await person(ctx.app, 'tvp.investigator', 'Ansel Drewitt', 'SECRET');
    expectData(await record(ctx.app, 'tvp.investigator', hidden.id, 'PHONE', '07700 900666'));
    expectData(await check(ctx.app, 'sussex.investigator', 'PHONE', '07700900666'));
    // The phone, and the person's name with their date of birth, taken when they were created.
    expect(await seenAs('tvp.investigator', 'deconfliction_identifier')).toBe(2);
    expect(await seenAs('tvp.investigator', 'deconfliction_interest')).toBe(1);
    for (const other of ['sussex.investigator', 'tvp.safeguarding', 'serocu.analyst']) {
      expect({ other, identifiers: await seenAs(other, 'deconfliction_identifier'), interests: await seenAs(other, 'deconfliction_interest') }).toEqual({ other, identifiers: 0, interests: 0 });
    }
  });
});

describe('bounds', () => {
  const ctx = setUp();

  it('a record holds at most 200 identifiers, and interests are listed 100 at most, each refused at its field', async () => {
    const full = await person(ctx.app, 'surrey.investigator', 'Harriet Fullbrook', 'OFFICIAL');
    const nominalId = Buffer.from(full.id, 'base64url').toString().split(':')[1];
    // 199 more beside the one taken from the person's name and date of birth.
    await ctx.sql(
      `insert into deconfliction_identifier (kind, raw_value, normalised_value, nominal_id, holder_organisation_id, recorded_by)
       select 'VEHICLE', 'ZZ' || g.n, 'ZZ' || g.n, n.id, n.owning_organisation_id, n.created_by from generate_series(1, 199) g(n) cross join nominal n where n.id = ?`,
      [nominalId],
    );
    const refused = await record(ctx.app, 'surrey.investigator', full.id, 'VEHICLE', 'ZZ01 NEW');
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.recordId', message: 'already holds 200 identifiers, the most a record may hold' }] });
    expect(await ctx.sql(`select count(*)::int as n from deconfliction_identifier where nominal_id = ?`, [nominalId])).toEqual([{ n: 200 }]);
    // All 200 are read back whole (the list's declared bound, graphql/answer-size.ts).
    const read = expectData(await ctx.app.gql('surrey.investigator', `query ($id: ID!) { node(id: $id) { ... on Nominal { identifiers { value } } } }`, { id: full.id }));
    expect(read.node.identifiers).toHaveLength(200);
    const page = await ctx.app.gql('surrey.investigator', `{ deconflictionInterests(first: 101) { id } }`);
    expect(page.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'first' }] });
  });
});

describe.each([
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('who reads identifiers and interests, with %s', (_name, layers) => {
  const ctx = setUp(layers);

  it('only the holder\'s users who may read the record', async () => {
    const hidden = await person(ctx.app, 'tvp.investigator', 'Perpetua Vantongeren', 'SECRET');
    expectData(await record(ctx.app, 'tvp.investigator', hidden.id, 'PHONE', '07700 900555'));
    expectData(await check(ctx.app, 'hiow.analyst', 'PHONE', '07700900555'));
    expect(expectData(await ctx.app.gql('tvp.investigator', INTERESTS)).deconflictionInterests).toHaveLength(1);
    // Thames Valley's safeguarding practitioner, cleared to OFFICIAL_SENSITIVE, may not read the SECRET person.
    expect(expectData(await ctx.app.gql('tvp.safeguarding', INTERESTS)).deconflictionInterests).toEqual([]);
    expect(expectData(await ctx.app.gql('hiow.analyst', INTERESTS)).deconflictionInterests).toEqual([]);
  });
});
