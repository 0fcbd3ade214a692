import pg from 'pg';
import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId } from '../support/factories';
import { sharingAgreement } from '../support/access-factories';
import { createDisruption, daysAgo, dbId, sql } from '../support/disruption-factories';
import { createNominal, createReferral } from '../support/referral-factories';
import { adoptedThreat, createPlan } from '../support/plan-factories';
import { statementsSentDuring } from '../support/statements';

/**
 * `search`: one query over every kind of record, each kind through its own list query, so what
 * a caller may read, what partners may not match on, purpose and audit are exactly the lists'.
 */
let app: TestApp;
const PARTNERSHIP = ['SEROCU', 'TVP', 'HIOW', 'SURREY', 'SUSSEX', 'OXON_CS'];
beforeAll(async () => {
  app = await createTestApp();
  await sharingAgreement(app, { parties: PARTNERSHIP });
});
afterAll(() => app.stop());

const SEARCH = `query Find($text: String!, $first: Int) { search(text: $text, first: $first) {
  text first countLimit
  threats { totalCount edges { node { id name urn } } }
  people { totalCount edges { node { id name } } }
  plans { totalCount edges { node { id threat { name } } } }
  disruptions { totalCount edges { node { id description } } }
  referrals { totalCount edges { node { id reference } } }
  practices { totalCount edges { node { id title } } }
} }`;

const names = (c: { edges: { node: any }[] }, key = 'name') => c.edges.map((e) => e.node[key]);

async function search(as: string, text: string, first?: number) {
  return expectData(await app.gql(as, SEARCH, { text, first })).search;
}

describe('finding anything', () => {
  it('finds each kind of record by name, URN or reference and by its text, grouped by kind', async () => {
    const threat = await adoptedThreat(app, 'tvp.investigator', {
      name: 'Operation Kestrelwood',
      summary: 'A family firm laundering through nail bars in Reading.',
    });
    await createPlan(app, 'tvp.investigator', threat.id);
    await createNominal(app, 'tvp.investigator', 'Dorian Quayle', '1990-02-03');
    expectData(await app.gql('tvp.investigator', `mutation { createNominal(input: { name: "Lenny Marsh", aliases: ["Wolfsbane"], access: { protectiveMarking: OFFICIAL, sharing: REGIONAL_LAW_ENFORCEMENT } }) { id } }`));
    await createDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(0), evidenceRefs: ['43/99881/26'], description: 'Cash seizure at a nail bar.' });
    const referral = await createReferral(app, { summary: 'A girl of 14 seen working late in a nail bar.' });
    expectData(await app.gql('tvp.investigator', `mutation ($input: CreatePracticeInput!) { createPractice(input: $input) { id } }`, {
      input: {
        title: 'Nail bar welfare visits',
        aim: 'Find exploited workers early.',
        description: 'Licensing officers and police visit nail bars together.',
        topics: ['modern slavery'],
        stage: 'PILOT',
        evidenceRating: 'PROMISING',
        contact: 'tvp-protect@example.org',
        access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' },
      },
    }));

    const byName = await search('tvp.investigator', 'kestrelwood');
    expect(names(byName.threats)).toEqual(['Operation Kestrelwood']);
    expect(byName.plans.edges.map((e: any) => e.node.threat.name)).toEqual(['Operation Kestrelwood']);
    expect(byName.threats.totalCount).toBe(1);

    expect(names((await search('tvp.investigator', threat.urn)).threats)).toEqual(['Operation Kestrelwood']);
    expect(names((await search('tvp.investigator', 'laundering through nail')).threats)).toEqual(['Operation Kestrelwood']);
    expect(names((await search('tvp.investigator', 'quayle')).people)).toEqual(['Dorian Quayle']);
    expect(names((await search('tvp.investigator', 'wolfsbane')).people)).toEqual(['Lenny Marsh']);
    expect(names((await search('tvp.investigator', '99881')).disruptions, 'description')).toEqual(['Cash seizure at a nail bar.']);
    expect(names((await search('tvp.safeguarding', referral.reference)).referrals, 'reference')).toEqual([referral.reference]);

    const nailBars = await search('tvp.investigator', 'nail bar');
    expect(names(nailBars.practices, 'title')).toEqual(['Nail bar welfare visits']);
    expect(nailBars.disruptions.totalCount).toBe(1);
    expect(nailBars.threats.totalCount).toBe(1);
  });

  it('lists at most `first` of each kind, with each kind’s total', async () => {
    for (const n of [1, 2, 3]) await createThreat(app, 'tvp.investigator', { name: `Operation Pennywort ${n}` });
    const found = await search('tvp.investigator', 'pennywort', 2);
    expect(found.threats.totalCount).toBe(3);
    expect(found.threats.edges).toHaveLength(2);
    expect(found.first).toBe(2);
  });

  it('does not find, nor count, what the caller may not read', async () => {
    await createThreat(app, 'tvp.investigator', { name: 'Operation Quillwort', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    expect((await search('tvp.investigator', 'quillwort')).threats.totalCount).toBe(1);
    for (const other of ['oxon.mash', 'surrey.investigator', 'hmrc.officer']) {
      const found = await search(other, 'quillwort');
      expect({ other, threats: found.threats.totalCount, plans: found.plans.totalCount }).toEqual({ other, threats: 0, plans: 0 });
    }
    // Referrals: only their parties (tvp.safeguarding's referral is not Surrey's to find).
    const referral = await createReferral(app, { summary: 'Boy of 15 found with a burner phone in Didcot.' });
    expect((await search('surrey.investigator', referral.reference)).referrals.totalCount).toBe(0);
    expect((await search('oxon.mash', referral.reference)).referrals.totalCount).toBe(1);
  });

  it('never matches a partner on fields withheld from them, though the police find the same record by them', async () => {
    await createThreat(app, 'tvp.investigator', {
      name: 'Operation Sorrel',
      summary: 'Supply run by the Zephyrine brothers.',
      criminalActivities: [{ category: 'ILLEGAL_DRUGS', description: 'Runners recruited at the Marigoldfield estate.', firstIdentified: '2025-06-01' }],
      access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' },
    });
    // The partner reads the threat (found by its name)...
    expect(names((await search('oxon.mash', 'sorrel')).threats)).toEqual(['Operation Sorrel']);
    // ...but its summary and activity descriptions are withheld, so they find nothing by them.
    for (const words of ['zephyrine', 'marigoldfield']) {
      expect((await search('tvp.investigator', words)).threats.totalCount).toBe(1);
      expect((await search('oxon.mash', words)).threats.totalCount).toBe(0);
    }
  });

  it('needs a stated purpose for sensitive records and puts what was found on the audit trail', async () => {
    await createThreat(app, 'tvp.investigator', { name: 'Operation Tansy' });
    const refused = await app.gql('tvp.investigator', SEARCH, { text: 'tansy' }, { purpose: null });
    expect(refused.errors?.[0]?.extensions?.code).toBe('PURPOSE_REQUIRED');
    const found = await search('tvp.investigator', 'tansy');
    const [event] = await sql(
      app,
      `select record_ids from audit_event where operation = 'Find' and action = 'READ' and record_type = 'SocThreat' and username = 'tvp.investigator' order by id desc limit 1`,
    );
    expect(event.record_ids).toHaveLength(1);
    expect(found.threats.edges[0].node.id).toBeDefined();
  });

  it('refuses too little text and too many results, naming the argument', async () => {
    // Three characters: the search indexes are of trigrams, and fewer would read every row.
    for (const text of [' a ', 'ab', ' ab ']) {
      const short = await app.gql('tvp.investigator', SEARCH, { text });
      expect(short.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'text', message: 'type at least 3 characters' }] });
      expect(short.data ?? null).toBeNull();
    }
    expect((await search('tvp.investigator', 'abc')).text).toBe('abc');
    const many = await app.gql('tvp.investigator', SEARCH, { text: 'operation', first: 21 });
    expect(many.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'first', message: 'must be between 1 and 20' }] });
  });

  it('counts each kind up to its limit and no further, where the kind’s own list counts exactly', async () => {
    // 102 people of one name: one through the API, the rest copied in SQL (as the database owner).
    const person = await createNominal(app, 'tvp.investigator', 'Marjoram Quist', '1991-04-05');
    const columns = (await sql(app, `select string_agg(quote_ident(column_name), ', ') as list from information_schema.columns where table_name = 'nominal' and column_name <> 'id'`))[0].list;
    await sql(app, `insert into nominal (${columns}) select ${columns} from nominal, generate_series(1, 101) where id = ?`, [dbId(person.id)]);
    const list = `query ($text: String) { nominals(first: 5, filter: { text: $text }) { totalCount } }`;
    expect(expectData(await app.gql('tvp.investigator', list, { text: 'marjoram' })).nominals.totalCount).toBe(102);

    const found = await search('tvp.investigator', 'marjoram');
    expect(found.countLimit).toBe(100);
    // countLimit + 1: more than the limit.
    expect(found.people.totalCount).toBe(101);
    expect(found.people.edges).toHaveLength(5);
    expect(found.threats.totalCount).toBe(0);

    await sql(app, `delete from nominal where id in (select id from nominal where name = 'Marjoram Quist' and id <> ? limit 2)`, [dbId(person.id)]);
    expect((await search('tvp.investigator', 'marjoram')).people.totalCount).toBe(100);
    // Those the caller may not read are not counted: a partner with no referral about them.
    expect((await search('oxon.mash', 'marjoram')).people.totalCount).toBe(0);
  });

  it('counts each kind in the statement that reads its page: asking for the totals costs no statement more', async () => {
    for (const n of [1, 2, 3, 4]) await createThreat(app, 'tvp.investigator', { name: `Operation Sorrelgate ${n}` });
    const statementsFor = async (selection: string) => {
      const query = `query ($text: String!) { search(text: $text, first: 2) { ${selection} } }`;
      await app.gql('tvp.investigator', query, { text: 'sorrelgate' }); // one-time work (caches) left out
      const sent = await statementsSentDuring(app, async () => expectData(await app.gql('tvp.investigator', query, { text: 'sorrelgate' })).search.threats);
      return { found: sent.result, statements: sent.sql.length };
    };
    const withTotals = await statementsFor('threats { totalCount edges { node { name } } } people { totalCount edges { node { name } } }');
    const without = await statementsFor('threats { edges { node { name } } } people { edges { node { name } } }');
    expect(withTotals.found.totalCount).toBe(4);
    expect(withTotals.found.edges).toHaveLength(2);
    expect(withTotals.statements).toBe(without.statements);
  });

  it('finds text holding LIKE’s special characters literally', async () => {
    const name = 'Operation 100% Brimstone_Wharf \\ Quay';
    await createThreat(app, 'tvp.investigator', { name });
    await createThreat(app, 'tvp.investigator', { name: 'Operation 1000 BrimstoneXWharf' });
    expect(names((await search('tvp.investigator', '100% brim')).threats)).toEqual([name]);
    expect(names((await search('tvp.investigator', 'brimstone_wharf')).threats)).toEqual([name]);
    // Text ending in LIKE's escape character, and two of them (not in the name).
    expect(names((await search('tvp.investigator', 'wharf \\')).threats)).toEqual([name]);
    expect(names((await search('tvp.investigator', 'wharf \\\\')).threats)).toEqual([]);
  });
});

/**
 * The search indexes (Migration20261205003700_search_indexes) under row-level security: a
 * request's statements run as soc_app, and PostgreSQL checks the policy before any condition
 * that could raise an error about a row. Plain ILIKE can (a pattern ending in the escape
 * character), so no index could serve it; `~~~*` cannot, so its index can.
 */
describe('the search indexes', () => {
  async function asCaller<T>(username: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const [user] = await sql(
      app,
      `select u.id, u.organisation_id, u.roles, u.clearance, o.is_law_enforcement from app_user u join organisation o on o.id = u.organisation_id where u.username = ?`,
      [username],
    );
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query(
        `select set_config('soc.user_id', $1, true), set_config('soc.organisation_id', $2, true), set_config('soc.is_law_enforcement', $3, true),
                set_config('soc.roles', $4, true), set_config('soc.clearance', $5, true), set_config('role', 'soc_app', true)`,
        [user.id, user.organisation_id, String(user.is_law_enforcement), `{${user.roles.join(',')}}`, user.clearance],
      );
      return await work(client);
    } finally {
      await client.query('rollback');
      await client.end();
    }
  }
  const plan = async (client: pg.Client, statement: string) => (await client.query(`explain (costs off) ${statement}`)).rows.map((r) => r['QUERY PLAN']).join('\n');

  it('are used by a request’s statements under the access policy, and answer as ILIKE does', async () => {
    const threat = await adoptedThreat(app, 'tvp.investigator', { name: 'Operation Hellebore' });
    await createDisruption(app, 'tvp.investigator', threat.id, { date: daysAgo(0), description: 'Cannabis factory closed in Thame.' });
    await asCaller('tvp.investigator', async (client) => {
      // Small tables: without this the planner rightly reads them whole either way.
      await client.query('set local enable_seqscan = off');
      const matched = await plan(client, `select id from disruption where description ~~~* '%factory closed%'`);
      expect(matched).toContain('Bitmap Index Scan on disruption_description_search');
      // Both answer the same, under the policy.
      const ids = async (op: string) => (await client.query(`select id from disruption where description ${op} '%factory closed%'`)).rows;
      expect(await ids('~~~*')).toEqual(await ids('ilike'));
      expect(await ids('~~~*')).toHaveLength(1);
    });
    // A partner is refused the row by the policy, the index notwithstanding.
    await asCaller('oxon.mash', async (client) => {
      await client.query('set local enable_seqscan = off');
      expect((await client.query(`select id from disruption where description ~~~* '%factory closed%'`)).rows).toEqual([]);
    });
  });

  it('cannot raise an error whatever the row holds: a pattern ending in the escape character matches nothing', async () => {
    await asCaller('tvp.investigator', async (client) => {
      const [row] = (await client.query(`select 'a\\' ~~~* 'a\\' as odd, 'a\\' ~~~* 'a\\\\' as escaped, 'ABC' ~~~* '%b%' as any_case, soc_search_text(array['43/1', 'X-2']) ~~~* '%x-2%' as item`)).rows;
      expect(row).toEqual({ odd: false, escaped: true, any_case: true, item: true });
      await expect(client.query(`select 'a\\' ilike 'a\\'`)).rejects.toThrow(/escape character/);
    });
    const [fn] = await sql(app, `select bool_and(proleakproof) as leakproof from pg_proc where proname in ('soc_ilike', 'soc_search_text')`);
    expect(fn.leakproof).toBe(true);
  });
});

describe('intelligence in the search', () => {
  const FIND = `query FindIntelligence($text: String!) { search(text: $text) { intelligence { totalCount edges { node { id reference sanitisedText originalText } } } } }`;
  const found = async (as: string, text: string) => expectData(await app.gql(as, FIND, { text })).search.intelligence;
  const report = async (sharing: string, sanitisedText: string, originalText: string) =>
    expectData(await app.gql('tvp.investigator', `mutation ($input: CreateIntelligenceReportInput!) { createIntelligenceReport(input: $input) { id reference } }`, {
      input: {
        receivedOn: '2026-10-01', sourceEvaluation: 'RELIABLE', intelligenceAssessment: 'B', handlingCode: 'P',
        sanitisedText, originalText, access: { protectiveMarking: 'OFFICIAL', sharing },
      },
    })).createIntelligenceReport;

  it('finds reports by reference and sanitised text, and by original text only where it is shown; hidden ones not at all; audited', async () => {
    await sharingAgreement(app, { parties: ['TVP', 'OXON_CS'], categories: ['INTELLIGENCE'], maxMarking: 'OFFICIAL' });
    const shared = await report('REGIONAL_LAW_ENFORCEMENT', 'A courier known as "Marlinspike" crosses on the evening ferry.', 'Source saw Marlinspike at the Quillhaven terminal with a holdall.');
    await report('OWNER_ONLY', 'Marlinspike is said to keep a second phone.', 'Source heard Marlinspike name a second phone.');

    expect((await found('tvp.investigator', 'marlinspike')).totalCount).toBe(2);
    const surrey = await found('surrey.investigator', 'Quillhaven terminal');
    expect(surrey.edges.map((e: any) => e.node.id)).toEqual([shared.id]);
    expect((await found('surrey.investigator', shared.reference)).edges.map((e: any) => e.node.id)).toEqual([shared.id]);
    expect((await found('surrey.investigator', 'second phone')).totalCount).toBe(0);
    const audited = await sql(app, `select record_ids from audit_event where operation = 'FindIntelligence' and username = 'surrey.investigator' and record_type = 'IntelligenceReport'`);
    expect(audited.flatMap((a: any) => a.record_ids)).toContain(dbId(shared.id));

    // A partner finds a report only once it is disseminated to it, and only by what it is shown.
    expect((await found('oxon.mash', 'evening ferry')).totalCount).toBe(0);
    expectData(await app.gql('tvp.investigator', `mutation ($input: DisseminateIntelligenceInput!) { disseminateIntelligence(input: $input) { id } }`, {
      input: { id: shared.id, recipientOrganisationId: await orgId(app, 'OXON_CS') },
    }));
    const oxon = await found('oxon.mash', 'evening ferry');
    expect(oxon.edges).toEqual([{ node: { id: shared.id, reference: shared.reference, sanitisedText: expect.any(String), originalText: null } }]);
    expect((await found('oxon.mash', 'Quillhaven terminal')).totalCount).toBe(0);
  });
});
