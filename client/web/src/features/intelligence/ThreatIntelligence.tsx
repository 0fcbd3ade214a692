import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatDate, label, Value, withheldReason } from '../../lib/ui';
import { handlingWords } from './intelligenceWords';

const ThreatIntelligenceDocument = graphql(`
  query ThreatIntelligence($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on SocThreat {
        intelligence(first: 20) {
          totalCount
          edges {
            node {
              id
              reference
              receivedOn
              grading
              handlingCode
              sanitisedText
              protectiveMarking
              withheld {
                field
                reason
              }
            }
          }
        }
      }
    }
  }
`);

/**
 * The intelligence behind a threat that the user may read (its own query: every intelligence read
 * is audited). A partner sees only what was disseminated to it, so an empty list says that none is
 * shared with the user, never that there is none.
 */
export function ThreatIntelligence({ threatId }: { threatId: string }) {
  const [{ data }] = useQuery({ query: ThreatIntelligenceDocument, variables: { id: threatId } });
  const intelligence = data?.node?.__typename === 'SocThreat' ? data.node.intelligence : null;
  if (!intelligence) return null;
  return (
    <section aria-labelledby="threat-intelligence">
      <h2 id="threat-intelligence">Intelligence</h2>
      {intelligence.totalCount === 0 ? (
        <p>No intelligence about this threat is shared with you.</p>
      ) : (
        <ul>
          {intelligence.edges.map(({ node: r }) => (
            <li key={r.id}>
              <Link to={`/intelligence/${encodeURIComponent(r.id)}`}>{r.reference}</Link>, marked <strong>{label(r.protectiveMarking)}</strong>, received {formatDate(r.receivedOn)},{' '}
              <Value withheld={withheldReason(r.withheld, 'grading')}>{r.grading}</Value> ({handlingWords[r.handlingCode]}): {r.sanitisedText}
            </li>
          ))}
        </ul>
      )}
      {intelligence.totalCount > intelligence.edges.length && <p className="hint">The 20 most recently received of {intelligence.totalCount}.</p>}
    </section>
  );
}
