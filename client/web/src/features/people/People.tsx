import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { Badge, formatDate, label, Loaded, Pager, textOrWithheld, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { mayRecordPeople } from './personFields';

const PeopleDocument = graphql(`
  query People($filter: NominalFilter, $after: String) {
    nominals(first: 25, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          name
          aliases
          dateOfBirth
          isChild
          protectiveMarking
          withheld {
            field
            reason
          }
          owningOrganisation {
            id
            code
          }
        }
      }
    }
  }
`);

/** People shared with you, by name or alias; the search lives in the address so it can be shared. */
export function People() {
  const viewer = useViewer();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const children = params.get('children') === 'yes';
  const filter = { text: params.get('q') || undefined, isChild: children ? true : undefined };
  const [{ data, fetching, error }] = useQuery({ query: PeopleDocument, variables: { filter, after: trail.at(-1) } });
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => (v ? next.set(k, v) : next.delete(k)));
    setParams(next, { replace: true });
    setTrail([null]);
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    update({ q: text.trim() });
  };
  return (
    <>
      <h1>People</h1>
      {mayRecordPeople(viewer.roles) && (
        <p>
          <Link to="/people/new" className="button">
            Record a person
          </Link>
        </p>
      )}
      <form role="search" className="filters" onSubmit={search}>
        <label>
          Search{' '}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Name or alias…" />
        </label>
        <button type="submit">Search</button>
        <label className="check">
          <input type="checkbox" checked={children} onChange={(e) => update({ children: e.target.checked ? 'yes' : '' })} /> Children only
        </label>
      </form>
      <Loaded data={data?.nominals} fetching={fetching} error={error}>
        {(people) => (
          <>
            <table className="list" data-testid="people">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Aliases</th>
                  <th scope="col">Date of birth</th>
                  <th scope="col">Recorded by</th>
                  <th scope="col">Marking</th>
                </tr>
              </thead>
              <tbody>
                {people.edges.map(({ node: n }) => (
                  <tr key={n.id}>
                    <td>
                      <Link to={`/people/${n.id}`}>{n.name}</Link> {n.isChild && <Badge tone="warn">Child</Badge>}
                    </td>
                    <td>
                      <Value empty="none recorded">{textOrWithheld(n.aliases?.join(', '), n.withheld, 'aliases')}</Value>
                    </td>
                    <td>
                      <Value>{textOrWithheld(formatDate(n.dateOfBirth), n.withheld, 'dateOfBirth')}</Value>
                    </td>
                    <td>{n.owningOrganisation.code}</td>
                    <td>{label(n.protectiveMarking)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {people.totalCount === 0 && <p>No one shared with you matches.</p>}
            <Pager pageInfo={people.pageInfo} total={people.totalCount} shown={people.edges.length} trail={trail} onMove={setTrail} />
          </>
        )}
      </Loaded>
    </>
  );
}
