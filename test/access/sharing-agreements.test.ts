import pg from 'pg';
import { addDays, today } from '../../server/src/shared/validation';
import { ISO_DATE, inWords } from '../support/dates';
import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId } from '../support/factories';
import { statementsSentDuring } from '../support/statements';

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
const inDays = (days: number) => addDays(today(), days);

const AGREEMENT = `id title status statusReason version isInForce expiresInDays effectiveFrom expiresOn maxProtectiveMarking
  dataCategories legalGateways purposes parties { code } createdBy { username } updatedBy { username }`;
const CREATE = `mutation ($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { ${AGREEMENT} } }`;
const UPDATE = `mutation ($input: UpdateSharingAgreementInput!) { updateSharingAgreement(input: $input) { ${AGREEMENT} } }`;
const MOVE = (name: string, input = 'AgreementStatusInput') => `mutation ($input: ${input}!) { ${name}(input: $input) { ${AGREEMENT} } }`;
const ACTIVATE = MOVE('activateSharingAgreement');
const SUSPEND = MOVE('suspendSharingAgreement', 'SuspendSharingAgreementInput');
const REINSTATE = MOVE('reinstateSharingAgreement');
const EXPIRE = MOVE('expireSharingAgreement');
const LIST = `query ($filter: AgreementFilter, $first: Int, $orderBy: [AgreementOrder!]) {
  sharingAgreements(filter: $filter, first: $first, orderBy: $orderBy) { totalCount edges { node { id title status isInForce parties { code } } } } }`;

/** A valid createSharingAgreement input: TVP and Oxfordshire children's services, THREAT, OFFICIAL, in force today. */
async function agreementInput(overrides: Record<string, unknown> = {}, parties = ['TVP', 'OXON_CS']) {
  return {
    title: `Agreement ${parties.join(' and ')}`,
    partyIds: await Promise.all(parties.map((code) => orgId(app, code))),
    legalGateways: ['CRIME_AND_DISORDER_ACT_1998_S115', 'CHILDREN_ACT_2004_S11'],
    purposes: ['SAFEGUARDING'],
    dataCategories: ['THREAT'],
    maxProtectiveMarking: 'OFFICIAL',
    effectiveFrom: inDays(-30),
    expiresOn: inDays(365),
    status: 'ACTIVE',
    ...overrides,
  };
}

async function createAgreement(overrides: Record<string, unknown> = {}, parties?: string[]) {
  return expectData(await app.gql('serocu.admin', CREATE, { input: await agreementInput(overrides, parties) })).createSharingAgreement;
}

async function move(mutation: string, agreement: { id: string; version: number }, extra: Record<string, unknown> = {}, as = 'serocu.admin') {
  return app.gql(as, mutation, { input: { id: agreement.id, expectedVersion: agreement.version, ...extra } });
}

const moved = async (mutation: string, agreement: { id: string; version: number }, extra: Record<string, unknown> = {}) =>
  Object.values(expectData(await move(mutation, agreement, extra)))[0] as any;

function errorOf(result: { errors?: { extensions?: Record<string, any>; message: string }[] }) {
  expect(result.errors).toHaveLength(1);
  return result.errors![0];
}

function badFields(result: { errors?: { extensions?: Record<string, any>; message: string }[] }): Record<string, string> {
  const error = errorOf(result);
  expect(error.extensions!.code).toBe('BAD_USER_INPUT');
  return Object.fromEntries(error.extensions!.fields.map((f: { field: string; message: string }) => [f.field, f.message]));
}

/** The database id inside a global ID. */
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];

const countAgreements = async () => (await sql('select count(*)::int as n from information_sharing_agreement'))[0].n as number;

/** The test threats (names starting "ISA ") that `as` can read, sorted. */
async function threatsSeenBy(as: string): Promise<string[]> {
  const data = expectData(await app.gql(as, '{ threats(first: 100) { edges { node { name } } } }'));
  return data.threats.edges.map((e: any) => e.node.name).filter((n: string) => n.startsWith('ISA ')).sort();
}

const OFFICIAL_TO_ALL = { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' };

describe("an agreement decides, at once, what a non-police partner reads", () => {
  beforeAll(async () => {
    await createThreat(app, 'tvp.investigator', { name: 'ISA Juniper', access: OFFICIAL_TO_ALL });
    await createThreat(app, 'tvp.investigator', { name: 'ISA Larch', access: OFFICIAL_TO_ALL });
    await createThreat(app, 'tvp.investigator', { name: 'ISA Sensitive', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'ALL_PARTNERS' } });
    await createThreat(app, 'surrey.investigator', { name: 'ISA Surrey Rowan', leadOrganisationId: await orgId(app, 'SURREY'), access: OFFICIAL_TO_ALL });
  });

  // Each test starts with no agreement granting anything, whatever the one before it left.
  afterEach(() => sql(`update information_sharing_agreement set status = 'EXPIRED' where status in ('ACTIVE', 'SUSPENDED')`));

  it('no agreement: nothing; ACTIVE: at once; suspended: gone; reinstated: back; expired: gone for good', async () => {
    expect(await threatsSeenBy('oxon.mash')).toEqual([]);

    const active = await createAgreement();
    expect(active).toMatchObject({ status: 'ACTIVE', isInForce: true, version: 1, createdBy: { username: 'serocu.admin' }, parties: [{ code: 'TVP' }, { code: 'OXON_CS' }] });
    // The partner's clearance (OFFICIAL) still keeps the sensitive one from it.
    expect(await threatsSeenBy('oxon.mash')).toEqual(['ISA Juniper', 'ISA Larch']);

    const suspended = await moved(SUSPEND, active, { reason: 'Data protection impact assessment under review.' });
    expect(suspended).toMatchObject({ status: 'SUSPENDED', statusReason: 'Data protection impact assessment under review.', isInForce: false, version: 2 });
    expect(await threatsSeenBy('oxon.mash')).toEqual([]);

    const reinstated = await moved(REINSTATE, suspended);
    expect(reinstated).toMatchObject({ status: 'ACTIVE', statusReason: null, isInForce: true, version: 3 });
    expect(await threatsSeenBy('oxon.mash')).toEqual(['ISA Juniper', 'ISA Larch']);

    const expired = await moved(EXPIRE, reinstated, { reason: 'Superseded by the regional agreement.' });
    expect(expired).toMatchObject({ status: 'EXPIRED', isInForce: false, expiresOn: today(), expiresInDays: 0, version: 4 });
    expect(await threatsSeenBy('oxon.mash')).toEqual([]);
    expect(badFields(await move(REINSTATE, expired))['input.id']).toBe('this agreement is “expired”, so it cannot be reinstated; “expired” is final');

    // Police organisations never needed it.
    expect(await threatsSeenBy('surrey.investigator')).toEqual(['ISA Juniper', 'ISA Larch', 'ISA Sensitive', 'ISA Surrey Rowan']);
  });

  it('keeps the history of every change, with who made it', async () => {
    const active = await createAgreement();
    const suspended = await moved(SUSPEND, active, { reason: 'Breach under investigation.' });
    const { node } = expectData(
      await app.gql('serocu.admin', 'query ($id: ID!) { node(id: $id) { ... on InformationSharingAgreement { history { version action actor { username } changes { field from to } } } } }', {
        id: suspended.id,
      }),
    );
    expect(node.history.map((h: any) => [h.version, h.action, h.actor?.username])).toEqual([
      [1, 'CREATE', 'serocu.admin'],
      [2, 'UPDATE', 'serocu.admin'],
    ]);
    expect(node.history[1].changes).toEqual(
      expect.arrayContaining([
        { field: 'status', from: 'ACTIVE', to: 'SUSPENDED' },
        { field: 'statusReason', from: null, to: 'Breach under investigation.' },
      ]),
    );
  });

  it('a DRAFT grants nothing until it is activated', async () => {
    const draft = await createAgreement({ status: 'DRAFT' });
    expect(draft).toMatchObject({ status: 'DRAFT', isInForce: false });
    expect(await threatsSeenBy('oxon.mash')).toEqual([]);
    await moved(ACTIVATE, draft);
    expect(await threatsSeenBy('oxon.mash')).toEqual(['ISA Juniper', 'ISA Larch']);
  });

  it('an agreement in force but not yet started, or one whose expiry day has come, grants nothing', async () => {
    await createAgreement({ effectiveFrom: inDays(1), expiresOn: inDays(30) });
    expect(await threatsSeenBy('oxon.mash')).toEqual([]);
    const agreement = await createAgreement();
    expect(await threatsSeenBy('oxon.mash')).toEqual(['ISA Juniper', 'ISA Larch']);
    // The day comes while the server runs.
    await sql('update information_sharing_agreement set expires_on = current_date where id = ?', [dbId(agreement.id)]);
    expect(await threatsSeenBy('oxon.mash')).toEqual([]);
  });

  it('an agreement not covering threats, or not naming the owner, gives no threats', async () => {
    await createAgreement({ dataCategories: ['PLAN', 'REFERRAL'] });
    expect(await threatsSeenBy('oxon.mash')).toEqual([]);
    // Surrey and the partner: Surrey's threat, never TVP's.
    await createAgreement({}, ['SURREY', 'OXON_CS']);
    expect(await threatsSeenBy('oxon.mash')).toEqual(['ISA Surrey Rowan']);
  });

  it("an agreement's highest marking stops records marked above it", async () => {
    // Cleared higher, so that only the agreement's marking can stop the sensitive threat.
    await sql(`update app_user set clearance = 'OFFICIAL_SENSITIVE' where username = 'oxon.mash'`);
    try {
      await createAgreement({ maxProtectiveMarking: 'OFFICIAL' });
      expect(await threatsSeenBy('oxon.mash')).toEqual(['ISA Juniper', 'ISA Larch']);
      await createAgreement({ maxProtectiveMarking: 'OFFICIAL_SENSITIVE' });
      expect(await threatsSeenBy('oxon.mash')).toEqual(['ISA Juniper', 'ISA Larch', 'ISA Sensitive']);
    } finally {
      await sql(`update app_user set clearance = 'OFFICIAL' where username = 'oxon.mash'`);
    }
  });
});

describe('only administrators manage agreements', () => {
  it.each(['tvp.investigator', 'serocu.auditor', 'oxon.mash', 'serocu.sro'])('%s cannot create, change or move one', async (as) => {
    const before = await countAgreements();
    const created = await app.gql(as, CREATE, { input: await agreementInput({ title: `By ${as}` }) });
    expect(errorOf(created).extensions!.code).toBe('FORBIDDEN');
    expect(await countAgreements()).toBe(before);

    const draft = await createAgreement({ status: 'DRAFT' });
    const attempts = [
      await app.gql(as, UPDATE, { input: { id: draft.id, expectedVersion: 1, title: 'Changed' } }),
      await move(ACTIVATE, draft, {}, as),
      await move(SUSPEND, draft, { reason: 'no' }, as),
      await move(REINSTATE, draft, {}, as),
      await move(EXPIRE, draft, {}, as),
    ];
    expect(attempts.map((r) => errorOf(r).extensions!.code)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    const [row] = await sql('select title, status, version from information_sharing_agreement where id = ?', [dbId(draft.id)]);
    expect(row).toEqual({ title: draft.title, status: 'DRAFT', version: 1 });
  });

  it('the database refuses agreement and role-policy writes from anyone but an administrator, even without the service', async () => {
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    const [tvp] = await sql(`select id from organisation where code = 'TVP'`);
    const asCaller = async (roles: string, statement: string) => {
      await client.query('begin');
      try {
        await client.query(`select set_config('soc.organisation_id', $1, true), set_config('soc.roles', $2, true), set_config('soc.is_law_enforcement', 'true', true), set_config('role', 'soc_app', true)`, [tvp.id, roles]);
        return await client.query(statement);
      } finally {
        await client.query('rollback');
      }
    };
    const insert = `insert into information_sharing_agreement (title, parties, legal_gateways, data_categories, max_protective_marking, effective_from, expires_on, status)
      values ('Forged', (select array_agg(id) from organisation where code in ('TVP', 'OXON_CS')), '{OTHER}', '{THREAT}', 'SECRET', '2020-01-01', '2099-01-01', 'ACTIVE')`;
    try {
      await expect(asCaller('{INVESTIGATOR}', insert)).rejects.toMatchObject({ code: '42501' });
      await expect(asCaller('{INVESTIGATOR}', `insert into access_role_grant values ('THREAT', 'ADMIN')`)).rejects.toMatchObject({ code: '42501' });
      expect((await asCaller('{INVESTIGATOR}', `update information_sharing_agreement set status = 'ACTIVE'`)).rowCount).toBe(0);
      expect((await asCaller('{INVESTIGATOR}', `delete from access_role_grant`)).rowCount).toBe(0);
      expect((await asCaller('{ADMIN}', insert)).rowCount).toBe(1);
    } finally {
      await client.end();
    }
  });
});

describe('who sees which agreements', () => {
  let oxon: any;
  let surrey: any;
  let bucks: any;
  beforeAll(async () => {
    // Referrals only, so these never change what the threat tests above read.
    oxon = await createAgreement({ title: 'List Oxfordshire', dataCategories: ['REFERRAL'], expiresOn: inDays(20) });
    surrey = await createAgreement({ title: 'List Surrey', dataCategories: ['REFERRAL', 'NOMINAL'], status: 'DRAFT' }, ['SURREY', 'SURREY_CS']);
    bucks = await createAgreement({ title: 'List Bucks', dataCategories: ['PLAN'], expiresOn: inDays(200) }, ['SEROCU', 'TVP', 'BUCKS_TS']);
    await createAgreement({ title: 'List Hampshire', dataCategories: ['PRACTICE'], effectiveFrom: inDays(5), expiresOn: inDays(25) }, ['HIOW', 'HANTS_CS']);
  });

  const titles = async (as: string, filter: Record<string, unknown> = {}) => {
    const data = expectData(await app.gql(as, LIST, { filter, first: 100, orderBy: [{ field: 'TITLE', direction: 'ASC' }] }));
    return data.sharingAgreements.edges.map((e: any) => e.node.title).filter((t: string) => t.startsWith('List '));
  };

  it('a party sees the agreements its organisation is party to; administrators and auditors see all', async () => {
    expect(await titles('oxon.mash')).toEqual(['List Oxfordshire']);
    expect(await titles('surrey.investigator')).toEqual(['List Surrey']);
    expect(await titles('tvp.investigator')).toEqual(['List Bucks', 'List Oxfordshire']);
    expect(await titles('hmrc.officer')).toEqual([]);
    const all = ['List Bucks', 'List Hampshire', 'List Oxfordshire', 'List Surrey'];
    expect(await titles('serocu.admin')).toEqual(all);
    expect(await titles('serocu.auditor')).toEqual(all);
  });

  it("another organisations' agreement is not found by node(id)", async () => {
    const find = async (as: string) => expectData(await app.gql(as, 'query ($id: ID!) { node(id: $id) { id } }', { id: surrey.id })).node;
    expect(await find('oxon.mash')).toBeNull();
    expect(await find('surrey.investigator')).toEqual({ id: surrey.id });
    expect(await find('serocu.auditor')).toEqual({ id: surrey.id });
  });

  it('filters by status, party, category, being in force and expiring soon', async () => {
    expect(await titles('serocu.admin', { status: ['DRAFT'] })).toEqual(['List Surrey']);
    expect(await titles('serocu.admin', { organisationIds: [await orgId(app, 'BUCKS_TS'), await orgId(app, 'HANTS_CS')] })).toEqual(['List Bucks', 'List Hampshire']);
    expect(await titles('serocu.admin', { dataCategory: 'REFERRAL' })).toEqual(['List Oxfordshire', 'List Surrey']);
    expect(await titles('serocu.admin', { inForce: true })).toEqual(['List Bucks', 'List Oxfordshire']);
    expect(await titles('serocu.admin', { inForce: false })).toEqual(['List Hampshire', 'List Surrey']);
    // In force and ending within 60 days: not the one that has not started, not the one ending in 200.
    expect(await titles('serocu.admin', { expiringWithinDays: 60 })).toEqual(['List Oxfordshire']);
    expect(await titles('oxon.mash', { organisationIds: [await orgId(app, 'SURREY_CS')] })).toEqual([]);
    const negative = await app.gql('serocu.admin', LIST, { filter: { expiringWithinDays: -1 } });
    expect(badFields(negative)).toEqual({ 'filter.expiringWithinDays': 'must be 0 or more' });
  });

  it('says how many days are left', async () => {
    const data = expectData(await app.gql('serocu.admin', 'query ($id: ID!) { node(id: $id) { ... on InformationSharingAgreement { expiresInDays isInForce } } }', { id: bucks.id }));
    // Counted from today as the query runs, not as the agreement was made: a run that crosses
    // midnight between the two would otherwise be a day out.
    const daysLeft = Math.round((Date.parse(bucks.expiresOn) - Date.parse(today())) / 86_400_000);
    expect(daysLeft).toBeGreaterThanOrEqual(199);
    expect(data.node).toEqual({ expiresInDays: daysLeft, isInForce: true });
    expect(oxon.expiresInDays).toBe(20);
  });

  it("has row-level security enabled and forced on agreements, and soc_can_read checks agreements through a function that does not depend on the caller's view of them", async () => {
    const [table] = await sql(`select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class where relname = 'information_sharing_agreement'`);
    expect(table).toEqual({ enabled: true, forced: true });
    // soc_can_read is generated from the access catalogue (Migration20261206005100_generated_can_read)
    // and reads agreements as the policies do, through soc_caller_agreement_ranks.
    const functions = await sql(`select proname, prosecdef, prosrc from pg_proc where proname in ('soc_can_read', 'soc_caller_agreement_ranks') order by proname = 'soc_caller_agreement_ranks'`);
    expect(functions.map((f: any) => [f.proname, f.prosecdef])).toEqual([['soc_can_read', false], ['soc_caller_agreement_ranks', true]]);
    expect(functions[0].prosrc).toContain(`soc_caller_agreement_ranks('THREAT')`);
    expect(functions[0].prosrc).not.toContain('information_sharing_agreement');
  });

  it('the database alone shows a caller only the agreements its organisation is party to', async () => {
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    const [org] = await sql(`select id from organisation where code = 'OXON_CS'`);
    try {
      await client.query('begin');
      await client.query(`select set_config('soc.organisation_id', $1, true), set_config('soc.roles', '{SAFEGUARDING_PRACTITIONER}', true), set_config('role', 'soc_app', true)`, [org.id]);
      const { rows } = await client.query(`select title from information_sharing_agreement where title like 'List %'`);
      expect(rows.map((r) => r.title)).toEqual(['List Oxfordshire']);
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });

  it('loads parties, authors and history in batches: the same number of SQL statements for 2 or 4 agreements', async () => {
    const NESTED = `query ($first: Int, $filter: AgreementFilter) { sharingAgreements(first: $first, filter: $filter, orderBy: [{ field: TITLE, direction: ASC }]) {
      edges { node { title parties { code } createdBy { username } updatedBy { username } history { action actor { username } } } } } }`;
    const filter = { organisationIds: await Promise.all(['OXON_CS', 'SURREY_CS', 'BUCKS_TS', 'HANTS_CS'].map((c) => orgId(app, c))) };
    const measure = async (first: number) => {
      await app.gql('serocu.admin', '{ viewer { username } }');
      const sent = await statementsSentDuring(app, async () => {
        expect(expectData(await app.gql('serocu.admin', NESTED, { first, filter })).sharingAgreements.edges).toHaveLength(first);
      });
      return sent.sql.length;
    };
    expect(await measure(4)).toBe(await measure(2));
  });
});

describe('rules at entry and the lifecycle', () => {
  it('refuses a bad agreement naming every bad field, and writes nothing', async () => {
    const before = await countAgreements();
    const result = await app.gql('serocu.admin', CREATE, {
      input: await agreementInput({
        title: '  ',
        partyIds: [await orgId(app, 'TVP')],
        legalGateways: [],
        dataCategories: [],
        purposes: [''],
        effectiveFrom: '2026-06-01',
        expiresOn: '2026-05-01',
        status: 'SUSPENDED',
      }),
    });
    expect(Object.keys(badFields(result)).sort()).toEqual([
      'input.dataCategories',
      'input.expiresOn',
      'input.legalGateways',
      'input.partyIds',
      'input.purposes[0]',
      'input.status',
      'input.title',
    ]);
    expect(await countAgreements()).toBe(before);
  });

  it('needs a party that is not law enforcement, organisations that exist, and no party twice', async () => {
    const policeOnly = await app.gql('serocu.admin', CREATE, { input: await agreementInput({}, ['TVP', 'SURREY']) });
    expect(badFields(policeOnly)['input.partyIds']).toMatch(/not law enforcement/);
    const [tvp, oxon] = [await orgId(app, 'TVP'), await orgId(app, 'OXON_CS')];
    const missing = Buffer.from('Organisation:00000000-0000-4000-8000-000000000000').toString('base64url');
    const strange = await app.gql('serocu.admin', CREATE, { input: await agreementInput({ partyIds: [tvp, oxon, missing, 'nonsense', oxon] }) });
    expect(badFields(strange)).toEqual({
      'input.partyIds': 'names the same organisation twice',
      'input.partyIds[2]': 'no such organisation',
      'input.partyIds[3]': 'is not the ID of a Organisation',
    });
    const ended = await app.gql('serocu.admin', CREATE, { input: await agreementInput({ effectiveFrom: inDays(-100), expiresOn: today() }) });
    expect(Object.keys(badFields(ended))).toEqual(['input.expiresOn']);
  });

  it('changes a DRAFT freely, with optimistic concurrency', async () => {
    const draft = await createAgreement({ status: 'DRAFT', title: 'Draft to edit' });
    const changed = expectData(
      await app.gql('serocu.admin', UPDATE, {
        input: { id: draft.id, expectedVersion: 1, title: 'Edited draft', dataCategories: ['REFERRAL', 'NOMINAL'], partyIds: [await orgId(app, 'HIOW'), await orgId(app, 'HANTS_CS')] },
      }),
    ).updateSharingAgreement;
    expect(changed).toMatchObject({ title: 'Edited draft', dataCategories: ['REFERRAL', 'NOMINAL'], parties: [{ code: 'HIOW' }, { code: 'HANTS_CS' }], version: 2, status: 'DRAFT' });
    const stale = await app.gql('serocu.admin', UPDATE, { input: { id: draft.id, expectedVersion: 1, title: 'Lost update' } });
    expect(errorOf(stale).extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const bad = await app.gql('serocu.admin', UPDATE, { input: { id: draft.id, expectedVersion: 2, expiresOn: changed.effectiveFrom, legalGateways: [] } });
    expect(Object.keys(badFields(bad)).sort()).toEqual(['input.expiresOn', 'input.legalGateways']);
    const staleMove = await move(ACTIVATE, draft);
    expect(errorOf(staleMove).extensions!.code).toBe('CONFLICT');
  });

  it('of an ACTIVE agreement only extends expiresOn; a suspended or expired one is not changed', async () => {
    const active = await createAgreement({ title: 'Active to extend', dataCategories: ['PRACTICE'] }, ['SEROCU', 'BUCKS_TS']);
    const rewrite = await app.gql('serocu.admin', UPDATE, { input: { id: active.id, expectedVersion: 1, title: 'Rewritten', maxProtectiveMarking: 'SECRET', expiresOn: inDays(10) } });
    const refused = badFields(rewrite);
    expect(Object.keys(refused).sort()).toEqual(['input.expiresOn', 'input.maxProtectiveMarking', 'input.title']);
    // Read on screen: the date it must go beyond is in words (server/src/shared/plain-dates.ts), never ISO.
    expect(refused['input.expiresOn']).toBe(`can only be extended beyond ${inWords(inDays(365))} while the agreement is ACTIVE`);
    expect(refused['input.expiresOn']).not.toMatch(ISO_DATE);
    const extended = expectData(await app.gql('serocu.admin', UPDATE, { input: { id: active.id, expectedVersion: 1, expiresOn: inDays(700) } })).updateSharingAgreement;
    expect(extended).toMatchObject({ expiresOn: inDays(700), title: 'Active to extend', version: 2 });
    const suspended = await moved(SUSPEND, extended, { reason: 'Paused.' });
    expect(badFields(await app.gql('serocu.admin', UPDATE, { input: { id: active.id, expectedVersion: suspended.version, expiresOn: inDays(900) } }))['input.id']).toMatch(/agreement that is “suspended” cannot be changed/);
  });

  it('refuses illegal moves, naming the allowed ones; suspending needs a reason', async () => {
    const draft = await createAgreement({ status: 'DRAFT', dataCategories: ['PRACTICE'] }, ['SEROCU', 'BUCKS_TS']);
    expect(badFields(await move(SUSPEND, draft, { reason: 'Why not' }))).toEqual({
      'input.id': 'this agreement is “draft”, so it cannot be suspended; it can only be activated',
    });
    expect(badFields(await move(REINSTATE, draft))['input.id']).toBe('this agreement is “draft”, so it cannot be reinstated; it can only be activated');
    expect(badFields(await move(EXPIRE, draft))['input.id']).toBe('this agreement is “draft”, so it cannot be expired; it can only be activated');
    const active = await moved(ACTIVATE, draft);
    expect(badFields(await move(ACTIVATE, active))['input.id']).toBe(
      'this agreement is “active”, so it cannot be activated; it can only be suspended or expired',
    );
    expect(badFields(await move(REINSTATE, active))['input.id']).toBe('this agreement is “active”, so it cannot be reinstated; it can only be suspended or expired');
    expect(badFields(await move(SUSPEND, active, { reason: '   ' }))).toEqual({ 'input.reason': 'is required' });
    const suspended = await moved(SUSPEND, active, { reason: 'Audit.' });
    expect(badFields(await move(SUSPEND, suspended, { reason: 'Again' }))['input.id']).toBe('this agreement is “suspended”, so it cannot be suspended; it can only be reinstated or expired');
    expect(badFields(await move(ACTIVATE, suspended))['input.id']).toBe('this agreement is “suspended”, so it cannot be activated; it can only be reinstated or expired');
    expect((await moved(EXPIRE, suspended)).status).toBe('EXPIRED');
  });

  it('will not activate a draft whose expiry day has come', async () => {
    const draft = await createAgreement({ status: 'DRAFT', effectiveFrom: inDays(-60), expiresOn: inDays(-1), dataCategories: ['PRACTICE'] }, ['SEROCU', 'BUCKS_TS']);
    const refused = badFields(await move(ACTIVATE, draft));
    expect(Object.keys(refused)).toEqual(['input.id']);
    expect(refused['input.id']).toBe(`its expiry date (${inWords(inDays(-1))}) has come; extend it before activating`);
    expect(refused['input.id']).not.toMatch(ISO_DATE);
  });
});

describe('the role policy', () => {
  const GRANTS = '{ accessRoleGrants { dataCategory roles } }';
  const SET = 'mutation ($input: SetAccessRoleGrantsInput!) { setAccessRoleGrants(input: $input) { dataCategory roles } }';
  const threatRoles = async () => expectData(await app.gql('serocu.admin', GRANTS)).accessRoleGrants.find((g: any) => g.dataCategory === 'THREAT').roles as string[];

  beforeAll(() => createThreat(app, 'tvp.investigator', { name: 'ISA Policy Elm', access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } }));

  it('lists every category for administrators and auditors only', async () => {
    const grants = expectData(await app.gql('serocu.auditor', GRANTS)).accessRoleGrants;
    expect(grants.map((g: any) => g.dataCategory)).toEqual(['THREAT', 'NOMINAL', 'PLAN', 'DISRUPTION', 'REFERRAL', 'PRACTICE', 'INTELLIGENCE', 'ANALYTICAL_REQUEST']);
    expect(grants[0].roles).toContain('INVESTIGATOR');
    expect(grants[0].roles).not.toContain('ADMIN');
    expect(errorOf(await app.gql('tvp.investigator', GRANTS)).extensions!.code).toBe('FORBIDDEN');
  });

  it('takes a role away from a category, and gives it back, at once', async () => {
    const original = await threatRoles();
    expect(await threatsSeenBy('surrey.investigator')).toContain('ISA Policy Elm');
    try {
      const without = original.filter((r) => r !== 'INVESTIGATOR');
      const set = expectData(await app.gql('serocu.admin', SET, { input: { dataCategory: 'THREAT', roles: without } })).setAccessRoleGrants;
      expect(set).toEqual({ dataCategory: 'THREAT', roles: [...without].sort() });
      expect(await threatsSeenBy('surrey.investigator')).toEqual([]);
      // Other roles keep reading them.
      expect(await threatsSeenBy('hiow.analyst')).toContain('ISA Policy Elm');
    } finally {
      expectData(await app.gql('serocu.admin', SET, { input: { dataCategory: 'THREAT', roles: original } }));
    }
    expect(await threatsSeenBy('surrey.investigator')).toContain('ISA Policy Elm');
  });

  it('refuses to leave a category with no role, and lets only administrators change it', async () => {
    const before = await threatRoles();
    expect(badFields(await app.gql('serocu.admin', SET, { input: { dataCategory: 'THREAT', roles: [] } }))).toEqual({
      'input.roles': 'name at least one role: THREAT records must remain readable by someone',
    });
    for (const as of ['serocu.auditor', 'tvp.investigator']) {
      expect(errorOf(await app.gql(as, SET, { input: { dataCategory: 'THREAT', roles: ['AUDITOR'] } })).extensions!.code).toBe('FORBIDDEN');
    }
    expect(await threatRoles()).toEqual(before);
  });
});

// Agreements, and what they grant, hold with either layer alone: row-level security without the
// application's filters, and the application's filters without row-level security.
describe.each([
  ['row-level security alone', { database: true, application: false }],
  ['the application policy alone', { database: false, application: true }],
])('with %s', (_mode, accessLayers) => {
  let layered: TestApp;
  beforeAll(async () => (layered = await createTestApp({ accessLayers })));
  afterAll(() => layered.stop());

  it('a party sees only its own agreements, and what they grant ends when one is suspended', async () => {
    const create = async (title: string, parties: string[]) =>
      expectData(
        await layered.gql('serocu.admin', CREATE, {
          input: { ...(await agreementInput({ title })), partyIds: await Promise.all(parties.map((c) => orgId(layered, c))) },
        }),
      ).createSharingAgreement;
    await createThreat(layered, 'tvp.investigator', { name: 'ISA Layered', access: OFFICIAL_TO_ALL });
    const seen = async () =>
      expectData(await layered.gql('oxon.mash', '{ threats(first: 100) { edges { node { name } } } }')).threats.edges.map((e: any) => e.node.name);
    expect(await seen()).toEqual([]);
    const ours = await create('Layered Oxfordshire', ['TVP', 'OXON_CS']);
    const theirs = await create('Layered Surrey', ['SURREY', 'SURREY_CS']);
    const list = expectData(await layered.gql('oxon.mash', LIST, { first: 100 })).sharingAgreements;
    expect(list.edges.map((e: any) => e.node.title)).toEqual(['Layered Oxfordshire']);
    expect(list.totalCount).toBe(1);
    expect(expectData(await layered.gql('oxon.mash', 'query ($id: ID!) { node(id: $id) { id } }', { id: theirs.id })).node).toBeNull();
    expect(await seen()).toEqual(['ISA Layered']);
    expectData(await layered.gql('serocu.admin', SUSPEND, { input: { id: ours.id, expectedVersion: ours.version, reason: 'Review.' } }));
    expect(await seen()).toEqual([]);
  });
});
