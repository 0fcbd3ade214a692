import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { BadUserInputError } from '../graphql/errors';
import type { AuditCollector } from './audit.collector';
import { AuditAction, Purpose } from './audit.enums';
import type { Role } from '../modules/identity/identity.enums';
import { PurposeNotAllowedError, requireAllowedPurpose } from '../access/purpose-roles';

export const PURPOSE_HEADER = 'X-Purpose';
const allowed = Object.values(Purpose).join(', ');

/** A purpose that is not one of the six: refused before anything else happens (HTTP 400). */
export class InvalidPurposeError extends GraphQLError {
  constructor(value: string) {
    const message = `"${value}" is not a purpose: send one of ${allowed}.`;
    super(`${PURPOSE_HEADER}: ${message}`, {
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: PURPOSE_HEADER, message }], http: { status: 400 } },
    });
  }
}

/**
 * Reading sensitive records needs a stated purpose. `allowed`: the purposes the caller's roles
 * allow (access/purpose-roles.ts), offered in the message and in `extensions.allowedPurposes`.
 */
export class PurposeRequiredError extends GraphQLError {
  /** `what`: what needs the purpose, when it is not reading sensitive records of `recordType`. */
  constructor(
    recordType: string,
    allowed: readonly Purpose[],
    what = `Reading ${recordType} records marked OFFICIAL_SENSITIVE or above, and any safeguarding referral,`,
  ) {
    super(
      allowed.length
        ? `${what} needs a stated purpose: send the ${PURPOSE_HEADER} header (or connection_init's "purpose") with one of ${allowed.join(', ')}.`
        : `${what} needs a stated purpose, and your roles allow none: ask an administrator.`,
      { extensions: { code: 'PURPOSE_REQUIRED', allowedPurposes: [...allowed] } },
    );
  }
}

/** The purpose sent with a request: absent (or blank) is null; anything else must be one of the six. */
export function parsePurpose(raw: unknown): Purpose | null {
  if (raw === undefined || raw === null) return null;
  const value = String(raw).trim();
  if (value === '') return null;
  if (!(Object.values(Purpose) as string[]).includes(value)) throw new InvalidPurposeError(value);
  return value as Purpose;
}

/**
 * Wraps Apollo's error formatter so PURPOSE_REQUIRED reaches clients as it is (the base
 * formatter masks codes it does not know outside development).
 */
export function passPurposeErrors<E>(format: (formatted: GraphQLFormattedError, error: E) => GraphQLFormattedError) {
  return (formatted: GraphQLFormattedError, error: E): GraphQLFormattedError => {
    if (formatted.extensions?.code !== 'PURPOSE_REQUIRED') return format(formatted, error);
    const { stacktrace: _stack, ...extensions } = formatted.extensions;
    return { ...formatted, extensions };
  };
}

/**
 * A person changed the purpose they work under without signing out (the web client's header):
 * one audit event naming the change. The request must itself carry the new purpose, so the
 * event's purpose column is the one now stated and everything after it is read under it.
 */
export function recordPurposeChange(
  ctx: { purpose: Purpose | null; audit: AuditCollector; viewer: { id: string; roles: readonly Role[] } },
  purpose: Purpose,
  previous: Purpose | null | undefined,
): { purpose: Purpose; previous: Purpose | null } {
  try {
    requireAllowedPurpose(ctx.viewer.roles, purpose, 'purpose');
  } catch (err) {
    if (err instanceof PurposeNotAllowedError) ctx.audit.denied('StatedPurpose', [], { code: 'FORBIDDEN', field: 'purpose', message: err.message });
    throw err;
  }
  if (ctx.purpose !== purpose) {
    throw new BadUserInputError([{ field: 'purpose', message: `send the new purpose in the ${PURPOSE_HEADER} header of this request as well` }]);
  }
  // Under the answer's type, so the mutation's own audit event (audit.middleware) is this one: one row per change.
  ctx.audit.record(AuditAction.UPDATE, 'StatedPurpose', [ctx.viewer.id], { purposeChanges: { from: previous ?? null, to: purpose } });
  return { purpose, previous: previous ?? null };
}
