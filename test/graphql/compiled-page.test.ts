import pg from 'pg';
import { statementsSentDuring } from '../support/statements';
import { createTestApp, type TestApp } from '../support/test-app';
import { COMPARED_USERS, EVERY_THREAT_FIELD, FORCE_RESOLVERS, withoutForced } from '../support/compiled-answers';

/**
 * The threats list compiled into one statement that answers as JSON
 * (server/src/modules/threats/threat.compiled.ts) against the resolvers, which answer the same
 * list when the operation asks for anything the compiler does not write. Each document is sent
 * twice as each user: as it is (compiled), and with one field the compiler does not write
 * (`forceResolvers: createdAt`, taken out of the answer before comparing), which leaves the whole
 * list to the resolvers. The answers must be identical, errors included, and so must the audit
 * events each request writes. The statements each request runs say which path answered.
 */

const USERS = COMPARED_USERS;
const FORCE = FORCE_RESOLVERS;

/** Documents with `#NODE#` where the node's selection may take the forcing field. */
const DOCUMENTS: Record<string, string> = {
  // The benchmark's (server/scripts/bench/scenarios.ts).
  threatsPage: `query P { threats(first: 20) { totalCount edges { node { #NODE#
    id urn name status priority
    leadOrganisation { id code name }
    criminalActivities { id category description }
    plan { id status quality { score problems { code } } } } } } }`,
  nested: `query N { threats(first: 10) { edges { node { #NODE#
    id name criminalActivities { id category assessment { id riskScore priority status assessedBy { id username } } } } } } }`,
  aliasesAndFragments: `query A { list: threats(first: 7, orderBy: [{ field: NAME, direction: ASC }]) {
      __typename count: totalCount
      items: edges { __typename node { ...T #NODE# } }
      again: edges { node { id n: name } }
      more: pageInfo { __typename hasNextPage hasPreviousPage } } }
    fragment T on SocThreat { ${EVERY_THREAT_FIELD} }`,
  statusFilterAndDateOrder: `query S { threats(first: 15, filter: { status: [ADOPTED, UNDER_REVIEW, ASSESSED] }, orderBy: [{ field: IDENTIFIED_ON, direction: DESC }]) {
    totalCount edges { node { #NODE# id name status identifiedOn plan { id quality { score } } } } } }`,
  categoryAndText: `query C { a: threats(first: 25, filter: { category: [ILLEGAL_DRUGS, FRAUD] }, orderBy: [{ field: URN, direction: ASC }]) {
      totalCount edges { node { #NODE# id urn criminalActivities { category description } } } }
    b: threats(first: 5, filter: { text: "a" }, orderBy: [{ field: STATUS }, { field: NAME, direction: DESC }]) {
      totalCount edges { node { #NODE# id name summary } } } }`,
  riskOrder: `query R { threats(first: 12, orderBy: [{ field: RISK, direction: DESC }]) { totalCount edges { node { #NODE# id riskScore priority } } } }`,
  reviewOrderEmptyPage: `query E { none: threats(first: 0) { totalCount edges { node { #NODE# id } } pageInfo { hasNextPage } }
    due: threats(first: 9, orderBy: [{ field: NEXT_REVIEW_DUE, direction: ASC }], filter: { reviewDueBefore: "2030-01-01" }) { totalCount edges { node { #NODE# id nextReviewDue } } } }`,
  refusedSize: `query Z { threats(first: 101) { edges { node { #NODE# id } } } }`,
};

describe('the threats list compiled into one statement', () => {
  let app: TestApp;
  let pool: pg.Pool;
  beforeAll(async () => {
    app = await createTestApp({ seed: 'demo' });
    pool = new pg.Pool({ connectionString: app.db.url, max: 1 });
  });
  afterAll(async () => {
    await pool.end();
    await app.stop();
  });

  /** Sends the document as `username`: the answer, whether the compiled statement gave it, and the round trips it cost. */
  async function send(username: string, document: string, operation: string, purpose?: string | null) {
    const sent = await statementsSentDuring(app, () => app.gql(username, document.replace(/query [A-Z]\b/, `query ${operation}`), undefined, purpose === undefined ? {} : { purpose }));
    return { answer: sent.result, compiled: sent.sql.some((s) => s.includes('compiled_page')), roundTrips: sent.roundTrips };
  }

  /** The audit events one operation wrote: what was read (or refused), of which records. */
  async function auditOf(operation: string) {
    const { rows } = await pool.query(
      `select action, record_type, purpose, array(select unnest(record_ids) order by 1) as ids, detail from audit_event where operation = $1 order by action, record_type`,
      [operation],
    );
    return rows;
  }

  let serial = 0;
  const cases = USERS.flatMap((user) => Object.keys(DOCUMENTS).map((name) => [user, name] as const));
  it.each(cases)('gives %s the same answer and audit compiled as through the resolvers: %s', async (username, name) => {
    const id = `${++serial}`;
    const compiled = await send(username, DOCUMENTS[name].replaceAll('#NODE#', ''), `Compiled${id}`);
    const resolved = await send(username, DOCUMENTS[name].replaceAll('#NODE#', FORCE), `Resolved${id}`);
    expect(resolved.compiled).toBe(false);
    const refused = name === 'refusedSize' || (name === 'riskOrder' && username === 'oxon.mash');
    // A refused request never reaches the statement; every other one is compiled.
    expect(compiled.compiled).toBe(!refused);
    expect(withoutForced(resolved.answer)).toEqual(compiled.answer);
    expect(JSON.stringify(withoutForced(resolved.answer))).toBe(JSON.stringify(compiled.answer));
    if (refused) expect((compiled.answer as any).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    else expect((compiled.answer as any).errors).toBeUndefined();
    expect(await auditOf(`Compiled${id}`)).toEqual(await auditOf(`Resolved${id}`));
  });

  it('has something to compare: sensitive reads audited, partners shown withheld fields, plans with their gate', async () => {
    const police = (await send('serocu.analyst', DOCUMENTS.aliasesAndFragments.replace('#NODE#', ''), 'Sample1')).answer as any;
    const nodes = police.data.list.items.map((e: any) => e.node);
    expect(nodes.some((n: any) => n.plan?.quality?.problems.length)).toBe(true);
    expect(nodes.some((n: any) => n.acts.some((a: any) => a.assessment?.assessedBy))).toBe(true);
    expect((await auditOf('Sample1')).some((e) => e.action === 'READ' && e.record_type === 'SocThreat')).toBe(true);
    const partner = (await send('oxon.mash', DOCUMENTS.aliasesAndFragments.replace('#NODE#', ''), 'Sample2')).answer as any;
    const seen = partner.data.list.items.map((e: any) => e.node);
    expect(seen.some((n: any) => n.withheld.length && n.priority === null && n.summary === null)).toBe(true);
  });

  // Statements are remembered by the parsed document's field and the caller (rememberedStatement,
  // graphql/compiled-answer.ts): one document text, parsed once, asked by every user in turn and
  // then again, must still give each of them their own answer, never another caller's statement.
  it('gives each user their own answer when all of them send the same document, twice around', async () => {
    const shared = DOCUMENTS.aliasesAndFragments.replace('#NODE#', '');
    const expected = new Map<string, unknown>();
    for (const username of USERS) {
      const resolved = await send(username, DOCUMENTS.aliasesAndFragments.replace('#NODE#', FORCE), 'SharedResolved');
      expected.set(username, withoutForced(resolved.answer));
    }
    expect(new Set([...expected.values()].map((a) => JSON.stringify(a))).size).toBeGreaterThan(2);
    for (const round of [1, 2]) {
      for (const username of USERS) {
        const compiled = await send(username, shared, 'Shared');
        expect(compiled.compiled).toBe(true);
        expect({ round, username, answer: compiled.answer }).toEqual({ round, username, answer: expected.get(username) });
      }
    }
  });

  it('refuses a page of sensitive threats without a purpose as the resolvers do, with the same DENIED events', async () => {
    const compiled = await send('serocu.analyst', DOCUMENTS.threatsPage.replace('#NODE#', ''), 'NoPurposeCompiled', null);
    const resolved = await send('serocu.analyst', DOCUMENTS.threatsPage.replace('#NODE#', FORCE), 'NoPurposeResolved', null);
    expect((compiled.answer as any).errors[0].extensions.code).toBe('PURPOSE_REQUIRED');
    expect(compiled.compiled).toBe(true);
    expect(withoutForced(resolved.answer)).toEqual(compiled.answer);
    expect(await auditOf('NoPurposeCompiled')).toEqual(await auditOf('NoPurposeResolved'));
  });

  // Round trips, for an account already remembered (the warm-up): BEGIN with the account's check, the caller's
  // settings and the one statement; the audit events and COMMIT.
  it.each([
    ['a page of 5', 'query Q { threats(first: 5) { totalCount edges { node { id name plan { id quality { score } } } } } }'],
    ['a page of 50', 'query Q { threats(first: 50) { totalCount edges { node { id name plan { id quality { score } } } } } }'],
    ['three levels', DOCUMENTS.nested.replace('#NODE#', '')],
    ['every level written', DOCUMENTS.aliasesAndFragments.replace('#NODE#', '')],
  ])('costs the same statements whatever its size or depth: %s', async (_name, document) => {
    for (const username of ['serocu.analyst', 'oxon.mash']) {
      await send(username, document, 'Warm'); // token and account remembered, schema warm
      const { compiled, roundTrips } = await send(username, document, 'Counted');
      expect(compiled).toBe(true);
      expect(roundTrips).toBe(2);
    }
  });
});

// Row-level security off: the application's policy alone must narrow the compiled statement as it
// narrows the resolvers' reads (the page, its total, each threat's plan).
describe('the threats list compiled into one statement, with the application policy alone', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp({ seed: 'demo', accessLayers: { database: false, application: true } })));
  afterAll(() => app.stop());

  const cases = USERS.flatMap((user) => ['threatsPage', 'aliasesAndFragments', 'categoryAndText'].map((name) => [user, name] as const));
  it.each(cases)('gives %s the same answer compiled as through the resolvers: %s', async (username, name) => {
    const compiled = await statementsSentDuring(app, () => app.gql(username, DOCUMENTS[name].replaceAll('#NODE#', '')));
    expect(compiled.sql.some((s) => s.includes('compiled_page'))).toBe(true);
    const resolved = await statementsSentDuring(app, () => app.gql(username, DOCUMENTS[name].replaceAll('#NODE#', FORCE)));
    expect(resolved.sql.some((s) => s.includes('compiled_page'))).toBe(false);
    expect(JSON.stringify(withoutForced(resolved.result))).toBe(JSON.stringify(compiled.result));
  });
});
