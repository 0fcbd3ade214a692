import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ReferralDirection } from '../../gql/graphql';
import { Badge, formatDateTime, label, Loaded, Pager, Tabs, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';

const ReferralListDocument = graphql(`
  query ReferralList($direction: ReferralDirection!, $after: String) {
    referrals(first: 25, after: $after, filter: { direction: $direction }, orderBy: [{ field: SUBMITTED_AT, direction: DESC }]) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          reference
          referralType
          urgency
          status
          submittedAt
          acknowledgementDueAt
          acknowledgedAt
          acknowledgedWithinTarget
          isAcknowledgementOverdue
          subjectIsChild
          referringOrganisation {
            id
            code
          }
          receivingOrganisation {
            id
            code
          }
        }
      }
    }
  }
`);

const urgencyTone = { RED: 'bad', AMBER: 'warn', GREEN: 'plain' } as const;

/** Referrals: the inbox of the receiving organisation and the outbox of the referrer. */
export function Referrals() {
  const viewer = useViewer();
  const [params, setParams] = useSearchParams();
  const box = (params.get('box') ?? 'inbox') === 'outbox' ? 'OUTBOX' : 'INBOX';
  return (
    <>
      <h1>Referrals</h1>
      <Tabs
        label="Referrals"
        tabs={[
          ['INBOX', `Inbox: to ${viewer.organisation.code}`],
          ['OUTBOX', `Outbox: from ${viewer.organisation.code}`],
        ]}
        selected={box}
        onSelect={(b) => setParams({ box: b.toLowerCase() })}
      >
        <ReferralTable key={box} direction={box} />
      </Tabs>
    </>
  );
}

function ReferralTable({ direction }: { direction: ReferralDirection }) {
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const [{ data, fetching, error }] = useQuery({ query: ReferralListDocument, variables: { direction, after: trail.at(-1) } });
  return (
    <Loaded data={data?.referrals} fetching={fetching} error={error}>
      {(referrals) => (
        <>
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Reference</th>
                <th scope="col">Urgency</th>
                <th scope="col">Type</th>
                <th scope="col">{direction === 'INBOX' ? 'From' : 'To'}</th>
                <th scope="col">Status</th>
                <th scope="col">Submitted</th>
                <th scope="col">Acknowledgement due</th>
              </tr>
            </thead>
            <tbody>
              {referrals.edges.map(({ node: r }) => (
                <tr key={r.id} className={r.isAcknowledgementOverdue ? 'overdue' : undefined}>
                  <td>
                    <Link to={`/referrals/${r.id}`}>{r.reference}</Link>
                  </td>
                  <td>
                    <Badge tone={urgencyTone[r.urgency]}>{label(r.urgency)}</Badge>
                  </td>
                  <td>
                    {label(r.referralType)}
                    {r.subjectIsChild && <Badge>Child</Badge>}
                  </td>
                  <td>{direction === 'INBOX' ? r.referringOrganisation.code : r.receivingOrganisation.code}</td>
                  <td>{label(r.status)}</td>
                  <td>{formatDateTime(r.submittedAt)}</td>
                  <td>
                    {formatDateTime(r.acknowledgementDueAt)} {r.isAcknowledgementOverdue && <Badge tone="bad">Overdue</Badge>}
                    {!!r.acknowledgedAt && (
                      <div className="hint">
                        acknowledged {formatDateTime(r.acknowledgedAt)}
                        {r.acknowledgedWithinTarget === false && ' (late)'}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {referrals.totalCount === 0 && (
            <p>
              <Value empty="No referrals here.">{null}</Value>
            </p>
          )}
          <Pager pageInfo={referrals.pageInfo} total={referrals.totalCount} shown={referrals.edges.length} trail={trail} onMove={setTrail} />
        </>
      )}
    </Loaded>
  );
}
