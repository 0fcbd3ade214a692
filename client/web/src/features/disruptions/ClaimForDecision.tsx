import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { Badge, formatDate, formatDateTime, label, Value } from '../../lib/ui';

const ClaimForDecisionDocument = graphql(`
  query ClaimForDecision($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Disruption {
        date
        level
        strand
        impactNarrative
        evidenceRefs
        isLate
        submittedAt
        claimingOrganisation {
          id
          name
        }
        possibleDuplicateOf {
          id
          date
          status
          claimingOrganisation {
            id
            name
          }
        }
      }
    }
    disruptionRules {
      lateAfterDays
      levels {
        level
        definition
        counts
      }
    }
  }
`);

const DAY = 86_400_000;

/** "3 days", "under a day": how long a claim has waited since it was submitted. */
export function waitedFor(submittedAt: unknown, now = Date.now()): string {
  if (typeof submittedAt !== 'string') return '';
  const days = Math.floor((now - Date.parse(submittedAt)) / DAY);
  return days < 1 ? 'under a day' : days === 1 ? '1 day' : `${days} days`;
}

/**
 * What a validator weighs beside the decision: the claimed level against its national
 * definition, the impact narrative and evidence, how long the claim has waited, and the late and
 * possible-duplicate flags with the record it may duplicate.
 */
export function ClaimForDecision({ id }: { id: string }) {
  const [{ data }] = useQuery({ query: ClaimForDecisionDocument, variables: { id } });
  const claim = data?.node?.__typename === 'Disruption' ? data.node : null;
  if (!claim || !data) return <p aria-busy="true">Loading the claim…</p>;
  const claimed = data.disruptionRules.levels.find((l) => l.level === claim.level);
  return (
    <section className="claim" aria-label="The claim" data-testid="claim-for-decision">
      <dl className="facts">
        <dt>Level claimed</dt>
        <dd>
          <strong>{label(claim.level)}</strong> {claimed?.counts ? '(counts)' : '(does not count)'}
          {claimed && <div className="hint">National definition: {claimed.definition}</div>}
        </dd>
        <dt>Impact</dt>
        <dd>{claim.impactNarrative}</dd>
        <dt>Evidence</dt>
        <dd>
          <Value empty="none given">
            {claim.evidenceRefs.length > 0 && (
              <ul className="plain">
                {claim.evidenceRefs.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            )}
          </Value>
        </dd>
        <dt>Waiting</dt>
        <dd>{claim.submittedAt ? `${waitedFor(claim.submittedAt)} (submitted ${formatDateTime(claim.submittedAt)})` : 'not submitted'}</dd>
        {claim.isLate && (
          <>
            <dt>
              <Badge tone="warn">Late</Badge>
            </dt>
            <dd>
              Reported more than {data.disruptionRules.lateAfterDays} days after the disruption of {formatDate(claim.date)}.
            </dd>
          </>
        )}
        {claim.possibleDuplicateOf && (
          <>
            <dt>
              <Badge tone="warn">Possible duplicate</Badge>
            </dt>
            <dd>
              Same threat, date, organisation and tactic as{' '}
              <Link to={`/disruptions/${claim.possibleDuplicateOf.id}`}>
                the claim of {formatDate(claim.possibleDuplicateOf.date)} by {claim.possibleDuplicateOf.claimingOrganisation.name}
              </Link>{' '}
              ({label(claim.possibleDuplicateOf.status).toLowerCase()}).
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
