import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';
import { purgeSearchTexts, SEARCH_TEXT_HELD_DAYS } from '../../server/src/audit/search-text';

/**
 * Audit search as an auditor uses it (issue 15): by a user's name, by a threat's URN, without
 * their own searches; readable messages for bad input; the search exported as CSV (streamed,
 * itself audited as EXPORT); the chain check saying what it checked and when.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
const SEARCH = `query ($filter: AuditEventFilter, $first: Int) { auditEvents(filter: $filter, first: $first) {
  totalCount edges { node { id action username recordType recordIds operation } } } }`;
const search = async (filter: Record<string, unknown>, as = 'serocu.auditor') => expectData(await app.gql(as, SEARCH, { filter, first: 100 }, { purpose: 'AUDIT' })).auditEvents;

async function exportCsv(params: string, as: string | null = 'serocu.auditor', purpose = 'AUDIT') {
  const headers: Record<string, string> = { 'x-purpose': purpose };
  if (as) headers.authorization = `Bearer ${await app.tokenFor(as)}`;
  const response = await fetch(`${app.url}/audit/export.csv?${params}`, { headers });
  return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
}

let threat: { id: string; urn: string };
beforeAll(async () => {
  threat = await createThreat(app, 'serocu.analyst', { name: 'Operation Audited' });
  await createThreat(app, 'tvp.investigator', { name: 'Operation Elsewhere' });
});

describe('audit search', () => {
  it("finds a threat's events by its URN, as by its ID", async () => {
    const byUrn = await search({ record: threat.urn.toLowerCase() });
    expect(byUrn.totalCount).toBeGreaterThan(0);
    expect(byUrn.edges.every((e: any) => e.node.recordIds.includes(threat.id))).toBe(true);
    expect(byUrn.edges.map((e: any) => e.node.action)).toContain('CREATE');
    expect((await search({ record: threat.id })).totalCount).toBe(byUrn.totalCount);
  });

  it("finds a user's events by words of their name", async () => {
    const analystName = expectData(await app.gql('serocu.analyst', '{ viewer { displayName } }')).viewer.displayName as string;
    const found = await search({ user: analystName.split(' ')[1].toLowerCase() });
    expect(found.totalCount).toBeGreaterThan(0);
    expect(new Set(found.edges.map((e: any) => e.node.username))).toEqual(new Set(['serocu.analyst']));
  });

  it("leaves out the auditor's own searches when asked, and the screen's reads of the names of the records listed", async () => {
    // As the audit screen names the records of a page of events (an audited read of a sensitive threat).
    const named = await app.gql('serocu.auditor', 'query AuditRecordNames($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: [threat.id] }, { purpose: 'AUDIT' });
    expect(named.data.nodes).toEqual([{ id: threat.id }]);
    const ownRead = (r: any) => r.edges.some((e: any) => e.node.username === 'serocu.auditor' && e.node.operation === 'AuditRecordNames');
    expect(ownRead(await search({ record: threat.id }))).toBe(true);
    expect(ownRead(await search({ record: threat.id, hideOwnSearches: true }))).toBe(false);
    await search({});
    const all = await search({});
    expect(all.edges.some((e: any) => e.node.username === 'serocu.auditor' && e.node.recordType === 'AuditEvent')).toBe(true);
    const without = await search({ hideOwnSearches: true });
    expect(without.edges.some((e: any) => e.node.username === 'serocu.auditor' && e.node.recordType === 'AuditEvent')).toBe(false);
    expect(without.edges.some((e: any) => e.node.username === 'serocu.analyst')).toBe(true);
  });

  it('answers bad input with a readable message naming the field, never garbled bytes', async () => {
    const unknown = await app.gql('serocu.auditor', SEARCH, { filter: { record: 'SE-1999-9999' } }, { purpose: 'AUDIT' });
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'filter.record' }] });
    expect(unknown.errors![0].extensions!.fields[0].message).toMatch(/No threat or referral you can see has the reference "SE-1999-9999"/);
    const garbled = await app.gql('serocu.auditor', SEARCH, { filter: { recordId: 'SE-2024-0042' } }, { purpose: 'AUDIT' });
    const [problem] = garbled.errors![0].extensions!.fields;
    expect(problem.field).toBe('filter.recordId');
    expect(problem.message).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('audit export as CSV', () => {
  it('streams the same events as the search, and records the export as EXPORT', async () => {
    const expected = await search({ record: threat.urn });
    const csv = await exportCsv(`record=${encodeURIComponent(threat.urn)}`);
    expect(csv.status).toBe(200);
    expect(csv.type).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('event,at,username,organisation,action,purpose,operation,record_type,record_ids,client_address,request_id');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(expected.edges.map((e: any) => e.node.id));
    expect(lines.slice(1).every((l) => l.includes(threat.id))).toBe(true);
    const [exported] = await sql(`select username, record_type, detail from audit_event where action = 'EXPORT' and username = 'serocu.auditor' order by id desc limit 1`);
    expect(exported).toMatchObject({ username: 'serocu.auditor', record_type: 'AuditEvent' });
    expect(exported.detail.formats).toEqual(['csv']);
    // The reference typed is free text, held apart from the trail (below): the event has its digest.
    expect(exported.detail.filters[0]).toEqual({ record: { heldUntil: expect.any(String), digest: expect.stringMatching(/^[0-9a-f]{64}$/) } });
  });

  it('takes the same filters, several values repeated', async () => {
    const expected = await search({ action: ['CREATE', 'EXPORT'], hideOwnSearches: true });
    const csv = await exportCsv('action=CREATE&action=EXPORT&hideOwnSearches=true');
    const actions = new Set(csv.text.trim().split('\n').slice(1).map((l) => l.split(',')[4]));
    expect([...actions].every((a) => a === 'CREATE' || a === 'EXPORT')).toBe(true);
    // Exporting adds an EXPORT event of its own after the search: at least as many rows.
    expect(csv.text.trim().split('\n').length - 1).toBeGreaterThanOrEqual(expected.totalCount);
  });

  it('refuses callers who are not auditors (audited as DENIED), no token, and bad filters with the field', async () => {
    // The analyst states a purpose their roles allow: it is the export itself that is refused.
    const refused = await exportCsv('', 'serocu.analyst', 'ANALYSIS');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text).errors[0].extensions.code).toBe('FORBIDDEN');
    const [denied] = await sql(`select action, record_type from audit_event where username = 'serocu.analyst' and operation = 'auditExportCsv'`);
    expect(denied).toEqual({ action: 'DENIED', record_type: 'AuditEvent' });
    expect((await exportCsv('', null)).status).toBe(401);
    const bad = await exportCsv('action=WRITE&from=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).errors[0].extensions.fields.map((f: any) => f.field).sort()).toEqual(['action', 'from']);
  });
});

describe("an export's free text (words of a name, a reference)", () => {
  const EXPORTS = `query { auditEvents(filter: { action: [EXPORT] }, first: 50) { edges { node { id detail } } } }`;
  const shownDetail = async (id: string) =>
    expectData(await app.gql('serocu.auditor', EXPORTS, {}, { purpose: 'AUDIT' })).auditEvents.edges.find((e: any) => e.node.id === id).node.detail;
  const lastExport = async () =>
    (await sql(`select id::text as id, request_id, detail from audit_event where action = 'EXPORT' and operation = 'auditExportCsv' order by id desc limit 1`))[0];

  it('is never written into the trail: held apart, shown to auditors with its event while held, then purged; the event and the chain stay whole', async () => {
    const csv = await exportCsv('user=Fenwick&action=READ&note=Someone%20Else');
    expect(csv.status).toBe(200);
    const event = await lastExport();
    // Neither the name typed nor anything that is not a filter is in the trail.
    expect(JSON.stringify(event.detail)).not.toMatch(/Fenwick|Someone|note/);
    const [{ until }] = await sql(`select to_char(current_date + ?::int, 'YYYY-MM-DD') as until`, [SEARCH_TEXT_HELD_DAYS]);
    expect(event.detail.filters).toEqual([{ action: 'READ', user: { heldUntil: until, digest: expect.stringMatching(/^[0-9a-f]{64}$/) } }]);
    expect((await sql(`select texts from audit_search_text where request_id = ?`, [event.request_id])).map((r: any) => r.texts)).toEqual([{ user: 'Fenwick' }]);
    expect((await shownDetail(event.id)).filters[0].user).toEqual({ ...event.detail.filters[0].user, text: 'Fenwick' });

    // A text changed where it is held no longer matches the event's digest, and is not shown.
    await sql(`update audit_search_text set texts = '{"user": "Someone Else"}' where request_id = ?`, [event.request_id]);
    expect((await shownDetail(event.id)).filters[0].user).toEqual(event.detail.filters[0].user);
    await sql(`update audit_search_text set texts = '{"user": "Fenwick"}' where request_id = ?`, [event.request_id]);

    // Its time passes; another export's has not.
    await exportCsv(`record=${encodeURIComponent(threat.urn)}`);
    const later = await lastExport();
    await sql(`update audit_search_text set held_until = current_date - 1 where request_id = ?`, [event.request_id]);
    const owner = app.app.orm.em.getConnection().getKnex();
    expect(await purgeSearchTexts(owner)).toBe(1);
    expect(await sql(`select 1 from audit_search_text where request_id = ?`, [event.request_id])).toEqual([]);
    expect(await sql(`select 1 from audit_search_text where request_id = ?`, [later.request_id])).toHaveLength(1);
    expect((await shownDetail(event.id)).filters[0].user).toEqual(event.detail.filters[0].user);
    expect((await shownDetail(later.id)).filters[0].record.text).toBe(threat.urn);
    expect((await lastExportById(event.id)).detail).toEqual(event.detail);
    expect(expectData(await app.gql('serocu.auditor', '{ verifyAuditChain { valid } }', {}, { purpose: 'AUDIT' })).verifyAuditChain.valid).toBe(true);
  });

  it("is read only by those who read the export's event: not by another force's auditor", async () => {
    await sql(`insert into app_user (username, display_name, organisation_id, roles, clearance)
               select 'surrey.auditor', 'Fictional Surrey Auditor', id, '{AUDITOR}', 'OFFICIAL_SENSITIVE' from organisation where code = 'SURREY'`);
    await exportCsv('user=Ashdown');
    const event = await lastExport();
    const theirs = expectData(await app.gql('surrey.auditor', EXPORTS, {}, { purpose: 'AUDIT' })).auditEvents.edges;
    expect(theirs.map((e: any) => e.node.id)).not.toContain(event.id);
    expect(JSON.stringify(theirs)).not.toMatch(/Ashdown/);
  });
});

const lastExportById = async (id: string) => (await sql(`select detail from audit_event where id = ?`, [id]))[0];

it('the chain check says how many events and anchors it checked, and when', async () => {
  const result = expectData(await app.gql('serocu.auditor', '{ verifyAuditChain { valid eventsChecked anchorsChecked checkedAt } }', {}, { purpose: 'AUDIT' })).verifyAuditChain;
  expect(result.valid).toBe(true);
  expect(result.eventsChecked).toBeGreaterThan(0);
  expect(typeof result.anchorsChecked).toBe('number');
  expect(Math.abs(Date.parse(result.checkedAt) - Date.now())).toBeLessThan(60_000);
});
