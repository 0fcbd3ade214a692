import fc from 'fast-check';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * Random and mutated documents, variables and request bodies, over real HTTP: every answer is
 * JSON; every error in it has a message and an `extensions.code`; no answer is a 500 or takes
 * more than a few seconds; the server is still serving at the end. 300 cases in the normal
 * run; `FUZZ_RUNS=20000 npx jest test/hostile/fuzz` for a long one.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const REQUEST_TIMEOUT_MS = 10_000;

/** Valid documents to start from, covering queries, pagination, node lookups, search and mutations. */
const CORPUS = [
  'query Viewer { viewer { id username roles organisation { code name } } }',
  'query Threats($first: Int, $after: String, $filter: ThreatFilter) { threats(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name status priority leadOrganisation { code } criminalActivities { category } } } } }',
  'query Node($id: ID!) { node(id: $id) { id __typename ... on SocThreat { name urn } ... on Nominal { name } } }',
  'query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id } }',
  'query People($text: String, $last: Int) { nominals(last: $last, filter: { text: $text }) { totalCount edges { node { id name aliases } } } }',
  'query Search($text: String) { practices(first: 5, filter: { text: $text }) { totalCount edges { node { title } } } }',
  'mutation Create($input: CreateNominalInput!) { createNominal(input: $input) { id name version } }',
  'mutation Update($input: UpdateThreatInput!) { updateThreat(input: $input) { id version } }',
  'query Frag { viewer { ...Me } } fragment Me on User { username organisation { code } }',
];

/** Pieces of GraphQL syntax, so mutations make near-misses rather than only noise. */
const TOKENS = ['{', '}', '(', ')', '[', ']', ':', '$', '!', '@', '...', '=', '"', '"""', '#', ',', 'query', 'mutation', 'subscription', 'fragment', 'on', 'null', 'true', '-1', '1e309', '0x1', '\\u0000', 'first', '__schema', '__typename', 'node', 'viewer', '@include(if: true)', '@skip', '@deprecated'];

const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

/** One edit to a document: delete, insert, duplicate or replace a span. */
const edit = fc.record({
  at: fc.nat(),
  length: fc.nat({ max: 12 }),
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'replace'),
  insert: fc.oneof(fc.constantFrom(...TOKENS), text),
});

function applyEdits(source: string, edits: { at: number; length: number; kind: string; insert: string }[]): string {
  let s = source;
  for (const e of edits) {
    const at = s.length ? e.at % s.length : 0;
    const end = Math.min(s.length, at + e.length);
    if (e.kind === 'delete') s = s.slice(0, at) + s.slice(end);
    else if (e.kind === 'insert') s = s.slice(0, at) + e.insert + s.slice(at);
    else if (e.kind === 'duplicate') s = s.slice(0, end) + s.slice(at, end) + s.slice(end);
    else s = s.slice(0, at) + e.insert + s.slice(end);
  }
  return s;
}

const document = fc.oneof(
  { weight: 1, arbitrary: text },
  { weight: 1, arbitrary: fc.constantFrom(...CORPUS) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...CORPUS), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([doc, edits]) => applyEdits(doc, edits)) },
);

/** Values of the right and wrong types for the corpus's variables. */
const value = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, 1, 20, 100, 101, -1, 2 ** 31, 1.5, Number.MAX_SAFE_INTEGER),
  text,
  fc.constantFrom('', 'U29jVGhyZWF0OjE', 'bzox', 'bzotMQ', 'o:99999999999', '00000000-0000-0000-0000-000000000000'),
  fc.base64String({ maxLength: 40 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const variables = fc.oneof(
  fc.constant(undefined),
  fc.dictionary(fc.constantFrom('first', 'last', 'after', 'id', 'ids', 'text', 'filter', 'input', 'x'), value, { maxKeys: 4 }),
  fc.record(
    {
      input: fc.record(
        {
          name: text,
          id: value,
          expectedVersion: value,
          aliases: fc.array(text, { maxLength: 3 }),
          dateOfBirth: fc.oneof(text, fc.constantFrom('2010-02-30', '1990-01-01', '9999-99-99')),
          access: fc.record({ protectiveMarking: fc.constantFrom('OFFICIAL', 'SECRET', 'BOGUS', 1), sharing: fc.constantFrom('OWNER_ONLY', 'ALL_PARTNERS', null), sharedWithIds: fc.array(value, { maxLength: 2 }) }, { requiredKeys: [] }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);

/** A whole request body: usually a GraphQL request, sometimes something else entirely. */
const body = fc.oneof(
  { weight: 8, arbitrary: fc.record({ query: document, variables, operationName: fc.option(fc.oneof(fc.constantFrom('Viewer', 'Threats', 'Create', 'Nope'), text), { nil: undefined }) }, { requiredKeys: ['query'] }).map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: text },
);

/** Sometimes the same request as a GET, with its parts in the query string. */
const method = fc.constantFrom('POST', 'POST', 'POST', 'GET');

function asGet(url: string, requestBody: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(requestBody);
  } catch {
    return `${url}?query=${encodeURIComponent(requestBody)}`;
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(typeof parsed === 'object' && parsed ? parsed : { query: parsed })) {
    if (value !== undefined) params.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return `${url}?${params}`;
}

const user = fc.constantFrom('serocu.analyst', 'oxon.mash', 'hmrc.officer', undefined);
const purpose = fc.oneof(fc.constantFrom('INVESTIGATION', 'ANALYSIS', undefined), text);

describe('fuzzing the API', () => {
  let app: TestApp;
  const tokens = new Map<string, string>();
  beforeAll(async () => {
    app = await createTestApp({ seed: 'demo' });
    for (const u of ['serocu.analyst', 'oxon.mash', 'hmrc.officer']) tokens.set(u, await app.tokenFor(u));
  });
  afterAll(() => app.stop());

  it(`answers ${RUNS} random and mutated requests with well-formed GraphQL errors, never a 500 or a hang`, async () => {
    await fc.assert(
      fc.asyncProperty(body, user, purpose, method, async (requestBody, as, stated, verb) => {
        const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
        if (as) headers.authorization = `Bearer ${tokens.get(as)}`;
        if (stated !== undefined && /^[\x20-\x7e]*$/.test(stated)) headers['x-purpose'] = stated;
        const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
        const response =
          verb === 'GET'
            ? await fetch(asGet(`${app.url}/graphql`, requestBody), { headers: { ...headers, 'apollo-require-preflight': 'true' }, signal })
            : await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: requestBody, signal });
        const raw = await response.text();
        expect(response.status).not.toBeGreaterThanOrEqual(500);
        expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
        const answer = JSON.parse(raw) as { data?: unknown; errors?: { message?: unknown; extensions?: { code?: unknown } }[] };
        expect(answer.errors !== undefined || answer.data !== undefined).toBe(true);
        for (const error of answer.errors ?? []) {
          expect(typeof error.message).toBe('string');
          expect(typeof error.extensions?.code).toBe('string');
          expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
        }
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: Math.max(60_000, RUNS * 200) },
    );
    // Still serving, and nothing was left holding a connection.
    expect((await app.gql('serocu.analyst', '{ viewer { username } }')).data.viewer.username).toBe('serocu.analyst');
  }, Math.max(120_000, RUNS * 400));
});
