import { useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ReferralDirection, ReferralFilter } from '../../gql/graphql';
import { Badge, formatDateTime, label, Loaded, Pager, Tabs, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { mayRefer, referralStatuses, referralStatusLabels, referralTypeShort, urgencies, urgencyLabels } from './referralWords';

const ReferralListDocument = graphql(`
  query ReferralList($filter: ReferralFilter!, $after: String) {
    referrals(first: 25, after: $after, filter: $filter, orderBy: [{ field: SUBMITTED_AT, direction: DESC }]) {
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
          protectiveMarking
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

/** An address parameter as one of `allowed`, or undefined (a value the server does not know would fail the list). */
function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | undefined {
  return allowed.find((a) => a === value);
}

const acknowledgementChoices = [
  ['', 'Any'],
  ['overdue', 'Overdue'],
  ['awaiting', 'Awaiting, not overdue'],
  ['acknowledged', 'Acknowledged'],
] as const;

/** Referrals: the inbox of the receiving organisation and the outbox of the referrer, narrowed by state, urgency and acknowledgement. */
export function Referrals() {
  const viewer = useViewer();
  const [params, setParams] = useSearchParams();
  const box = (params.get('box') ?? 'inbox') === 'outbox' ? 'OUTBOX' : 'INBOX';
  const status = oneOf(params.get('status'), referralStatuses);
  const urgency = oneOf(params.get('urgency'), urgencies);
  const ack = oneOf(params.get('ack'), ['overdue', 'awaiting', 'acknowledged'] as const);
  const filter: ReferralFilter = {
    direction: box,
    status: status ? [status] : undefined,
    urgency: urgency ? [urgency] : undefined,
    ...(ack === 'overdue' ? { overdue: true } : ack === 'awaiting' ? { awaitingAcknowledgement: true, overdue: false } : ack === 'acknowledged' ? { awaitingAcknowledgement: false } : {}),
  };
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => (v ? next.set(k, v) : next.delete(k)));
    setParams(next, { replace: true });
  };
  return (
    <>
      <h1>Referrals</h1>
      {mayRefer(viewer.roles) && (
        <p>
          <Link to="/referrals/new" className="button">
            Make a referral
          </Link>
        </p>
      )}
      <form className="filters" aria-label="Narrow the referrals" onSubmit={(e) => e.preventDefault()}>
        <label>
          State{' '}
          <select value={status ?? ''} onChange={(e) => update({ status: e.target.value })}>
            <option value="">Any</option>
            {referralStatuses.map((s) => (
              <option key={s} value={s}>
                {referralStatusLabels[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Urgency{' '}
          <select value={urgency ?? ''} onChange={(e) => update({ urgency: e.target.value })}>
            <option value="">Any</option>
            {urgencies.map((u) => (
              <option key={u} value={u}>
                {urgencyLabels[u]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Acknowledgement{' '}
          <select value={ack ?? ''} onChange={(e) => update({ ack: e.target.value })}>
            {acknowledgementChoices.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
      </form>
      <Tabs
        label="Referrals"
        tabs={[
          ['INBOX', `Inbox: to ${viewer.organisation.code}`],
          ['OUTBOX', `Outbox: from ${viewer.organisation.code}`],
        ]}
        selected={box}
        onSelect={(b) => update({ box: b.toLowerCase() })}
      >
        <ReferralTable key={JSON.stringify(filter)} direction={box} filter={filter} />
      </Tabs>
    </>
  );
}

function ReferralTable({ direction, filter }: { direction: ReferralDirection; filter: ReferralFilter }) {
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const [{ data, fetching, error }] = useQuery({ query: ReferralListDocument, variables: { filter, after: trail.at(-1) } });
  const narrowed = Object.keys(filter).length > 1;
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
                <th scope="col">State</th>
                <th scope="col">Marking</th>
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
                    <Badge tone={urgencyTone[r.urgency]}>{urgencyLabels[r.urgency]}</Badge>
                  </td>
                  <td>
                    {referralTypeShort[r.referralType]} {r.subjectIsChild && <Badge>Child</Badge>}
                  </td>
                  <td>{direction === 'INBOX' ? r.referringOrganisation.code : r.receivingOrganisation.code}</td>
                  <td>{referralStatusLabels[r.status]}</td>
                  <td>{label(r.protectiveMarking)}</td>
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
              <Value empty={narrowed ? 'No referrals you are party to match.' : 'No referrals here.'}>{null}</Value>
            </p>
          )}
          <Pager pageInfo={referrals.pageInfo} total={referrals.totalCount} shown={referrals.edges.length} trail={trail} onMove={setTrail} />
        </>
      )}
    </Loaded>
  );
}
