import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatDate } from '../../lib/ui';
import { kindWords } from './retentionWords';

const DisposedRecordDocument = graphql(`
  query DisposedRecord($id: ID!) {
    disposedRecord(id: $id) {
      recordId
      kind
      disposedWithId
      disposedOn
      reason
      owningOrganisation {
        id
        name
      }
      disposedBy {
        id
        displayName
      }
    }
  }
`);

/**
 * Shown where a record is not found: if it was disposed of after a retention review (and the
 * user's organisation owned it, or they audit it), when, by whom and why; none of its content
 * remains. Otherwise the page's own "does not exist or you may not see it".
 */
export function DisposedNotice({ id, otherwise }: { id: string; otherwise: string }) {
  const [{ data, fetching }] = useQuery({ query: DisposedRecordDocument, variables: { id } });
  if (fetching && !data) return <p aria-busy="true">Loading…</p>;
  const d = data?.disposedRecord;
  if (!d) return <p role="alert">{otherwise}</p>;
  return (
    <section aria-labelledby="disposed" data-testid="disposed-record">
      <h1 id="disposed">{kindWords[d.kind]} disposed of</h1>
      <p>
        This record was disposed of on {formatDate(d.disposedOn)} by {d.disposedBy.displayName} after a retention review
        {d.disposedWithId ? ' of the threat it belonged to, with that threat' : ''}. None of its details remain; what is kept is that it existed, that{' '}
        {d.owningOrganisation.name} held it, and the reason below.
      </p>
      <dl className="facts">
        <dt>Reason</dt>
        <dd data-testid="disposal-reason">{d.reason}</dd>
      </dl>
    </section>
  );
}
