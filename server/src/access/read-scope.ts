import type { Knex } from '@mikro-orm/postgresql';
import type { Purpose } from '../audit/audit.enums';
import type { Caller } from './caller';
import type { AccessLayers } from './layers';

/**
 * What a read is narrowed by, handed explicitly to every repository function and to
 * `onlyReadable` (policy.ts): who is asking, which enforcement layers are on, the purpose they
 * stated, and the query builder of the transaction the read goes through. Made once per request,
 * from the transaction the request opened (`readScopeOf`, in graphql/context.ts); a savepoint
 * inside the request reads through its own, derived with `inSavepoint`. There is no other way to
 * find the caller: a read path that has no scope cannot be written.
 */
export interface ReadScope {
  readonly caller: Caller;
  readonly layers: AccessLayers;
  /** The purpose stated with the request, if any (audit/purpose.ts). */
  readonly purpose: Purpose | null;
  /** The request's transaction, or a savepoint inside it. */
  readonly knex: Knex;
}

/** A request's transaction as it was opened: the caller and layers its settings recorded (db/request-db.ts). */
export interface OpenedTransaction {
  readonly caller: Caller;
  readonly layers: AccessLayers;
  readonly knex: Knex;
}

/** The read scope of a request: the caller its transaction was opened for, so both layers judge the same caller. */
export function readScopeOf(db: OpenedTransaction, purpose: Purpose | null): ReadScope {
  return { caller: db.caller, layers: db.layers, purpose, knex: db.knex };
}

/** The same scope, reading through a savepoint of the request's transaction (`db.transaction`). */
export function inSavepoint(scope: ReadScope, savepoint: Knex.Transaction): ReadScope {
  return { ...scope, knex: savepoint };
}
