import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AnalyticalRequestStatus } from '../../gql/graphql';
import { formatDate, label, Loaded } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { mayRequestAnalysis, priorityWords, productWords, statusWords } from './analysisWords';

const AnalysisListDocument = graphql(`
  query AnalysisList($filter: AnalyticalRequestFilter) {
    analyticalRequests(first: 100, filter: $filter) {
      totalCount
      edges {
        node {
          id
          reference
          question
          productType
          priority
          dueOn
          status
          protectiveMarking
          owningOrganisation {
            id
            code
            name
          }
          assignedAnalyst {
            id
            displayName
          }
        }
      }
    }
  }
`);

const statuses = Object.keys(statusWords) as AnalyticalRequestStatus[];

/** The register of analytical requests: your organisation's, or the region's at the regional unit. */
export function AnalysisList() {
  const viewer = useViewer();
  const [status, setStatus] = useState<AnalyticalRequestStatus | ''>('');
  const [mine, setMine] = useState(false);
  const filter = { status: status ? [status] : null, assignedToMe: mine || null };
  const [{ data, fetching, error }] = useQuery({ query: AnalysisListDocument, variables: { filter } });
  return (
    <>
      <h1>Analysis requests</h1>
      <p className="hint">Requests for analysis made to the regional unit&rsquo;s analysts, soonest due first.</p>
      {mayRequestAnalysis(viewer) && (
        <p>
          <Link to="/analysis/new" className="button">
            Request analysis
          </Link>
        </p>
      )}
      <div className="filters row">
        <label>
          State{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as AnalyticalRequestStatus | '')}>
            <option value="">Any</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {statusWords[s]}
              </option>
            ))}
          </select>
        </label>
        {viewer.roles.includes('ANALYST') && (
          <label>
            <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} /> Assigned to me
          </label>
        )}
      </div>
      <Loaded data={data?.analyticalRequests} fetching={fetching} error={error}>
        {(requests) =>
          requests.edges.length === 0 ? (
            <p>No analysis requests shared with you.</p>
          ) : (
            <table>
              <caption>{requests.totalCount === 1 ? '1 request' : `${requests.totalCount} requests`}</caption>
              <thead>
                <tr>
                  <th scope="col">Reference</th>
                  <th scope="col">Asked for</th>
                  <th scope="col">Priority</th>
                  <th scope="col">Due</th>
                  <th scope="col">State</th>
                  <th scope="col">Requested by</th>
                  <th scope="col">Analyst</th>
                  <th scope="col">Marking</th>
                </tr>
              </thead>
              <tbody>
                {requests.edges.map(({ node: r }) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`/analysis/${encodeURIComponent(r.id)}`}>{r.reference}</Link>
                    </td>
                    <td>
                      {productWords[r.productType]}: {r.question.length > 80 ? `${r.question.slice(0, 80)}…` : r.question}
                    </td>
                    <td>{priorityWords[r.priority]}</td>
                    <td>{formatDate(r.dueOn)}</td>
                    <td>{statusWords[r.status]}</td>
                    <td>{r.owningOrganisation.name}</td>
                    <td>{r.assignedAnalyst?.displayName ?? 'not assigned'}</td>
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
