import react from '@vitejs/plugin-react';
import { buildSchema, getNamedType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const server = process.env.SOC_HUB_URL ?? 'http://localhost:4000';
const schemaFile = `${here}../schema/schema.graphql`;

/**
 * What the normalised cache must know about the schema, read from the committed schema at build
 * time so it never drifts: which types implement each interface (so `node(id) { ... on SocThreat }`
 * matches exactly), which object types have no `id` (PageInfo, PlanQuality, connections...) and
 * are therefore stored embedded in their parent, the mutations, and the list (connection) queries
 * that a mutation may have changed.
 */
function schemaShape(schema: GraphQLSchema) {
  const possibleTypes: Record<string, string[]> = {};
  const embeddedTypes: string[] = [];
  const mutationFields = Object.keys(schema.getMutationType()?.getFields() ?? {});
  const listQueryFields = Object.values(schema.getQueryType()?.getFields() ?? {})
    .filter((f) => String(f.type).replace(/!$/, '').endsWith('Connection'))
    .map((f) => f.name);
  // What each query field holds: a list's record type (its connection's node), else its type.
  const queryFieldTypes = Object.fromEntries(
    Object.values(schema.getQueryType()?.getFields() ?? {}).map((f) => {
      const type = getNamedType(f.type);
      const node = isObjectType(type) && listQueryFields.includes(f.name) ? type.getFields().edges?.type : undefined;
      const nodeType = node && getNamedType(node);
      return [f.name, (nodeType && isObjectType(nodeType) ? getNamedType(nodeType.getFields().node?.type) : type)?.name ?? type.name];
    }),
  );
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isInterfaceType(type)) possibleTypes[type.name] = schema.getPossibleTypes(type).map((t) => t.name);
    const roots = ['Query', 'Mutation', 'Subscription'];
    if (isObjectType(type) && !roots.includes(type.name) && !type.getFields().id) embeddedTypes.push(type.name);
  }
  return { possibleTypes, embeddedTypes, mutationFields, listQueryFields, queryFieldTypes };
}

function schemaShapeModule(): Plugin {
  const id = 'virtual:schema-shape';
  return {
    name: 'soc-hub-schema-shape',
    resolveId: (source) => (source === id ? `\0${id}` : undefined),
    load(loaded) {
      if (loaded !== `\0${id}`) return undefined;
      this.addWatchFile(schemaFile);
      const shape = schemaShape(buildSchema(readFileSync(schemaFile, 'utf8')));
      return Object.entries(shape)
        .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};`)
        .join('\n');
    },
  };
}

const generatedDocuments = `${here}web/src/gql/graphql.ts`;

/** `XDocument` / `XFragmentDoc` → its document node as JavaScript source, from the generated module. */
function readGeneratedDocuments(): Map<string, string> {
  const documents = new Map<string, string>();
  const exported = /^export const (\w+(?:Document|FragmentDoc)) = (\{.*\}) as unknown as DocumentNode<.*>;$/gm;
  for (const [, name, node] of readFileSync(generatedDocuments, 'utf8').matchAll(exported)) documents.set(name, node);
  return documents;
}

/**
 * Replaces each `graphql(`query Name ...`)` with the document codegen generated for it, inline, as
 * the client preset's Babel plugin does. Without it every document reaches the first chunk
 * through gql.ts's lookup table (twice: as the text and as the parsed node), whatever the
 * route splitting. Types are unaffected: TypeScript checks the source, not this output. A call
 * this cannot match is left alone and still works through gql.ts.
 */
function inlineGraphqlDocuments(): Plugin {
  let documents = new Map<string, string>();
  const call = /\bgraphql\(\s*`\s*(query|mutation|subscription|fragment)\s+(\w+)[^`]*`\s*\)/g;
  return {
    name: 'soc-hub-inline-graphql-documents',
    buildStart() {
      this.addWatchFile(generatedDocuments);
      documents = readGeneratedDocuments();
    },
    transform(code, file) {
      if (!/\.tsx?$/.test(file) || file.includes('/src/gql/') || !code.includes('graphql(`')) return undefined;
      const replaced = code.replace(call, (whole, kind: string, name: string) => documents.get(kind === 'fragment' ? `${name}FragmentDoc` : `${name}Document`) ?? whole);
      return replaced === code ? undefined : { code: replaced, map: null };
    },
  };
}

const persistedDocuments = `${here}web/src/gql/persisted-documents.json`;

/**
 * Ships the client's trusted documents with it: dist/client/trusted-documents.json, SHA-256 →
 * document, which the server reads (server/src/graphql/trusted-documents.ts). Built from
 * codegen's persisted-documents.json, so it always lists exactly what this build can send.
 */
function emitTrustedDocuments(): Plugin {
  return {
    name: 'soc-hub-trusted-documents',
    apply: 'build',
    generateBundle() {
      const documents = JSON.parse(readFileSync(persistedDocuments, 'utf8')) as Record<string, string>;
      const byHash = Object.fromEntries(Object.entries(documents).map(([hash, text]) => [hash.replace(/^sha256:/, ''), text]));
      this.emitFile({ type: 'asset', fileName: 'trusted-documents.json', source: JSON.stringify(byHash) });
    },
  };
}

/**
 * The web client. `npm run build:client` writes dist/client, which the server serves at `/`;
 * `npm run dev` serves it with hot reload, sending API calls to the running server.
 */
export default defineConfig({
  root: `${here}web`,
  plugins: [inlineGraphqlDocuments(), react(), schemaShapeModule(), emitTrustedDocuments()],
  build: { outDir: `${here}../dist/client`, emptyOutDir: true },
  server: {
    proxy: {
      '/graphql': { target: server, ws: true },
      '/auth': server,
    },
  },
});
