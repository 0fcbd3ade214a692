import { cacheExchange, type Cache, type UpdateResolver } from '@urql/exchange-graphcache';
import { persistedExchange } from '@urql/exchange-persisted';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { Client, fetchExchange, mapExchange, Provider, subscriptionExchange, type CombinedError } from 'urql';
import { embeddedTypes, listQueryFields, mutationFields, possibleTypes } from 'virtual:schema-shape';
import type { LiveEventsSubscription } from '../gql/graphql';
import { applyLiveEvent, createLiveConnection, createLiveRefetch } from './live';
import { session } from './session';

export { useConnectionStatus, type ConnectionStatus } from './live';

/**
 * The one place that owns the GraphQL client: queries and mutations over HTTP, subscriptions over
 * graphql-ws (lib/live.ts, which also holds the connection state and the live cursor). Everything
 * else uses urql's hooks.
 */

/** The purposes a user may state (the server's Purpose enum); reading sensitive records needs one. */
export const PURPOSES = [
  { value: 'INVESTIGATION', label: 'Investigation' },
  { value: 'SAFEGUARDING', label: 'Safeguarding' },
  { value: 'TASKING', label: 'Tasking' },
  { value: 'ANALYSIS', label: 'Analysis' },
  { value: 'REPORTING', label: 'Reporting' },
  { value: 'AUDIT', label: 'Audit' },
] as const;
export type Purpose = (typeof PURPOSES)[number]['value'];

const PURPOSE_KEY = 'soc-hub.purpose';

/** The purpose the user chose for this session, sent with every request as X-Purpose. */
export const purpose = {
  get: (): Purpose | null => (PURPOSES.some((p) => p.value === sessionStorage.getItem(PURPOSE_KEY)) ? (sessionStorage.getItem(PURPOSE_KEY) as Purpose) : null),
  set: (value: Purpose | null) => (value ? sessionStorage.setItem(PURPOSE_KEY, value) : sessionStorage.removeItem(PURPOSE_KEY)),
};

const REFUSED_KEY = 'soc-hub.purpose-refused';

/**
 * A stated purpose the server refused because the user's roles do not allow it (FORBIDDEN naming
 * X-Purpose): kept for the header to say so after the page reloads without it.
 */
export const refusedPurpose = {
  get: (): Purpose | null => (PURPOSES.some((p) => p.value === sessionStorage.getItem(REFUSED_KEY)) ? (sessionStorage.getItem(REFUSED_KEY) as Purpose) : null),
  set: (value: Purpose | null) => (value ? sessionStorage.setItem(REFUSED_KEY, value) : sessionStorage.removeItem(REFUSED_KEY)),
};

/** Whether an error is the server refusing the stated purpose (the user's roles do not allow it). */
export const isPurposeRefused = (error: CombinedError | undefined) =>
  !!error?.graphQLErrors.some((e) => e.extensions?.code === 'FORBIDDEN' && ((e.extensions?.fields ?? []) as { field: string }[]).some((f) => f.field === 'X-Purpose'));

/** A purpose in plain words. */
export const purposeLabel = (value: string) => PURPOSES.find((p) => p.value === value)?.label ?? value.toLowerCase();

/** The session's credentials and purpose, as every API request sends them (also for plain HTTP downloads). */
export function requestHeaders(): Record<string, string> {
  const headers: Record<string, string> = { authorization: `Bearer ${session.token() ?? ''}` };
  const stated = purpose.get();
  if (stated) headers['x-purpose'] = stated;
  return headers;
}

/** The same credentials for graphql-ws's connection_init, read afresh at every (re)connection. */
function connectionParams(): Record<string, string> {
  const stated = purpose.get();
  return { authorization: `Bearer ${session.token() ?? ''}`, ...(stated ? { purpose: stated } : {}) };
}

/** Lists (connections) and a threat's derived fields may change after any mutation: refetch them. */
function invalidateAfterMutation(result: Record<string, any>, cache: Cache, field: string) {
  for (const f of cache.inspectFields('Query')) {
    if (listQueryFields.includes(f.fieldName)) cache.invalidate('Query', f.fieldName, f.arguments ?? undefined);
  }
  const threatId = result[field]?.threat?.id;
  if (threatId) {
    for (const name of ['disruptions', 'disruptionSummary', 'plan']) cache.invalidate({ __typename: 'SocThreat', id: threatId }, name);
    // An assessment's decision changes what the threat derives from its assessments.
    if (field.endsWith('Assessment')) {
      for (const name of ['assessmentHistory', 'unassessedActivities', 'currentAssessment', 'priority', 'riskScore']) cache.invalidate({ __typename: 'SocThreat', id: threatId }, name);
      const activityId = result[field]?.criminalActivity?.id;
      if (activityId) cache.invalidate({ __typename: 'CriminalActivity', id: activityId }, 'assessment');
    }
  }
}

function mutationUpdates(): Record<string, UpdateResolver> {
  return Object.fromEntries(mutationFields.map((field) => [field, (result, _args, cache) => invalidateAfterMutation(result, cache, field)]));
}

const isUnauthenticated = (error: CombinedError) => error.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');

export function createApiClient(onSignedOut: () => void): Client {
  const live = createLiveConnection(connectionParams, onSignedOut);
  const liveRefetch = createLiveRefetch();
  return new Client({
    url: '/graphql',
    requestPolicy: 'cache-and-network',
    // POST always: the server's CSRF protection refuses simple GET requests.
    preferGetMethod: false,
    fetchOptions: () => ({ headers: requestHeaders() }),
    exchanges: [
      // First, so that it sees what each query finally showed (lib/live.ts).
      liveRefetch.exchange,
      cacheExchange({
        keys: Object.fromEntries(embeddedTypes.map((name) => [name, () => null])),
        possibleTypes,
        // IDs are global, so the ID alone is the cache key, and node(id) finds a cached record.
        globalIDs: true,
        // A node the server said is not there (null, e.g. after it was withdrawn) stays null.
        resolvers: { Query: { node: (_parent, args, cache) => (cache.resolve('Query', 'node', args) === null ? null : (args.id as string)) } },
        updates: {
          Mutation: mutationUpdates(),
          Subscription: { events: (result, _args, cache) => applyLiveEvent((result as LiveEventsSubscription).events, cache, liveRefetch) },
        },
      }),
      mapExchange({
        onError(error) {
          if (isUnauthenticated(error)) onSignedOut();
        },
      }),
      // Operations go by the hash of their document (trusted documents: codegen lists them at
      // build time and the server runs only those for browser sessions in production).
      persistedExchange({
        enforcePersistedQueries: true,
        // POST, as every request: the server's CSRF protection refuses simple GET requests.
        preferGetForPersistedQueries: false,
        enableForMutation: true,
        enableForSubscriptions: false,
        generateHash: async (_query, document) => (document as { __meta__?: { hash?: string } }).__meta__?.hash?.replace(/^sha256:/, ''),
      }),
      fetchExchange,
      subscriptionExchange({ forwardSubscription: live.forwardSubscription }),
    ],
  });
}

/** Provides a fresh client (and so a fresh cache) for each signed-in session. */
export function ApiProvider({ sessionKey, onSignedOut, children }: { sessionKey: string; onSignedOut: () => void; children: ReactNode }) {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const client = useMemo(() => createApiClient(onSignedOut), [sessionKey]);
  return <Provider value={client}>{children}</Provider>;
}

interface SignedIn {
  signOut: () => void;
}

export const SessionContext = createContext<SignedIn>({ signOut: () => undefined });
export const useSession = () => useContext(SessionContext);
