import pg from 'pg';
import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, flatScores, moveThreat } from '../support/factories';
import { purposeFor } from '../support/purposes';
import { createReferral } from '../support/referral-factories';
import { cursorNow, EVENT_FIELDS, LiveSubscription } from '../support/live-client';
import { metrics } from '../../server/src/http/metrics';
import { addYears } from '../../server/src/modules/retention/retention-periods';

/**
 * Retention reviews (MoPI, issue 19): the review queue, retaining with a reason and the next
 * review date, and disposal, which leaves a tombstone and nothing of the record's content in any
 * table while the audit chain still verifies.
 */
let app: TestApp;
let superuser: pg.Client;
beforeAll(async () => {
  app = await createTestApp();
  superuser = new pg.Client({ connectionString: app.db.url });
  await superuser.connect();
});
afterAll(async () => {
  await superuser.end();
  await app.stop();
});

const QUEUE = `query ($first: Int, $after: String) { retentionReviewQueue(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { recordId kind dueSince reviewGroup latestNextReviewOn
    record { id version ... on Nominal { name } ... on IntelligenceReport { reference } }
    reviews { reason nextReviewOn reviewedBy { username } } } } } }`;
const RETAIN = `mutation ($input: RetainRecordInput!) { retainRecord(input: $input) { id version } }`;
const DISPOSE = `mutation ($input: DisposeRecordInput!) { disposeRecord(input: $input) {
  recordId kind disposedOn reason owningOrganisation { code } disposedBy { username } } }`;
const TOMBSTONE = `query ($id: ID!) { disposedRecord(id: $id) { recordId kind disposedOn reason owningOrganisation { code } disposedBy { username } } }`;

const today = async (): Promise<string> => (await superuser.query(`select current_date::text as d`)).rows[0].d;
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];
const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;

async function person(as: string, name: string, extra: Record<string, unknown> = {}) {
  return expectData(
    await app.gql(as, `mutation ($input: CreateNominalInput!) { createNominal(input: $input) { id name version } }`, {
      input: { name, access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' }, ...extra },
    }),
  ).createNominal;
}

async function report(as: string, overrides: Record<string, unknown> = {}) {
  return expectData(
    await app.gql(as, `mutation ($input: CreateIntelligenceReportInput!) { createIntelligenceReport(input: $input) { id reference version } }`, {
      input: {
        receivedOn: '2026-10-14',
        sourceEvaluation: 'RELIABLE',
        intelligenceAssessment: 'C',
        handlingCode: 'P',
        sanitisedText: 'A courier collects cash in Aylesbury on Fridays (fictional).',
        originalText: 'The courier was seen collecting cash at a flat in Aylesbury (fictional).',
        access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
        ...overrides,
      },
    }),
  ).createIntelligenceReport;
}

/** Makes a record's review due on `date` (as if recorded years ago). */
async function dueOn(table: 'nominal' | 'intelligence_report', globalId: string, date: string) {
  await superuser.query(`update ${table} set next_review_on = $2 where id = $1`, [dbId(globalId), date]);
}

async function queue(as: string) {
  return expectData(await app.gql(as, QUEUE, { first: 100 })).retentionReviewQueue;
}

describe('review periods', () => {
  it('a new record is first due for review its period after its date: people 6 years (10 with safeguarding concerns), intelligence by its assessment', async () => {
    const plain = await person('serocu.lro', 'Periwinkle Ashdown');
    const vulnerable = await person('serocu.lro', 'Rowan Ashdown', { vulnerabilityFlags: ['COUNTY_LINES_RISK'] });
    const uncorroborated = await report('serocu.lro', { receivedOn: '2026-01-10', intelligenceAssessment: 'C' });
    const corroborated = await report('serocu.lro', { receivedOn: '2026-01-10', intelligenceAssessment: 'B' });
    const on = async (table: string, id: string) => (await superuser.query(`select next_review_on::text as d from ${table} where id = $1`, [dbId(id)])).rows[0].d;
    const now = await today();
    expect(await on('nominal', plain.id)).toBe(addYears(now, 6));
    expect(await on('nominal', vulnerable.id)).toBe(addYears(now, 10));
    expect(await on('intelligence_report', uncorroborated.id)).toBe('2029-01-10');
    expect(await on('intelligence_report', corroborated.id)).toBe('2032-01-10');
  });
});

describe('the review queue', () => {
  it("lists the caller's organisation's records whose review is due, oldest first, and nothing else", async () => {
    const older = await person('serocu.lro', 'Tamsin Queue-Older');
    const newer = await report('serocu.lro');
    const notYet = await person('serocu.lro', 'Tamsin Queue-NotYet');
    const theirs = await person('tvp.investigator', 'Tamsin Queue-Theirs');
    await dueOn('nominal', older.id, '2026-03-03');
    await dueOn('intelligence_report', newer.id, '2026-04-01');
    await dueOn('nominal', theirs.id, '2026-03-01');

    const mine = await queue('serocu.lro');
    const ids = mine.edges.map((e: any) => e.node.recordId);
    expect(ids).toEqual(expect.arrayContaining([older.id, newer.id]));
    expect(ids).not.toContain(notYet.id);
    expect(ids).not.toContain(theirs.id);
    expect(ids.indexOf(older.id)).toBeLessThan(ids.indexOf(newer.id));
    const olderItem = mine.edges.find((e: any) => e.node.recordId === older.id).node;
    expect(olderItem).toMatchObject({ kind: 'PERSON', dueSince: '2026-03-03', reviewGroup: 'people', record: { id: older.id, name: 'Tamsin Queue-Older' } });
    expect(olderItem.latestNextReviewOn).toBe(addYears(await today(), 6));
    expect(mine.edges.find((e: any) => e.node.recordId === newer.id).node).toMatchObject({ kind: 'INTELLIGENCE_REPORT', reviewGroup: 'uncorroborated intelligence', record: { reference: newer.reference } });

    // TVP's own reviewer... has none of the reviewing roles; an analyst neither: refused.
    expect(codeOf(await app.gql('serocu.analyst', QUEUE, { first: 10 }))).toBe('FORBIDDEN');
  });

  it('pages', async () => {
    for (const n of [1, 2, 3]) await dueOn('nominal', (await person('serocu.lro', `Paging Person ${n}`)).id, `2025-0${n}-01`);
    const first = expectData(await app.gql('serocu.lro', QUEUE, { first: 2 })).retentionReviewQueue;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = expectData(await app.gql('serocu.lro', QUEUE, { first: 100, after: first.pageInfo.endCursor })).retentionReviewQueue;
    expect(rest.edges.length).toBe(first.totalCount - 2);
    const all = [...first.edges, ...rest.edges].map((e: any) => e.node.dueSince);
    expect(all).toEqual([...all].sort());
  });
});

describe('retaining a record', () => {
  it('refuses a missing reason, a date not after today and one beyond the review period, naming each field, and writes nothing', async () => {
    const p = await person('serocu.lro', 'Ottoline Retain-Refused');
    await dueOn('nominal', p.id, '2026-03-03');
    const now = await today();
    for (const [input, field, message] of [
      [{ reason: ' ', nextReviewOn: addYears(now, 1) }, 'input.reason', 'is required'],
      [{ reason: 'Still active.', nextReviewOn: null }, 'input.nextReviewOn', 'is required'],
      [{ reason: 'Still active.', nextReviewOn: now }, 'input.nextReviewOn', 'must be after today'],
      [{ reason: 'Still active.', nextReviewOn: addYears(now, 7) }, 'input.nextReviewOn', /^must be no later than .* 20\d\d: people are reviewed at least every 6 years$/],
    ] as const) {
      const result = await app.gql('serocu.lro', RETAIN, { input: { id: p.id, ...input } });
      expect(result.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field, message: expect.stringMatching(message) }] });
    }
    const [row] = (await superuser.query('select version, next_review_on::text as d from nominal where id = $1', [dbId(p.id)])).rows;
    expect(row).toEqual({ version: 1, d: '2026-03-03' });
    expect((await superuser.query('select count(*)::int as n from retention_review where record_id = $1', [dbId(p.id)])).rows[0].n).toBe(0);
  });

  it('keeps the record with the reason and next review date: it leaves the queue, and returns when that date comes', async () => {
    const p = await person('serocu.lro', 'Ottoline Retained');
    await dueOn('nominal', p.id, '2026-03-03');
    const next = addYears(await today(), 2);
    const retained = expectData(await app.gql('serocu.lro', RETAIN, { input: { id: p.id, reason: 'Linked to an active investigation.', nextReviewOn: next, expectedVersion: 1 } })).retainRecord;
    expect(retained).toEqual({ id: p.id, version: 2 });
    expect((await queue('serocu.lro')).edges.map((e: any) => e.node.recordId)).not.toContain(p.id);

    // A stale version is a conflict.
    expect(codeOf(await app.gql('serocu.lro', RETAIN, { input: { id: p.id, reason: 'Again.', nextReviewOn: next, expectedVersion: 1 } }))).toBe('CONFLICT');

    await dueOn('nominal', p.id, '2026-03-04');
    const item = (await queue('serocu.lro')).edges.find((e: any) => e.node.recordId === p.id).node;
    expect(item.reviews).toEqual([{ reason: 'Linked to an active investigation.', nextReviewOn: next, reviewedBy: { username: 'serocu.lro' } }]);
  });

  it("is for the owner's reviewers: another organisation's record is FORBIDDEN, a hidden one NOT_FOUND exactly as a missing one, others' roles FORBIDDEN", async () => {
    const theirs = await person('tvp.investigator', 'Shared Not Mine');
    const hidden = await person('tvp.investigator', 'Hidden Not Mine', { access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    const missing = Buffer.from(`Nominal:${'00000000-0000-4000-8000-000000000000'}`).toString('base64url');
    const input = (id: string) => ({ input: { id, reason: 'Still needed.', nextReviewOn: addYears('2030-01-01', 0) } });
    expect(codeOf(await app.gql('serocu.lro', RETAIN, input(theirs.id)))).toBe('FORBIDDEN');
    const hiddenAnswer = await app.gql('serocu.lro', RETAIN, input(hidden.id));
    const missingAnswer = await app.gql('serocu.lro', RETAIN, input(missing));
    expect(codeOf(hiddenAnswer)).toBe('NOT_FOUND');
    expect(hiddenAnswer.errors![0].message).toBe(missingAnswer.errors![0].message);
    expect(codeOf(await app.gql('serocu.lro', DISPOSE, { input: { id: hidden.id, reason: 'x' } }))).toBe('NOT_FOUND');
    const own = await person('serocu.lro', 'Own Person');
    expect(codeOf(await app.gql('serocu.analyst', RETAIN, input(own.id)))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql('serocu.analyst', DISPOSE, { input: { id: own.id, reason: 'x' } }))).toBe('FORBIDDEN');
    const practice = Buffer.from(`PracticeEntry:${'00000000-0000-4000-8000-000000000001'}`).toString('base64url');
    expect(await app.gql('serocu.lro', RETAIN, input(practice))).toMatchObject({ errors: [{ extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.id' }] } }] });
  });
});

describe('disposing of a record', () => {
  /** Every text, JSON and array column of every table holding `needle`, as the database superuser sees them. */
  async function tablesHolding(needle: string): Promise<string[]> {
    const columns = (
      await superuser.query(`select table_name, column_name from information_schema.columns c
        join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
          and (c.data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY'))`)
    ).rows;
    expect(columns.length).toBeGreaterThan(20);
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      const { rows } = await superuser.query(`select count(*)::int as n from "${table_name}" where "${column_name}"::text ilike $1`, [`%${needle}%`]);
      if (rows[0].n > 0) found.push(`${table_name}.${column_name}`);
    }
    return found;
  }

  it('leaves nothing of a person in any table, keeps the tombstone, and the audit chain still verifies', async () => {
    const name = 'Zephyrine Quillfeather';
    const alias = 'Quillfeather-the-Glass';
    const flag = 'QUILLFEATHER_MARKER';
    const p = await person('serocu.lro', name, { aliases: [alias], dateOfBirth: '1971-02-13', vulnerabilityFlags: [flag] });
    // Changed once (history with before and after), a member of a threat, named in intelligence, retained once.
    expectData(await app.gql('serocu.lro', `mutation ($input: UpdateNominalInput!) { updateNominal(input: $input) { id } }`, {
      input: { id: p.id, expectedVersion: 1, aliases: [alias, `${alias}-Two`] },
    }));
    // Another organisation's threat: their membership goes too.
    const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Marram' });
    expectData(await app.gql('tvp.investigator', `mutation ($input: AddMemberInput!) { addMember(input: $input) { id } }`, {
      input: { threatId: threat.id, nominalId: p.id, role: 'PRINCIPAL', expectedVersion: threat.version },
    }));
    const naming = await report('serocu.lro', { nominalIds: [p.id] });
    await dueOn('nominal', p.id, '2026-03-03');
    expectData(await app.gql('serocu.lro', RETAIN, { input: { id: p.id, reason: `Quillfeather retention note`, nextReviewOn: addYears(await today(), 1) } }));
    for (const needle of [name, alias, flag, '1971-02-13', 'Quillfeather retention note']) expect({ needle, before: (await tablesHolding(needle)).length > 0 }).toEqual({ needle, before: true });

    const disposed = expectData(await app.gql('serocu.lro', DISPOSE, { input: { id: p.id, reason: 'No longer needed for a policing purpose.' } })).disposeRecord;
    expect(disposed).toEqual({
      recordId: p.id,
      kind: 'PERSON',
      disposedOn: await today(),
      reason: 'No longer needed for a policing purpose.',
      owningOrganisation: { code: 'SEROCU' },
      disposedBy: { username: 'serocu.lro' },
    });

    for (const needle of [name, alias, flag, '1971-02-13', 'Quillfeather retention note']) expect({ needle, tables: await tablesHolding(needle) }).toEqual({ needle, tables: [] });
    // The history rows remain (who, when, which fields), emptied of values.
    const history = (await superuser.query(`select action, changes from record_version where record_id = $1 order by id`, [dbId(p.id)])).rows;
    // Created; aliases changed; made due (by this test); retained; disposed (the review date cleared, then deleted).
    expect(history.map((h) => h.action)).toEqual(['CREATE', 'UPDATE', 'UPDATE', 'UPDATE', 'UPDATE', 'DELETE']);
    for (const h of history) expect(Object.values(h.changes).every((v) => v === null)).toBe(true);

    // Gone from the API as a missing record is; the tombstone resolves for the owner and auditors only.
    expect(expectData(await app.gql('serocu.lro', `query ($id: ID!) { node(id: $id) { id } }`, { id: p.id })).node).toBeNull();
    expect(expectData(await app.gql('serocu.lro', TOMBSTONE, { id: p.id })).disposedRecord).toEqual(disposed);
    expect(expectData(await app.gql('serocu.auditor', TOMBSTONE, { id: p.id })).disposedRecord).toEqual(disposed);
    expect(expectData(await app.gql('tvp.investigator', TOMBSTONE, { id: p.id })).disposedRecord).toBeNull();
    const tombstoneReads = (await superuser.query(`select username from audit_event where $1 = any (record_ids) and action = 'READ' and record_type = 'DisposedRecord' order by id`, [dbId(p.id)])).rows;
    expect(tombstoneReads.map((r) => r.username)).toEqual(['serocu.lro', 'serocu.auditor']);
    // The threat no longer lists them; the report no longer names them.
    const members = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on SocThreat { members { nominal { id } } } } }`, { id: threat.id })).node.members;
    expect(members).toEqual([]);
    const named = expectData(await app.gql('serocu.lro', `query ($id: ID!) { node(id: $id) { ... on IntelligenceReport { nominals { id } } } }`, { id: naming.id })).node.nominals;
    expect(named).toEqual([]);

    // Audited as a deletion, and the chain verifies.
    const events = (await superuser.query(`select action, record_type, username from audit_event where $1 = any (record_ids) and action = 'DELETE'`, [dbId(p.id)])).rows;
    expect(events).toEqual([{ action: 'DELETE', record_type: 'Nominal', username: 'serocu.lro' }]);
    const chain = expectData(await app.gql('serocu.auditor', '{ verifyAuditChain { valid eventsChecked firstBrokenEventId } }')).verifyAuditChain;
    expect(chain).toMatchObject({ valid: true, firstBrokenEventId: null });
    expect(chain.eventsChecked).toBeGreaterThan(0);
  });

  it('leaves nothing of an intelligence report, its disseminations included', async () => {
    const text = 'Wrenfield courier ledger (fictional)';
    const r = await report('serocu.lro', { originalText: text, sanitisedText: `${text}, sanitised` });
    await superuser.query(`insert into intelligence_dissemination (report_id, recipient_organisation_id, handling_code, sanitised_text, disseminated_by)
      select $1, (select id from organisation where code = 'OXON_CS'), 'P', $2, created_by from intelligence_report where id = $1`, [dbId(r.id), `${text}, disseminated`]);
    expect((await tablesHolding('Wrenfield')).length).toBeGreaterThan(0);
    expectData(await app.gql('serocu.lro', DISPOSE, { input: { id: r.id, reason: 'Uncorroborated after three years.' } }));
    expect(await tablesHolding('Wrenfield')).toEqual([]);
    expect(await tablesHolding(r.reference)).toEqual([]);
  });

  it('asks for a reason, and keeps a person while a safeguarding referral names them', async () => {
    const p = await person('tvp.investigator', 'Referred Person');
    expect((await app.gql('serocu.lro', DISPOSE, { input: { id: (await person('serocu.lro', 'Reasonless')).id, reason: '' } })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.reason', message: 'is required' }],
    });
    await createReferral(app, { subjectId: p.id });
    const refused = await app.gql('tvp.investigator', `mutation ($input: DisposeRecordInput!) { disposeRecord(input: $input) { recordId } }`, { input: { id: p.id, reason: 'Done.' } });
    // tvp.investigator may not review (not a reviewing role): FORBIDDEN before anything else.
    expect(codeOf(refused)).toBe('FORBIDDEN');
    const mine = await person('serocu.lro', 'Referred Person Two');
    await createReferral(app, { subjectId: mine.id }, 'serocu.lro');
    const kept = await app.gql('serocu.lro', DISPOSE, { input: { id: mine.id, reason: 'Done.' } });
    expect(codeOf(kept)).toBe('CONFLICT');
    expect((await superuser.query('select count(*)::int as n from disposed_record where record_id = $1', [dbId(mine.id)])).rows[0].n).toBe(0);
  });

  it('a subscriber following the record hears WITHDRAWN', async () => {
    const p = await person('serocu.lro', 'Followed Person');
    const before = (await metrics.liveSubscribers.get()).values[0]?.value ?? 0;
    // From the log's position now: its creation, committed just before, is not heard (support/live-client.ts cursorNow).
    const after = await cursorNow(app, 'tvp.investigator');
    const follower = new LiveSubscription(app.url, await app.tokenFor('tvp.investigator'), `subscription ($ids: [ID!], $after: String) { events(recordIds: $ids, after: $after) { ${EVENT_FIELDS} } }`, { ids: [p.id], after }, 'INVESTIGATION');
    try {
      const deadline = Date.now() + 10_000;
      while (((await metrics.liveSubscribers.get()).values[0]?.value ?? 0) <= before) {
        if (Date.now() > deadline) throw new Error('the subscription was not registered');
        await new Promise((r) => setImmediate(r));
      }
      expectData(await app.gql('serocu.lro', DISPOSE, { input: { id: p.id, reason: 'No longer needed.' } }));
      const [message] = await follower.take(1);
      expect(message.events).toMatchObject({ type: 'WITHDRAWN', recordType: 'Nominal', recordId: p.id, record: null, changedFields: [] });
    } finally {
      await follower.close();
    }
  });
});

describe('threats and safeguarding referrals (MoPI review periods for the other record types)', () => {
  const THREAT_DISPOSE = `mutation ($input: DisposeRecordInput!) { disposeRecord(input: $input) { recordId kind disposedWithId owningOrganisation { code } } }`;
  const TOMBSTONE_WITH = `query ($id: ID!) { disposedRecord(id: $id) { recordId kind reason disposedWithId owningOrganisation { code } disposedBy { username } } }`;
  const reviewOn = async (table: string, id: string) => (await superuser.query(`select next_review_on::text as d from ${table} where id = $1`, [dbId(id)])).rows[0].d;
  const makeDue = (table: string, id: string, date: string) => superuser.query(`update ${table} set next_review_on = $2 where id = $1`, [dbId(id), date]);
  const activity = (category: string, description: string) => ({ category, description, firstIdentified: '2025-06-01' });
  const serocuThreat = (name: string, activities = [activity('ILLEGAL_DRUGS', `${name} supplies class A (fictional).`)], extra: Record<string, unknown> = {}) =>
    createThreat(app, 'serocu.analyst', { name, criminalActivities: activities, ...extra });

  /** Every text, JSON and array column of every table holding `needle`, as the database superuser sees them. */
  async function holding(needle: string): Promise<string[]> {
    const columns = (
      await superuser.query(`select table_name, column_name from information_schema.columns c
        join information_schema.tables t using (table_schema, table_name)
        where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and (c.data_type in ('text', 'character varying', 'json', 'jsonb', 'ARRAY'))`)
    ).rows;
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      const { rows } = await superuser.query(`select count(*)::int as n from "${table_name}" where "${column_name}"::text ilike $1`, [`%${needle}%`]);
      if (rows[0].n > 0) found.push(`${table_name}.${column_name}`);
    }
    return found;
  }

  it('a threat is first due 10 years after it is recorded with serious sexual or violent harm among its activities, 6 otherwise; a referral 10 about a child or sexual exploitation or modern slavery, 6 otherwise', async () => {
    const now = await today();
    const drugs = await serocuThreat('Operation Periodic Drugs');
    const firearms = await serocuThreat('Operation Periodic Firearms', [activity('ILLEGAL_DRUGS', 'Supply.'), activity('ILLEGAL_FIREARMS', 'Converted pistols.')]);
    expect(await reviewOn('soc_threat', drugs.id)).toBe(addYears(now, 6));
    expect(await reviewOn('soc_threat', firearms.id)).toBe(addYears(now, 10));
    const child = await createReferral(app, {}, 'serocu.lro');
    const adult = await createReferral(app, { subjectIsChild: false, consentObtained: true, referralType: 'ADULT_SAFEGUARDING_CONCERN', exploitationTypes: ['CUCKOOING'] }, 'serocu.lro');
    const slavery = await createReferral(app, { subjectIsChild: false, consentObtained: true, referralType: 'ADULT_SAFEGUARDING_CONCERN', exploitationTypes: ['MODERN_SLAVERY_FORCED_LABOUR'] }, 'serocu.lro');
    expect(await reviewOn('safeguarding_referral', child.id)).toBe(addYears(now, 10));
    expect(await reviewOn('safeguarding_referral', adult.id)).toBe(addYears(now, 6));
    expect(await reviewOn('safeguarding_referral', slavery.id)).toBe(addYears(now, 10));
  });

  it("lists the organisation's threats and referrals due in the queue with their groups, and retains them with a date within their period", async () => {
    const threat = await serocuThreat('Operation Queue Firearms', [activity('ILLEGAL_FIREARMS', 'Converted pistols.')]);
    const referral = await createReferral(app, { subjectIsChild: false, consentObtained: true, referralType: 'ADULT_SAFEGUARDING_CONCERN', exploitationTypes: ['CUCKOOING'] }, 'serocu.lro');
    const theirs = await createReferral(app, {}, 'tvp.safeguarding');
    await makeDue('soc_threat', threat.id, '2024-05-01');
    await makeDue('safeguarding_referral', referral.id, '2024-05-02');
    await makeDue('safeguarding_referral', theirs.id, '2024-05-01');
    const items = (await queue('serocu.lro')).edges.map((e: any) => e.node);
    const ids = items.map((i: any) => i.recordId);
    expect(ids).not.toContain(theirs.id);
    const now = await today();
    expect(items.find((i: any) => i.recordId === threat.id)).toMatchObject({
      kind: 'THREAT', dueSince: '2024-05-01', reviewGroup: 'threats of serious sexual or violent harm', latestNextReviewOn: addYears(now, 10), record: { id: threat.id },
    });
    expect(items.find((i: any) => i.recordId === referral.id)).toMatchObject({
      kind: 'SAFEGUARDING_REFERRAL', dueSince: '2024-05-02', reviewGroup: 'safeguarding referrals', latestNextReviewOn: addYears(now, 6), record: { id: referral.id },
    });

    const tooLate = await app.gql('serocu.lro', RETAIN, { input: { id: referral.id, reason: 'Open enquiry.', nextReviewOn: addYears(now, 7) } });
    expect(tooLate.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.nextReviewOn', message: expect.stringMatching(/safeguarding referrals are reviewed at least every 6 years$/) }] });
    expectData(await app.gql('serocu.lro', RETAIN, { input: { id: threat.id, reason: 'Group still active.', nextReviewOn: addYears(now, 9) } }));
    expectData(await app.gql('serocu.lro', RETAIN, { input: { id: referral.id, reason: 'Open enquiry.', nextReviewOn: addYears(now, 2) } }));
    const after = (await queue('serocu.lro')).edges.map((e: any) => e.node.recordId);
    expect(after).not.toContain(threat.id);
    expect(after).not.toContain(referral.id);
    expect(await reviewOn('soc_threat', threat.id)).toBe(addYears(now, 9));
  });

  it("is for the owner's reviewers: another organisation's threat or referral is FORBIDDEN (the receiving party too), a hidden one NOT_FOUND", async () => {
    const tvpThreat = await createThreat(app, 'tvp.investigator', { name: 'Operation Not Ours' });
    const hidden = await createThreat(app, 'tvp.investigator', { name: 'Operation Hidden', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    const toSerocu = await createReferral(app, { receivingOrganisationId: await orgIdOf('SEROCU') }, 'tvp.safeguarding');
    expect(codeOf(await app.gql('serocu.lro', THREAT_DISPOSE, { input: { id: tvpThreat.id, reason: 'x' } }))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql('serocu.lro', THREAT_DISPOSE, { input: { id: hidden.id, reason: 'x' } }))).toBe('NOT_FOUND');
    expect(codeOf(await app.gql('serocu.lro', THREAT_DISPOSE, { input: { id: toSerocu.id, reason: 'x' } }))).toBe('FORBIDDEN');
    expect(codeOf(await app.gql('serocu.lro', RETAIN, { input: { id: toSerocu.id, reason: 'x', nextReviewOn: addYears(await today(), 1) } }))).toBe('FORBIDDEN');
    expect((await superuser.query('select count(*)::int as n from disposed_record where record_id = any ($1)', [[tvpThreat.id, hidden.id, toSerocu.id].map(dbId)])).rows[0].n).toBe(0);
  });

  async function orgIdOf(code: string): Promise<string> {
    const { rows } = await superuser.query('select id from organisation where code = $1', [code]);
    return Buffer.from(`Organisation:${rows[0].id}`).toString('base64url');
  }

  it("leaves nothing of a threat in any table (activities, members' roles, links on both sides, assessments, its plan, disruptions and analytical requests), with tombstones, and the audit chain verifies", async () => {
    const marker = 'Thistlewick';
    const threat = await serocuThreat(`Operation ${marker}`, [activity('ILLEGAL_DRUGS', `${marker} line supplies crack cocaine (fictional).`)], { summary: `${marker} group summary` });
    const other = await serocuThreat('Operation Neighbour');
    const t = dbId(threat.id);
    const underAssessment = await moveThreat(app, 'serocu.analyst', threat, 'UNDER_ASSESSMENT');
    // A link (its reason filed under both threats), a member, an assessment, a plan with an
    // objective and an action, another force's disruption and an analytical request: the plan,
    // disruption and request written as the superuser, as the services would leave them.
    expectData(await app.gql('serocu.analyst', `mutation ($input: LinkThreatsInput!) { linkThreats(input: $input) { id } }`, {
      input: { threatId: threat.id, linkedThreatId: other.id, reason: `${marker} shares a courier with the neighbour`, expectedVersion: underAssessment.version },
    }));
    expectData(await app.gql('serocu.analyst', `mutation ($input: CreateAssessmentInput!) { createAssessment(input: $input) { id } }`, {
      input: { threatId: threat.id, method: 'MORILE_TACTICAL', confidence: 'HIGH', rationale: `${marker} assessment rationale`, ...flatScores(2) },
    }));
    const member = await person('serocu.lro', 'Orrin Member');
    await superuser.query(`insert into membership (threat_id, nominal_id, role) values ($1, $2, 'PRINCIPAL')`, [t, dbId(member.id)]);
    const [{ id: planId }] = (await superuser.query(`insert into fourp_plan (threat_id, owning_organisation_id, protective_marking, sharing, created_by, updated_by)
      select id, owning_organisation_id, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', created_by, created_by from soc_threat where id = $1 returning id`, [t])).rows;
    await superuser.query(`insert into plan_objective (plan_id, strand, description) values ($1, 'PURSUE', $2)`, [planId, `${marker} objective`]);
    const [{ id: actionId }] = (await superuser.query(`insert into plan_action (plan_id, strand, description, tactic, owner_organisation_id) select $1, 'PURSUE', $2, 'CRIME', owning_organisation_id from fourp_plan where id = $1 returning id`, [planId, `${marker} action`])).rows;
    const [{ id: disruptionId }] = (await superuser.query(`insert into disruption (threat_id, plan_action_id, date, claiming_organisation_id, strand, level, tactic, description, impact_narrative, evidence_refs, owning_organisation_id, protective_marking, sharing, created_by, updated_by)
      select $1, $2, current_date - 3, o.id, 'PURSUE', 'MINOR', 'CRIME', $3, $4, array[$5], o.id, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', u.id, u.id
        from organisation o, app_user u where o.code = 'TVP' and u.username = 'tvp.investigator' returning disruption.id`,
      [t, actionId, `${marker} warrant`, `${marker} impact`, `${marker}/EV/1`])).rows;
    const [{ id: requestId }] = (await superuser.query(`insert into analytical_request (reference, question, product_type, priority, due_on, plan_id, owning_organisation_id, protective_marking, sharing, created_by, updated_by)
      select 'AR-2026-' || substr(md5(random()::text), 1, 6), $2, 'PROFILE', 'HIGH', current_date + 30, $1, owning_organisation_id, 'OFFICIAL', 'OWNER_ONLY', created_by, created_by from fourp_plan where id = $1 returning id`,
      [planId, `${marker} network question`])).rows;
    await makeDue('soc_threat', threat.id, '2026-01-01');
    expectData(await app.gql('serocu.lro', RETAIN, { input: { id: threat.id, reason: `${marker} retention note`, nextReviewOn: addYears(await today(), 1) } }));
    const before = await holding(marker);
    for (const table of ['soc_threat.name', 'criminal_activity.description', 'threat_link.reason', 'threat_assessment.rationale', 'plan_objective.description', 'disruption.description', 'analytical_request.question', 'retention_review.reason', 'record_version.changes']) {
      expect(before).toContain(table);
    }

    const disposed = expectData(await app.gql('serocu.lro', THREAT_DISPOSE, { input: { id: threat.id, reason: 'Group dismantled; no policing purpose remains.' } })).disposeRecord;
    expect(disposed).toEqual({ recordId: threat.id, kind: 'THREAT', disposedWithId: null, owningOrganisation: { code: 'SEROCU' } });
    expect(await holding(marker)).toEqual([]);
    expect(await holding(threat.urn)).toEqual([]);

    // Each dependant has its tombstone, naming the threat, with its own owner (TVP's disruption is TVP's).
    const tombs = (await superuser.query(`select record_type, record_id, disposed_with, (select code from organisation o where o.id = d.organisation_id) as org from disposed_record d where disposed_with = $1 order by record_type`, [t])).rows;
    expect(tombs).toEqual([
      { record_type: 'AnalyticalRequest', record_id: requestId, disposed_with: t, org: 'SEROCU' },
      { record_type: 'Disruption', record_id: disruptionId, disposed_with: t, org: 'TVP' },
      { record_type: 'FourPPlan', record_id: planId, disposed_with: t, org: 'SEROCU' },
    ]);
    const planTomb = expectData(await app.gql('serocu.lro', TOMBSTONE_WITH, { id: Buffer.from(`FourPPlan:${planId}`).toString('base64url') })).disposedRecord;
    expect(planTomb).toMatchObject({ kind: 'FOUR_P_PLAN', disposedWithId: threat.id, owningOrganisation: { code: 'SEROCU' }, disposedBy: { username: 'serocu.lro' } });
    // The disruption's tombstone is TVP's: SEROCU's reviewer does not see it; a regional auditor does.
    const disruptionGlobal = Buffer.from(`Disruption:${disruptionId}`).toString('base64url');
    expect(expectData(await app.gql('serocu.lro', TOMBSTONE_WITH, { id: disruptionGlobal })).disposedRecord).toBeNull();
    expect(expectData(await app.gql('serocu.auditor', TOMBSTONE_WITH, { id: disruptionGlobal })).disposedRecord).toMatchObject({ kind: 'DISRUPTION', owningOrganisation: { code: 'TVP' } });

    // The person stays (their own record, reviewed on its own terms); the other threat stays, unlinked, its history of the link emptied.
    expect(expectData(await app.gql('serocu.lro', `query ($id: ID!) { node(id: $id) { id } }`, { id: member.id })).node).toEqual({ id: member.id });
    const linkHistory = (await superuser.query(`select changes from record_version where record_id = $1 and part = 'linkedThreat'`, [dbId(other.id)])).rows;
    expect(linkHistory.length).toBeGreaterThan(0);
    for (const h of linkHistory) expect(Object.values(h.changes).every((v) => v === null)).toBe(true);
    for (const id of [t, planId, disruptionId, requestId]) {
      const rows = (await superuser.query(`select changes from record_version where record_id = $1`, [id])).rows;
      for (const h of rows) expect(Object.values(h.changes).every((v) => v === null)).toBe(true);
    }

    const events = (await superuser.query(`select record_type from audit_event where $1 = any (record_ids) and action = 'DELETE'`, [t])).rows;
    expect(events).toEqual([{ record_type: 'SocThreat' }]);
    const chain = expectData(await app.gql('serocu.auditor', '{ verifyAuditChain { valid firstBrokenEventId } }')).verifyAuditChain;
    expect(chain).toEqual({ valid: true, firstBrokenEventId: null });
  });

  it('leaves nothing of a referral, its timeline included; its subject stays, and may then be disposed of', async () => {
    const marker = 'Brackenholt';
    const subject = await person('serocu.lro', 'Ysolde Farthingale-Vane');
    const referral = await createReferral(app, { subjectId: subject.id, summary: `${marker} summary of concerns (fictional).` }, 'serocu.lro');
    await superuser.query(`insert into referral_update (referral_id, by_user_id, organisation_id, kind, text)
      select id, created_by, owning_organisation_id, 'NOTE', $2 from safeguarding_referral where id = $1`, [dbId(referral.id), `${marker} note on the timeline`]);
    // The person is kept while the referral is.
    expect(codeOf(await app.gql('serocu.lro', DISPOSE, { input: { id: subject.id, reason: 'Done.' } }))).toBe('CONFLICT');
    expect((await holding(marker)).length).toBeGreaterThan(1);

    const disposed = expectData(await app.gql('serocu.lro', DISPOSE, { input: { id: referral.id, reason: 'Closed six years ago.' } })).disposeRecord;
    expect(disposed).toMatchObject({ recordId: referral.id, kind: 'SAFEGUARDING_REFERRAL', owningOrganisation: { code: 'SEROCU' } });
    expect(await holding(marker)).toEqual([]);
    expect(await holding(referral.reference)).toEqual([]);
    expect(expectData(await app.gql('serocu.lro', `query ($id: ID!) { node(id: $id) { id } }`, { id: subject.id })).node).toEqual({ id: subject.id });
    expectData(await app.gql('serocu.lro', DISPOSE, { input: { id: subject.id, reason: 'No longer needed.' } }));
    expect(await holding('Farthingale-Vane')).toEqual([]);
    expect(expectData(await app.gql('serocu.auditor', '{ verifyAuditChain { valid } }')).verifyAuditChain.valid).toBe(true);
  });

  it("a subscriber following a disposed threat, or a disposed referral from the receiving side, hears WITHDRAWN; one following the threat's plan hears DELETED", async () => {
    const threat = await serocuThreat('Operation Followed');
    const [{ id: planId }] = (await superuser.query(`insert into fourp_plan (threat_id, owning_organisation_id, protective_marking, sharing, created_by, updated_by)
      select id, owning_organisation_id, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', created_by, created_by from soc_threat where id = $1 returning id`, [dbId(threat.id)])).rows;
    const plan = { id: Buffer.from(`FourPPlan:${planId}`).toString('base64url') };
    const referral = await createReferral(app, {}, 'serocu.lro');
    for (const [as, record, type, also] of [['tvp.investigator', threat, 'SocThreat', plan], ['oxon.mash', referral, 'SafeguardingReferral', null]] as const) {
      const before = (await metrics.liveSubscribers.get()).values[0]?.value ?? 0;
      const ids = also ? [record.id, also.id] : [record.id];
      // From the log's position now: the records' creation, just before, is not heard (support/live-client.ts cursorNow).
      const after = await cursorNow(app, as);
      const follower = new LiveSubscription(app.url, await app.tokenFor(as), `subscription ($ids: [ID!], $after: String) { events(recordIds: $ids, after: $after) { ${EVENT_FIELDS} } }`, { ids, after }, purposeFor(as));
      try {
        const deadline = Date.now() + 10_000;
        while (((await metrics.liveSubscribers.get()).values[0]?.value ?? 0) <= before) {
          if (Date.now() > deadline) throw new Error('the subscription was not registered');
          await new Promise((r) => setImmediate(r));
        }
        expectData(await app.gql('serocu.lro', DISPOSE, { input: { id: record.id, reason: 'No longer needed.' } }));
        const messages = await follower.take(ids.length);
        expect(messages.find((m: any) => m.events.recordId === record.id).events).toMatchObject({ type: 'WITHDRAWN', recordType: type, recordId: record.id, record: null, changedFields: [] });
        if (also) expect(messages.find((m: any) => m.events.recordId === also.id).events).toMatchObject({ type: 'DELETED', recordType: 'FourPPlan', record: null });
      } finally {
        await follower.close();
      }
      // The next follower is counted from here: wait until this one has left the count.
      const deadline = Date.now() + 10_000;
      while (((await metrics.liveSubscribers.get()).values[0]?.value ?? 0) > before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    }
  });
});
