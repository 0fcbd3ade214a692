import { BadUserInputError } from './errors';

/**
 * Relay global object IDs: `base64url("<Type>:<uuid>")`. Opaque to clients, and they carry the
 * type so `node(id)` knows where to look.
 */
export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The type and database id inside a global ID, or `undefined` when it is not one of ours. */
export function fromGlobalId(globalId: string): { type: string; id: string } | undefined {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const sep = decoded.indexOf(':');
  if (sep < 1) return undefined;
  const type = decoded.slice(0, sep);
  const id = decoded.slice(sep + 1);
  return /^[A-Za-z]+$/.test(type) && UUID.test(id) ? { type, id } : undefined;
}

/**
 * The database id inside a global ID of the expected type, or a BAD_USER_INPUT naming `field`.
 * Used for IDs that arguments refer to (a lead organisation, a nominal to add, ...).
 */
export function requireGlobalId(globalId: string, type: string, field: string): string {
  const parsed = fromGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw new BadUserInputError([{ field, message: `is not the ID of a ${type}` }]);
  return parsed.id;
}

/** Like {@link requireGlobalId}, but reports the problem to a collector and returns undefined. */
export function globalIdOrProblem(
  globalId: string,
  type: string,
  field: string,
  problems: { add(field: string, message: string): void },
): string | undefined {
  const parsed = fromGlobalId(globalId);
  if (!parsed || parsed.type !== type) {
    problems.add(field, `is not the ID of a ${type}`);
    return undefined;
  }
  return parsed.id;
}
