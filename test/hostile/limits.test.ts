import { parse } from 'graphql';
import { loadConfig } from '../../server/src/config';
import { webSocketValidation } from '../../server/src/graphql/limits';
import { buildAppSchema } from '../../server/src/graphql/schema';
import { createTestApp, type TestApp } from '../support/test-app';
import { openSocket } from '../support/live-client';

/**
 * Every document limit refuses a document just over it, before anything runs, with HTTP 400,
 * GRAPHQL_VALIDATION_FAILED (GRAPHQL_PARSE_FAILED for tokens) and a message naming the limit;
 * a document just under passes. Limits are set low here so the documents stay readable.
 */
describe('limits before execution', () => {
  let app: TestApp;
  beforeAll(
    async () =>
      (app = await createTestApp({
        env: { GRAPHQL_MAX_DEPTH: '5', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_TOKENS: '60', GRAPHQL_MAX_DIRECTIVES: '2', GRAPHQL_MAX_COST: '500' },
      })),
  );
  afterAll(() => app.stop());

  const refusal = async (query: string, variables?: Record<string, unknown>) => {
    const response = await app.gql('serocu.analyst', query, variables);
    expect(response.data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(response.errors).toHaveLength(1);
    return response.errors![0];
  };

  it('depth: a selection nested deeper than the limit', async () => {
    // threats(1) edges(2) node(3) leadOrganisation(4) code(5)
    expect((await app.gql('serocu.analyst', '{ threats(first: 1) { edges { node { leadOrganisation { code } } } } }')).errors).toBeUndefined();
    const error = await refusal('{ threats(first: 1) { edges { node { criminalActivities { assessment { priority } } } } } }');
    expect(error).toMatchObject({ message: 'Query depth limit of 5 exceeded, found 6.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_DEPTH' } });
  });

  it('depth: fragments count where they are spread', async () => {
    const error = await refusal(
      'query { threats(first: 1) { ...T } } fragment T on SocThreatConnection { edges { node { criminalActivities { assessment { priority } } } } }',
    );
    expect(error.extensions).toMatchObject({ limit: 'MAX_DEPTH' });
  });

  it('aliases: more aliases than the limit', async () => {
    expect((await app.gql('serocu.analyst', '{ a: viewer { id } b: viewer { id } c: viewer { id } }')).errors).toBeUndefined();
    const error = await refusal('{ a: viewer { id } b: viewer { id } c: viewer { id } d: viewer { id } }');
    expect(error).toMatchObject({ message: 'Aliases limit of 3 exceeded, found 4.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_ALIASES' } });
  });

  it('directives: more directives than the limit', async () => {
    expect((await app.gql('serocu.analyst', '{ viewer { id @include(if: true) username @skip(if: false) } }')).errors).toBeUndefined();
    const error = await refusal('{ viewer { id @include(if: true) username @skip(if: false) roles @include(if: true) } }');
    expect(error).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_DIRECTIVES' } });
    expect(error.message).toMatch(/Directives limit of 2 exceeded, found 3/);
  });

  it('tokens: a document longer than the limit is not even parsed whole', async () => {
    const fields = (n: number) => Array.from({ length: n }, () => 'id').join(' ');
    expect((await app.gql('serocu.analyst', `{ viewer { ${fields(50)} } }`)).errors).toBeUndefined();
    const error = await refusal(`{ viewer { ${fields(60)} } }`);
    expect(error).toMatchObject({ extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    expect(error.message).toMatch(/Document contains more that? 60 tokens/);
  });

  it('cost: a page size written in the document counts', async () => {
    const page = (first: number) => `{ threats(first: ${first}) { edges { node { id name status priority } } } }`;
    expect((await app.gql('serocu.analyst', page(5))).errors).toBeUndefined();
    const error = await refusal(page(50));
    expect(error).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_COST' } });
    expect(error.message).toMatch(/^Query Cost limit of 500 exceeded, found \d+/);
  });

  it('cost: a page size passed as a variable counts too, with a default in the document or without one', async () => {
    const page = 'query Page($first: Int) { threats(first: $first) { edges { node { id name status priority } } } }';
    expect((await app.gql('serocu.analyst', page, { first: 5 })).errors).toBeUndefined();
    expect((await refusal(page, { first: 50 })).extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_COST' });
    // The same document again (priced from the cache) and with other sizes.
    expect((await refusal(page, { first: 50 })).extensions).toMatchObject({ limit: 'MAX_COST' });
    expect((await app.gql('serocu.analyst', page, { first: 4 })).errors).toBeUndefined();
    const withDefault = 'query Page($first: Int = 50) { threats(first: $first) { edges { node { id name status priority } } } }';
    expect((await refusal(withDefault)).extensions).toMatchObject({ limit: 'MAX_COST' });
  });

  it('cost: a page size passed as a variable counts over WebSocket too', async () => {
    const page = 'query Page($first: Int) { threats(first: $first) { edges { node { id name status priority } } } }';
    const socket = await openSocket(app, 'serocu.analyst');
    try {
      expect((await socket.run(page, { first: 5 })).errors).toBeUndefined();
      const refused = await socket.run(page, { first: 50 });
      expect(refused.data ?? null).toBeNull();
      expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_COST' } });
      // The socket stays open for the next operation.
      expect((await socket.run(page, { first: 4 })).errors).toBeUndefined();
    } finally {
      await socket.close();
    }
  });

  it('fragments count about as their fields written in place: the same depth, cost within a quarter', async () => {
    const inline = (first: number) => `{ threats(first: ${first}) { edges { node { id name criminalActivities { id category } plan { id status } } } } }`;
    const spread = (first: number) =>
      `query { threats(first: ${first}) { edges { node { ...Parts } } } } fragment Parts on SocThreat { id name criminalActivities { id category } plan { id status } }`;
    // Depth 5 either way: a spread adds no level (it did, and this page was refused for depth).
    expect((await app.gql('serocu.analyst', spread(1))).errors).toBeUndefined();
    // Priced over the limit, both say what they cost; the fragment adds a few points per spread
    // (graphql-armor prices the spread and the fragment as objects), not a depth factor on all of it.
    const cost = async (document: string) => Number(/found ([\d.]+)/.exec((await refusal(document)).message)![1]);
    const [inlined, spreadOut] = [await cost(inline(60)), await cost(spread(60))];
    expect(spreadOut).toBeGreaterThanOrEqual(inlined);
    expect(spreadOut / inlined).toBeLessThan(1.25);
  });

  it('runs nothing from a refused mutation', async () => {
    const input = { name: 'Limit Test', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } };
    const create = (alias: string) => `${alias}: createNominal(input: $input) { id }`;
    const error = await refusal(`mutation ($input: CreateNominalInput!) { ${['a', 'b', 'c', 'd'].map(create).join(' ')} }`, { input });
    expect(error.extensions).toMatchObject({ limit: 'MAX_ALIASES' });
    const [{ count }] = await app.app.orm.em.getConnection().execute(`select count(*)::int as count from nominal where name = 'Limit Test'`);
    expect(count).toBe(0);
    // The same mutation within the limit does run, so the count above proves something.
    expect((await app.gql('serocu.analyst', `mutation ($input: CreateNominalInput!) { ${create('a')} }`, { input })).errors).toBeUndefined();
  });
});

describe('page size', () => {
  let app: TestApp;
  beforeAll(async () => (app = await createTestApp()));
  afterAll(() => app.stop());

  it('refuses first or last over 100 with BAD_USER_INPUT naming the argument', async () => {
    for (const arg of ['first', 'last']) {
      const response = await app.gql('serocu.analyst', `query ($n: Int) { threats(${arg}: $n) { totalCount } }`, { n: 101 });
      expect(response.errors?.[0]).toMatchObject({
        message: `${arg}: must be between 0 and 100`,
        extensions: { code: 'BAD_USER_INPUT', fields: [{ field: arg, message: 'must be between 0 and 100' }] },
      });
      expect((await app.gql('serocu.analyst', `query ($n: Int) { threats(${arg}: $n) { totalCount } }`, { n: 100 })).errors).toBeUndefined();
    }
  });
});

describe('the same limits for GraphQL over WebSocket (graphql-ws `validate`)', () => {
  it('refuses a document over a limit, and introspection in production', async () => {
    const schema = await buildAppSchema();
    const validateOverWebSocket = webSocketValidation(loadConfig({ GRAPHQL_MAX_DEPTH: '5' }).graphqlLimits, true);
    const deep = parse('{ threats(first: 1) { edges { node { criminalActivities { assessment { priority } } } } } }');
    expect(validateOverWebSocket(schema, parse('{ viewer { id } }'))).toEqual([]);
    expect(validateOverWebSocket(schema, deep).map((e) => e.extensions.limit)).toEqual(['MAX_DEPTH']);
    expect(validateOverWebSocket(schema, parse('{ __schema { types { name } } }'))[0].message).toMatch(/introspection/);
    expect(webSocketValidation(loadConfig({}).graphqlLimits, false)(schema, parse('{ __schema { types { name } } }'))).toEqual([]);
  });
});
