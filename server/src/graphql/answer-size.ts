import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isAbstractType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './connection';
import { answerWritten } from '../http/metrics';

/**
 * How large an answer a document can produce, counted in objects, from the real bound of every
 * list in it: a connection's page size (`first`/`last`, from the document or its variables),
 * the number of ids given to `nodes`, and for a plain list the maximum declared below, which
 * the resolver enforces (enforceListBounds). graphql-armor's cost estimate priced a list without
 * a page size as one item, so `nodes(ids)` and nested plain lists (disruptions → threat →
 * disruptions) multiplied unseen: a 600-byte document answered 50 MB.
 *
 * With every list bounded, a document within MAX_ANSWER_OBJECTS answers at most that many
 * objects, each with at most as many fields as the document selects.
 */
export const MAX_ANSWER_OBJECTS = 500_000;

/** The most ids `nodes` takes in one call. */
export const MAX_NODE_IDS = MAX_PAGE_SIZE;

/**
 * The most items a plain list (not a connection) may hold, per field. A list found longer fails
 * with LIST_TOO_LONG rather than be cut short: a shortened list would be shown as the whole.
 * Fields not named here hold small fixed sets (withheld fields, a plan's strands, grants...).
 */
export const LIST_BOUNDS: Readonly<Record<string, number>> = {
  'Query.nodes': MAX_NODE_IDS,
  'SocThreat.disruptions': 500,
  'SocThreat.criminalActivities': 50,
  'SocThreat.unassessedActivities': 50,
  'SocThreat.members': 200,
  'SocThreat.linkedThreats': 100,
  'SocThreat.assessmentHistory': 200,
  'SocThreat.history': 1000,
  'Nominal.history': 1000,
  'Disruption.history': 1000,
  'FourPPlan.history': 1000,
  'SafeguardingReferral.history': 1000,
  'PracticeEntry.history': 1000,
  'InformationSharingAgreement.history': 1000,
  'IntelligenceReport.history': 1000,
  'IntelligenceReport.disseminations': 500,
  'Nominal.memberships': 200,
  'FourPPlan.actions': 200,
  'FourPPlan.objectives': 100,
  'FourPPlan.intelligenceGaps': 200,
  'FourPPlan.learning': 200,
  'FourPPlan.outcomes': 200,
  'FourPPlan.reviews': 200,
  'PlanObjective.actions': 200,
  'PlanAction.addressesActivities': 50,
  'SafeguardingReferral.timeline': 500,
  'SafeguardingReferral.linkedThreats': 50,
  'PracticeEntry.endorsements': 200,
  // A finding names one or two threats and, for a possible link, the people they share.
  'Insight.records': 202,
  // Each of the nine kinds of finding, up to insights(limit: 100) each.
  'Insights.items': 900,
  'DisruptionStats.rows': 5000,
  'ThreatStats.rows': 5000,
  'ReferralStats.rows': 5000,
  'Query.planOfficerCandidates': 500,
  // Deconfliction: a record holds at most MAX_IDENTIFIERS_PER_RECORD identifiers (deconfliction.service.ts);
  // a check answers one match per holding organisation (kept with the identifier too); interests are asked for 100 at most.
  'Nominal.identifiers': 200,
  'IntelligenceReport.identifiers': 200,
  'DeconflictionResult.matches': 500,
  // The answer of an identifier's check, kept with it: one per holding organisation, under a
  // list of up to 200 identifiers, so bounded lower than a single check's answer (the region has tens).
  'RecordedIdentifier.matches': 100,
  'Query.deconflictionInterests': 100,
};
/** Small fixed sets: organisations a record is shared with, withheld fields, a strand per row... */
const DEFAULT_LIST_BOUND = 50;

/** A record's withheld fields: at most one entry per field of its type (redaction.ts lists under ten). */
const WITHHELD_BOUND = 12;

export function listBound(typeName: string, fieldName: string): number {
  return LIST_BOUNDS[`${typeName}.${fieldName}`] ?? (fieldName === 'withheld' ? WITHHELD_BOUND : DEFAULT_LIST_BOUND);
}

type Variables = Readonly<Record<string, unknown>> | undefined;

function argumentValue(node: FieldNode, name: string, variables: Variables): unknown {
  const argument = node.arguments?.find((a) => a.name.value === name);
  return argument ? valueFromASTUntyped(argument.value, variables as Record<string, unknown>) : undefined;
}

/** How many items the list at `node` can hold, or 1 for a single object. */
function multiplier(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Variables): number {
  const named = getNamedType(field.type);
  if (named.name.endsWith('Connection')) {
    const size = argumentValue(node, 'first', variables) ?? argumentValue(node, 'last', variables);
    return typeof size === 'number' && size >= 0 ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  }
  if (!isListType(getNullableType(field.type))) return 1;
  if (parent.name.endsWith('Connection') && field.name === 'edges') return 1; // counted by the connection
  if (parent.name === 'Query' && field.name === 'nodes') {
    const ids = argumentValue(node, 'ids', variables);
    return Array.isArray(ids) ? Math.min(ids.length, MAX_NODE_IDS) : MAX_NODE_IDS;
  }
  return listBound(parent.name, field.name);
}

/** The object types a selection on `type` may be answered with. */
function possibleTypes(schema: GraphQLSchema, type: GraphQLNamedType): readonly GraphQLObjectType[] {
  if (isObjectType(type)) return [type];
  return isAbstractType(type) ? schema.getPossibleTypes(type) : [];
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Variables;
}

/**
 * The most objects under `selectionSet` on an object of `type`: for each object field, its list
 * bound times (1 + the objects under it). A selection on an interface or union counts the
 * largest of its possible types.
 */
function objectsUnder(walk: Walk, type: GraphQLObjectType, selectionSet: SelectionSetNode, seen: ReadonlySet<string> = new Set()): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = type.getFields()[selection.name.value];
      if (!field || !selection.selectionSet) continue;
      const count = multiplier(type, field, selection, walk.variables);
      const children = possibleTypes(walk.schema, getNamedType(field.type));
      const inner = Math.max(0, ...children.map((child) => objectsUnder(walk, child, selection.selectionSet!, seen)));
      total += count * (1 + inner);
    } else {
      const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? walk.fragments[selection.name.value] : selection;
      if (!fragment || (selection.kind === Kind.FRAGMENT_SPREAD && seen.has(selection.name.value))) continue;
      const condition = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : type;
      if (condition && condition !== type && !possibleTypes(walk.schema, condition).includes(type)) continue;
      const nextSeen = selection.kind === Kind.FRAGMENT_SPREAD ? new Set([...seen, selection.name.value]) : seen;
      total += objectsUnder(walk, type, fragment.selectionSet, nextSeen);
    }
    if (total > Number.MAX_SAFE_INTEGER / 1000) return total; // already far past any limit
  }
  return total;
}

/** The most objects an answer to `operation` can hold, with these variables. */
export function answerObjectsBound(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: Record<string, FragmentDefinitionNode>, variables: Variables): number {
  const root = operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return root ? objectsUnder({ schema, fragments, variables }, root, operation.selectionSet) : 0;
}

/**
 * The refusal of an operation whose answer could hold more than `maxObjects` objects, if it
 * could; one check for both transports (HTTP's plugin below, WebSocket's onSubscribe).
 */
export function answerSizeRefusal(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode | null | undefined, variables: Variables | null, maxObjects = MAX_ANSWER_OBJECTS): GraphQLError | undefined {
  if (!operation) return undefined;
  const bound = cachedBound(schema, document, operation, variables ?? undefined);
  if (bound <= maxObjects) return undefined;
  return new GraphQLError(`The answer could hold up to ${Math.round(bound).toLocaleString('en-GB')} objects, more than the ${maxObjects.toLocaleString('en-GB')} allowed: ask for smaller pages or fewer nested lists.`, {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'MAX_ANSWER_SIZE', http: { status: 400 } },
  });
}

/** The arguments whose values bound a list (multiplier above): only the variables they use change a bound. */
const BOUNDING_ARGUMENTS = new Set(['first', 'last', 'ids']);

interface OperationBounds {
  /** Names of the variables used by bounding arguments, anywhere in the document. */
  variables: string[];
  /** Bounds already computed, by those variables' values (as JSON). */
  byValues: Map<string, number>;
}

/** Per schema and operation (Apollo Server keeps one parsed document per query text). */
const bounds = new WeakMap<GraphQLSchema, WeakMap<OperationDefinitionNode, OperationBounds>>();
/** Values remembered per operation (a page asked for at a few sizes, `nodes` for a few counts of ids). */
const MAX_CACHED_PER_OPERATION = 200;

function boundingVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Argument(argument) {
      if (!BOUNDING_ARGUMENTS.has(argument.name.value)) return false;
      visit(argument.value, { Variable: (variable) => void names.add(variable.name.value) });
      return false;
    },
  });
  return [...names];
}

/**
 * answerObjectsBound, remembered for an operation and the values of the variables that can change
 * it: walking the document for every request was 1% of the server's CPU under node(id) load.
 */
function cachedBound(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Variables): number {
  let byOperation = bounds.get(schema);
  if (!byOperation) bounds.set(schema, (byOperation = new WeakMap()));
  let cache = byOperation.get(operation);
  if (!cache) byOperation.set(operation, (cache = { variables: boundingVariables(document), byValues: new Map() }));
  // `ids` counts only by its length: `nodes(ids)` with other ids of the same number has the same bound.
  const key = JSON.stringify(cache.variables.map((name) => (Array.isArray(variables?.[name]) ? { length: (variables[name] as unknown[]).length } : (variables?.[name] ?? null))));
  const cached = cache.byValues.get(key);
  if (cached !== undefined) return cached;
  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const bound = answerObjectsBound(schema, operation, fragments, variables);
  if (cache.byValues.size >= MAX_CACHED_PER_OPERATION) cache.byValues.clear();
  cache.byValues.set(key, bound);
  return bound;
}

/** Refuses, before it runs, an operation whose answer could hold more than MAX_ANSWER_OBJECTS objects. */
export function answerSizePlugin(maxObjects = MAX_ANSWER_OBJECTS): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          const refusal = answerSizeRefusal(schema, document, operation, request.variables, maxObjects);
          if (refusal) throw refusal;
        },
      };
    },
  };
}

/**
 * The hard cap on an answer's bytes (its JSON), behind the object bound: an object's text fields
 * may be long (a practice entry's description up to 20,000 characters), so objects alone do not
 * bound bytes. An answer over the cap is replaced whole by this error (a mutation's change is then
 * undone, as for any answer that says it failed: undone-mutation.ts); never cut short, since a
 * shortened answer would be shown as the whole.
 */
export function oversizedAnswer(answer: unknown, maxBytes: number): { message: string; extensions: Record<string, unknown> } | undefined {
  const bytes = Buffer.byteLength(JSON.stringify(answer) ?? '');
  return bytes <= maxBytes ? undefined : tooLarge(bytes, maxBytes);
}

function tooLarge(bytes: number, maxBytes: number): { message: string; extensions: Record<string, unknown> } {
  return {
    message: `The answer took ${bytes.toLocaleString('en-GB')} bytes, more than the ${maxBytes.toLocaleString('en-GB')} allowed: ask for fewer fields or smaller pages.`,
    extensions: { code: 'RESPONSE_TOO_LARGE', limit: 'MAX_RESPONSE_BYTES', maxBytes },
  };
}

/**
 * Replaces a mutation's HTTP answer larger than `maxBytes` with the RESPONSE_TOO_LARGE error
 * before the request's transaction ends, so that the change is undone. A query's answer is
 * measured as it is written out (answerWithinBytes), once.
 */
export function responseBytesPlugin(maxBytes: number): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, operation }) {
          if (response.body.kind !== 'single' || operation?.operation !== 'mutation') return;
          const refusal = oversizedAnswer(response.body.singleResult, maxBytes);
          if (refusal) response.body.singleResult = { errors: [refusal] };
        },
      };
    },
  };
}

/**
 * Apollo Server's `stringifyResult` for HTTP answers: the JSON Apollo would write (its own
 * `prettyJSONStringify`: the text and a newline), or the RESPONSE_TOO_LARGE error in place of an
 * answer over `maxBytes`. The answer is serialised once: measuring it apart first, as a plugin
 * must, serialised every answer twice. A query has nothing to undo, so its answer is measured
 * here, after its transaction ended (its audit events are written either way, as before);
 * a mutation's was measured before (responseBytesPlugin).
 */
export function answerWithinBytes(maxBytes: number): (answer: unknown) => string {
  return (answer) => {
    const text = JSON.stringify(answer);
    // The byte count only when it could matter: a character takes at most three bytes in UTF-8.
    const bytes = text.length * 3 <= maxBytes ? text.length : Buffer.byteLength(text);
    // The operation is counted as answered (or replaced) here: the metrics plugin saw the answer before.
    if (bytes <= maxBytes) {
      answerWritten(answer as { data?: unknown });
      return `${text}\n`;
    }
    answerWritten(answer as { data?: unknown }, 'RESPONSE_TOO_LARGE');
    return `${JSON.stringify({ errors: [tooLarge(bytes, maxBytes)] })}\n`;
  };
}

/**
 * Makes the declared bounds true: every plain list field's resolver fails with LIST_TOO_LONG when
 * it finds more items than its bound, and `nodes` refuses more than MAX_NODE_IDS ids.
 */
export function enforceListBounds(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name.endsWith('Connection')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isListType(getNullableType(field.type)) || !isObjectType(getNamedType(field.type)) && !isAbstractType(getNamedType(field.type))) continue;
      const bound = listBound(type.name, field.name);
      const resolve = field.resolve;
      if (!resolve) continue; // a default resolver reads a property the service built within its own limit
      field.resolve = (source, args, context, info) => {
        if (type.name === 'Query' && field.name === 'nodes' && Array.isArray(args.ids) && args.ids.length > MAX_NODE_IDS) {
          throw new GraphQLError(`nodes takes at most ${MAX_NODE_IDS} ids at a time`, { extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'ids', message: `at most ${MAX_NODE_IDS} ids` }] } });
        }
        const checked = (items: unknown) => {
          if (Array.isArray(items) && items.length > bound) {
            throw new GraphQLError(`${type.name}.${field.name} has more than ${bound} items, more than one answer may hold.`, { extensions: { code: 'LIST_TOO_LONG', limit: bound } });
          }
          return items;
        };
        const result = resolve(source, args, context, info);
        return result instanceof Promise ? result.then(checked) : checked(result);
      };
    }
  }
  return schema;
}
