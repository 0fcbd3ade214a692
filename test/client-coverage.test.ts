import fs from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, type DocumentNode } from 'graphql';

/**
 * Every mutation of the API is either reachable from a screen of the web client or listed,
 * with a reason, in client/api-only-operations.json. A new mutation without a screen (or a screen
 * removed) fails here until someone decides, in writing, that it is API-only for now.
 */
const root = path.resolve(__dirname, '..');
const clientSource = path.join(root, 'client', 'web', 'src');
const generated = path.join(clientSource, 'gql');

type ApiOnly = Record<string, string>;

function mutationFields(): string[] {
  const schema = buildSchema(fs.readFileSync(path.join(root, 'schema', 'schema.graphql'), 'utf8'));
  return Object.keys(schema.getMutationType()?.getFields() ?? {}).sort();
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return full === generated ? [] : sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** The documents written with graphql(`...`) in the client's source, as codegen reads them. */
function clientDocuments(): DocumentNode[] {
  return sourceFiles(clientSource).flatMap((file) =>
    [...fs.readFileSync(file, 'utf8').matchAll(/graphql\(\s*`([\s\S]*?)`\s*\)/g)].map((match) => parse(match[1])),
  );
}

/** Root fields selected by the client's mutation operations. */
function mutationsReachedByClient(): Set<string> {
  const reached = new Set<string>();
  for (const document of clientDocuments()) {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'mutation') continue;
      for (const selection of definition.selectionSet.selections) {
        if (selection.kind === Kind.FIELD) reached.add(selection.name.value);
      }
    }
  }
  return reached;
}

const apiOnly = JSON.parse(fs.readFileSync(path.join(root, 'client', 'api-only-operations.json'), 'utf8')) as ApiOnly;

describe('the web client covers the API mutations', () => {
  const fields = mutationFields();
  const reached = mutationsReachedByClient();

  it('finds the schema mutations and some client mutations (the parsing works)', () => {
    expect(fields.length).toBeGreaterThan(40);
    expect(reached.has('updatePlan')).toBe(true);
  });

  it('reaches every mutation from a screen, or lists it as API-only with a reason', () => {
    const uncovered = fields.filter((field) => !reached.has(field) && !(field in apiOnly));
    expect(uncovered).toEqual([]);
  });

  it('lists as API-only only mutations that exist and have no screen, each with a reason', () => {
    const stale = Object.keys(apiOnly).filter((field) => !fields.includes(field) || reached.has(field));
    expect(stale).toEqual([]);
    const withoutReason = Object.entries(apiOnly).filter(([, reason]) => reason.trim().length < 10);
    expect(withoutReason).toEqual([]);
  });
});
