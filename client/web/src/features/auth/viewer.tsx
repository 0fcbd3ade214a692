import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { isPurposeRefused, purpose, refusedPurpose } from '../../lib/client';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ViewerQuery } from '../../gql/graphql';
import { LiveEvents } from '../../lib/LiveEvents';
import { Loaded } from '../../lib/ui';

const ViewerDocument = graphql(`
  query Viewer {
    eventCursor
    viewer {
      id
      username
      displayName
      roles
      allowedPurposes
      clearance
      organisation {
        id
        code
        name
        type
        isLawEnforcement
      }
    }
  }
`);

export type Viewer = ViewerQuery['viewer'];

const ViewerContext = createContext<Viewer | null>(null);

/** The signed-in user, for any component under ViewerGate. */
export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error('useViewer outside ViewerGate');
  return viewer;
}

/**
 * Loads the signed-in user, and with it the event log's position, before any screen asks for
 * data: live updates start from there, so no change between the two is missed.
 */
export function ViewerGate({ children }: { children: ReactNode }) {
  const [{ data, fetching, error }] = useQuery({ query: ViewerDocument, requestPolicy: 'cache-first' });
  const refused = isPurposeRefused(error);
  useEffect(() => {
    if (!refused) return;
    // The stated purpose is not one the user's roles allow: start again without it, and let the
    // header say why and offer the ones they may state.
    refusedPurpose.set(purpose.get());
    purpose.set(null);
    window.location.reload();
  }, [refused]);
  if (refused) return <p aria-busy="true">Loading…</p>;
  return (
    <Loaded data={data?.viewer} fetching={fetching} error={error}>
      {(viewer) => (
        <ViewerContext.Provider value={viewer}>
          <LiveEvents from={data!.eventCursor} />
          {children}
        </ViewerContext.Provider>
      )}
    </Loaded>
  );
}
