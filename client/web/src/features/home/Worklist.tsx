import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { InsightKind, WorklistInsightsQuery, WorklistReferralsQuery } from '../../gql/graphql';
import { Badge, formatDate, label } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { referralStatusLabels, referralTypeShort } from '../referrals/referralWords';
import { mayReviewRetention } from '../retention/retentionWords';

/**
 * What waits for the signed-in user first, by role, each item linking to its record: claims to
 * validate (validators), activities to assess and assessments to decide (assessors and
 * approvers), their plans failing the gate or with overdue actions (LROs), referrals and actions
 * waiting on their organisation (partners and safeguarding), and the insights findings.
 */

const ValidationDocument = graphql(`
  query WorklistValidation {
    disruptionValidationQueue(first: 10) {
      totalCount
      edges {
        node {
          id
          date
          level
          isLate
          claimingOrganisation {
            id
            code
          }
          threat {
            id
            urn
            name
          }
        }
      }
    }
  }
`);

const AssessmentsDocument = graphql(`
  query WorklistAssessments($owners: [ID!]) {
    threats(first: 50, filter: { owningOrganisationIds: $owners, status: [TRIGGER_SUBMITTED, UNDER_ASSESSMENT, ASSESSED, ADOPTED, UNDER_REVIEW] }) {
      edges {
        node {
          id
          urn
          name
          unassessedActivities {
            id
            category
          }
          assessmentHistory {
            id
            status
            method
            assessedBy {
              id
              displayName
            }
            criminalActivity {
              id
              category
            }
          }
        }
      }
    }
  }
`);

const PlansDocument = graphql(`
  query WorklistPlans($lro: [ID!], $mine: Boolean!) {
    failing: plans(first: 10, filter: { lroIds: $lro, status: [ACTIVE, UNDER_REVIEW], failingGate: true }) @include(if: $mine) {
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
    actionsOverdue: plans(first: 10, filter: { lroIds: $lro, actionsOverdue: true }) {
      totalCount
      edges {
        node {
          id
          threat {
            id
            urn
            name
          }
        }
      }
    }
  }
`);

const ReferralsDocument = graphql(`
  query WorklistReferrals {
    awaiting: referrals(first: 10, filter: { direction: INBOX, awaitingAcknowledgement: true }, orderBy: [{ field: ACKNOWLEDGEMENT_DUE_AT, direction: ASC }]) {
      totalCount
      edges {
        node {
          ...WorklistReferral
        }
      }
    }
    inHand: referrals(
      first: 10
      filter: { direction: INBOX, awaitingAcknowledgement: false, status: [ACKNOWLEDGED, IN_PROGRESS, DECISION] }
      orderBy: [{ field: URGENCY, direction: ASC }, { field: SUBMITTED_AT, direction: ASC }]
    ) {
      totalCount
      edges {
        node {
          ...WorklistReferral
        }
      }
    }
  }
  fragment WorklistReferral on SafeguardingReferral {
    id
    reference
    referralType
    urgency
    status
    isAcknowledgementOverdue
    referringOrganisation {
      id
      code
    }
  }
`);

const InsightsDocument = graphql(`
  query WorklistInsights {
    insights(limit: 5) {
      counts {
        kind
        total
      }
      items {
        kind
        summary
        records {
          __typename
          id
          ... on CriminalActivity {
            threat {
              id
            }
          }
        }
      }
    }
  }
`);

const ReviewsDueCountDocument = graphql(`
  query ReviewsDueCount {
    retentionReviewQueue(first: 1) {
      totalCount
    }
  }
`);

const has = (roles: readonly string[], ...wanted: string[]) => roles.some((r) => wanted.includes(r));

/** The first of these a user sees, by their roles and organisation. */
export function Worklist() {
  const viewer = useViewer();
  const partner = !viewer.organisation.isLawEnforcement;
  const roles = viewer.roles;
  return (
    <section aria-labelledby="waiting" className="wide worklist">
      <h2 id="waiting">Waiting for you</h2>
      <div className="panels">
        {has(roles, 'DISRUPTION_VALIDATOR') && <ClaimsToValidate />}
        {has(roles, 'THREAT_ASSESSOR', 'SRO', 'OCG_COORDINATOR') && (
          <AssessmentWork organisationId={viewer.organisation.id} viewerId={viewer.id} assessor={has(roles, 'THREAT_ASSESSOR')} />
        )}
        {has(roles, 'LRO') && <PlansOfMine viewerId={viewer.id} />}
        {(partner || has(roles, 'SAFEGUARDING_PRACTITIONER')) && <ReferralsWaiting organisation={viewer.organisation.name} />}
        {partner && <PlansOfMine organisation={viewer.organisation.name} />}
        {mayReviewRetention(roles) && <ReviewsDueWork />}
        {!partner && <InsightsWorklist />}
      </div>
    </section>
  );
}

function Panel({ id, title, total, children }: { id: string; title: string; total: number | null; children: ReactNode }) {
  return (
    <section aria-labelledby={id} data-testid={id}>
      <h3 id={id}>
        {title}
        {total != null && ` (${total})`}
      </h3>
      {children}
    </section>
  );
}

/** Retention reviews (MoPI) waiting for the organisation's reviewers: how many, and the way to them. */
function ReviewsDueWork() {
  const [{ data }] = useQuery({ query: ReviewsDueCountDocument });
  const total = data?.retentionReviewQueue.totalCount ?? null;
  return (
    <Panel id="work-reviews" title="Records due for retention review" total={total}>
      {total == null ? <p aria-busy="true">Loading…</p> : total === 0 && <p>No records due for review are shared with you.</p>}
      <Link to="/reviews">Open the reviews due</Link>
    </Panel>
  );
}

function ClaimsToValidate() {
  const [{ data }] = useQuery({ query: ValidationDocument });
  const queue = data?.disruptionValidationQueue;
  return (
    <Panel id="work-claims" title="Claims awaiting your validation" total={queue?.totalCount ?? null}>
      {!queue ? <p aria-busy="true">Loading…</p> : queue.edges.length === 0 && <p>No claim you could validate is waiting.</p>}
      <ul className="plain">
        {queue?.edges.map(({ node: d }) => (
          <li key={d.id}>
            <Link to={`/disruptions/${d.id}`}>
              {label(d.level)} claim on {d.threat.urn} {d.threat.name}
            </Link>{' '}
            {d.level === 'MAJOR' && <Badge tone="bad">Major: a senior validator’s decision</Badge>}
            {d.isLate && <Badge tone="warn">Late</Badge>}
            <span className="hint">
              {' '}
              by {d.claimingOrganisation.code}, {formatDate(d.date)}
            </span>
          </li>
        ))}
      </ul>
      <Link to="/disruptions?tab=queue">Open the validation queue</Link>
    </Panel>
  );
}

function AssessmentWork({ organisationId, viewerId, assessor }: { organisationId: string; viewerId: string; assessor: boolean }) {
  const [{ data }] = useQuery({ query: AssessmentsDocument, variables: { owners: [organisationId] } });
  const threats = data?.threats.edges.map((e) => e.node) ?? [];
  const toDecide = threats.flatMap((t) =>
    (t.assessmentHistory ?? []).filter((a) => a.status === 'SUBMITTED' && a.assessedBy.id !== viewerId).map((a) => ({ threat: t, assessment: a })),
  );
  const unassessed = threats.flatMap((t) => (t.unassessedActivities ?? []).map((a) => ({ threat: t, activity: a })));
  return (
    <>
      <Panel id="work-decide" title="Assessments waiting for a decision" total={data ? toDecide.length : null}>
        {!data ? <p aria-busy="true">Loading…</p> : toDecide.length === 0 && <p>No assessment by someone else is waiting.</p>}
        <ul className="plain">
          {toDecide.slice(0, 10).map(({ threat, assessment }) => (
            <li key={assessment.id}>
              <Link to={`/assessments/${assessment.id}`}>
                {assessment.criminalActivity ? label(assessment.criminalActivity.category) : 'Whole threat'}: {threat.urn} {threat.name}
              </Link>{' '}
              <span className="hint">by {assessment.assessedBy.displayName}</span>
            </li>
          ))}
        </ul>
      </Panel>
      {assessor && (
        <Panel id="work-unassessed" title="Activities not yet assessed" total={data ? unassessed.length : null}>
          {data && unassessed.length === 0 && <p>Every activity of your organisation’s threats has an approved assessment.</p>}
          <ul className="plain">
            {unassessed.slice(0, 10).map(({ threat, activity }) => (
              <li key={activity.id}>
                <Link to={`/threats/${threat.id}/assess?activity=${encodeURIComponent(activity.id)}`}>
                  Score {label(activity.category).toLowerCase()}: {threat.urn} {threat.name}
                </Link>
              </li>
            ))}
          </ul>
        </Panel>
      )}
    </>
  );
}

/** An LRO's own plans (viewerId), or for partners the plans with their organisation's actions overdue. */
function PlansOfMine({ viewerId, organisation }: { viewerId?: string; organisation?: string }) {
  const [{ data }] = useQuery({ query: PlansDocument, variables: { lro: viewerId ? [viewerId] : undefined, mine: !!viewerId } });
  return (
    <>
      {viewerId && (
        <Panel id="work-plans" title="Your plans failing the quality gate" total={data?.failing?.totalCount ?? null}>
          {data?.failing && data.failing.edges.length === 0 && <p>Every plan you lead passes the quality gate.</p>}
          <ul className="plain">
            {data?.failing?.edges.map(({ node: p }) => (
              <li key={p.id}>
                <Link to={`/plans/${p.id}`}>
                  {p.threat.urn} {p.threat.name}
                </Link>{' '}
                {p.quality && <Badge tone="warn">{p.quality.score}%</Badge>}
                {p.quality?.problems.some((x) => x.code === 'REVIEW_OVERDUE') && <Badge tone="bad">Review overdue</Badge>}
                {!!p.nextReviewDue && <span className="hint"> review due {formatDate(p.nextReviewDue)}</span>}
              </li>
            ))}
          </ul>
        </Panel>
      )}
      <Panel
        id="work-actions"
        title={organisation ? `Plans with ${organisation}’s actions overdue` : 'Your plans with actions overdue'}
        total={data?.actionsOverdue.totalCount ?? null}
      >
        {data && data.actionsOverdue.edges.length === 0 && <p>{organisation ? 'No overdue action of yours on a plan shared with you.' : 'No action of your plans is overdue.'}</p>}
        <ul className="plain">
          {data?.actionsOverdue.edges.map(({ node: p }) => (
            <li key={p.id}>
              <Link to={`/plans/${p.id}`}>
                {p.threat.urn} {p.threat.name}
              </Link>
            </li>
          ))}
        </ul>
      </Panel>
    </>
  );
}

type WaitingReferral = NonNullable<WorklistReferralsQuery['awaiting']>['edges'][number]['node'];

function ReferralsWaiting({ organisation }: { organisation: string }) {
  const [{ data }] = useQuery({ query: ReferralsDocument });
  const total = data ? data.awaiting.totalCount + data.inHand.totalCount : null;
  const list = (referrals: { node: WaitingReferral }[]) => (
    <ul className="plain">
      {referrals.map(({ node: r }) => (
        <li key={r.id}>
          <Link to={`/referrals/${r.id}`}>
            {r.reference} {referralTypeShort[r.referralType]}
          </Link>{' '}
          <Badge tone={r.urgency === 'RED' ? 'bad' : 'warn'}>{label(r.urgency)}</Badge>
          {r.isAcknowledgementOverdue && <Badge tone="bad">Acknowledgement overdue</Badge>}
          <span className="hint">
            {' '}
            {referralStatusLabels[r.status]}, from {r.referringOrganisation.code}
          </span>
        </li>
      ))}
    </ul>
  );
  return (
    <Panel id="work-referrals" title={`Referrals waiting on ${organisation}`} total={total}>
      {data && total === 0 && <p>No open referral to {organisation}.</p>}
      {data && data.awaiting.totalCount > 0 && (
        <>
          <h4>To acknowledge ({data.awaiting.totalCount})</h4>
          {list(data.awaiting.edges)}
        </>
      )}
      {data && data.inHand.totalCount > 0 && (
        <>
          <h4>In hand ({data.inHand.totalCount})</h4>
          {list(data.inHand.edges)}
        </>
      )}
    </Panel>
  );
}

const insightTitles: Record<InsightKind, string> = {
  ACTIVITY_WITHOUT_PLAN_ACTION: 'Activities no plan action addresses',
  AGREEMENT_EXPIRING: 'Sharing agreements expiring within 60 days',
  ASSESSMENT_REVIEW_OVERDUE: 'Threat assessments overdue for review',
  NO_RECENT_DISRUPTION: 'Adopted threats with no validated disruption in 90 days',
  PLAN_REVIEW_OVERDUE: 'Plans overdue for review',
  POSSIBLE_LINK: 'Threats that share a member but are not linked',
  SINGLE_ACTIVITY_THREAT: 'Threats with a single recorded activity',
  UNASSESSED_INTELLIGENCE: 'Activities with intelligence but no approved assessment',
  UNLISTED_CRIME_CATEGORY: 'Crime the intelligence mentions that a threat does not list',
};

type FindingRecord = WorklistInsightsQuery['insights']['items'][number]['records'][number];

/** The screen that shows a record behind a finding. */
function pathOf(record: FindingRecord): string | null {
  switch (record.__typename) {
    case 'SocThreat':
      return `/threats/${record.id}`;
    case 'FourPPlan':
      return `/plans/${record.id}`;
    case 'Nominal':
      return `/people/${record.id}`;
    case 'CriminalActivity':
      return `/threats/${record.threat.id}`;
    case 'InformationSharingAgreement':
      return '/agreements';
    case 'IntelligenceReport':
      return `/intelligence/${record.id}`;
    default:
      return null;
  }
}

function InsightsWorklist() {
  const [{ data }] = useQuery({ query: InsightsDocument });
  const insights = data?.insights;
  const kinds = insights?.counts.filter((c) => c.total > 0) ?? [];
  return (
    <Panel id="work-insights" title="Findings within your access" total={insights ? kinds.reduce((n, c) => n + c.total, 0) : null}>
      {insights && kinds.length === 0 && <p>Nothing found that needs attention.</p>}
      {kinds.map((c) => (
        <div key={c.kind}>
          <h4>
            {insightTitles[c.kind]} ({c.total})
          </h4>
          <ul className="plain">
            {insights!.items
              .filter((i) => i.kind === c.kind)
              .map((i) => {
                const to = i.records.map(pathOf).find((p) => p);
                return <li key={`${i.kind}:${i.records.map((r) => r.id).join(',')}`}>{to ? <Link to={to}>{i.summary}</Link> : i.summary}</li>;
              })}
          </ul>
        </div>
      ))}
    </Panel>
  );
}
