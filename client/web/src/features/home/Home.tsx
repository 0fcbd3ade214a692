import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { HomeQuery, ThreatStatsDimension } from '../../gql/graphql';
import { priorityBands, threatStatuses } from '../../lib/enums';
import { Badge, formatDate, formatDateTime, label, Loaded, Withheld } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { AnalyticalDemandPanel } from '../analysis/AnalyticalDemandPanel';
import { ChangesSinceLastVisit } from './ChangesSinceLastVisit';
import { DisruptionChart } from './DisruptionChart';
import { MoreScreens } from './MoreScreens';
import { Worklist } from './Worklist';

const HomeDocument = graphql(`
  query Home($threatGroups: [ThreatStatsDimension!]!, $openStatuses: [ThreatStatus!]) {
    threatStats(groupBy: $threatGroups, filter: { statuses: $openStatuses }) {
      total
      rows {
        count
        priority
        leadOrganisation {
          id
          code
        }
      }
    }
    disruptionStats(groupBy: [FISCAL_YEAR, QUARTER, LEVEL]) {
      total
      countingTotal
      rows {
        fiscalYear
        quarter
        level
        count
      }
    }
    plansNeedingAttention(first: 10) {
      totalCount
      edges {
        node {
          id
          nextReviewDue
          threat {
            id
            urn
            name
          }
          quality {
            score
            problems {
              code
              message
            }
          }
        }
      }
    }
    referrals(first: 10, filter: { direction: INBOX, awaitingAcknowledgement: true, overdue: true }, orderBy: [{ field: ACKNOWLEDGEMENT_DUE_AT, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          reference
          urgency
          acknowledgementDueAt
          referringOrganisation {
            id
            code
          }
        }
      }
    }
  }
`);

const openStatuses = threatStatuses.filter((s) => !['ARCHIVED', 'REJECTED'].includes(s));
const priorityWithheld = 'threat priority is withheld from partner organisations.';

/** What waits for the signed-in user (by role), then the regional picture, on one page. */
export function Home() {
  const viewer = useViewer();
  const partner = !viewer.organisation.isLawEnforcement;
  // The server refuses a breakdown by priority to partners (it is withheld from them).
  const threatGroups: ThreatStatsDimension[] = partner ? ['LEAD_ORGANISATION'] : ['PRIORITY_BAND', 'LEAD_ORGANISATION'];
  const [{ data, fetching, error }] = useQuery({ query: HomeDocument, variables: { threatGroups, openStatuses } });
  return (
    <>
      <h1>Regional picture</h1>
      <Worklist />
      <Loaded data={data} fetching={fetching} error={error}>
        {(d) => (
          <div className="panels">
            <section aria-labelledby="disruptions-by-quarter" className="wide">
              <h2 id="disruptions-by-quarter">Validated disruptions by quarter and level</h2>
              <DisruptionChart rows={d.disruptionStats.rows} />
              <p className="hint">
                {d.disruptionStats.countingTotal} of {d.disruptionStats.total} validated count as disruptions (only Major, Moderate and Minor do).
              </p>
            </section>
            <AnalyticalDemandPanel />
            <PriorityTable stats={d.threatStats} withheld={partner ? priorityWithheld : null} />
            <PlansNeedingAttention plans={d.plansNeedingAttention} />
            <OverdueReferrals referrals={d.referrals} inbox={viewer.organisation.code} />
            <ChangesSinceLastVisit />
            <MoreScreens />
          </div>
        )}
      </Loaded>
    </>
  );
}

function PriorityTable({ stats, withheld }: { stats: HomeQuery['threatStats']; withheld: string | null }) {
  const orgs = [...new Set(stats.rows.map((r) => r.leadOrganisation?.code ?? ''))].sort();
  const count = (band: string | null, org: string) =>
    stats.rows.filter((r) => (withheld || r.priority === band) && (r.leadOrganisation?.code ?? '') === org).reduce((sum, r) => sum + r.count, 0);
  const rows = withheld ? [null] : ([...priorityBands, null] as const);
  return (
    <section aria-labelledby="by-priority">
      <h2 id="by-priority">Open threats by priority and lead organisation ({stats.total})</h2>
      {withheld && (
        <p>
          Priority: <Withheld reason={withheld} />
        </p>
      )}
      <table data-testid="threats-by-priority">
        <thead>
          <tr>
            <th scope="col">Priority</th>
            {orgs.map((o) => (
              <th key={o} scope="col">{o}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((band) => (
            <tr key={band ?? 'none'}>
              <th scope="row">{withheld ? 'All open threats' : band ? <Link to={`/threats?priority=${band}`}>{label(band)}</Link> : 'Not assessed'}</th>
              {orgs.map((o) => (
                <td key={o} className="num">{count(band, o) || ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function PlansNeedingAttention({ plans }: { plans: HomeQuery['plansNeedingAttention'] }) {
  return (
    <section aria-labelledby="plans-attention">
      <h2 id="plans-attention">Plans needing attention ({plans.totalCount})</h2>
      {plans.edges.length === 0 && <p>Every active plan passes the quality gate.</p>}
      <ul className="plain">
        {plans.edges.map(({ node: p }) => (
          <li key={p.id}>
            <Link to={`/plans/${p.id}`}>
              {p.threat.urn} {p.threat.name}
            </Link>{' '}
            {p.quality ? <Badge tone="warn">{p.quality.score}%</Badge> : <Withheld reason="The quality gate is withheld from partner organisations." />}
            {!!p.nextReviewDue && <span className="hint"> review due {formatDate(p.nextReviewDue)}</span>}
            {p.quality && (
              <ul>
                {p.quality.problems.map((problem) => (
                  <li key={problem.message}>{problem.message}</li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function OverdueReferrals({ referrals, inbox }: { referrals: HomeQuery['referrals']; inbox: string }) {
  return (
    <section aria-labelledby="overdue-referrals">
      <h2 id="overdue-referrals">
        Referrals to {inbox} awaiting acknowledgement, past due ({referrals.totalCount})
      </h2>
      {referrals.edges.length === 0 && <p>None overdue.</p>}
      <ul className="plain">
        {referrals.edges.map(({ node: r }) => (
          <li key={r.id}>
            <Link to={`/referrals/${r.id}`}>{r.reference}</Link> <Badge tone={r.urgency === 'RED' ? 'bad' : 'warn'}>{label(r.urgency)}</Badge> from{' '}
            {r.referringOrganisation.code}, due {formatDateTime(r.acknowledgementDueAt)}
          </li>
        ))}
      </ul>
      <Link to="/referrals?box=inbox">Open the inbox</Link>
    </section>
  );
}
