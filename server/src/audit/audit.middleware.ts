import { defaultFieldResolver, getNamedType, GraphQLError, isCompositeType, isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { RequestContext } from '../graphql/context';
import { fromGlobalId } from '../graphql/global-id';
import { READ_THROUGH } from '../graphql/node';
import { markingRank, ProtectiveMarking, type Role } from '../modules/identity/identity.enums';
import { allowedPurposes } from '../access/purpose-roles';
import type { AuditCollector } from './audit.collector';
import { AuditAction } from './audit.enums';
import { PurposeRequiredError } from './purpose';

/** A record as row mappers give it to GraphQL: its type name, database id and (if shared) marking. */
interface RecordValue {
  __typename: string;
  dbId: string;
  protectiveMarking?: ProtectiveMarking;
}

/** Read whatever their marking: docs/domain.md puts every referral and intelligence report read on the audit trail. */
const ALWAYS_SENSITIVE = new Set(['SafeguardingReferral', 'IntelligenceReport', 'DeconflictionInterest']);

/** Whether every record of a type is sensitive whatever its marking (statistics over them are audited alike). */
export const isAlwaysSensitive = (typename: string): boolean => ALWAYS_SENSITIVE.has(typename);

function isRecord(value: unknown): value is RecordValue {
  const v = value as Partial<RecordValue> | null;
  return !!v && typeof v === 'object' && typeof v.__typename === 'string' && typeof v.dbId === 'string';
}

/** The markings whose records need a stated purpose to be read, and are audited when read: those above OFFICIAL. */
export const SENSITIVE_MARKINGS: readonly ProtectiveMarking[] = Object.values(ProtectiveMarking).filter((m) => markingRank(m) >= 1);

/** Whether reading the record needs a stated purpose (and is audited): marked above OFFICIAL, or a referral. */
export function isSensitive(record: RecordValue): boolean {
  if (ALWAYS_SENSITIVE.has(record.__typename)) return true;
  return typeof record.protectiveMarking === 'string' && SENSITIVE_MARKINGS.includes(record.protectiveMarking);
}

/** A child read by ID is read through its parent (graphql/node.ts childFetcher): the parent's purpose rule and READ apply. */
function readThrough(value: object): RecordValue[] {
  const parent = (value as { [READ_THROUGH]?: unknown })[READ_THROUGH];
  return isRecord(parent) ? [parent] : [];
}

/** The records a field resolved to: one, a list (of lists), or the nodes of a connection's page. */
function recordsIn(value: unknown, throughConnections: boolean): RecordValue[] {
  if (Array.isArray(value)) return value.flatMap((v) => recordsIn(v, throughConnections));
  if (isRecord(value)) return [value, ...readThrough(value)];
  const edges = (value as { edges?: unknown } | null)?.edges;
  if (throughConnections && Array.isArray(edges)) return edges.flatMap((e) => recordsIn((e as { node?: unknown })?.node, false));
  return [];
}

function idsByType(records: RecordValue[]): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const r of records) byType.set(r.__typename, [...(byType.get(r.__typename) ?? []), r.dbId]);
  return byType;
}

/** The field's place in the response without list indices (threats.edges.node), for details. */
function fieldPath(info: GraphQLResolveInfo): string {
  const keys: string[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) if (typeof p.key === 'string') keys.unshift(p.key);
  return keys.join('.');
}

/** The record type a field is about: its return type, with a connection named by its nodes. */
function recordTypeOf(info: GraphQLResolveInfo): string {
  return getNamedType(info.returnType).name.replace(/Connection$/, '');
}

/** Global IDs anywhere in the arguments: the records a refused request asked for. */
function requestedIds(args: unknown, found: { type: string; id: string }[] = []): { type: string; id: string }[] {
  if (typeof args === 'string') {
    const parsed = fromGlobalId(args);
    if (parsed) found.push(parsed);
  } else if (Array.isArray(args)) {
    args.forEach((a) => requestedIds(a, found));
  } else if (args && typeof args === 'object') {
    Object.values(args).forEach((a) => requestedIds(a, found));
  }
  return found;
}

function refusalCode(err: unknown): string | undefined {
  if (err instanceof GraphQLError) return err.extensions?.code as string | undefined;
  // Row-level security refused a write (SQLSTATE 42501): the client sees FORBIDDEN.
  return (err as { code?: string } | null)?.code === '42501' ? 'FORBIDDEN' : undefined;
}

/** FORBIDDEN anywhere, and NOT_FOUND from a mutation, become DENIED events naming what was asked for. */
function recordRefusal(audit: AuditCollector, err: unknown, info: GraphQLResolveInfo, args: unknown, atMutationRoot: boolean): void {
  const code = refusalCode(err);
  if (code !== 'FORBIDDEN' && !(code === 'NOT_FOUND' && atMutationRoot)) return;
  const fieldType = recordTypeOf(info);
  const requested = requestedIds(args);
  const ofFieldType = requested.filter((r) => r.type === fieldType);
  const types = new Set(requested.map((r) => r.type));
  const [recordType, ids] = ofFieldType.length
    ? [fieldType, ofFieldType.map((r) => r.id)]
    : types.size === 1
      ? [requested[0].type, requested.map((r) => r.id)]
      : [fieldType, []];
  audit.denied(recordType, ids, { code, field: fieldPath(info), message: (err as Error).message });
}

/** CREATE, UPDATE or DELETE, by the mutation's name (add/remove of a part changes its record). */
export function mutationAction(field: string): AuditAction.CREATE | AuditAction.UPDATE | AuditAction.DELETE | AuditAction.EXPORT {
  if (/^(create|publish)[A-Z]/.test(field)) return AuditAction.CREATE;
  // Disposing of a record (retention review) deletes it, keeping only a tombstone.
  if (/^(delete|dispose)[A-Z]/.test(field)) return AuditAction.DELETE;
  // Disseminating intelligence sends it out of the owner's hands: an export, not an edit.
  if (/^disseminate[A-Z]/.test(field)) return AuditAction.EXPORT;
  return AuditAction.UPDATE;
}

/**
 * Marks a mutation's answer whose service wrote the request's audit events itself, because what
 * the mutation did is not a change of the record its answer names: a deconfliction check reads
 * (its own READ event) and changes nothing. Without it every mutation is also recorded as a
 * change by its name (recordMutation).
 */
const AUDITED_BY_SERVICE = Symbol('audited by service');

export function auditedByService<T extends object>(answer: T): T {
  return Object.assign(answer, { [AUDITED_BY_SERVICE]: true });
}

function recordMutation(audit: AuditCollector, value: unknown, info: GraphQLResolveInfo): void {
  if (value && typeof value === 'object' && AUDITED_BY_SERVICE in value) return;
  const record = isRecord(value) ? value : undefined;
  const recordType = record?.__typename ?? (value as { __typename?: string } | null)?.__typename ?? recordTypeOf(info);
  audit.changed(mutationAction(info.fieldName), recordType, record ? [record.dbId] : [], info.fieldName);
}

/**
 * Sensitive records need a stated purpose: without one the field is refused (PURPOSE_REQUIRED,
 * with a DENIED event). A connection is checked as a whole, so a page is refused with one error;
 * READ events are taken at the nodes themselves, so they name exactly what was returned.
 */
function checkReads(audit: AuditCollector, value: unknown, info: GraphQLResolveInfo, roles: readonly Role[]): void {
  if (!audit.purpose) {
    const sensitive = idsByType(recordsIn(value, true).filter(isSensitive));
    if (!sensitive.size) return;
    for (const [type, ids] of sensitive) audit.denied(type, ids, { code: 'PURPOSE_REQUIRED', field: fieldPath(info) });
    throw new PurposeRequiredError([...sensitive.keys()].join(', '), allowedPurposes(roles));
  }
  for (const [type, ids] of idsByType(recordsIn(value, false).filter(isSensitive))) audit.read(type, ids);
}

const isPromiseLike = (value: unknown): value is PromiseLike<unknown> => typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * `resolve` with the audit's behaviour (mutations, sensitive reads wherever they appear,
 * refusals), paid only where it can matter. As a type-graphql global middleware (an earlier
 * form, removed), the audit turned every field of every row into a chain of
 * async functions and promises, scalars included (a fifth of the server's CPU on a page of 20
 * threats). Here a field that returns records (an object, interface or union type) or is a
 * mutation root is checked as before, synchronously when its value is; any other field only has
 * its errors looked at, and a synchronous value passes straight through.
 */
function audited(resolve: GraphQLFieldResolver<unknown, RequestContext>, returnsRecords: boolean): GraphQLFieldResolver<unknown, RequestContext> {
  return (root, args, context, info) => {
    const audit = context?.audit;
    if (!audit) return resolve(root, args, context, info);
    audit.setOperation(info.operation.name?.value);
    const atMutationRoot = info.path.prev === undefined && info.operation.operation === 'mutation';
    const refused = (err: unknown) => {
      recordRefusal(audit, err, info, args, atMutationRoot);
      throw err;
    };
    const after = (value: unknown) => {
      if (atMutationRoot) recordMutation(audit, value, info);
      else if (returnsRecords) checkReads(audit, value, info, context.viewer?.roles ?? []);
      return value;
    };
    let value: unknown;
    try {
      value = resolve(root, args, context, info);
    } catch (err) {
      return refused(err);
    }
    if (isPromiseLike(value)) return Promise.resolve(value).then(atMutationRoot || returnsRecords ? after : undefined, refused);
    return after(value);
  };
}

/**
 * Puts the audit on every field of the schema: mutations, sensitive reads wherever they appear
 * (lists, connections, nested fields, node/nodes), refusals, recorded into the request's audit
 * collector; sensitive reads that state no purpose are refused. Returns the schema.
 */
export function auditEveryField(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      field.resolve = audited(field.resolve ?? defaultFieldResolver, isCompositeType(getNamedType(field.type)));
    }
  }
  return schema;
}
