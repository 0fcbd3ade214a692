import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ReviewsDueQuery } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, formatDate, formatDateTime, label, Loaded, Pager } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { deletedWords, isReviewedKind, kindWords, mayReviewRetention, pathOf } from './retentionWords';

const ReviewsDueDocument = graphql(`
  query ReviewsDue($after: String) {
    retentionReviewQueue(first: 20, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          recordId
          kind
          dueSince
          reviewGroup
          latestNextReviewOn
          record {
            __typename
            id
            version
            protectiveMarking
            ... on Nominal {
              name
            }
            ... on IntelligenceReport {
              reference
            }
            ... on SocThreat {
              urn
              name
            }
            ... on SafeguardingReferral {
              reference
            }
          }
          reviews {
            reviewedAt
            reason
            nextReviewOn
            reviewedBy {
              id
              displayName
            }
          }
        }
      }
    }
  }
`);

const RetainRecordDocument = graphql(`
  mutation RetainRecord($input: RetainRecordInput!) {
    retainRecord(input: $input) {
      id
      version
    }
  }
`);

const DisposeRecordDocument = graphql(`
  mutation DisposeRecord($input: DisposeRecordInput!) {
    disposeRecord(input: $input) {
      recordId
      disposedOn
    }
  }
`);

type Due = ReviewsDueQuery['retentionReviewQueue']['edges'][number]['node'];

/** A record's name on screen: a person's name, a report's or referral's reference, a threat's name and reference. */
function titleOf(due: Due): string {
  const r = due.record;
  if (r?.__typename === 'Nominal') return r.name;
  if (r?.__typename === 'IntelligenceReport' || r?.__typename === 'SafeguardingReferral') return r.reference;
  if (r?.__typename === 'SocThreat') return `${r.name} (${r.urn})`;
  return kindWords[due.kind];
}

/**
 * Reviews due (MoPI): the organisation's people, intelligence reports, threats and safeguarding
 * referrals whose retention review
 * has come, oldest first; each is kept (with a reason and the next review date) or disposed of
 * after a confirmation that says what goes and what stays.
 */
export function ReviewsDue() {
  const viewer = useViewer();
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const [done, setDone] = useState<string | null>(null);
  const [{ data, fetching, error }, refetch] = useQuery({ query: ReviewsDueDocument, variables: { after: trail.at(-1) }, requestPolicy: 'cache-and-network', pause: !mayReviewRetention(viewer.roles) });
  if (!mayReviewRetention(viewer.roles)) return <p role="alert">Retention reviews are for intelligence officers, LROs and SROs.</p>;
  const decided = (message: string) => {
    setDone(message);
    refetch({ requestPolicy: 'network-only' });
  };
  return (
    <>
      <h1>Reviews due</h1>
      <p className="hint">
        People, intelligence reports, threats and safeguarding referrals held by {viewer.organisation.name} are reviewed when their review date comes (Management of Police Information): keep each one
        that is still needed for a policing purpose, with your reason and when to look again, or dispose of it.
      </p>
      <p role="status" data-testid="review-outcome">
        {done}
      </p>
      <Loaded data={data?.retentionReviewQueue} fetching={fetching} error={error}>
        {(queue) =>
          queue.edges.length === 0 ? (
            <p>No records due for review are shared with you.</p>
          ) : (
            <>
              <p>{queue.totalCount === 1 ? 'One record is due for review.' : `${queue.totalCount} records are due for review.`}</p>
              <ul className="cards plain" data-testid="reviews-due">
                {queue.edges.map(({ node }) => (
                  <ReviewItem key={node.recordId} due={node} onDecided={decided} />
                ))}
              </ul>
              <Pager pageInfo={queue.pageInfo} total={queue.totalCount} shown={queue.edges.length} trail={trail} onMove={setTrail} />
            </>
          )
        }
      </Loaded>
    </>
  );
}

function ReviewItem({ due, onDecided }: { due: Due; onDecided: (message: string) => void }) {
  const [deciding, setDeciding] = useState<'keep' | 'dispose' | null>(null);
  const title = titleOf(due);
  return (
    <li className="card" aria-label={`${kindWords[due.kind]} ${title}`}>
      <h2>
        {kindWords[due.kind]}: {isReviewedKind(due.kind) ? <Link to={`${pathOf[due.kind]}/${encodeURIComponent(due.recordId)}`}>{title}</Link> : title}
      </h2>
      <p>
        Due for review since <strong>{formatDate(due.dueSince)}</strong>. Protective marking: <strong>{label(due.record?.protectiveMarking)}</strong>.
      </p>
      <p className="hint">Reviewed as {due.reviewGroup}: it may be kept until {formatDate(due.latestNextReviewOn)} at the latest before it is reviewed again.</p>
      {due.reviews.length > 0 && (
        <details>
          <summary>Earlier reviews ({due.reviews.length})</summary>
          <ul>
            {due.reviews.map((r) => (
              <li key={String(r.reviewedAt)}>
                {formatDateTime(r.reviewedAt)}, {r.reviewedBy.displayName}: kept until {formatDate(r.nextReviewOn)}. “{r.reason}”
              </li>
            ))}
          </ul>
        </details>
      )}
      {deciding === 'keep' ? (
        <KeepForm due={due} title={title} onCancel={() => setDeciding(null)} onDone={onDecided} />
      ) : deciding === 'dispose' ? (
        <DisposeConfirmation due={due} title={title} onCancel={() => setDeciding(null)} onDone={onDecided} />
      ) : (
        <div className="buttons">
          <button type="button" onClick={() => setDeciding('keep')}>
            Keep
          </button>
          <button type="button" className="danger" onClick={() => setDeciding('dispose')}>
            Dispose of
          </button>
        </div>
      )}
    </li>
  );
}

function KeepForm({ due, title, onCancel, onDone }: { due: Due; title: string; onCancel: () => void; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [nextReviewOn, setNextReviewOn] = useState('');
  const [state, retain] = useMutation(RetainRecordDocument);
  const errors = formErrors(state.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await retain({ input: { id: due.recordId, reason, nextReviewOn: nextReviewOn || null, expectedVersion: due.record?.version } });
    if (result.data) onDone(`${title} is kept until ${formatDate(nextReviewOn)}.`);
  };
  return (
    <form className="form" aria-label={`Keep ${title}`} onSubmit={submit} noValidate>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['reason', 'nextReviewOn'])]} />
      <Field label="Why it is still needed" errors={messagesFor(errors, 'reason')}>
        {(p) => <textarea {...p} rows={3} aria-required value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <Field label="Review again on" hint={`After today, and no later than ${formatDate(due.latestNextReviewOn)}.`} errors={messagesFor(errors, 'nextReviewOn')}>
        {(p) => <input {...p} type="date" aria-required max={String(due.latestNextReviewOn)} value={nextReviewOn} onChange={(e) => setNextReviewOn(e.target.value)} />}
      </Field>
      <div className="buttons">
        <button type="submit" disabled={state.fetching}>
          Keep it
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DisposeConfirmation({ due, title, onCancel, onDone }: { due: Due; title: string; onCancel: () => void; onDone: (message: string) => void }) {
  const [reason, setReason] = useState('');
  const [state, dispose] = useMutation(DisposeRecordDocument);
  const errors = formErrors(state.error);
  const cancel = useRef<HTMLButtonElement>(null);
  // The safe choice has the focus when the question is asked.
  useEffect(() => cancel.current?.focus(), []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await dispose({ input: { id: due.recordId, reason } });
    if (result.data) onDone(`${title} has been disposed of.`);
  };
  return (
    <form className="decision" aria-label={`Dispose of ${title}`} onSubmit={submit} noValidate>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['reason'])]} />
      <p>
        <strong>Dispose of {title}?</strong> This deletes {isReviewedKind(due.kind) ? deletedWords[due.kind] : 'its details'}. It cannot be undone.
      </p>
      <p className="hint">
        Kept: that the record existed, who held it, when and by whom it was disposed of, and your reason, so that the audit trail still makes sense. Do not name anyone in the
        reason.
      </p>
      <Field label="Why it is no longer needed" errors={messagesFor(errors, 'reason')}>
        {(p) => <textarea {...p} rows={2} aria-required value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <div className="buttons">
        <button type="submit" className="danger" disabled={state.fetching}>
          Yes, dispose of it
        </button>
        <button type="button" ref={cancel} onClick={onCancel}>
          Keep it for now
        </button>
      </div>
    </form>
  );
}
