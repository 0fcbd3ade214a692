import fs from 'node:fs';
import path from 'node:path';
import { parse, validate } from 'graphql';
import { buildAppSchema } from '../server/src/graphql/schema';

/**
 * README and docs/ are what a newcomer reads first: every example must run against today's
 * schema, and every link or repository path they name must exist in this repository (nothing
 * may point outside it).
 */
const root = path.resolve(__dirname, '..');
const documents = ['README.md', ...fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** Top-level folders and files of the repository a backticked path may start with. */
const REPOSITORY_ROOTS = ['server/', 'client/', 'test/', 'docs/', 'deploy/', 'schema/', '.ci/'];

/** Markdown links that are not web addresses or in-page anchors, resolved from the linking file. */
function relativeLinks(file: string): string[] {
  const links = [...read(file).matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  return links
    .filter((link) => !/^(https?:|mailto:|#)/.test(link))
    .map((link) => path.join(path.dirname(file), link.split('#')[0]));
}

/** `server/src/...`-style paths written in backticks (a trailing `:line` or `/` allowed). */
function repositoryPaths(file: string): string[] {
  const spans = [...read(file).matchAll(/`([^`\s]+)`/g)].map((m) => m[1]);
  return spans
    .filter((span) => REPOSITORY_ROOTS.some((prefix) => span.startsWith(prefix)) && !/[<>*{}]/.test(span))
    .map((span) => span.replace(/:\d+$/, '').replace(/\/$/, ''));
}

describe('README and docs/', () => {
  it.each(documents)('%s: every link and repository path exists', (file) => {
    const missing = [...relativeLinks(file), ...repositoryPaths(file)].filter((p) => !fs.existsSync(path.join(root, p)));
    expect(missing).toEqual([]);
  });

  it('never point outside the repository', () => {
    const outside = documents.filter((file) => /\.\.\/shared|DOMAIN\.md/.test(read(file)));
    expect(outside).toEqual([]);
  });

  describe('GraphQL examples', () => {
    const blocks = documents.flatMap((file) => [...read(file).matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => ({ file, block: m[1] })));

    it('are there for script writers', () => expect(blocks.length).toBeGreaterThanOrEqual(6));

    it('each validates against the schema', async () => {
      const schema = await buildAppSchema();
      for (const { file, block } of blocks) {
        // A block may hold several operations; each is validated on its own.
        const document = parse(block);
        for (const definition of document.definitions) {
          const errors = validate(schema, { kind: document.kind, definitions: [definition] });
          expect({ file, example: block.slice(0, 80), errors: errors.map((e) => e.message) }).toEqual({ file, example: block.slice(0, 80), errors: [] });
        }
      }
    });
  });
});
