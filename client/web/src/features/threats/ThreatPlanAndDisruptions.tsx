import { Link } from 'react-router-dom';
import { Badge, formatDate, label, Withheld } from '../../lib/ui';
import { managesThreat } from '../assessments/model';
import { useViewer } from '../auth/viewer';
import { OpenPlan } from '../plans/OpenPlan';
import { PLAN_ROLES } from '../plans/planFields';
import { QualityProblems } from '../plans/QualityProblems';
import { DisruptionTimeline } from './DisruptionTimeline';
import type { ThreatDetail } from './types';

/** Threat statuses under which a plan may be opened (server: PLANNABLE_THREAT_STATUSES). */
const PLANNABLE = ['ADOPTED', 'UNDER_REVIEW'];

/**
 * The threat's plan, or when none is shared with the user (which is not to say there is none),
 * opening one: for an adopted threat, by an organisation that manages it, as one of the roles that plan.
 */
export function ThreatPlanSummary({ threat, plan }: { threat: ThreatDetail; plan: ThreatDetail['plan'] }) {
  const viewer = useViewer();
  const mayOpen = PLANNABLE.includes(threat.status) && managesThreat(viewer.organisation, threat) && viewer.roles.some((r) => PLAN_ROLES.includes(r));
  const ownsPlan = plan?.owningOrganisation.id === viewer.organisation.id && plan.status !== 'CLOSED' && viewer.roles.some((r) => PLAN_ROLES.includes(r));
  return (
    <section aria-labelledby="plan">
      <h2 id="plan">4P plan</h2>
      {!plan && (
        <>
          <p>
            No 4P plan is shared with you for this threat.{' '}
            {!PLANNABLE.includes(threat.status)
              ? 'A plan is opened once the threat is adopted.'
              : !mayOpen && 'Only the organisation that owns or leads it, or the regional organised crime unit, can open one.'}
          </p>
          {mayOpen && <OpenPlan threat={threat} />}
        </>
      )}
      {plan && (
        <>
          <p>
            <Link to={`/plans/${plan.id}`}>Open the plan</Link> · <strong>{label(plan.protectiveMarking)}</strong> · {label(plan.status)} · quality{' '}
            {plan.quality ? <Badge tone={plan.quality.passes ? 'good' : 'warn'}>{plan.quality.score}%</Badge> : <Withheld reason="The quality gate is withheld from partner organisations." />}
            {!!plan.nextReviewDue && ` · review due ${formatDate(plan.nextReviewDue)}`}
          </p>
          {plan.quality && (
            <QualityProblems
              problems={plan.quality.problems}
              action={(p) =>
                p.code === 'REVIEW_OVERDUE' && ownsPlan ? (
                  <>
                    {' '}
                    <Link to={`/plans/${plan.id}?review=1`}>Record a review</Link>
                  </>
                ) : null
              }
            />
          )}
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
