import type { RequestContext } from '../graphql/context';
import { markingRank, type ProtectiveMarking } from '../modules/identity/identity.enums';
import type { RecordVersion } from './shared-record';
import { Sharing } from './sharing';
import { recordKindOfType } from '../access/catalogue';

/**
 * A record's history shows each change only to those who could read the record as it was then.
 * Reading a record today says nothing about its past: a threat created SECRET and OWNER_ONLY,
 * cleaned, then lowered and shared, must not show its SECRET text to those it is shared with now.
 *
 * The record's marking and sharing at each point are replayed from the history itself (every
 * change to them is in it). A change the caller could not have read after it was made is left
 * out; one they could read after but not before (the change that lowered or shared the record)
 * is shown without its earlier values, and only if it changed nothing but the record's access
 * (the database's policy on record_version, Migration20261205002000, decides the same). Changes to parts (activities, actions...) follow the
 * record's state at the time, as reads of parts follow their record.
 */

interface AccessState {
  marking?: ProtectiveMarking;
  sharing?: Sharing;
  sharedWith?: string[];
}

const ACCESS_FIELDS: Record<string, keyof AccessState> = { protectiveMarking: 'marking', sharing: 'sharing', sharedWith: 'sharedWith' };

function applied(state: AccessState, version: RecordVersion): AccessState {
  if (version.part) return state;
  const next = { ...state };
  for (const change of version.changes) {
    const key = ACCESS_FIELDS[change.field];
    if (key) (next as Record<string, unknown>)[key] = change.to;
  }
  return next;
}

/**
 * Whether a caller's reach to this kind of record follows its sharing field (the access
 * catalogue). It does not for a referral (its two parties and auditors, whatever the sharing)
 * nor for a partner's disruption or person (claims and contributions, referrals): their reach
 * today is their reach then.
 */
function reachFollowsSharing(typename: string, isLawEnforcement: boolean): boolean {
  const kind = recordKindOfType(typename);
  return !!kind?.reachBySharing && (isLawEnforcement || kind.partnerReachBySharing);
}

/** Whether the caller could read a record of `ownerId` in `state` (clearance and reach; today's roles and agreements already apply). */
function couldRead(ctx: RequestContext, record: HistoryOwner, state: AccessState): boolean {
  const caller = ctx.access.caller;
  if (state.marking && markingRank(state.marking) > markingRank(caller.clearance as ProtectiveMarking)) return false;
  if (record.owningOrganisationId === caller.organisationId || !reachFollowsSharing(record.typename, caller.isLawEnforcement)) return true;
  switch (state.sharing) {
    case Sharing.ALL_PARTNERS:
      return true;
    case Sharing.REGIONAL_LAW_ENFORCEMENT:
      return caller.isLawEnforcement;
    case Sharing.NAMED_ORGANISATIONS:
      return (state.sharedWith ?? []).includes(caller.organisationId);
    default:
      return false; // OWNER_ONLY, or not known: default deny
  }
}

export interface HistoryOwner {
  typename: string;
  owningOrganisationId: string;
}

export function historyAsItWas(ctx: RequestContext, record: HistoryOwner, versions: readonly RecordVersion[]): RecordVersion[] {
  // Part of the application layer: switched off (tests only), the database's policy decides alone.
  if (!ctx.access.layers.application) return [...versions];
  const shown: RecordVersion[] = [];
  let state: AccessState = {};
  for (const version of versions) {
    const before = state;
    state = applied(state, version);
    if (!couldRead(ctx, record, state)) continue;
    const fromHidden = version.action !== 'CREATE' && !version.part && !couldRead(ctx, record, before);
    if (fromHidden && !version.changes.every((c) => c.field in ACCESS_FIELDS)) continue;
    shown.push(fromHidden ? { ...version, changes: version.changes.map((c) => ({ ...c, from: null })) } : version);
  }
  return shown;
}
