import type { Cache } from '@urql/exchange-graphcache';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { useSyncExternalStore } from 'react';
import { makeOperation, type Client, type Exchange, type Operation, type SubscriptionForwarder } from 'urql';
import { queryFieldTypes } from 'virtual:schema-shape';
import { pipe, tap } from 'wonka';
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
  /** A record the notice is about, to open (a deconfliction interest's own record). */
  link?: { to: string; text: string };
}

let noticeIds = 0;
export const notices = createStore<readonly Notice[]>([]);
export const addNotice = (text: string, link?: Notice['link']) => notices.set([...notices.get(), { id: ++noticeIds, text, link }].slice(-5));
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
        ... on DeconflictionInterest {
          message
          nominal {
            id
          }
          intelligenceReport {
            id
          }
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

/** Changes to these may change what the user may read at all. */
const ACCESS_CHANGES = new Set(['InformationSharingAgreement']);

/** The kind of record each home figure counts: a change to one may change the figure. */
const figuresOf: Record<string, string> = {
  ThreatStats: 'SocThreat',
  DisruptionStats: 'Disruption',
  PlanStats: 'FourPPlan',
  ReferralStats: 'SafeguardingReferral',
};
/** A query showing figures is fetched again at most this often, however busy the region. */
const FIGURES_EVERY_MS = 2_000;
/** Events arriving together (one save can log several) cause one fetch of each query they touch. */
const GATHER_MS = 100;

/** What an active query last showed: the records in it, and what its root fields hold. */
interface Shown {
  operation: Operation;
  ids: Set<string>;
  /** The record each root field showed (`node` → its id), to tell when one has gone. */
  roots: Map<string, string>;
  /** The record types its lists list, and the figures it shows (ThreatStats...). */
  holds: Set<string>;
  figures: boolean;
}

/** The types held by an operation's root fields (`threats` → SocThreat, `threatStats` → ThreatStats). */
function rootTypes(operation: Operation): Set<string> {
  const types = new Set<string>();
  for (const definition of operation.query.definitions) {
    if (definition.kind !== 'OperationDefinition') continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind === 'Field' && queryFieldTypes[selection.name.value]) types.add(queryFieldTypes[selection.name.value]);
    }
  }
  return types;
}

function shownIn(operation: Operation, data: unknown): Shown {
  const ids = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (!value || typeof value !== 'object') return;
    const id = (value as { id?: unknown }).id;
    if (typeof id === 'string') ids.add(id);
    Object.values(value).forEach(walk);
  };
  walk(data);
  const roots = new Map<string, string>();
  for (const [field, value] of Object.entries((data as Record<string, unknown>) ?? {})) {
    const id = (value as { id?: unknown } | null)?.id;
    if (typeof id === 'string') roots.set(field, id);
  }
  const holds = rootTypes(operation);
  return { operation, ids, roots, holds, figures: Object.keys(figuresOf).some((t) => holds.has(t)) };
}

/** The record's id and those it refers to (a disruption's or a plan's threat), which show it. */
function idsIn(event: LiveEvent): Set<string> {
  const ids = new Set([event.recordId]);
  const walk = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    const id = (value as { id?: unknown }).id;
    if (typeof id === 'string') ids.add(id);
    Object.values(value).forEach(walk);
  };
  walk(event.record);
  return ids;
}

/** Whether an event may change what a query shows: the record is in it, or a list or figure of its kind. */
function touches(shown: Shown, event: LiveEvent, ids: Set<string>): boolean {
  if (shown.holds.has(event.recordType)) return true;
  if (Object.entries(figuresOf).some(([figure, type]) => type === event.recordType && shown.holds.has(figure))) return true;
  for (const id of ids) if (shown.ids.has(id)) return true;
  return false;
}

/**
 * Fetches again, from the server, each active query an event may have changed: the screens
 * showing the record (its parts the event does not carry), every list of its kind (a record
 * may enter, leave or move in a filtered or sorted list whatever the change), and the figures
 * counting it (at most every 2 s). Asking the server, rather than invalidating cache entries
 * and relying on the cache to notice, means a list or record always ends up complete: an
 * invalidation landing while a refetch is in flight could leave a screen on "Loading…".
 * It is an exchange, first in the chain, so it sees what each query finally showed.
 */
export function createLiveRefetch() {
  const shown = new Map<number, Shown>();
  /** Queries fetched again because access changed: the records they showed, by root field, named. */
  const accessChecks = new Map<number, Map<string, string>>();
  const due = new Map<number, ReturnType<typeof setTimeout>>();
  const lastFigures = new Map<number, number>();
  let client: Client | null = null;

  const refetch = (key: number) => {
    due.delete(key);
    const current = shown.get(key);
    if (!current || !client) return;
    if (current.figures) lastFigures.set(key, Date.now());
    client.reexecuteOperation(makeOperation('query', current.operation, { ...current.operation.context, requestPolicy: 'network-only' }));
  };
  const schedule = (key: number, figures: boolean) => {
    if (due.has(key)) return;
    const wait = figures ? Math.max(GATHER_MS, (lastFigures.get(key) ?? 0) + FIGURES_EVERY_MS - Date.now()) : GATHER_MS;
    due.set(key, setTimeout(() => refetch(key), wait));
  };
  const forget = (key: number) => {
    shown.delete(key);
    accessChecks.delete(key);
    lastFigures.delete(key);
    clearTimeout(due.get(key));
    due.delete(key);
  };

  const exchange: Exchange = ({ forward, client: theClient }) => {
    client = theClient;
    return (operations$) =>
      pipe(
        operations$,
        tap((operation) => operation.kind === 'teardown' && forget(operation.key)),
        forward,
        tap(({ operation, data }) => {
          if (operation.kind !== 'query' || !data || operation.context.requestPolicy === 'cache-only') return;
          shown.set(operation.key, shownIn(operation, data));
          const check = accessChecks.get(operation.key);
          if (check && operation.context.requestPolicy === 'network-only') {
            accessChecks.delete(operation.key);
            // The record this screen showed is no longer there for this user: say so.
            for (const [field, name] of check) if ((data as Record<string, unknown>)[field] === null) addNotice(`${name} is no longer shared with you.`);
          }
        }),
      );
  };

  /** After an event is in the cache: fetch again what it may have changed. */
  const afterEvent = (event: LiveEvent) => {
    const ids = idsIn(event);
    for (const [key, s] of shown) if (touches(s, event, ids)) schedule(key, s.figures);
  };

  /**
   * What the user may read may have changed as a whole (an agreement suspended, expired or
   * reinstated): every active query is fetched again, and a screen whose record has gone says so.
   * The server announces WITHDRAWN only for records it has itself sent this subscription; a page
   * loaded over HTTP and never changed since was not among them, and kept showing a record its
   * reader could no longer read.
   */
  const accessChanged = (nameOf: (id: string) => string | null) => {
    for (const [key, s] of shown) {
      const named = new Map<string, string>();
      for (const [field, id] of s.roots) {
        const name = nameOf(id);
        if (name) named.set(field, name);
      }
      if (named.size) accessChecks.set(key, named);
      schedule(key, s.figures);
    }
  };
  return { exchange, afterEvent, accessChanged };
}

export type LiveRefetch = ReturnType<typeof createLiveRefetch>;

/**
 * Applies one event to the normalised cache: graphcache has already written `record`'s fields,
 * so a record on screen updates in place at once; the screens, lists and figures it may change
 * are then fetched again (createLiveRefetch). A record out of reach is dropped with a notice.
 */
export function applyLiveEvent(event: LiveEvent, cache: Cache, refetch: LiveRefetch): void {
  const entity = { __typename: event.recordType, id: event.recordId };
  const key = cache.keyOfEntity(entity);
  if (event.type === 'WITHDRAWN' || event.type === 'DELETED') {
    const what = describeRecord(cache, key, event);
    if (what) addNotice(event.type === 'WITHDRAWN' ? `${what} is no longer shared with you.` : `${what} was deleted by ${event.actor?.displayName ?? 'someone else'}.`);
    // Gone from the cache, so no screen shows it again, even one not open now.
    if (key) cache.invalidate(key);
    cache.invalidate('Query', 'node', { id: event.recordId });
  } else if (cache.resolve('Query', 'node', { id: event.recordId }) === null) {
    // Back within reach after node(id) said it was not there: look again.
    cache.invalidate('Query', 'node', { id: event.recordId });
  }
  if (event.type === 'CREATED') tellOfInterest(event);
  if (ACCESS_CHANGES.has(event.recordType)) {
    refetch.accessChanged((id) => describeRecord(cache, id, { ...event, recordType: String(cache.resolve(id, '__typename') ?? '') }));
    // Records that were not there (null) may be back within reach.
    for (const f of cache.inspectFields('Query')) {
      if (f.fieldName === 'node' && cache.resolve('Query', 'node', f.arguments ?? undefined) === null) cache.invalidate('Query', 'node', f.arguments ?? undefined);
    }
  }
  refetch.afterEvent(event);
}

/** Another organisation checked an identifier the user's organisation holds: say so, with a link to the record. */
function tellOfInterest(event: LiveEvent): void {
  const record = event.record;
  if (record?.__typename !== 'DeconflictionInterest') return;
  const link = record.nominal
    ? { to: `/people/${encodeURIComponent(record.nominal.id)}`, text: 'Open the person' }
    : record.intelligenceReport
      ? { to: `/intelligence/${encodeURIComponent(record.intelligenceReport.id)}`, text: 'Open the report' }
      : undefined;
  addNotice(record.message, link);
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
