import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { formatDate, label, Loaded, Value, withheldReason } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { handlingWords, mayRecordIntelligence } from './intelligenceWords';

const IntelligenceListDocument = graphql(`
  query IntelligenceList {
    intelligenceReports(first: 100) {
      totalCount
      edges {
        node {
          id
          reference
          receivedOn
          grading
          handlingCode
          protectiveMarking
          sanitisedText
          owningOrganisation {
            id
            code
          }
          threats {
            id
            urn
            name
          }
          gradingFlags {
            code
          }
          withheld {
            field
            reason
          }
        }
      }
    }
  }
`);

/** The intelligence reports the user may read, most recently received first. */
export function IntelligenceList() {
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: IntelligenceListDocument });
  return (
    <>
      <h1>Intelligence</h1>
      <p className="hint">Graded 3x5x2. Every intelligence report you open is recorded in the audit trail.</p>
      {mayRecordIntelligence(viewer.roles) && (
        <p>
          <Link to="/intelligence/new" className="button">
            Record intelligence
          </Link>
        </p>
      )}
      <Loaded data={data?.intelligenceReports} fetching={fetching} error={error}>
        {(reports) =>
          reports.edges.length === 0 ? (
            <p>No intelligence reports you may read.</p>
          ) : (
            <table>
              <caption>{reports.totalCount === 1 ? '1 report' : `${reports.totalCount} reports`}</caption>
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Received</th>
                  <th scope="col">Grading</th>
                  <th scope="col">Handling</th>
                  <th scope="col">About</th>
                  <th scope="col">Recorded by</th>
                  <th scope="col">Marking</th>
                </tr>
              </thead>
              <tbody>
                {reports.edges.map(({ node: r }) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/intelligence/${encodeURIComponent(r.id)}`}>{r.reference}</Link>
                    </td>
                    <td>{formatDate(r.receivedOn)}</td>
                    <td>
                      <Value withheld={withheldReason(r.withheld, 'grading')}>{r.grading}</Value>
                      {(r.gradingFlags?.length ?? 0) > 0 && ' (flagged)'}
                    </td>
                    <td>{handlingWords[r.handlingCode]}</td>
                    <td>
                      <Value empty="no threat">{r.threats.map((t) => `${t.urn} ${t.name}`).join(', ')}</Value>
                    </td>
                    <td>{r.owningOrganisation.code}</td>
                    <td>{label(r.protectiveMarking)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </>
  );
}
