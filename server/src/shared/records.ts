import type { Knex } from '@mikro-orm/postgresql';
import { ConflictError, ForbiddenError, NotFoundError } from '../graphql/errors';
import { globalIdOrProblem } from '../graphql/global-id';
import type { User } from '../modules/identity/user.entity';
import { Sharing } from './sharing';
import type { ReadScope } from '../access/read-scope';
import { readableRecords } from '../access/references';
import type { Problems } from './validation';
import type { ProtectiveMarking } from '../modules/identity/identity.enums';

/** Marking and sharing as given in a mutation's input. */
export interface AccessInput {
  protectiveMarking: ProtectiveMarking;
  sharing: Sharing;
  sharedWithIds?: string[] | null;
}

export interface AccessColumns {
  protective_marking: ProtectiveMarking;
  sharing: Sharing;
  shared_with: string[];
}

/**
 * Checks marking and sharing and turns them into columns. NAMED_ORGANISATIONS needs at least one
 * named organisation and the other settings take none, so a record's reach is never ambiguous.
 */
export async function accessColumns(knex: Knex, access: AccessInput, problems: Problems, field = 'access'): Promise<AccessColumns> {
  const named = access.sharedWithIds ?? [];
  const ids = named.map((g, i) => globalIdOrProblem(g, 'Organisation', `${field}.sharedWithIds[${i}]`, problems)).filter((x): x is string => !!x);
  if (access.sharing === Sharing.NAMED_ORGANISATIONS && named.length === 0) {
    problems.add(`${field}.sharedWithIds`, 'name at least one organisation when sharing is NAMED_ORGANISATIONS');
  }
  if (access.sharing !== Sharing.NAMED_ORGANISATIONS && named.length > 0) {
    problems.add(`${field}.sharedWithIds`, 'only applies when sharing is NAMED_ORGANISATIONS');
  }
  await requireExisting(knex, 'organisation', ids, problems, `${field}.sharedWithIds`);
  return { protective_marking: access.protectiveMarking, sharing: access.sharing, shared_with: [...new Set(ids)] };
}

/**
 * Adds a problem for each id that has no row in `table`: organisations and users, which everyone
 * may read. A shared record or part named in an input is looked up among those the caller may
 * read instead (access/references.ts, requireReadable), so the type says which tables are allowed.
 */
export async function requireExisting(knex: Knex, table: 'organisation' | 'app_user', ids: string[], problems: Problems, field: string): Promise<void> {
  if (!ids.length) return;
  const found = new Set((await knex(table).select('id').whereIn('id', ids)).map((r) => r.id));
  ids.forEach((id) => {
    if (!found.has(id)) problems.add(field, `no such ${table.replace('_', ' ')}`);
  });
}

/** The bookkeeping columns of a newly created shared record. */
export function creationColumns(viewer: User) {
  return {
    owning_organisation_id: viewer.organisation.id,
    created_by: viewer.id,
    updated_by: viewer.id,
  };
}

/**
 * The row a change names, locked for the rest of the transaction when the database lets the caller
 * change it. Row-level security lets FOR UPDATE take only rows the update policy reaches, and that
 * leaves out reach that grants reading only (auditors, the regional unit through a linked threat,
 * a partner through a referral or a dissemination). Such a row is read again unlocked, so that its
 * reader hears FORBIDDEN (they can see it) rather than NOT_FOUND, whichever layers are on.
 * `locked` false: the caller reads the row but may not change it.
 */
export async function lockReadable(readable: () => Knex.QueryBuilder): Promise<{ row?: Record<string, any>; locked: boolean }> {
  const locked = await readable().forUpdate().first();
  if (locked) return { row: locked, locked: true };
  return { row: await readable().first(), locked: false };
}

/**
 * Locks a shared record's row for the rest of the transaction and checks the caller may change
 * it and holds the version they last read. NOT_FOUND when missing; FORBIDDEN for another
 * organisation's record; CONFLICT (with the current version) for a stale version.
 */
export async function lockForChange(
  scope: ReadScope,
  table: string,
  id: string,
  expectedVersion: number,
  viewer: User,
  label: string,
  /** Who may change it: its owning organisation unless the caller says otherwise. */
  mayChange: (row: Record<string, any>) => boolean = (row) => row.owning_organisation_id === viewer.organisation.id,
): Promise<Record<string, any>> {
  // Through the access policy: a record the caller may not read is missing, not forbidden; a plan
  // or disruption is read only with its threat, so one whose threat is hidden is missing too.
  const { row, locked } = await lockReadable(() => readableRecords(scope, table, 'rec').where('rec.id', id));
  if (!row) throw new NotFoundError(label);
  if (!mayChange(row) || !locked) {
    throw new ForbiddenError(`Only the owning organisation can change this ${label.toLowerCase()}.`);
  }
  if (row.version !== expectedVersion) {
    throw new ConflictError(`This ${label.toLowerCase()} has changed since you read it (you sent version ${expectedVersion}; it is now ${row.version}). Reload it and apply your change again.`, {
      currentVersion: row.version,
    });
  }
  return row;
}

/** Writes changed columns (possibly none) and moves the record to its next version. */
export async function saveVersion(trx: Knex.Transaction, table: string, id: string, viewer: User, changes: Record<string, unknown>): Promise<void> {
  await trx(table)
    .update({ ...changes, version: trx.raw('version + 1'), updated_by: viewer.id, updated_at: trx.fn.now() })
    .where({ id });
}

// Where repositories have long found it; it lives with the access rules it applies.
export { withReadableThreat } from '../access/references';
