import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import type { PlanEditorFieldsFragment } from '../../gql/graphql';
import { errorText } from '../../lib/errors';
import { strands } from '../../lib/enums';
import { Badge, formatDate, label, Loaded, Value, Withheld, withheldReason } from '../../lib/ui';
import type { Sharing } from '../../gql/graphql';
import { useViewer } from '../auth/viewer';
import { GateNote, PlanGate, useGate } from './gate';
import { Partners } from './Partners';
import { PlanLro } from './PlanLro';
import { PlanEditorDocument, PLAN_ROLES } from './planFields';
import { PlanEntries } from './PlanEntries';
import { PlanReviews } from './PlanReviews';
import { PlanStatusChange } from './PlanStatusChange';
import { QualityProblems } from './QualityProblems';
import { StrandColumn } from './StrandColumn';
import { WhoCanSee } from '../access/WhoCanSee';
import { DisposedNotice } from '../retention/DisposedNotice';

export type Plan = PlanEditorFieldsFragment;

/** Who a plan's sharing setting reaches, in words. */
const sharedWords: Record<Sharing, string> = {
  OWNER_ONLY: 'with the owning organisation only',
  REGIONAL_LAW_ENFORCEMENT: 'with regional law enforcement',
  NAMED_ORGANISATIONS: 'with named organisations',
  ALL_PARTNERS: 'with all partners',
};

/** The 4P plan: four strands side by side, partners, and the server's quality gate, live as the user types. */
export function PlanEditor() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: PlanEditorDocument, variables: { id } });
  // "Record a review" (beside the gate's overdue problem, or ?review=1 from the threat page) opens the review form.
  const [reviewRequest, setReviewRequest] = useState(0);
  const [search, setSearch] = useSearchParams();
  const asked = search.get('review') === '1';
  useEffect(() => {
    if (!asked || !data) return;
    setReviewRequest((n) => n + 1);
    setSearch((s) => {
      s.delete('review');
      return s;
    }, { replace: true });
  }, [asked, data, setSearch]);
  const plan = data?.node?.__typename === 'FourPPlan' ? (data.node as Plan) : data && null;
  if (data && !plan) return <DisposedNotice id={id} otherwise="This plan does not exist or you may not see it." />;
  return (
    <Loaded data={plan} fetching={fetching} error={error}>
      {(p) => {
        const owns = p.owningOrganisation.id === viewer.organisation.id && viewer.roles.some((r) => PLAN_ROLES.includes(r));
        const canEdit = owns && p.status !== 'CLOSED';
        return (
          <PlanGate plan={p}>
            <p className="crumbs">
              <Link to={`/threats/${p.threat.id}`}>
                {p.threat.urn} {p.threat.name}
              </Link>{' '}
              / 4P plan
            </p>
            <h1>4P plan: {p.threat.name}</h1>
            <p className="marking" data-testid="protective-marking">
              <strong>{label(p.protectiveMarking)}</strong>, shared {sharedWords[p.sharing]}
            </p>
            <p>
              {label(p.status)} · owned by {p.owningOrganisation.code} · LRO <Value>{p.lro?.displayName}</Value>
              <GateNote match={(q) => q.code === 'NO_LRO'} /> · SRO <Value>{p.sro?.displayName}</Value> · next review {p.status === 'CLOSED' ? <span className="empty">none (closed plans are not reviewed)</span> : <Value>{formatDate(p.nextReviewDue)}</Value>}
              <GateNote match={(q) => q.code === 'REVIEW_OVERDUE'} /> · version {p.version}
            </p>
            {p.status === 'CLOSED' && (
              <p>
                Closed: <Value empty="no reason recorded" withheld={withheldReason(p.withheld, 'closureReason')}>{p.closureReason}</Value>
              </p>
            )}
            {canEdit && <PlanStatusChange plan={p} />}
            {canEdit && <PlanLro plan={p} />}
            {!owns && <p className="hint">Read only: only {p.owningOrganisation.code} can change this plan.</p>}
            {owns && !canEdit && <p className="hint">This plan is closed: its objectives, actions, partners and reviews stay as they were; intelligence gaps, outcomes and learning can still be recorded.</p>}
            <GateSection onRecordReview={canEdit ? () => setReviewRequest((n) => n + 1) : undefined} />
            <div className="strands">
              {strands.map((s) => (
                <StrandColumn key={s} strand={s} plan={p} canEdit={canEdit} />
              ))}
            </div>
            <Partners plan={p} canEdit={canEdit} />
            <PlanReviews plan={p} canEdit={canEdit} openRequest={reviewRequest} />
            <PlanEntries plan={p} canRecord={owns} />
            <WhoCanSee recordId={p.id} />
          </PlanGate>
        );
      }}
    </Loaded>
  );
}

/** The gate as saved and, while the user types, as it will be once what they type is saved. */
function GateSection({ onRecordReview }: { onRecordReview?: () => void }) {
  const { saved, preview, pending, error, problems, staleAnswers } = useGate();
  return (
    <section aria-labelledby="gate" className="gate" aria-live="polite" aria-busy={pending} data-stale-answers={staleAnswers}>
      {saved ? (
        <>
          <h2 id="gate">
            Quality gate <Badge tone={saved.passes ? 'good' : 'warn'}>{saved.score}%</Badge>{' '}
            {preview && preview.score !== saved.score && (
              <>
                → <Badge tone={preview.passes ? 'good' : 'warn'}>{preview.score}%</Badge>{' '}
              </>
            )}
            <span className="hint">
              {(preview ?? saved).checksPassed} of {(preview ?? saved).checksMade} checks pass{preview && ' once what you are typing is saved'}
            </span>
          </h2>
          {error && <p className="hint">The gate could not be worked out for what you are typing: {errorText(error)}</p>}
          <QualityProblems
            problems={problems}
            action={(q) =>
              q.code === 'REVIEW_OVERDUE' && onRecordReview ? (
                <>
                  {' '}
                  <button type="button" className="small" onClick={onRecordReview}>
                    Record a review
                  </button>
                </>
              ) : null
            }
          />
          {preview?.passes && !saved.passes && <p className="good">Passes once what you are typing is saved.</p>}
        </>
      ) : (
        <>
          <h2 id="gate">Quality gate</h2>
          <Withheld reason="The quality gate is withheld from partner organisations." />
        </>
      )}
    </section>
  );
}
