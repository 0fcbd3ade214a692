import { createContext, useContext, type ReactNode } from 'react';
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
