import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { Badge, formatDate, label, Loaded, Value, Withheld, withheldReason } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { History } from '../records/History';
import { mayRecordPeople } from './personFields';
import { RecordIdentifiers } from '../deconfliction/RecordIdentifiers';
import { mayDeconflict } from '../deconfliction/deconflictionWords';
import { DisposedNotice } from '../retention/DisposedNotice';

const PersonPageDocument = graphql(`
  query PersonPage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Nominal {
        name
        aliases
        dateOfBirth
        isChild
        vulnerabilityFlags
        protectiveMarking
        sharing
        version
        withheld {
          field
          reason
        }
        owningOrganisation {
          id
          code
          name
        }
        memberships {
          id
          role
          from
          to
          underOffenderManagement
          threat {
            id
            urn
            name
            status
          }
        }
        identifiers {
          ...HeldIdentifier
        }
        history {
          at
          action
          part
          version
          actor {
            id
            displayName
          }
          changes {
            field
            from
            to
          }
        }
      }
    }
  }
`);

const sharedWith: Record<string, string> = {
  OWNER_ONLY: 'with the owning organisation only',
  REGIONAL_LAW_ENFORCEMENT: 'with regional law enforcement',
  NAMED_ORGANISATIONS: 'with named organisations',
  ALL_PARTNERS: 'with all partners',
};

/** One person: who they are (where not withheld), the threats they are part of, and every change. */
export function PersonPage() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const [{ data, fetching, error }, refetch] = useQuery({ query: PersonPageDocument, variables: { id } });
  const person = data?.node?.__typename === 'Nominal' ? data.node : data && null;
  if (data && !person) return <DisposedNotice id={id} otherwise="This person does not exist or you may not see them." />;
  return (
    <Loaded data={person} fetching={fetching} error={error}>
      {(n) => {
        const why = (field: string) => withheldReason(n.withheld, field);
        const mayChange = n.owningOrganisation.id === viewer.organisation.id && mayRecordPeople(viewer.roles);
        return (
          <>
            <p className="crumbs">
              <Link to="/people">People</Link> / {n.name}
              {mayChange && (
                <>
                  {' '}
                  · <Link to={`/people/${n.id}/edit`}>Edit details and sharing</Link>
                </>
              )}
            </p>
            <h1>
              {n.name} {n.isChild && <Badge tone="warn">Child</Badge>}
            </h1>
            <dl className="facts">
              <dt>Protective marking</dt>
              <dd data-testid="protective-marking">
                <strong>{label(n.protectiveMarking)}</strong>, shared {sharedWith[n.sharing]}
              </dd>
              <dt>Aliases</dt>
              <dd data-testid="aliases">
                <Value empty="none recorded" withheld={why('aliases')}>
                  {n.aliases?.join(', ')}
                </Value>
              </dd>
              <dt>Date of birth</dt>
              <dd data-testid="date-of-birth">
                <Value withheld={why('dateOfBirth')}>{formatDate(n.dateOfBirth)}</Value>
              </dd>
              <dt>Vulnerability flags</dt>
              <dd>
                <Value empty="none recorded" withheld={why('vulnerabilityFlags')}>
                  {n.vulnerabilityFlags?.join(', ')}
                </Value>
              </dd>
              <dt>Recorded by</dt>
              <dd>{n.owningOrganisation.name}</dd>
            </dl>
            <Memberships memberships={n.memberships} withheld={why('memberships')} />
            {n.owningOrganisation.id === viewer.organisation.id && (
              <RecordIdentifiers
                recordId={n.id}
                identifiers={n.identifiers}
                mayRecord={mayDeconflict(viewer.roles)}
                onRecorded={() => refetch({ requestPolicy: 'network-only' })}
              />
            )}
            <History entries={n.history} withheld={why('history')} />
          </>
        );
      }}
    </Loaded>
  );
}

type Membership = { id: string; role: string; from?: unknown; to?: unknown; underOffenderManagement: boolean; threat: { id: string; urn: string; name: string; status: string } };

/** The threats the person is part of, among those shared with you. */
function Memberships({ memberships, withheld }: { memberships: Membership[] | null | undefined; withheld: string | null }) {
  return (
    <section aria-labelledby="memberships">
      <h2 id="memberships">Threats they are part of {memberships && !withheld ? `(${memberships.length})` : ''}</h2>
      {!memberships || withheld ? (
        <p>
          <Withheld reason={withheld ?? 'the threats this person is part of are not shown to your organisation.'} />
        </p>
      ) : memberships.length === 0 ? (
        <p>Not a member of any threat shared with you.</p>
      ) : (
        <table className="list" data-testid="memberships">
          <thead>
            <tr>
              <th scope="col">Threat</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Member</th>
            </tr>
          </thead>
          <tbody>
            {memberships.map((m) => (
              <tr key={m.id}>
                <td>
                  <Link to={`/threats/${m.threat.id}`}>
                    {m.threat.urn} {m.threat.name}
                  </Link>
                </td>
                <td>
                  {label(m.role)} {m.underOffenderManagement && <Badge>Offender management</Badge>}
                </td>
                <td>{label(m.threat.status)}</td>
                <td>
                  {m.from || m.to ? (
                    <>
                      {formatDate(m.from) || 'date not recorded'} – {formatDate(m.to) || 'now'}
                    </>
                  ) : (
                    <span className="empty">dates not recorded</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
