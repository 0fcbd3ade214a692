import { Link } from 'react-router-dom';
import { Badge, formatDate, label, Withheld } from '../../lib/ui';
import { QualityProblems } from '../plans/QualityProblems';
import { DisruptionTimeline } from './DisruptionTimeline';
import type { ThreatDetail } from './types';

export function ThreatPlanSummary({ plan }: { threatId: string; plan: ThreatDetail['plan'] }) {
  return (
    <section aria-labelledby="plan">
      <h2 id="plan">4P plan</h2>
      {!plan && <p>No plan yet: a plan is opened once the threat is adopted.</p>}
      {plan && (
        <>
          <p>
            <Link to={`/plans/${plan.id}`}>Open the plan</Link> · {label(plan.status)} · quality{' '}
            {plan.quality ? <Badge tone={plan.quality.passes ? 'good' : 'warn'}>{plan.quality.score}%</Badge> : <Withheld reason="The quality gate is withheld from partner organisations." />}
            {!!plan.nextReviewDue && ` · review due ${formatDate(plan.nextReviewDue)}`}
          </p>
          {plan.quality && <QualityProblems problems={plan.quality.problems} />}
        </>
      )}
    </section>
  );
}

const statusTone = { VALIDATED: 'good', REJECTED: 'bad', RETURNED: 'warn' } as Record<string, 'good' | 'bad' | 'warn'>;

export function ThreatDisruptions({ threatId, disruptions, summary }: { threatId: string; disruptions: ThreatDetail['disruptions']; summary: ThreatDetail['disruptionSummary'] }) {
  return (
    <section aria-labelledby="disruptions">
      <h2 id="disruptions">
        Disruptions ({disruptions.length}, {summary.countingCount} counting)
      </h2>
      <p>
        <Link to={`/disruptions/new?threat=${encodeURIComponent(threatId)}`}>Record a disruption</Link>
      </p>
      <DisruptionTimeline disruptions={disruptions} />
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Date</th>
            <th scope="col">Level claimed</th>
            <th scope="col">Strand</th>
            <th scope="col">Status</th>
            <th scope="col">By</th>
            <th scope="col">What</th>
          </tr>
        </thead>
        <tbody>
          {disruptions.map((d) => (
            <tr key={d.id}>
              <td>
                <Link to={`/disruptions/${d.id}`}>{formatDate(d.date)}</Link>
              </td>
              <td>{label(d.level)}</td>
              <td>{label(d.strand)}</td>
              <td>
                <Badge tone={statusTone[d.status]}>{label(d.status)}</Badge>
              </td>
              <td>{d.claimingOrganisation.code}</td>
              <td>{d.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
