import { useEffect, useState } from 'react';
import { useSubscription } from 'urql';
import { addNotice, liveCursor, LiveEventsDocument } from './live';

/** How long to wait before subscribing again after the subscription failed outright. */
const RESTART_AFTER_MS = 5_000;

/**
 * The app-wide `events` subscription, started once the viewer (and the log's position, taken in
 * the same first request) is known. Events are applied to the cache by the cache exchange
 * (lib/live.ts applyLiveEvent); this component only keeps the subscription open. graphql-ws
 * reconnects by itself after ordinary drops; after a failure it gives up on (e.g. the server
 * closing with an error) the subscription is started again here, from the last cursor.
 */
export function LiveEvents({ from }: { from: string }) {
  // The cursor the session starts from: everything after it reaches the cache, nothing is missed.
  const [after] = useState(() => {
    liveCursor.set(from);
    return from;
  });
  const [{ error }, restart] = useSubscription({ query: LiveEventsDocument, variables: { after } });
  const expired = !!error?.graphQLErrors.some((e) => e.extensions?.code === 'CURSOR_EXPIRED');
  useEffect(() => {
    if (expired) addNotice('Live updates stopped: this page has been open longer than the server keeps changes. Reload the page to see the current picture.');
  }, [expired]);
  useEffect(() => {
    if (!error || expired) return undefined;
    const timer = setTimeout(() => restart(), RESTART_AFTER_MS);
    return () => clearTimeout(timer);
  }, [error, expired, restart]);
  return null;
}
