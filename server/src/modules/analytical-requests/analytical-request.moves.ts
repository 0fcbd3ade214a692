import { OrganisationType, Role } from '../identity/identity.enums';
import type { User } from '../identity/user.entity';
import { AnalyticalRequestMove as Move, AnalyticalRequestStatus as Status } from './analytical-request.enums';

/**
 * The lifecycle of an analytical request, in one place: from which statuses each move may be
 * made, where it leads, and who makes it. The service refuses anything else; the request's
 * `allowedMoves` (what the web client offers) is read from the same table.
 *
 * The regional unit's intelligence managers (OCG coordinators of a ROCU: they run the region's
 * tasking) accept, decline and assign; the assigned analyst starts and delivers.
 */
export type Mover = 'REGIONAL_MANAGER' | 'ASSIGNED_ANALYST';

interface MoveRule {
  readonly from: readonly Status[];
  /** Where it leads; undefined when the status stays (an assignment). */
  readonly to?: Status;
  readonly by: Mover;
  /** In words, for messages: "accepted", "declined"... */
  readonly done: string;
}

export const MOVES: Readonly<Record<Move, MoveRule>> = {
  [Move.ACCEPT]: { from: [Status.REQUESTED], to: Status.ACCEPTED, by: 'REGIONAL_MANAGER', done: 'accepted' },
  [Move.DECLINE]: { from: [Status.REQUESTED, Status.ACCEPTED], to: Status.DECLINED, by: 'REGIONAL_MANAGER', done: 'declined' },
  [Move.ASSIGN]: { from: [Status.ACCEPTED, Status.IN_PROGRESS], by: 'REGIONAL_MANAGER', done: 'assigned' },
  [Move.START]: { from: [Status.ACCEPTED], to: Status.IN_PROGRESS, by: 'ASSIGNED_ANALYST', done: 'started' },
  [Move.DELIVER]: { from: [Status.IN_PROGRESS], to: Status.DELIVERED, by: 'ASSIGNED_ANALYST', done: 'delivered' },
};

const STATUS_WORDS: Record<Status, string> = {
  REQUESTED: 'waiting to be accepted',
  ACCEPTED: 'accepted',
  IN_PROGRESS: 'in progress',
  DELIVERED: 'delivered',
  DECLINED: 'declined',
};

/** A user who accepts, declines and assigns the region's requests: an OCG coordinator of the regional unit. */
export function isRegionalManager(viewer: User): boolean {
  return viewer.organisation.type === OrganisationType.ROCU && viewer.roles.includes(Role.OCG_COORDINATOR);
}

/** Whether the viewer is who makes this move on a request assigned to `assignedAnalystId`. */
export function isMover(viewer: User, by: Mover, assignedAnalystId: string | null): boolean {
  return by === 'REGIONAL_MANAGER' ? isRegionalManager(viewer) : !!assignedAnalystId && assignedAnalystId === viewer.id;
}

export const WHO_MOVES: Record<Mover, string> = {
  REGIONAL_MANAGER: "Only the regional unit's intelligence managers (OCG coordinators) can do this.",
  ASSIGNED_ANALYST: 'Only the analyst assigned to this request can do this.',
};

/** Why a request in `status` cannot take `move`, or undefined when it can. */
export function transitionProblem(move: Move, status: Status, assignedAnalystId: string | null): string | undefined {
  const rule = MOVES[move];
  if (!rule.from.includes(status)) return `This request is ${STATUS_WORDS[status]}, so it cannot be ${rule.done}.`;
  if (move === Move.START && !assignedAnalystId) return 'Assign an analyst before the work starts.';
  return undefined;
}

/** The moves the viewer may make on a request now (what the web client offers). */
export function allowedMoves(viewer: User, status: Status, assignedAnalystId: string | null): Move[] {
  return (Object.keys(MOVES) as Move[]).filter((m) => isMover(viewer, MOVES[m].by, assignedAnalystId) && !transitionProblem(m, status, assignedAnalystId));
}
