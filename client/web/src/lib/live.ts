import type { Cache } from '@urql/exchange-graphcache';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { useSyncExternalStore } from 'react';
import type { SubscriptionForwarder } from 'urql';
import { listQueryFields } from 'virtual:schema-shape';
import { graphql } from '../gql';
import type { LiveEventsSubscription } from '../gql/graphql';

/**
 * Live updates: one graphql-ws connection per signed-in session, the app-wide `events`
 * subscription, the last cursor seen (so a dropped connection resumes without a gap), the
 * connection state for the header, and the notices shown when a record leaves the user's reach.
 */

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** A tiny observable value, readable in components with useStore(). */
function createStore<T>(initial: T) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next: T) {
      if (Object.is(next, value)) return;
      value = next;
      listeners.forEach((l) => l());
    },
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export const connection = createStore<ConnectionStatus>('connecting');

export function useConnectionStatus(): ConnectionStatus {
  return useSyncExternalStore(connection.subscribe, connection.get);
}

const CURSOR_KEY = 'soc-hub.live-cursor';

/** The position in the server's event log up to which this session has applied every event. */
export const liveCursor = {
  get: (): string | null => sessionStorage.getItem(CURSOR_KEY),
  set: (cursor: string | null) => (cursor ? sessionStorage.setItem(CURSOR_KEY, cursor) : sessionStorage.removeItem(CURSOR_KEY)),
};

export interface Notice {
  id: number;
  text: string;
}

let noticeIds = 0;
export const notices = createStore<readonly Notice[]>([]);
export const addNotice = (text: string) => notices.set([...notices.get(), { id: ++noticeIds, text }].slice(-5));
export const dismissNotice = (id: number) => notices.set(notices.get().filter((n) => n.id !== id));
export const useNotices = () => useSyncExternalStore(notices.subscribe, notices.get);

/** At sign-out: nothing of one session's live state is left for the next user of the tab. */
export function resetLive(): void {
  notices.set([]);
  liveCursor.set(null);
  connection.set('connecting');
}

/** The subscription every signed-in screen relies on; the record's fields are written into the cache. */
export const LiveEventsDocument = graphql(`
  subscription LiveEvents($after: String) {
    events(after: $after) {
      cursor
      type
      recordType
      recordId
      changedFields
      actor {
        id
        displayName
      }
      record {
        __typename
        id
        ... on SharedRecord {
          version
          sharing
          protectiveMarking
          updatedAt
        }
        ... on SocThreat {
          urn
          name
          summary
          status
          priority
          riskScore
          nextReviewDue
          withheld {
            field
            reason
          }
        }
        ... on FourPPlan {
          nextReviewDue
          threat {
            id
          }
        }
        ... on Disruption {
          level
          strand
          date
          description
          threat {
            id
          }
        }
        ... on SafeguardingReferral {
          reference
        }
      }
    }
  }
`);

type LiveEvent = LiveEventsSubscription['events'];

const kindOf: Record<string, string> = {
  SocThreat: 'A threat',
  FourPPlan: 'A 4P plan',
  Disruption: 'A disruption',
  SafeguardingReferral: 'A referral',
  Nominal: 'A person',
  PracticeEntry: 'A practice entry',
};

/**
 * "Operation Larch" for a threat this session has shown (else "A threat"); null for a record it
 * never loaded, which the user has not seen and so needs no notice about.
 */
function describeRecord(cache: Cache, key: string | null, event: LiveEvent): string | null {
  if (!key || cache.resolve(key, 'id') == null) return null;
  const name = (cache.resolve(key, 'name') ?? cache.resolve(key, 'reference') ?? cache.resolve(key, 'urn')) as string | null;
  return name || kindOf[event.recordType] || 'A record';
}

function invalidateLists(cache: Cache) {
  for (const f of cache.inspectFields('Query')) {
    if (listQueryFields.includes(f.fieldName)) cache.invalidate('Query', f.fieldName, f.arguments ?? undefined);
  }
}

/** A threat's derived parts (its plan, disruptions and their summary) after a change to one of them. */
function invalidateThreatParts(cache: Cache, threatId: string | undefined) {
  if (!threatId) return;
  for (const name of ['disruptions', 'disruptionSummary', 'plan']) cache.invalidate({ __typename: 'SocThreat', id: threatId }, name);
}

/**
 * Applies one event to the normalised cache (graphcache has already written `record`'s fields, so
 * a record on screen updates in place). Parts the event's record does not carry (activities,
 * objectives, history...) are invalidated, so the screens showing them refetch; a new or vanished
 * record changes lists, so those refetch too; a record out of reach is dropped with a notice.
 */
export function applyLiveEvent(event: LiveEvent, cache: Cache): void {
  const entity = { __typename: event.recordType, id: event.recordId };
  const key = cache.keyOfEntity(entity);
  if (event.type === 'WITHDRAWN' || event.type === 'DELETED') {
    const what = describeRecord(cache, key, event);
    if (what) addNotice(event.type === 'WITHDRAWN' ? `${what} is no longer shared with you.` : `${what} was deleted by ${event.actor?.displayName ?? 'someone else'}.`);
    if (key) cache.invalidate(key);
    cache.invalidate('Query', 'node', { id: event.recordId });
    invalidateLists(cache);
    return;
  }
  // Back within reach after node(id) said it was not there: look again.
  if (cache.resolve('Query', 'node', { id: event.recordId }) === null) cache.invalidate('Query', 'node', { id: event.recordId });
  const written = new Set(Object.keys(event.record ?? {}));
  if (key) {
    for (const f of cache.inspectFields(key)) if (!written.has(f.fieldName)) cache.invalidate(key, f.fieldName, f.arguments ?? undefined);
  }
  const record = event.record as { threat?: { id: string } } | null;
  invalidateThreatParts(cache, record?.threat?.id);
  if (event.type === 'CREATED') invalidateLists(cache);
}

const isCursorVariable = (variables: Record<string, unknown> | undefined) => !!variables && 'after' in variables;

/**
 * Forwards urql's subscriptions over graphql-ws. graphql-ws re-sends the same payload when it
 * reconnects, so `after` is a getter: every (re)subscription asks for what came after the last
 * event this session applied, never replaying from where it first started.
 */
function forwardOver(ws: WsClient): SubscriptionForwarder {
  return (request) => {
    const variables = { ...(request.variables as Record<string, unknown> | undefined) };
    if (isCursorVariable(request.variables as Record<string, unknown>)) {
      const first = variables.after ?? null;
      Object.defineProperty(variables, 'after', { enumerable: true, get: () => liveCursor.get() ?? first });
    }
    const payload = { query: request.query ?? '', variables, operationName: request.operationName, extensions: request.extensions };
    return {
      subscribe: (sink) => {
        const unsubscribe = ws.subscribe(payload, {
          next: (result) => {
            sink.next(result as never);
            // After the cache has applied it (synchronously, downstream of sink.next).
            const cursor = (Object.values(result.data ?? {})[0] as { cursor?: string } | undefined)?.cursor;
            if (cursor && isCursorVariable(request.variables as Record<string, unknown>)) liveCursor.set(cursor);
          },
          error: (error) => sink.error(error),
          complete: () => sink.complete(),
        });
        return { unsubscribe };
      },
    };
  };
}

const SIGNED_OUT_CODES = [4401, 4403];
/** After this many failed attempts in a row the header says offline (it keeps retrying). */
const ATTEMPTS_BEFORE_OFFLINE = 3;
/** A ping every so often; a socket that does not answer in time is dead (sleep, network change). */
const PING_EVERY_MS = 15_000;
const PONG_WITHIN_MS = 5_000;
const DEAD_SOCKET = 4408;

/**
 * The session's WebSocket. connectionParams is a function so every (re)connection sends the
 * current token and purpose. It reconnects for ever with a capped backoff, except when the
 * server says the session is over (4401/4403), which signs the user out. A socket that stops
 * answering pings, or the browser going offline, counts as a drop.
 */
export function createLiveConnection(credentials: () => Record<string, string>, onSignedOut: () => void) {
  let failures = 0;
  let socket: WebSocket | null = null;
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  const drop = () => {
    if (socket?.readyState === WebSocket.OPEN) socket.close(DEAD_SOCKET, 'No answer from the server');
  };
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
  const closedCode = (event: unknown) => (event as { code?: number } | undefined)?.code;
  const ws = createClient({
    url,
    connectionParams: credentials,
    lazy: true,
    keepAlive: PING_EVERY_MS,
    retryAttempts: Infinity,
    retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 10_000) + Math.random() * 500)),
    shouldRetry: (event) => !SIGNED_OUT_CODES.includes(closedCode(event) ?? 0),
    on: {
      connected: (connected) => {
        socket = connected as WebSocket;
        failures = 0;
        connection.set('live');
      },
      ping: (received) => {
        if (!received) pongTimer = setTimeout(drop, PONG_WITHIN_MS);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      closed: (event) => {
        socket = null;
        clearTimeout(pongTimer);
        const code = closedCode(event);
        if (code === 1000) return connection.set('connecting'); // closed on purpose: nothing subscribed
        if (code && SIGNED_OUT_CODES.includes(code)) return onSignedOut();
        failures += 1;
        connection.set(failures >= ATTEMPTS_BEFORE_OFFLINE || !navigator.onLine ? 'offline' : 'reconnecting');
      },
    },
  });
  window.addEventListener('offline', () => {
    connection.set('offline');
    drop();
  });
  return { ws, forwardSubscription: forwardOver(ws) };
}
