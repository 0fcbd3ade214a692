import { createTestApp, type TestApp } from '../support/test-app';
import { THREAT_FIELDS, createThreat, expectData, moveThreat, orgId, threatInput, approvedAssessment, userId } from '../support/factories';
import { stampedDays } from '../support/clock';
import { enumSpellingsIn } from '../support/enum-spellings';
import { statementsSentDuring } from '../support/statements';

const CREATE = `mutation ($input: CreateThreatInput!) { createThreat(input: $input) { ${THREAT_FIELDS} } }`;

let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

async function threatCount(): Promise<number> {
  const [{ count }] = await app.app.orm.em.getConnection().execute('select count(*)::int as count from soc_threat');
  return count;
}

describe('recording a threat', () => {
  it('creates a threat with all its criminal activities, owned by the caller, marked and shared from the start', async () => {
    const lroId = await userId(app, 'serocu.lro');
    const result = await app.gql('tvp.investigator', `mutation ($input: CreateThreatInput!) {
      createThreat(input: $input) { ${THREAT_FIELDS} lro { username } createdBy { username } history { action version part } } }`, {
      input: await threatInput(app, {
        lroId,
        criminalActivities: [
          { category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply.', firstIdentified: '2025-06-01' },
          { category: 'MODERN_SLAVERY_HUMAN_TRAFFICKING', subCategory: 'CHILD_CRIMINAL_EXPLOITATION', description: 'Children used to run drugs.', firstIdentified: '2025-07-01' },
          { category: 'MONEY_LAUNDERING', description: 'Cash through a car wash.', firstIdentified: '2025-08-01' },
        ],
      }),
    });
    const threat = expectData(result).createThreat;
    expect(threat).toMatchObject({
      name: 'Operation Juniper',
      status: 'TRIGGER_SUBMITTED',
      version: 1,
      priority: null,
      protectiveMarking: 'OFFICIAL_SENSITIVE',
      sharing: 'REGIONAL_LAW_ENFORCEMENT',
      owningOrganisation: { code: 'TVP' },
      leadOrganisation: { code: 'TVP' },
      lro: { username: 'serocu.lro' },
      createdBy: { username: 'tvp.investigator' },
    });
    expect(threat.urn).toMatch(/^SE-2025-[2-9A-HJKMNP-Z]{8}$/);
    expect(threat.criminalActivities.map((a: any) => a.category)).toEqual(['ILLEGAL_DRUGS', 'MODERN_SLAVERY_HUMAN_TRAFFICKING', 'MONEY_LAUNDERING']);
    expect(threat.history).toEqual(
      expect.arrayContaining([
        { action: 'CREATE', version: 1, part: null },
        { action: 'CREATE', version: null, part: 'criminalActivity' },
      ]),
    );
  });

  it('reports every invalid field in one response and writes nothing', async () => {
    const before = await threatCount();
    const result = await app.gql('tvp.investigator', CREATE, {
      input: await threatInput(app, {
        name: '  ',
        identifiedOn: '2099-01-01',
        leadOrganisationId: 'bm90LWFuLWlk',
        criminalActivities: [{ category: 'FRAUD', description: '', firstIdentified: '2099-01-01', subCategory: 'not valid' }],
        access: { protectiveMarking: 'OFFICIAL', sharing: 'NAMED_ORGANISATIONS' },
      }),
    });
    expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const fields = result.errors![0].extensions!.fields.map((f: any) => f.field).sort();
    expect(fields).toEqual([
      'input.access.sharedWithIds',
      'input.criminalActivities[0].description',
      'input.criminalActivities[0].firstIdentified',
      'input.criminalActivities[0].subCategory',
      'input.identifiedOn',
      'input.leadOrganisationId',
      'input.name',
    ]);
    expect(await threatCount()).toBe(before);
  });

  it('refuses a threat with no criminal activity', async () => {
    const result = await app.gql('tvp.investigator', CREATE, { input: await threatInput(app, { criminalActivities: [] }) });
    expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.criminalActivities', message: 'record at least one criminal activity' }] });
  });

  it('refuses a badly formed date before any resolver runs', async () => {
    const result = await app.gql('tvp.investigator', CREATE, { input: await threatInput(app, { identifiedOn: '2025-02-30' }) });
    expect(result.status).toBe(400);
    expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(result.errors![0].message).toMatch(/identifiedOn.*YYYY-MM-DD/);
  });
});

describe('the status lifecycle', () => {
  it('refuses illegal moves, naming the allowed ones', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const result = await app.gql('tvp.investigator', `mutation ($input: ChangeThreatStatusInput!) { changeThreatStatus(input: $input) { status } }`, {
      input: { id: threat.id, expectedVersion: threat.version, status: 'ADOPTED' },
    });
    expect(result.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.status', message: 'this threat is “trigger submitted”, so it cannot become “adopted”; next it can only become “under assessment”' }],
    });
  });

  it('needs an approved assessment to be assessed or adopted, and a reason to be archived', async () => {
    let threat = await createThreat(app, 'tvp.investigator');
    threat = await moveThreat(app, 'tvp.investigator', threat, 'UNDER_ASSESSMENT');
    const early = await app.gql('tvp.investigator', `mutation ($input: ChangeThreatStatusInput!) { changeThreatStatus(input: $input) { status } }`, {
      input: { id: threat.id, expectedVersion: threat.version, status: 'ASSESSED' },
    });
    expect(early.errors![0].extensions!.fields[0]).toEqual({ field: 'input.status', message: 'to become “assessed”, a threat needs an approved assessment of the whole threat first' });

    await approvedAssessment(app, threat.id, { level: 2 });
    threat = await moveThreat(app, 'tvp.investigator', threat, 'ASSESSED');
    threat = await moveThreat(app, 'tvp.investigator', threat, 'ADOPTED');
    expect(threat.status).toBe('ADOPTED');
    expect(await stampedDays(app.db.url)).toContain(threat.adoptedOn);
    expect(threat.nextReviewDue > threat.adoptedOn).toBe(true);

    threat = await moveThreat(app, 'tvp.investigator', threat, 'UNDER_REVIEW');
    const noReason = await app.gql('tvp.investigator', `mutation ($input: ChangeThreatStatusInput!) { changeThreatStatus(input: $input) { status } }`, {
      input: { id: threat.id, expectedVersion: threat.version, status: 'ARCHIVED' },
    });
    expect(noReason.errors![0].extensions!.fields[0]).toEqual({ field: 'input.archiveReason', message: 'is required to archive a threat' });
    threat = await moveThreat(app, 'tvp.investigator', threat, 'ARCHIVED', { archiveReason: 'DISMANTLED' });
    expect(threat.status).toBe('ARCHIVED');
    const after = await app.gql('tvp.investigator', `mutation ($input: ChangeThreatStatusInput!) { changeThreatStatus(input: $input) { status } }`, {
      input: { id: threat.id, expectedVersion: threat.version, status: 'ADOPTED' },
    });
    expect(after.errors![0].extensions!.fields[0].message).toBe('this threat is “archived”, so it cannot become “adopted”; “archived” is final');
  });

  it('says every refusal of a move in words, never in the API\'s spellings, with the field and code for programs', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const refusals = [];
    for (const status of ['ASSESSED', 'ADOPTED', 'ARCHIVED', 'UNDER_REVIEW', 'REJECTED']) {
      const result = await app.gql('tvp.investigator', `mutation ($input: ChangeThreatStatusInput!) { changeThreatStatus(input: $input) { status } }`, {
        input: { id: threat.id, expectedVersion: threat.version, status },
      });
      expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.status' }] });
      refusals.push(result.errors![0].extensions!.fields[0].message);
    }
    expect(refusals.flatMap(enumSpellingsIn)).toEqual([]);
  });
});

describe('optimistic concurrency', () => {
  it('refuses a stale expectedVersion with CONFLICT and changes nothing', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const UPDATE = `mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { name version } }`;
    const first = expectData(await app.gql('tvp.investigator', UPDATE, { input: { id: threat.id, expectedVersion: 1, name: 'Operation Hawthorn' } }));
    expect(first.updateThreat).toEqual({ name: 'Operation Hawthorn', version: 2 });
    const stale = await app.gql('tvp.investigator', UPDATE, { input: { id: threat.id, expectedVersion: 1, name: 'Operation Stale' } });
    expect(stale.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const now = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on SocThreat { name version } } }`, { id: threat.id }));
    expect(now.node).toEqual({ name: 'Operation Hawthorn', version: 2 });
  });

  it('only the owning organisation may change a threat', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const result = await app.gql('surrey.investigator', `mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { name } }`, {
      input: { id: threat.id, expectedVersion: 1, name: 'Not yours' },
    });
    expect(result.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});

describe('criminal activities, members and links', () => {
  it('adds, updates and removes activities, keeping at least one, each change in the history', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const ADD = `mutation ($input: AddCriminalActivityInput!) { addCriminalActivity(input: $input) { version criminalActivities { id category } } }`;
    const added = expectData(await app.gql('tvp.investigator', ADD, {
      input: { threatId: threat.id, expectedVersion: 1, activity: { category: 'ILLEGAL_FIREARMS', description: 'Converted blank-firers.', firstIdentified: '2025-09-01' } },
    })).addCriminalActivity;
    expect(added.version).toBe(2);
    expect(added.criminalActivities.map((a: any) => a.category)).toEqual(['ILLEGAL_DRUGS', 'ILLEGAL_FIREARMS']);

    const firearms = added.criminalActivities[1].id;
    const updated = expectData(await app.gql('tvp.investigator', `mutation ($input: UpdateCriminalActivityInput!) { updateCriminalActivity(input: $input) { version criminalActivities { description } } }`, {
      input: { id: firearms, expectedVersion: 2, activity: { category: 'ILLEGAL_FIREARMS', description: 'Reactivated pistols.', firstIdentified: '2025-09-01' } },
    })).updateCriminalActivity;
    expect(updated.criminalActivities[1].description).toBe('Reactivated pistols.');

    const REMOVE = `mutation ($input: RemoveCriminalActivityInput!) { removeCriminalActivity(input: $input) { version criminalActivities { category } history { part action changes { field from to } } } }`;
    const removed = expectData(await app.gql('tvp.investigator', REMOVE, { input: { id: firearms, expectedVersion: 3 } })).removeCriminalActivity;
    expect(removed.criminalActivities).toEqual([{ category: 'ILLEGAL_DRUGS' }]);
    const activityHistory = removed.history.filter((h: any) => h.part === 'criminalActivity').map((h: any) => h.action);
    expect(activityHistory).toEqual(['CREATE', 'CREATE', 'UPDATE', 'DELETE']);
    expect(removed.history.find((h: any) => h.part === 'criminalActivity' && h.action === 'UPDATE').changes).toEqual([
      { field: 'description', from: 'Converted blank-firers.', to: 'Reactivated pistols.' },
    ]);

    const last = await app.gql('tvp.investigator', REMOVE, { input: { id: threat.criminalActivities[0].id, expectedVersion: 4 } });
    expect(last.errors![0].extensions!.fields[0].message).toMatch(/at least one criminal activity/);
  });

  it('links people and threats, seen from both sides', async () => {
    const a = await createThreat(app, 'tvp.investigator', { name: 'Operation Alder' });
    const b = await createThreat(app, 'tvp.investigator', { name: 'Operation Birch' });
    const nominal = expectData(await app.gql('tvp.investigator', `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id isChild name } }`, {
      input: { name: 'Kieran Vosper', aliases: ['KV'], dateOfBirth: '2010-03-14', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } },
    })).createNominal;
    expect(nominal.isChild).toBe(true);

    const withMember = expectData(await app.gql('tvp.investigator', `mutation ($input: AddMemberInput!) { addMember(input: $input) { version members { role nominal { name } } } }`, {
      input: { threatId: a.id, expectedVersion: 1, nominalId: nominal.id, role: 'EXPLOITED_VICTIM', from: '2025-06-01' },
    })).addMember;
    expect(withMember.members).toEqual([{ role: 'EXPLOITED_VICTIM', nominal: { name: 'Kieran Vosper' } }]);

    expectData(await app.gql('tvp.investigator', `mutation ($input: LinkThreatsInput!) { linkThreats(input: $input) { id } }`, {
      input: { threatId: a.id, expectedVersion: 2, linkedThreatId: b.id, reason: 'Shared runners and phones.' },
    }));
    const seen = expectData(await app.gql('tvp.investigator', `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on SocThreat { name linkedThreats { reason threat { name } } } } }`, { ids: [a.id, b.id] }));
    expect(seen.nodes).toEqual([
      { name: 'Operation Alder', linkedThreats: [{ reason: 'Shared runners and phones.', threat: { name: 'Operation Birch' } }] },
      { name: 'Operation Birch', linkedThreats: [{ reason: 'Shared runners and phones.', threat: { name: 'Operation Alder' } }] },
    ]);
    const again = await app.gql('tvp.investigator', `mutation ($input: LinkThreatsInput!) { linkThreats(input: $input) { id } }`, {
      input: { threatId: b.id, expectedVersion: 1, linkedThreatId: a.id, reason: 'Again.' },
    });
    expect(again.errors![0].extensions!.code).toBe('CONFLICT');

    const person = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on Nominal { memberships { role threat { name } } } } }`, { id: nominal.id }));
    expect(person.node.memberships).toEqual([{ role: 'EXPLOITED_VICTIM', threat: { name: 'Operation Alder' } }]);
  });

  it('creates a person in one statement after signing in (no savepoint, read back in the insert, no identifiers read for a new person), with its history and audit event', async () => {
    const FIELDS = 'id name aliases isChild protectiveMarking sharing version owningOrganisation { code }';
    await app.gql('tvp.investigator', '{ viewer { username } }');
    const { result: created, sql: statements } = await statementsSentDuring(app, async () =>
      expectData(await app.gql('tvp.investigator', `mutation OneStatementNominal($input: CreateNominalInput!) { createNominal(input: $input) { ${FIELDS} } }`, {
        input: { name: '  Dana Quill ', aliases: [' DQ '], access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } },
      })).createNominal,
    );
    expect(statements.filter((sql) => /savepoint/i.test(sql))).toEqual([]);
    expect(statements.filter((sql) => /"nominal"/.test(sql))).toHaveLength(1);
    // No date of birth, so no identifiers to record: a new person holds none, nothing is read to compare.
    expect(statements.filter((sql) => /deconfliction_identifier/.test(sql))).toEqual([]);
    expect(created).toEqual(expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on Nominal { ${FIELDS} } } }`, { id: created.id })).node);
    expect(created).toMatchObject({ name: 'Dana Quill', aliases: ['DQ'], version: 1, owningOrganisation: { code: 'TVP' } });
    const sql = (text: string) => app.app.orm.em.getConnection().execute(text);
    expect(await sql(`select action from record_version where record_type = 'Nominal' and record_id = (select id from nominal where name = 'Dana Quill')`)).toEqual([{ action: 'CREATE' }]);
    expect(await sql(`select action, record_type from audit_event where operation = 'OneStatementNominal'`)).toEqual([{ action: 'CREATE', record_type: 'Nominal' }]);
  });
});

describe('history', () => {
  it('keeps every change with who, when and what', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    expectData(await app.gql('tvp.investigator', `mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { version } }`, {
      input: { id: threat.id, expectedVersion: 1, name: 'Operation Rowan', taskingLevel: 'REGIONAL' },
    }));
    const data = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on SocThreat { history { version action at actor { username } part changes { field from to } } } } }`, { id: threat.id }));
    const update = data.node.history.find((h: any) => h.action === 'UPDATE' && !h.part);
    expect(update).toMatchObject({ version: 2, actor: { username: 'tvp.investigator' } });
    expect(update.changes).toEqual(
      expect.arrayContaining([
        { field: 'name', from: 'Operation Juniper', to: 'Operation Rowan' },
        { field: 'taskingLevel', from: 'FORCE', to: 'REGIONAL' },
      ]),
    );
  });
});

describe('listing threats', () => {
  let fresh: TestApp;
  beforeAll(async () => {
    fresh = await createTestApp();
    const surrey = await orgId(fresh, 'SURREY');
    await createThreat(fresh, 'tvp.investigator', { name: 'Operation Cedar', criminalActivities: [{ category: 'FRAUD', description: 'Romance fraud against older people.', firstIdentified: '2025-01-10' }] });
    await createThreat(fresh, 'surrey.investigator', { name: 'Operation Aspen', leadOrganisationId: surrey, identifiedOn: '2024-11-02' });
    await createThreat(fresh, 'tvp.investigator', { name: 'Operation Beech', criminalActivities: [{ category: 'CYBER_CRIME', description: 'Ransomware affiliate.', firstIdentified: '2025-03-03' }, { category: 'FRAUD', description: 'Invoice fraud.', firstIdentified: '2025-03-03' }] });
    for (let i = 0; i < 12; i++) await createThreat(fresh, 'hiow.analyst', { name: `Operation Filler ${String(i).padStart(2, '0')}` });
  });
  afterAll(() => fresh.stop());

  const LIST = `query ($first: Int, $after: String, $last: Int, $before: String, $filter: ThreatFilter, $orderBy: [ThreatOrder!]) {
    threats(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { name } } } }`;

  it('filters by category, owner, lead organisation, dates and free text', async () => {
    const names = async (filter: object) =>
      expectData(await fresh.gql('serocu.analyst', LIST, { filter, orderBy: [{ field: 'NAME', direction: 'ASC' }] })).threats.edges.map((e: any) => e.node.name);
    expect(await names({ category: ['FRAUD'] })).toEqual(['Operation Beech', 'Operation Cedar']);
    expect(await names({ leadOrganisationIds: [await orgId(fresh, 'SURREY')] })).toEqual(['Operation Aspen']);
    expect(await names({ owningOrganisationIds: [await orgId(fresh, 'TVP')] })).toEqual(['Operation Beech', 'Operation Cedar']);
    expect(await names({ identifiedTo: '2024-12-31' })).toEqual(['Operation Aspen']);
    expect(await names({ text: 'ransomware' })).toEqual(['Operation Beech']);
    expect(await names({ text: '100%_' })).toEqual([]);
    expect(await names({ status: ['ADOPTED'] })).toEqual([]);
  });

  it('pages forwards and backwards with stable cursors and a total', async () => {
    const orderBy = [{ field: 'NAME', direction: 'ASC' }];
    const page1 = expectData(await fresh.gql('serocu.analyst', LIST, { first: 5, orderBy })).threats;
    expect(page1.totalCount).toBe(15);
    expect(page1.edges.map((e: any) => e.node.name)).toEqual(['Operation Aspen', 'Operation Beech', 'Operation Cedar', 'Operation Filler 00', 'Operation Filler 01']);
    expect(page1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const page2 = expectData(await fresh.gql('serocu.analyst', LIST, { first: 5, after: page1.pageInfo.endCursor, orderBy })).threats;
    expect(page2.edges.map((e: any) => e.node.name)).toEqual(['Operation Filler 02', 'Operation Filler 03', 'Operation Filler 04', 'Operation Filler 05', 'Operation Filler 06']);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const back = expectData(await fresh.gql('serocu.analyst', LIST, { last: 2, before: page2.pageInfo.startCursor, orderBy })).threats;
    expect(back.edges.map((e: any) => e.node.name)).toEqual(['Operation Filler 00', 'Operation Filler 01']);
    const end = expectData(await fresh.gql('serocu.analyst', LIST, { last: 3, orderBy })).threats;
    expect(end.edges.map((e: any) => e.node.name)).toEqual(['Operation Filler 09', 'Operation Filler 10', 'Operation Filler 11']);
    expect(end.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const sorted = expectData(await fresh.gql('serocu.analyst', LIST, { first: 2, orderBy: [{ field: 'NAME', direction: 'DESC' }] })).threats;
    expect(sorted.edges.map((e: any) => e.node.name)).toEqual(['Operation Filler 11', 'Operation Filler 10']);
  });

  it('pages by cursor through ties and empty sort values exactly as one long page orders them (keyset cursors)', async () => {
    for (const [orderBy, label] of [
      [[{ field: 'NEXT_REVIEW_DUE', direction: 'ASC' }], 'review ascending (empty last)'],
      [[{ field: 'NEXT_REVIEW_DUE', direction: 'DESC' }, { field: 'NAME', direction: 'ASC' }], 'review descending (empty first), then name'],
      [[{ field: 'UPDATED_AT', direction: 'DESC' }], 'last updated'],
      [[{ field: 'STATUS', direction: 'ASC' }], 'status (many ties)'],
    ] as const) {
      const whole = expectData(await fresh.gql('serocu.analyst', LIST, { first: 100, orderBy })).threats.edges.map((e: any) => e.node.name);
      const paged: string[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const page: any = expectData(await fresh.gql('serocu.analyst', LIST, { first: 2, after, orderBy })).threats;
        paged.push(...page.edges.map((e: any) => e.node.name));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect({ label, paged }).toEqual({ label, paged: whole });
    }
  });

  it('caps first at 100 with a clear error, and refuses foreign cursors', async () => {
    const big = await fresh.gql('serocu.analyst', LIST, { first: 101 });
    expect(big.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'first', message: 'must be between 0 and 100' }] });
    const bad = await fresh.gql('serocu.analyst', LIST, { first: 1, after: 'nonsense' });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'after', message: 'is not a cursor from this list' }] });
  });

  it('loads nested fields in batches: the same number of SQL statements for 5 or 15 threats', async () => {
    const NESTED = `query ($first: Int) { threats(first: $first) { totalCount edges { node {
      name leadOrganisation { code } owningOrganisation { name } criminalActivities { category assessment { riskScore } }
      members { role nominal { name } } linkedThreats { threat { name } } currentAssessment { priority } lro { username } history { action }
    } } } }`;
    const measure = async (first: number) => {
      await fresh.gql('serocu.analyst', '{ viewer { username } }');
      const sent = await statementsSentDuring(fresh, async () => {
        expectData(await fresh.gql('serocu.analyst', NESTED, { first }));
      });
      return sent.sql.length;
    };
    const few = await measure(5);
    const many = await measure(15);
    expect(many).toBe(few);
    // The account lookup and `BEGIN; <caller's settings>` count as two (the second shares the
    // page's message: db/request-db.ts).
    expect(few).toBeLessThanOrEqual(13);
  });
});

describe('node and nodes', () => {
  it('fetches any object by global ID and gives null for unknown or malformed IDs', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const tvp = await orgId(app, 'TVP');
    const data = expectData(await app.gql('tvp.investigator', `query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, {
      ids: [threat.id, threat.criminalActivities[0].id, tvp, 'garbage', Buffer.from('SocThreat:00000000-0000-0000-0000-000000000000').toString('base64url')],
    }));
    expect(data.nodes).toEqual([
      { __typename: 'SocThreat', id: threat.id },
      { __typename: 'CriminalActivity', id: threat.criminalActivities[0].id },
      { __typename: 'Organisation', id: tvp },
      null,
      null,
    ]);
  });
});
