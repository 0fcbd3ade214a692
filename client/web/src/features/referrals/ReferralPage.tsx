import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ReferralPageQuery } from '../../gql/graphql';
import { Badge, formatDateTime, label, Loaded, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { ReferralActions } from './ReferralActions';
import { WhoCanSee } from '../access/WhoCanSee';
import { Marking } from '../assessments/parts';
import { exploitationLabels, referralStatusLabels, referralTypeShort, urgencyLabels } from './referralWords';
import { DisposedNotice } from '../retention/DisposedNotice';

const ReferralPageDocument = graphql(`
  query ReferralPage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on SafeguardingReferral {
        ...ReferralFields
      }
    }
  }
`);

export const ReferralFields = graphql(`
  fragment ReferralFields on SafeguardingReferral {
    id
    version
    reference
    referralType
    protectiveMarking
    urgency
    status
    summary
    outcome
    consentObtained
    subjectIsChild
    exploitationTypes
    submittedAt
    acknowledgementDueAt
    acknowledgedAt
    acknowledgedWithinTarget
    isAcknowledgementOverdue
    feedbackToReferrerAt
    referringOrganisation {
      id
      code
      name
    }
    receivingOrganisation {
      id
      code
      name
    }
    subject {
      id
      name
    }
    linkedThreats {
      id
      urn
      name
    }
    timeline {
      id
      at
      kind
      text
      fromStatus
      toStatus
      shareReason
      by {
        id
        displayName
      }
      organisation {
        id
        code
      }
      sharedWithOrganisation {
        id
        code
      }
    }
  }
`);

export type Referral = Extract<NonNullable<ReferralPageQuery['node']>, { __typename: 'SafeguardingReferral' }>;

/** One referral: what it is about, its due times, the timeline and the next step. */
export function ReferralPage() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: ReferralPageDocument, variables: { id } });
  const referral = data?.node?.__typename === 'SafeguardingReferral' ? (data.node as Referral) : data && null;
  if (data && !referral) return <DisposedNotice id={id} otherwise="This referral does not exist or you are not party to it." />;
  return (
    <Loaded data={referral} fetching={fetching} error={error}>
      {(r) => (
        <>
          <p className="crumbs">
            <Link to="/referrals">Referrals</Link> / {r.reference}
          </p>
          <h1>
            {r.reference} <Badge tone={r.urgency === 'RED' ? 'bad' : 'warn'}>{urgencyLabels[r.urgency]}</Badge> <Badge>{referralStatusLabels[r.status]}</Badge>
            {r.isAcknowledgementOverdue && <Badge tone="bad">Acknowledgement overdue</Badge>}
          </h1>
          <Marking marking={r.protectiveMarking} />
          <ReferralFacts r={r} />
          {r.receivingOrganisation.id === viewer.organisation.id || r.referringOrganisation.id === viewer.organisation.id ? (
            <ReferralActions referral={r} receiving={r.receivingOrganisation.id === viewer.organisation.id} />
          ) : null}
          <Timeline r={r} />
          <WhoCanSee recordId={r.id} />
        </>
      )}
    </Loaded>
  );
}

function ReferralFacts({ r }: { r: Referral }) {
  return (
    <dl className="facts">
      <dt>From</dt>
      <dd>{r.referringOrganisation.name}</dd>
      <dt>To</dt>
      <dd>{r.receivingOrganisation.name}</dd>
      <dt>Type</dt>
      <dd>{referralTypeShort[r.referralType]}</dd>
      <dt>Subject</dt>
      <dd>
        <Value empty="anonymous">{r.subject?.name}</Value> {r.subjectIsChild && <Badge>Child</Badge>}
      </dd>
      <dt>Exploitation</dt>
      <dd>{r.exploitationTypes.map((t) => exploitationLabels[t]).join(', ')}</dd>
      <dt>Consent</dt>
      <dd>{r.consentObtained ? 'Obtained' : 'Not obtained'}</dd>
      <dt>Summary</dt>
      <dd>{r.summary}</dd>
      <dt>Submitted</dt>
      <dd>{formatDateTime(r.submittedAt)}</dd>
      <dt>Acknowledgement due</dt>
      <dd>{formatDateTime(r.acknowledgementDueAt)}</dd>
      <dt>Acknowledged</dt>
      <dd>
        <Value empty="not yet">{formatDateTime(r.acknowledgedAt)}</Value>
        {r.acknowledgedWithinTarget === false && ' (after the due time)'}
      </dd>
      <dt>Outcome</dt>
      <dd>
        <Value empty="no decision yet">{label(r.outcome)}</Value>
      </dd>
      <dt>Feedback to referrer</dt>
      <dd>
        <Value empty="none yet">{formatDateTime(r.feedbackToReferrerAt)}</Value>
      </dd>
      <dt>Linked threats</dt>
      <dd>
        <Value empty="none">
          {r.linkedThreats.map((t, i) => (
            <span key={t.id}>
              {i > 0 && ', '}
              <Link to={`/threats/${t.id}`}>{t.urn}</Link>
            </span>
          ))}
        </Value>
      </dd>
    </dl>
  );
}

function Timeline({ r }: { r: Referral }) {
  return (
    <section aria-labelledby="timeline">
      <h2 id="timeline">Timeline</h2>
      <ol className="history">
        {r.timeline.map((u) => (
          <li key={u.id}>
            <strong>{formatDateTime(u.at)}</strong> {u.by.displayName} ({u.organisation.code}): {label(u.kind)}
            {u.kind === 'STATUS_CHANGE' && ` ${u.fromStatus ? label(u.fromStatus) : 'created'} → ${label(u.toStatus)}`}
            {u.kind === 'SHARE' && ` with ${u.sharedWithOrganisation?.code ?? 'an organisation'}: ${u.shareReason ?? ''}`}
            {u.text && <div>{u.text}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
