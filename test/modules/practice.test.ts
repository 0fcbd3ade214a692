import { expectData, orgId } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { sharingAgreement } from '../support/access-factories';
import { statementsSentDuring } from '../support/statements';

const FIELDS = `id title aim description topics stage evidenceRating contact version protectiveMarking sharing
  organisation { code } owningOrganisation { code } partners { code } endorsementCount endorsedByViewer
  endorsements { comment user { username } organisation { code } }`;
const CREATE = `mutation ($input: CreatePracticeInput!) { createPractice(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($input: UpdatePracticeInput!) { updatePractice(input: $input) { ${FIELDS} } }`;
const ENDORSE = `mutation ($input: EndorsePracticeInput!) { endorsePractice(input: $input) { ${FIELDS} } }`;
const WITHDRAW = `mutation ($input: WithdrawEndorsementInput!) { withdrawEndorsement(input: $input) { ${FIELDS} } }`;
const LIST = `query ($filter: PracticeFilter, $orderBy: [PracticeOrder!], $first: Int) {
  practices(filter: $filter, orderBy: $orderBy, first: $first) { totalCount edges { node { title endorsementCount } } } }`;

let app: TestApp;
// OXON_CS (children's services) reads what police forces share only under an agreement with them.
const PARTNERSHIP = ['SEROCU', 'TVP', 'HIOW', 'SURREY', 'SUSSEX', 'OXON_CS'];
beforeAll(async () => {
  app = await createTestApp();
  await sharingAgreement(app, { parties: PARTNERSHIP });
});
afterAll(() => app.stop());

async function practiceInput(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Reachable moments: youth workers in custody suites',
    aim: 'Engage children arrested for county lines offences at the point of arrest.',
    description: 'Youth workers from a local charity meet children in custody and offer mentoring that continues after release.',
    topics: ['County Lines', ' child criminal exploitation '],
    partnerIds: [await orgId(app, 'OXON_CS')],
    stage: 'PILOT',
    evidenceRating: 'PROMISING',
    contact: 'Prevent team, tvp-prevent@example.org',
    access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' },
    ...overrides,
  };
}

async function createPractice(as = 'tvp.investigator', overrides: Record<string, unknown> = {}) {
  return expectData(await app.gql(as, CREATE, { input: await practiceInput(overrides) })).createPractice;
}

async function entryCount(): Promise<number> {
  const [{ count }] = await app.app.orm.em.getConnection().execute('select count(*)::int as count from practice_entry');
  return count;
}

function problemFields(result: { errors?: { extensions?: Record<string, any> }[] }): string[] {
  expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  return result.errors![0].extensions!.fields.map((f: { field: string }) => f.field).sort();
}

describe('recording practice', () => {
  it('creates an entry owned by the caller, with its partners and normalised topics', async () => {
    const entry = await createPractice();
    expect(entry).toMatchObject({
      version: 1,
      stage: 'PILOT',
      evidenceRating: 'PROMISING',
      topics: ['county lines', 'child criminal exploitation'],
      organisation: { code: 'TVP' },
      owningOrganisation: { code: 'TVP' },
      partners: [{ code: 'OXON_CS' }],
      sharing: 'ALL_PARTNERS',
      endorsementCount: 0,
      endorsements: [],
    });
  });

  it('reports every invalid field in one response and writes nothing', async () => {
    const before = await entryCount();
    const result = await app.gql('tvp.investigator', CREATE, {
      input: await practiceInput({
        title: ' ',
        aim: '',
        description: 'x'.repeat(20_001),
        topics: [],
        partnerIds: [await orgId(app, 'TVP'), 'not-an-id'],
        contact: '',
        stage: 'IDEA',
        evidenceRating: 'PROMISING',
        access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY', sharedWithIds: [await orgId(app, 'HIOW')] },
      }),
    });
    expect(problemFields(result)).toEqual([
      'input.access.sharedWithIds',
      'input.aim',
      'input.contact',
      'input.description',
      'input.evidenceRating',
      'input.partnerIds',
      'input.partnerIds[1]',
      'input.title',
      'input.topics',
    ]);
    expect(await entryCount()).toBe(before);
  });

  it('checks each topic, and that the evidence rating fits the stage', async () => {
    const topics = await app.gql('tvp.investigator', CREATE, { input: await practiceInput({ topics: ['ok', ' ', 'y'.repeat(61)] }) });
    expect(problemFields(topics)).toEqual(['input.topics[1]', 'input.topics[2]']);
    const tooMany = await app.gql('tvp.investigator', CREATE, { input: await practiceInput({ topics: Array.from({ length: 21 }, (_, i) => `topic ${i}`) }) });
    expect(problemFields(tooMany)).toEqual(['input.topics']);
    const effective = await app.gql('tvp.investigator', CREATE, { input: await practiceInput({ stage: 'IMPLEMENTED', evidenceRating: 'EFFECTIVE' }) });
    expect(effective.errors![0].extensions!.fields).toEqual([{ field: 'input.evidenceRating', message: 'EFFECTIVE needs an evaluation: set the stage to EVALUATED' }]);
    expect(await createPractice('tvp.investigator', { stage: 'EVALUATED', evidenceRating: 'EFFECTIVE' })).toMatchObject({ evidenceRating: 'EFFECTIVE' });
  });

  it('lets only the owning organisation change an entry, and refuses stale versions', async () => {
    const entry = await createPractice();
    const updated = expectData(await app.gql('tvp.investigator', UPDATE, {
      input: { id: entry.id, expectedVersion: 1, stage: 'IMPLEMENTED', topics: ['Mentoring'], partnerIds: [] },
    })).updatePractice;
    expect(updated).toMatchObject({ version: 2, stage: 'IMPLEMENTED', evidenceRating: 'PROMISING', topics: ['mentoring'], partners: [] });
    const stale = await app.gql('tvp.investigator', UPDATE, { input: { id: entry.id, expectedVersion: 1, title: 'Again' } });
    expect(stale.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    const other = await app.gql('hiow.analyst', UPDATE, { input: { id: entry.id, expectedVersion: 2, title: 'Mine now' } });
    expect(other.errors![0].extensions!.code).toBe('FORBIDDEN');
    // The rating is checked against the stage it will have, given or kept.
    const backToIdea = await app.gql('tvp.investigator', UPDATE, { input: { id: entry.id, expectedVersion: 2, stage: 'IDEA', title: '' } });
    expect(problemFields(backToIdea)).toEqual(['input.evidenceRating', 'input.title']);
  });
});

describe('endorsements', () => {
  it('come from other organisations, once per user, and can be withdrawn', async () => {
    const entry = await createPractice();
    const own = await app.gql('tvp.safeguarding', ENDORSE, { input: { id: entry.id, comment: 'Ours and good.' } });
    expect(own.errors![0].extensions!.code).toBe('FORBIDDEN');

    const endorsed = expectData(await app.gql('oxon.mash', ENDORSE, { input: { id: entry.id, comment: 'Cut repeat missing episodes in our area.' } })).endorsePractice;
    expect(endorsed).toMatchObject({
      endorsementCount: 1,
      endorsedByViewer: true,
      version: 1, // an endorsement is not an edit of the entry
      endorsements: [{ comment: 'Cut repeat missing episodes in our area.', user: { username: 'oxon.mash' }, organisation: { code: 'OXON_CS' } }],
    });
    const twice = await app.gql('oxon.mash', ENDORSE, { input: { id: entry.id } });
    expect(twice.errors![0].extensions!.code).toBe('CONFLICT');
    const second = expectData(await app.gql('hiow.analyst', ENDORSE, { input: { id: entry.id } })).endorsePractice;
    expect(second).toMatchObject({ endorsementCount: 2, endorsedByViewer: true });

    const withdrawn = expectData(await app.gql('oxon.mash', WITHDRAW, { input: { id: entry.id } })).withdrawEndorsement;
    expect(withdrawn).toMatchObject({ endorsementCount: 1, endorsedByViewer: false, endorsements: [{ user: { username: 'hiow.analyst' } }] });
    const again = await app.gql('oxon.mash', WITHDRAW, { input: { id: entry.id } });
    expect(again.errors![0].extensions!.code).toBe('NOT_FOUND');

    const history = expectData(await app.gql('tvp.investigator', `query ($id: ID!) { node(id: $id) { ... on PracticeEntry { history { action part } } } }`, { id: entry.id })).node.history;
    expect(history.filter((h: any) => h.part === 'endorsement').map((h: any) => h.action)).toEqual(['CREATE', 'CREATE', 'DELETE']);
  });

  it('refuses a comment that is too long and an unknown entry', async () => {
    const entry = await createPractice();
    const long = await app.gql('oxon.mash', ENDORSE, { input: { id: entry.id, comment: 'z'.repeat(2001) } });
    expect(problemFields(long)).toEqual(['input.comment']);
    const missing = await app.gql('oxon.mash', ENDORSE, { input: { id: Buffer.from('PracticeEntry:00000000-0000-0000-0000-000000000000').toString('base64url') } });
    expect(missing.errors![0].extensions!.code).toBe('NOT_FOUND');
  });
});

describe('searching the register', () => {
  let fresh: TestApp;
  const list = async (variables: Record<string, unknown>, as = 'oxon.mash') => expectData(await fresh.gql(as, LIST, variables)).practices;
  const titles = (conn: any) => conn.edges.map((e: any) => e.node.title);

  beforeAll(async () => {
    fresh = await createTestApp();
    await sharingAgreement(fresh, { parties: PARTNERSHIP });
    const entries = [
      ['tvp.investigator', {
        title: 'Cuckooing welfare visits', aim: 'Protect vulnerable tenants whose homes are taken over by dealers.',
        description: 'Neighbourhood officers and housing visit flagged tenants weekly.', topics: ['cuckooing', 'housing'], stage: 'IMPLEMENTED', evidenceRating: 'PROMISING',
        partnerIds: [await orgId(fresh, 'OXON_CS')],
      }],
      ['hiow.analyst', {
        title: 'Rail station outreach', aim: 'Spot children travelling alone on known county lines routes.',
        description: 'Youth workers at Southampton and Reading stations, with British Transport Police, approach children travelling alone. Cuckooing addresses are passed to housing.',
        topics: ['county lines', 'transport'], stage: 'PILOT', evidenceRating: 'UNTESTED_NEW', partnerIds: [],
      }],
      ['surrey.investigator', {
        title: 'Financial disruption workshops', aim: 'Teach frontline staff to spot money mules.',
        description: 'Short sessions with banks on mule recruitment of students.', topics: ['money laundering', 'education'], stage: 'EVALUATED', evidenceRating: 'EFFECTIVE', partnerIds: [],
      }],
      ['sussex.investigator', {
        title: 'Harbour watch', aim: 'Intelligence from marinas about small boats.', description: 'Marina staff report suspicious launches at night.',
        topics: ['organised immigration crime'], stage: 'IDEA', evidenceRating: 'UNTESTED_NEW', partnerIds: [],
      }],
    ] as const;
    for (const [as, fields] of entries) {
      const entry = expectData(await fresh.gql(as, CREATE, { input: { ...fields, contact: 'Named lead', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } } })).createPractice;
      if (entry.title === 'Harbour watch') {
        for (const user of ['oxon.mash', 'tvp.investigator']) expectData(await fresh.gql(user, ENDORSE, { input: { id: entry.id } }));
      }
    }
  });
  afterAll(() => fresh.stop());

  it('finds entries by words in the description, stemmed, and ranks title and topic matches above description matches', async () => {
    expect(titles(await list({ filter: { text: 'banks' } }))).toEqual(['Financial disruption workshops']);
    expect(titles(await list({ filter: { text: 'mules' } }))).toEqual(['Financial disruption workshops']);
    // "cuckooing" is the first entry's title and topic, and only in the second one's description.
    expect(titles(await list({ filter: { text: 'cuckooing' } }))).toEqual(['Cuckooing welfare visits', 'Rail station outreach']);
    expect(titles(await list({ filter: { text: 'cuckooing' }, orderBy: [{ field: 'RELEVANCE', direction: 'ASC' }] }))).toEqual(['Rail station outreach', 'Cuckooing welfare visits']);
  });

  it('searches through the GIN index on the generated search column', async () => {
    const knex = fresh.app.orm.em.getConnection().getKnex();
    // Four rows are cheaper to scan than to look up, so forbid sequential scans to see the index is usable.
    const plan = await knex.transaction(async (trx) => {
      await trx.raw('set local enable_seqscan = off');
      const result = await trx.raw(`explain select p.id from practice_entry p cross join websearch_to_tsquery('english', 'cuckooing') as pq where p.search @@ pq`);
      return result.rows.map((r: any) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/practice_entry_search_idx/);
  });

  it('finds entries by their topics and understands web-search syntax', async () => {
    expect(titles(await list({ filter: { text: 'transport' } }))).toEqual(['Rail station outreach']);
    expect(titles(await list({ filter: { text: '"county lines"' } }))).toEqual(['Rail station outreach']);
    expect(titles(await list({ filter: { text: 'cuckooing -housing' } }))).toEqual([]);
    expect(titles(await list({ filter: { text: 'marinas or banks' }, orderBy: [{ field: 'TITLE', direction: 'ASC' }] }))).toEqual(['Financial disruption workshops', 'Harbour watch']);
  });

  it('filters by topics, stage, evidence rating and organisation (owner or partner)', async () => {
    expect(titles(await list({ filter: { topics: ['Education', 'transport'] }, orderBy: [{ field: 'TITLE', direction: 'ASC' }] }))).toEqual(['Financial disruption workshops', 'Rail station outreach']);
    expect(titles(await list({ filter: { stage: ['IDEA'] } }))).toEqual(['Harbour watch']);
    expect(titles(await list({ filter: { evidenceRating: ['EFFECTIVE', 'PROMISING'] }, orderBy: [{ field: 'TITLE', direction: 'ASC' }] }))).toEqual([
      'Cuckooing welfare visits',
      'Financial disruption workshops',
    ]);
    expect(titles(await list({ filter: { organisationIds: [await orgId(fresh, 'HIOW')] } }))).toEqual(['Rail station outreach']);
    expect(titles(await list({ filter: { organisationIds: [await orgId(fresh, 'OXON_CS')] } }))).toEqual(['Cuckooing welfare visits']);
    expect(titles(await list({ filter: { text: 'children', stage: ['PILOT'] } }))).toEqual(['Rail station outreach']);
  });

  it('orders by endorsements, title and last update', async () => {
    const all = await list({ first: 10 });
    expect(all.totalCount).toBe(4);
    expect(titles(all)[0]).toBe('Harbour watch'); // default without text: most recently updated first
    const byEndorsements = await list({ orderBy: [{ field: 'ENDORSEMENTS', direction: 'DESC' }, { field: 'TITLE', direction: 'ASC' }] });
    expect(byEndorsements.edges.map((e: any) => [e.node.title, e.node.endorsementCount])).toEqual([
      ['Harbour watch', 2],
      ['Cuckooing welfare visits', 0],
      ['Financial disruption workshops', 0],
      ['Rail station outreach', 0],
    ]);
    expect(titles(await list({ orderBy: [{ field: 'TITLE', direction: 'DESC' }] }))[0]).toBe('Rail station outreach');
  });

  it('loads nested fields in batches: the same number of SQL statements for 2 or 4 entries', async () => {
    // Ordered so both pages start with the same related rows: loaders cache within a request, and
    // a page that happened to meet every organisation early would save a statement.
    const NESTED = `query ($first: Int) { practices(first: $first, orderBy: [{ field: ENDORSEMENTS, direction: DESC }, { field: TITLE, direction: ASC }]) { edges { node {
      title organisation { code } partners { code } endorsementCount endorsedByViewer endorsements { user { username } organisation { code } } createdBy { username }
    } } } }`;
    const measure = async (first: number) => {
      await fresh.gql('oxon.mash', '{ viewer { username } }');
      const sent = await statementsSentDuring(fresh, async () => {
        expect(expectData(await fresh.gql('oxon.mash', NESTED, { first })).practices.edges).toHaveLength(first);
      });
      return sent.sql.length;
    };
    expect(await measure(4)).toBe(await measure(2));
  });
});
