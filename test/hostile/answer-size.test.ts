import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { getNamedType, getNullableType, isListType, isObjectType, Kind, parse, type GraphQLObjectType, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { answerObjectsBound, MAX_ANSWER_OBJECTS } from '../../server/src/graphql/answer-size';
import { buildAppSchema } from '../../server/src/graphql/schema';
import { createThreat } from '../support/factories';
import { openSocket } from '../support/live-client';
import { createTestApp, type TestApp } from '../support/test-app';
import { metrics } from '../../server/src/http/metrics';

/**
 * Query cost over lists without page sizes: every list is priced by its real bound (a page
 * size, the ids given, a declared maximum that resolvers enforce), so the largest answer any
 * accepted document can produce is bounded: MAX_ANSWER_OBJECTS (500,000) objects, each with no
 * more fields than the document selects, and GRAPHQL_MAX_RESPONSE_BYTES (16 MiB) bytes of JSON,
 * over HTTP and WebSocket alike.
 */
let app: TestApp;
let schema: GraphQLSchema;
beforeAll(async () => {
  app = await createTestApp({ seed: 'demo' });
  schema = await buildAppSchema();
}, 120_000);
afterAll(() => app.stop());

const boundOf = (text: string, variables?: Record<string, unknown>) => {
  const document = parse(text);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(document.definitions.filter((d: any) => d.kind === Kind.FRAGMENT_DEFINITION).map((d: any) => [d.name.value, d]));
  return answerObjectsBound(schema, operation, fragments, variables);
};

/** Objects in an answer: every JSON object below `data`. */
function objectsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + objectsIn(v), 0);
  if (value && typeof value === 'object') return 1 + Object.values(value).reduce((n: number, v) => n + objectsIn(v), 0);
  return 0;
}

describe('the size of an answer', () => {
  it('refuses nested plain lists that multiply (disruptions → threat → disruptions → threat → disruptions)', async () => {
    const nested = `{ disruptions(first: 100) { edges { node { threat { disruptions { threat { disruptions { id description } } } } } } } }`;
    const result = await app.gql('serocu.analyst', nested);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_ANSWER_SIZE' });
  });

  it('prices nodes(ids) by the ids given, in the document or its variables, and takes at most 100', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => Buffer.from(`SocThreat:00000000-0000-0000-0000-${String(i).padStart(12, '0')}`).toString('base64url'));
    const query = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on SocThreat { disruptions { threat { disruptions { id } } } } } }`;
    expect(boundOf(query, { ids: ids.slice(0, 2) })).toBeLessThan(boundOf(query, { ids }));
    const refused = await app.gql('serocu.analyst', query, { ids });
    expect(refused.errors?.[0]?.extensions?.limit).toBe('MAX_ANSWER_SIZE');
    const tooMany = await app.gql('serocu.analyst', `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [...ids, ...ids] });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('prices the same document anew for page sizes and id counts it has not seen (bounds are remembered per document and those values)', async () => {
    // One threat and its 500 disruptions' threats' 500 disruptions: about 251,000 objects per page item.
    const query = `query ($n: Int!, $ids: [ID!]!) { disruptions(first: $n) { edges { node { threat { disruptions { threat { disruptions { id } } } } } } }
      nodes(ids: $ids) { id } }`;
    const id = Buffer.from('SocThreat:00000000-0000-0000-0000-000000000001').toString('base64url');
    const limited = async (n: number, ids: string[]) => (await app.gql('serocu.analyst', query, { n, ids })).errors?.[0]?.extensions?.limit;
    expect(await limited(1, [id])).toBeUndefined();
    expect(await limited(2, [id])).toBe('MAX_ANSWER_SIZE');
    expect(await limited(1, [id])).toBeUndefined();
    expect(await limited(1, Array(100).fill(id))).toBeUndefined();
    const heavier = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on SocThreat { disruptions { threat { disruptions { id } } } } } }`;
    expect((await app.gql('serocu.analyst', heavier, { ids: [id] })).errors?.[0]?.extensions?.limit).toBeUndefined();
    expect((await app.gql('serocu.analyst', heavier, { ids: [id, id] })).errors?.[0]?.extensions?.limit).toBe('MAX_ANSWER_SIZE');
    expect((await app.gql('serocu.analyst', heavier, { ids: [id] })).errors?.[0]?.extensions?.limit).toBeUndefined();
  });

  it('lets every operation of the web client through, at its largest page sizes', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../dist/client/trusted-documents.json'), 'utf8')) as Record<string, string>;
    const largest = (text: string) => Object.fromEntries([...text.matchAll(/\$(\w+): Int/g)].map((m) => [m[1], 100]));
    const over = Object.values(manifest).filter((text) => boundOf(text, largest(text)) > MAX_ANSWER_OBJECTS);
    expect(over).toEqual([]);
  });

  it('refuses over WebSocket what it refuses over HTTP: nested plain lists that multiply', async () => {
    const socket = await openSocket(app, 'serocu.analyst');
    try {
      const nested = await socket.run(`{ disruptions(first: 100) { edges { node { threat { disruptions { threat { disruptions { id description } } } } } } } }`);
      expect(nested.errors?.[0]?.extensions).toMatchObject({ limit: 'MAX_ANSWER_SIZE' });
      // The socket still answers.
      expect((await socket.run(`{ viewer { username } }`)).data).toEqual({ viewer: { username: 'serocu.analyst' } });
    } finally {
      await socket.close();
    }
  });

  describe('a hard cap on bytes', () => {
    let small: TestApp;
    beforeAll(async () => {
      small = await createTestApp({ env: { GRAPHQL_MAX_RESPONSE_BYTES: '4096' } });
      for (let i = 0; i < 3; i++) await createThreat(small, 'serocu.analyst', { name: `Operation Bytes ${i}`, summary: 'x'.repeat(2000) });
    });
    afterAll(() => small.stop());
    const QUERY = `{ threats(first: 10) { edges { node { id name summary } } } }`;

    it('replaces an answer larger than the cap, whole, with RESPONSE_TOO_LARGE; smaller answers pass', async () => {
      const counted = async () => (await metrics.errors.get()).values.find((v) => v.labels.code === 'RESPONSE_TOO_LARGE')?.value ?? 0;
      const before = await counted();
      const big = await small.gql('serocu.analyst', QUERY);
      expect(await counted()).toBe(before + 1);
      expect(big.data).toBeUndefined();
      expect(big.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RESPONSE_TOO_LARGE', limit: 'MAX_RESPONSE_BYTES', maxBytes: 4096 }) })]);
      const fine = await small.gql('serocu.analyst', `{ threats(first: 10) { edges { node { id name } } } }`);
      expect(fine.errors).toBeUndefined();
      expect(fine.data.threats.edges).toHaveLength(3);
    });

    it('undoes a mutation whose answer is too large (the caller is told it failed)', async () => {
      const [threat] = (await small.gql('serocu.analyst', `{ threats(first: 1) { edges { node { id version } } } }`)).data.threats.edges.map((e: any) => e.node);
      const answer = await small.gql('serocu.analyst', `mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { id summary } }`, {
        input: { id: threat.id, expectedVersion: threat.version, summary: 'y'.repeat(5000) },
      });
      expect(answer.errors?.[0]?.extensions?.code).toBe('RESPONSE_TOO_LARGE');
      const after = (await small.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat { version summary } } }`, { id: threat.id })).data.node;
      expect(after).toEqual({ version: threat.version, summary: 'x'.repeat(2000) });
    });

    it('counts bytes, not characters: an answer of fewer characters than the cap but more bytes is refused', async () => {
      // 1,500 characters of three bytes each: 4,500 bytes in the answer's JSON, over the 4,096 allowed.
      const threat = await createThreat(small, 'serocu.analyst', { name: 'Operation Euro', summary: '€'.repeat(1500) });
      const read = await small.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat { summary } } }`, { id: threat.id });
      expect(read.errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', maxBytes: 4096 });
      expect(read.data).toBeUndefined();
      const shorter = await small.gql('serocu.analyst', `query ($id: ID!) { node(id: $id) { ... on SocThreat { name } } }`, { id: threat.id });
      expect(shorter.data.node).toEqual({ name: 'Operation Euro' });
    });

    it('caps answers over WebSocket too', async () => {
      const socket = await openSocket(small, 'serocu.analyst');
      try {
        const big = await socket.run(QUERY);
        expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'RESPONSE_TOO_LARGE', maxBytes: 4096 });
        expect(big.data ?? null).toBeNull();
      } finally {
        await socket.close();
      }
    });
  });

  /** A random document of nested list and object fields over the real schema. */
  function documentArb(): fc.Arbitrary<string> {
    const selection = (type: GraphQLObjectType, depth: number): fc.Arbitrary<string> => {
      const fields = Object.values(type.getFields()).filter((f) => !f.args.some((a) => a.type.toString().endsWith('!')) && f.name !== 'history');
      const objectFields = fields.filter((f) => isObjectType(getNamedType(f.type)) && !getNamedType(f.type).name.endsWith('Stats'));
      const scalars = fields.filter((f) => !isObjectType(getNamedType(f.type)) && !isListType(getNullableType(f.type)) && getNamedType(f.type).name !== 'JSON').map((f) => f.name);
      const leaf = fc.constant(scalars.includes('id') ? 'id' : scalars[0] ?? '__typename');
      if (depth === 0 || !objectFields.length) return leaf;
      return fc
        .subarray(objectFields, { minLength: 1, maxLength: Math.min(2, objectFields.length) })
        .chain((chosen) => fc.tuple(leaf, ...chosen.map((f) => selection(getNamedType(f.type) as GraphQLObjectType, depth - 1).map((inner) => `${f.name}${getNamedType(f.type).name.endsWith('Connection') ? '(first: 100)' : ''} { ${inner} }`))))
        .map((parts) => parts.join(' '));
    };
    const roots = ['threats', 'disruptions', 'plans', 'nominals'].map((name) => schema.getQueryType()!.getFields()[name]);
    return fc.constantFrom(...roots).chain((root) => selection(getNamedType(root.type) as GraphQLObjectType, 4).map((inner) => `{ ${root.name}(first: 100) { ${inner} } }`));
  }

  it('never answers with more objects than the bound it was priced at (fast-check over generated nested documents, against the demo data)', async () => {
    let answered = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(documentArb(), async (text) => {
        const bound = boundOf(text);
        const result = await app.gql('serocu.analyst', text);
        if (bound > MAX_ANSWER_OBJECTS) {
          expect(result.errors?.[0]?.extensions?.limit).toBe('MAX_ANSWER_SIZE');
          refused++;
          return;
        }
        if (result.errors?.some((e: any) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED')) return; // another limit (depth, cost)
        expect(objectsIn(result.data)).toBeLessThanOrEqual(bound + 1);
        expect(Buffer.byteLength(JSON.stringify(result.data))).toBeLessThanOrEqual(app.config.graphqlLimits.maxResponseBytes);
        answered++;
      }),
      { numRuns: Number(process.env.ANSWER_SIZE_RUNS ?? 40), seed: Number(process.env.ANSWER_SIZE_SEED ?? Date.now() % 100000) },
    );
    // eslint-disable-next-line no-console
    console.log(`answer size: ${answered} documents answered within their bound, ${refused} refused for size`);
    expect(answered + refused).toBeGreaterThan(0);
  }, 120_000);
});
