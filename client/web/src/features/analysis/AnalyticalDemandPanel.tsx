import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { Loaded } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { isRegionalManager } from './analysisWords';

const AnalyticalDemandDocument = graphql(`
  query AnalyticalDemand {
    analyticalRequestStats {
      totals {
        requested
        delivered
        deliveredOnTime
        declined
        declinedForLackOfCapacity
        open
        overdue
      }
      months {
        month
        requested
        delivered
        deliveredOnTime
        declinedForLackOfCapacity
      }
      analystWorkload {
        analyst {
          id
          displayName
        }
        waiting
        inProgress
        delivered
        overdue
      }
    }
  }
`);

const monthFormat = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const monthWords = (month: string) => monthFormat.format(new Date(`${month}-01T00:00:00Z`));

/** Home, for the regional unit's heads of intelligence: demand for analysis against what the analysts could meet. */
export function AnalyticalDemandPanel() {
  const viewer = useViewer();
  if (!isRegionalManager(viewer)) return null;
  return <Demand />;
}

function Demand() {
  const [{ data, fetching, error }] = useQuery({ query: AnalyticalDemandDocument });
  return (
    <section aria-labelledby="analytical-demand" className="wide">
      <h2 id="analytical-demand">Analysis: demand against capacity</h2>
      <Loaded data={data?.analyticalRequestStats} fetching={fetching} error={error}>
        {(s) => (
          <>
            <p data-testid="demand-summary">
              {s.totals.requested} requests shared with you: {s.totals.delivered} delivered ({s.totals.deliveredOnTime} on time),{' '}
              <strong>{s.totals.declinedForLackOfCapacity} declined for lack of capacity</strong> ({s.totals.declined} declined in all), {s.totals.open} open,{' '}
              {s.totals.overdue} overdue. <Link to="/analysis">Analysis requests</Link>
            </p>
            {s.months.length > 0 && (
              <table>
                <caption>By the month requested</caption>
                <thead>
                  <tr>
                    <th scope="col">Month</th>
                    <th scope="col">Requested</th>
                    <th scope="col">Delivered</th>
                    <th scope="col">On time</th>
                    <th scope="col">Declined for lack of capacity</th>
                  </tr>
                </thead>
                <tbody>
                  {s.months.map((m) => (
                    <tr key={m.month}>
                      <th scope="row">{monthWords(m.month)}</th>
                      <td>{m.requested}</td>
                      <td>{m.delivered}</td>
                      <td>{m.deliveredOnTime}</td>
                      <td>{m.declinedForLackOfCapacity}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {s.analystWorkload.length === 0 ? (
              <p>No requests assigned to an analyst.</p>
            ) : (
              <table>
                <caption>Analyst workload</caption>
                <thead>
                  <tr>
                    <th scope="col">Analyst</th>
                    <th scope="col">Waiting to start</th>
                    <th scope="col">In progress</th>
                    <th scope="col">Delivered</th>
                    <th scope="col">Overdue</th>
                  </tr>
                </thead>
                <tbody>
                  {s.analystWorkload.map((w) => (
                    <tr key={w.analyst.id}>
                      <th scope="row">{w.analyst.displayName}</th>
                      <td>{w.waiting}</td>
                      <td>{w.inProgress}</td>
                      <td>{w.delivered}</td>
                      <td>{w.overdue}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </Loaded>
    </section>
  );
}
