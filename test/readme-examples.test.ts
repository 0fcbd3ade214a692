import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { buildAppSchema } from '../server/src/graphql/schema';

/** The README's GraphQL examples are read by people writing scripts: they must stay valid. */
describe('README examples', () => {
  const readme = fs.readFileSync(path.resolve(__dirname, '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

  it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(6));

  it('validates every example against the schema', async () => {
    const schema = await buildAppSchema();
    for (const block of blocks) {
      // A block may hold several operations; each is validated on its own.
      const document = parse(block);
      for (const definition of document.definitions) {
        const errors = validate(schema, { kind: document.kind, definitions: [definition] });
        expect({ example: block.slice(0, 80), errors: errors.map((e) => e.message) }).toEqual({ example: block.slice(0, 80), errors: [] });
      }
    }
  });
});
