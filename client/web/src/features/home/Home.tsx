import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { HomeQuery, ThreatOrder } from '../../gql/graphql';
import { disruptionLevels, priorityBands } from '../../lib/enums';
import { Badge, formatDate, formatDateTime, label, Loaded, Withheld, withheldReason } from '../../lib/ui';
import { useViewer } from '../auth/viewer';

const HomeDocument = graphql(`
  query Home($threatOrder: [ThreatOrder!]) {
    threats(first: 100, orderBy: $threatOrder) {
      totalCount
      edges {
        node {
          id
          status
          priority
          withheld {
            field
            reason
          }
          leadOrganisation {
            id
            code
          }
          disruptionSummary {
            byLevel {
              level
              count
            }
          }
        }
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

type Threats = HomeQuery['threats']['edges'];
const closed = ['ARCHIVED', 'REJECTED'];

/** The regional picture for the signed-in user, on one page. */
export function Home() {
  const viewer = useViewer();
  // Partners may not sort by risk (it is withheld from them): they get the threats by name.
  const threatOrder: ThreatOrder[] = [viewer.organisation.isLawEnforcement ? { field: 'RISK', direction: 'DESC' } : { field: 'NAME', direction: 'ASC' }];
  const [{ data, fetching, error }] = useQuery({ query: HomeDocument, variables: { threatOrder } });
  return (
    <>
      <h1>Regional picture</h1>
      <Loaded data={data} fetching={fetching} error={error}>
        {(d) => (
          <div className="panels">
            <PriorityTable threats={d.threats.edges} total={d.threats.totalCount} />
            <DisruptionCounts threats={d.threats.edges} />
            <PlansNeedingAttention plans={d.plansNeedingAttention} />
            <OverdueReferrals referrals={d.referrals} inbox={viewer.organisation.code} />
          </div>
        )}
      </Loaded>
    </>
  );
}

function PriorityTable({ threats, total }: { threats: Threats; total: number }) {
  const withheld = threats.map((e) => withheldReason(e.node.withheld, 'priority')).find(Boolean);
  if (withheld) {
    return (
      <section aria-labelledby="by-priority">
        <h2 id="by-priority">Open threats by priority and lead organisation</h2>
        <p>
          <Withheld reason={withheld} />
        </p>
      </section>
    );
  }
  const open = threats.filter((e) => !closed.includes(e.node.status));
  const orgs = [...new Set(open.map((e) => e.node.leadOrganisation.code))].sort();
  const count = (band: string | null, org: string) => open.filter((e) => e.node.priority === band && e.node.leadOrganisation.code === org).length;
  const rows = [...priorityBands, null] as const;
  return (
    <section aria-labelledby="by-priority">
      <h2 id="by-priority">Open threats by priority and lead organisation</h2>
      <table>
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
              <th scope="row">{band ? <Link to={`/threats?priority=${band}`}>{label(band)}</Link> : 'Not assessed'}</th>
              {orgs.map((o) => (
                <td key={o} className="num">{count(band, o) || ''}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {total > threats.length && <p className="hint">Counted over the first {threats.length} of {total} threats.</p>}
    </section>
  );
}

function DisruptionCounts({ threats }: { threats: Threats }) {
  const byLevel = (level: string) =>
    threats.reduce((sum, e) => sum + (e.node.disruptionSummary.byLevel.find((l) => l.level === level)?.count ?? 0), 0);
  return (
    <section aria-labelledby="disruption-counts">
      <h2 id="disruption-counts">Validated disruptions by agreed level</h2>
      <table>
        <tbody>
          {disruptionLevels.map((level) => (
            <tr key={level}>
              <th scope="row">{label(level)}</th>
              <td className="num">{byLevel(level)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">Only Major, Moderate and Minor count as disruptions.</p>
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
