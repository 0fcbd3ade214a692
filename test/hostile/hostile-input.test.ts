import fc from 'fast-check';
import { getNamedType, isInputObjectType, isNonNullType, isListType, getNullableType, type GraphQLSchema } from 'graphql';
import { buildAppSchema } from '../../server/src/graphql/schema';
import { createTestApp, type TestApp } from '../support/test-app';

/** No error of any answer shows SQL, in any mode (this app runs in development, which shows most). */
const SQL = /\b(select|insert|update|delete)\b[\s\S]*\b(from|into|set|where)\b/i;

interface GqlError {
  message: string;
  extensions?: { code?: string; fields?: { field: string }[] };
}

/** Every String or ID field of every list query's `filter`, with the query it belongs to. */
function stringFilterFields(schema: GraphQLSchema): { query: string; field: string; list: boolean; type: string }[] {
  const found: { query: string; field: string; list: boolean; type: string }[] = [];
  for (const query of Object.values(schema.getQueryType()!.getFields())) {
    const filter = query.args.find((a) => a.name === 'filter');
    const type = filter && getNamedType(filter.type);
    // Queries that need other arguments (groupBy, ...) are left out: their documents would be invalid.
    if (!isInputObjectType(type) || query.args.some((a) => a.name !== 'filter' && isNonNullType(a.type))) continue;
    for (const field of Object.values(type.getFields())) {
      const scalar = getNamedType(field.type).name;
      if (scalar === 'String' || scalar === 'ID') found.push({ query: query.name, field: field.name, list: isListType(getNullableType(field.type)), type: type.name });
    }
  }
  return found;
}

const cursorQueries = (schema: GraphQLSchema) => Object.values(schema.getQueryType()!.getFields()).filter((f) => f.args.some((a) => a.name === 'after')).map((f) => f.name);

/** Text PostgreSQL cannot store: a NUL somewhere, or half a surrogate pair. */
const unstorable = fc.oneof(
  fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}\u0000${b}`),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF')).map(([a, half]) => `${a}${half}`),
);

describe('hostile input in arguments', () => {
  let app: TestApp;
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildAppSchema();
    app = await createTestApp({ seed: 'demo' });
  });
  afterAll(() => app.stop());

  const ask = async (query: string, variables: Record<string, unknown>) => {
    const response = await app.gql('serocu.admin', query, variables);
    const errors = (response.errors ?? []) as GqlError[];
    for (const error of errors) {
      expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
      expect(JSON.stringify(error)).not.toMatch(SQL);
    }
    return errors;
  };

  it('refuses a NUL or half a surrogate pair in any String or ID filter with BAD_USER_INPUT naming the field', async () => {
    const fields = stringFilterFields(schema);
    expect(fields.length).toBeGreaterThan(12);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), unstorable, async ({ query, field, list, type }, text) => {
        const errors = await ask(`query ($filter: ${type}) { ${query}(filter: $filter) { __typename } }`, { filter: { [field]: list ? [text] : text } });
        expect(errors).toHaveLength(1);
        expect(errors[0].extensions?.code).toBe('BAD_USER_INPUT');
        expect(errors[0].extensions?.fields).toEqual([expect.objectContaining({ field: list ? `filter.${field}[0]` : `filter.${field}` })]);
      }),
      { numRuns: 120 },
    );
  });

  it('answers random base64, or a cursor with altered sort values, in any cursor argument without an internal error', async () => {
    const queries = cursorQueries(schema);
    expect(queries.length).toBeGreaterThan(8);
    const junk = fc.oneof(
      fc.base64String({ maxLength: 60 }),
      fc.string({ maxLength: 30 }).map((s) => Buffer.from(s).toString('base64url')),
      // The shape of a keyset cursor, with sort values a client chose (the wrong type, a NUL).
      fc.tuple(fc.nat({ max: 50 }), fc.array(fc.oneof(fc.string({ maxLength: 8 }), unstorable, fc.constant(null)), { maxLength: 3 }), fc.stringMatching(/^[A-Za-z0-9_-]{22}$/)).map(
        ([offset, keys, signature]) => Buffer.from(`o:${offset}:${Buffer.from(JSON.stringify(keys)).toString('base64url')}:${signature}`).toString('base64url'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...queries), fc.constantFrom('after', 'before'), junk, async (query, arg, cursor) => {
        const errors = await ask(`query ($c: String) { ${query}(${arg}: $c, first: 2) { __typename } }`, { c: cursor });
        // FORBIDDEN: the audit trail, which only auditors may read, refuses before reading the cursor.
        for (const error of errors) expect(['BAD_USER_INPUT', 'FORBIDDEN']).toContain(error.extensions?.code);
      }),
      { numRuns: 120 },
    );
  });

  it('a cursor whose sort values were changed gives the page its offset says, not a database error', async () => {
    const page = async (after?: string) => {
      const response = await app.gql('serocu.analyst', 'query ($after: String) { threats(first: 3, after: $after, orderBy: [{ field: NAME, direction: ASC }]) { edges { cursor node { id } } } }', { after });
      expect(response.errors).toBeUndefined();
      return response.data.threats.edges as { cursor: string; node: { id: string } }[];
    };
    const first = await page();
    const [, offset, keys, signature] = Buffer.from(first[2].cursor, 'base64url').toString().split(':');
    expect(keys).toBeTruthy();
    const forged = Buffer.from(`o:${offset}:${Buffer.from(JSON.stringify(['\u0000', 'not a uuid'])).toString('base64url')}:${signature}`).toString('base64url');
    expect((await page(forged)).map((e) => e.node.id)).toEqual((await page(first[2].cursor)).map((e) => e.node.id));
  });

  it('a global ID whose type is a property of every object (toString, constructor, __proto__) is not found, never an error', async () => {
    for (const type of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const id = Buffer.from(`${type}:00000000-0000-4000-8000-000000000000`).toString('base64url');
      const response = await app.gql('serocu.admin', 'query ($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } explainAccess(recordId: $id) { __typename } }', { id });
      expect({ type, errors: response.errors }).toEqual({ type, errors: undefined });
      expect(response.data).toEqual({ node: null, nodes: [null], explainAccess: null });
    }
  });
});
