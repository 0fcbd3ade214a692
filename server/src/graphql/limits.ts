import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  validate,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { GraphqlLimits } from '../config';
import { DEFAULT_PAGE_SIZE } from './connection';

/** Which limit refused a document, in `extensions.limit` beside `GRAPHQL_VALIDATION_FAILED`. */
export type LimitName = 'MAX_DEPTH' | 'MAX_ALIASES' | 'MAX_DIRECTIVES' | 'MAX_COST' | 'MAX_TOKENS';

/** What Apollo Server needs to check every document before it runs. */
export interface DocumentLimits {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<BaseContext>[];
  parseOptions: ParseOptions;
}

/**
 * Depth, aliases, directives and cost (graphql-armor's rules, run with graphql-js's validation,
 * so Apollo caches the verdict with the parsed document) and tokens (graphql-js's own parser
 * limit, which stops lexing at the limit instead of after it). A document over any limit is
 * refused with HTTP 400, `GRAPHQL_VALIDATION_FAILED` and `extensions.limit`, before anything runs.
 *
 * graphql-armor multiplies a connection's cost by `first`/`last` only when it is written in the
 * document; {@link variableCostPlugin} prices the same document again with the variables' values
 * so `threats(first: $n)` cannot slip past the limit.
 */
export function documentLimits(limits: GraphqlLimits): DocumentLimits {
  const armor = new ApolloArmor({
    // A fragment counts as its fields written where it is spread (flattenFragments): otherwise
    // graphql-armor adds a level of depth and a depth factor of cost for every spread, and a client
    // that moves fields into a fragment (the web client's disruption form, say) is refused for it.
    maxDepth: { n: limits.maxDepth, flattenFragments: true, ...reportAs('MAX_DEPTH') },
    maxAliases: { n: limits.maxAliases, ...reportAs('MAX_ALIASES') },
    maxDirectives: { n: limits.maxDirectives, ...reportAs('MAX_DIRECTIVES') },
    costLimit: { maxCost: limits.maxCost, flattenFragments: true, ...reportAs('MAX_COST') },
    // graphql-js counts tokens in the parser itself (parseOptions below): a parse error, 400.
    maxTokens: { enabled: false },
    // Suggestions are hidden in production by Apollo's hideSchemaDetailsFromClientErrors and
    // hideSuggestionsPlugin, which also cover variable values, not only validation.
    blockFieldSuggestion: { enabled: false },
  });
  const { validationRules } = armor.protect();
  return {
    validationRules,
    plugins: [variableCostPlugin(limits.maxCost)],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/** graphql-armor's rejection, reported as an ordinary validation error with a plain message. */
function reportAs(limit: LimitName): { propagateOnRejection: false; onReject: GraphQLArmorRejectCallback[] } {
  return {
    propagateOnRejection: false,
    onReject: [(context, error) => context?.reportError(limitError(error.message, limit))],
  };
}

function limitError(message: string, limit: LimitName, status?: number): GraphQLError {
  // graphql-armor prefixes "Syntax Error: " to every refusal; the document's syntax is fine.
  const plain = message.replace(/^Syntax Error: /, '');
  return new GraphQLError(plain, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit, ...(status ? { http: { status } } : {}) },
  });
}

/** Variable names used as `first`/`last` in a document (empty: the static rule priced it fully). */
const pageSizeVariables = new WeakMap<DocumentNode, string[]>();
/** Each document's cost per combination of page sizes, so a repeated request costs a lookup. */
const costs = new WeakMap<DocumentNode, Map<string, string | null>>();
const MAX_PRICED_COMBINATIONS = 64;

/**
 * Prices a document whose `first`/`last` come from variables, with their values substituted, by
 * the same graphql-armor rule. Apollo reuses one parsed document per query text, so the work is
 * done once per document and set of page sizes.
 */
export function variableCostPlugin(maxCost: number): ApolloServerPlugin<BaseContext> {
  const price = pageSizePricer(maxCost);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          const refusal = price(schema, document, operation, request.variables);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/** The page sizes' pricing on its own, for transports Apollo's plugins do not reach (WebSocket): the refusal, if any. */
export function pageSizePricer(maxCost: number) {
  const costRule = pageCostRule(maxCost);
  return (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode | undefined | null, variables: Record<string, unknown> | undefined | null): GraphQLError | undefined => {
    const names = variablesUsedAsPageSize(document);
    if (!names.length) return undefined;
    const sizes = names.map((name) => pageSize(variables?.[name], operation ?? undefined, name));
    const key = sizes.join(',');
    let priced = costs.get(document);
    if (!priced) costs.set(document, (priced = new Map()));
    let refusal = priced.get(key);
    if (refusal === undefined) {
      const substituted = withPageSizes(document, names, sizes);
      refusal = validate(schema, substituted, [costRule])[0]?.message ?? null;
      if (priced.size >= MAX_PRICED_COMBINATIONS) priced.clear();
      priced.set(key, refusal);
    }
    return refusal ? limitError(refusal, 'MAX_COST', 400) : undefined;
  };
}

function pageCostRule(maxCost: number): ValidationRule {
  const armor = new ApolloArmor({
    costLimit: { maxCost, flattenFragments: true, ...reportAs('MAX_COST') },
    maxDepth: { enabled: false },
    maxAliases: { enabled: false },
    maxDirectives: { enabled: false },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  });
  return armor.protect().validationRules[0];
}

function isPageSizeArgument(node: ArgumentNode): boolean {
  return node.name.value === 'first' || node.name.value === 'last';
}

function variablesUsedAsPageSize(document: DocumentNode): string[] {
  let names = pageSizeVariables.get(document);
  if (!names) {
    const found = new Set<string>();
    visit(document, {
      Argument(node) {
        if (isPageSizeArgument(node) && node.value.kind === Kind.VARIABLE) found.add(node.value.name.value);
      },
    });
    names = [...found];
    pageSizeVariables.set(document, names);
  }
  return names;
}

/** The page size a variable asks for: its value, else its default in the document, else the server's default. */
function pageSize(value: unknown, operation: OperationDefinitionNode | undefined, name: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (value === undefined) {
    const definition = operation?.variableDefinitions?.find((d) => d.variable.name.value === name);
    if (definition?.defaultValue?.kind === Kind.INT) return Number(definition.defaultValue.value);
  }
  // A value the server will refuse anyway (null, a string): priced as the default page.
  return DEFAULT_PAGE_SIZE;
}

function withPageSizes(document: DocumentNode, names: string[], sizes: number[]): DocumentNode {
  return visit(document, {
    Argument(node) {
      if (!isPageSizeArgument(node) || node.value.kind !== Kind.VARIABLE) return undefined;
      const size = sizes[names.indexOf(node.value.name.value)];
      return { ...node, value: { kind: Kind.INT, value: String(size) } };
    },
  });
}

/**
 * Production: removes "Did you mean …?" from every error message, so a client without
 * introspection cannot map the schema by guessing. Apollo's own option covers validation errors
 * only; this also covers variable values (enum suggestions).
 */
export function hideSuggestionsPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (error.message.includes('Did you mean')) {
              (error as { message: string }).message = error.message.replace(/\s*Did you mean [^?]*\?/g, '');
            }
          }
        },
      };
    },
  };
}

/**
 * The same limits for GraphQL over WebSocket, as graphql-ws's `validate` option (Apollo's
 * options do not reach it): graphql-js's rules, the document limits and, in production, no
 * introspection. Tokens are limited by graphql-ws's parser only if it is given `parseOptions`;
 * page sizes from variables are priced per operation (pageSizePricer, in live/websocket.ts).
 */
export function webSocketValidation(limits: GraphqlLimits, production: boolean) {
  const rules = [...specifiedRules, ...documentLimits(limits).validationRules, ...(production ? [NoSchemaIntrospectionCustomRule] : [])];
  return (schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] => validate(schema, document, rules);
}
