import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatDateTime, label, Loaded } from '../../lib/ui';
import { useViewer } from '../auth/viewer';

const RecentChangesDocument = graphql(`
  query RecentChanges {
    threats(first: 15, orderBy: [{ field: UPDATED_AT, direction: DESC }]) {
      edges {
        node {
          id
          urn
          name
          status
          updatedAt
        }
      }
    }
    disruptions(first: 15, orderBy: [{ field: UPDATED_AT, direction: DESC }]) {
      edges {
        node {
          id
          date
          level
          status
          updatedAt
          threat {
            id
            name
          }
        }
      }
    }
  }
`);

/** With no earlier visit recorded, "changed since" means the last week. */
const FIRST_VISIT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
const visitKey = (userId: string) => `soc-hub.last-visit.${userId}`;
const previousVisits = new Map<string, string>();

/**
 * When this user last opened the home page before this page load (stored in the browser), and
 * now recorded as their latest visit. Read once per load, so re-rendering the page (or React's
 * development double render) does not move "since" to a moment ago.
 */
function previousVisit(userId: string): string {
  let previous = previousVisits.get(userId);
  if (!previous) {
    previous = localStorage.getItem(visitKey(userId)) ?? new Date(Date.now() - FIRST_VISIT_WINDOW_MS).toISOString();
    previousVisits.set(userId, previous);
    localStorage.setItem(visitKey(userId), new Date().toISOString());
  }
  return previous;
}

/**
 * Threats and disruptions changed since the user's previous visit, most recent first: the records
 * most recently updated within their access, kept when updated after that visit. (The live event
 * log is for the open session; a visit days ago is better answered from the records themselves.)
 */
export function ChangesSinceLastVisit() {
  const viewer = useViewer();
  const since = previousVisit(viewer.id);
  const [{ data, fetching, error }] = useQuery({ query: RecentChangesDocument });
  const after = (at: unknown) => typeof at === 'string' && at > since;
  return (
    <section aria-labelledby="changes-since">
      <h2 id="changes-since">What changed since your last visit</h2>
      <p className="hint">Since {formatDateTime(since)}.</p>
      <Loaded data={data} fetching={fetching} error={error}>
        {(d) => {
          const threats = d.threats.edges.map((e) => e.node).filter((t) => after(t.updatedAt));
          const disruptions = d.disruptions.edges.map((e) => e.node).filter((x) => after(x.updatedAt));
          if (!threats.length && !disruptions.length) return <p>Nothing has changed.</p>;
          return (
            <ul className="plain" data-testid="changes">
              {threats.map((t) => (
                <li key={t.id}>
                  Threat <Link to={`/threats/${t.id}`}>{t.urn} {t.name}</Link> · {label(t.status)} <span className="hint">updated {formatDateTime(t.updatedAt)}</span>
                </li>
              ))}
              {disruptions.map((x) => (
                <li key={x.id}>
                  <Link to={`/disruptions/${x.id}`}>Disruption ({label(x.level).toLowerCase()})</Link> against {x.threat?.name ?? 'a threat'} · {label(x.status)}{' '}
                  <span className="hint">updated {formatDateTime(x.updatedAt)}</span>
                </li>
              ))}
            </ul>
          );
        }}
      </Loaded>
    </section>
  );
}
