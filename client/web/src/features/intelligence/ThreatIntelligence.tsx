import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatDate, Value, withheldReason } from '../../lib/ui';
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

/** The intelligence behind a threat that the user may read (its own query: every intelligence read is audited). */
export function ThreatIntelligence({ threatId }: { threatId: string }) {
  const [{ data }] = useQuery({ query: ThreatIntelligenceDocument, variables: { id: threatId } });
  const intelligence = data?.node?.__typename === 'SocThreat' ? data.node.intelligence : null;
  if (!intelligence) return null;
  return (
    <section aria-labelledby="threat-intelligence">
      <h2 id="threat-intelligence">Intelligence</h2>
      {intelligence.totalCount === 0 ? (
        <p>No intelligence you may read is linked to this threat.</p>
      ) : (
        <ul>
          {intelligence.edges.map(({ node: r }) => (
            <li key={r.id}>
              <Link to={`/intelligence/${encodeURIComponent(r.id)}`}>{r.reference}</Link>, received {formatDate(r.receivedOn)},{' '}
              <Value withheld={withheldReason(r.withheld, 'grading')}>{r.grading}</Value> ({handlingWords[r.handlingCode]}): {r.sanitisedText}
            </li>
          ))}
        </ul>
      )}
      {intelligence.totalCount > intelligence.edges.length && <p className="hint">The 20 most recently received of {intelligence.totalCount}.</p>}
    </section>
  );
}
