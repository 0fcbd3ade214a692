import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import type { PlanEditorFieldsFragment } from '../../gql/graphql';
import { errorText } from '../../lib/errors';
import { strands } from '../../lib/enums';
import { Badge, formatDate, label, Loaded, Value, Withheld } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { GateNote, PlanGate, useGate } from './gate';
import { Partners } from './Partners';
import { PlanLro } from './PlanLro';
import { PlanEditorDocument } from './planFields';
import { QualityProblems } from './QualityProblems';
import { StrandColumn } from './StrandColumn';
import { WhoCanSee } from '../access/WhoCanSee';

export type Plan = PlanEditorFieldsFragment;

/** The 4P plan: four strands side by side, partners, and the server's quality gate, live as the user types. */
export function PlanEditor() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const [{ data, fetching, error }] = useQuery({ query: PlanEditorDocument, variables: { id } });
  const plan = data?.node?.__typename === 'FourPPlan' ? (data.node as Plan) : data && null;
  if (data && !plan) return <p role="alert">This plan does not exist or you may not see it.</p>;
  return (
    <Loaded data={plan} fetching={fetching} error={error}>
      {(p) => {
        const canEdit = p.owningOrganisation.id === viewer.organisation.id && p.status !== 'CLOSED';
        return (
          <PlanGate plan={p}>
            <p className="crumbs">
              <Link to={`/threats/${p.threat.id}`}>
                {p.threat.urn} {p.threat.name}
              </Link>{' '}
              / 4P plan
            </p>
            <h1>4P plan: {p.threat.name}</h1>
            <p>
              {label(p.status)} · owned by {p.owningOrganisation.code} · LRO <Value>{p.lro?.displayName}</Value>
              <GateNote match={(q) => q.code === 'NO_LRO'} /> · SRO <Value>{p.sro?.displayName}</Value> · next review <Value>{formatDate(p.nextReviewDue)}</Value>
              <GateNote match={(q) => q.code === 'REVIEW_OVERDUE'} /> · version {p.version}
            </p>
            {canEdit && <PlanLro plan={p} />}
            {!canEdit && <p className="hint">Read only: only {p.owningOrganisation.code} can change this plan.</p>}
            <GateSection />
            <div className="strands">
              {strands.map((s) => (
                <StrandColumn key={s} strand={s} plan={p} canEdit={canEdit} />
              ))}
            </div>
            <Partners plan={p} canEdit={canEdit} />
            <WhoCanSee recordId={p.id} />
          </PlanGate>
        );
      }}
    </Loaded>
  );
}

/** The gate as saved and, while the user types, as it will be once what they type is saved. */
function GateSection() {
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
          <QualityProblems problems={problems} />
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
