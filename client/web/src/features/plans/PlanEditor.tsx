import { Link, useParams } from 'react-router-dom';
import { useQuery } from 'urql';
import type { PlanEditorFieldsFragment } from '../../gql/graphql';
import { strands } from '../../lib/enums';
import { Badge, formatDate, label, Loaded, Value, Withheld } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { Partners } from './Partners';
import { PlanEditorDocument } from './planFields';
import { QualityProblems } from './QualityProblems';
import { StrandColumn } from './StrandColumn';
import { WhoCanSee } from '../access/WhoCanSee';

export type Plan = PlanEditorFieldsFragment;

/** The 4P plan: four strands side by side, partners, and the server's quality gate. */
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
          <>
            <p className="crumbs">
              <Link to={`/threats/${p.threat.id}`}>
                {p.threat.urn} {p.threat.name}
              </Link>{' '}
              / 4P plan
            </p>
            <h1>4P plan: {p.threat.name}</h1>
            <p>
              {label(p.status)} · owned by {p.owningOrganisation.code} · LRO <Value>{p.lro?.displayName}</Value> · SRO <Value>{p.sro?.displayName}</Value> · next
              review <Value>{formatDate(p.nextReviewDue)}</Value> · version {p.version}
            </p>
            {!canEdit && <p className="hint">Read only: only {p.owningOrganisation.code} can change this plan.</p>}
            <section aria-labelledby="gate" className="gate" aria-live="polite">
              {p.quality ? (
                <>
                  <h2 id="gate">
                    Quality gate <Badge tone={p.quality.passes ? 'good' : 'warn'}>{p.quality.score}%</Badge>{' '}
                    <span className="hint">
                      {p.quality.checksPassed} of {p.quality.checksMade} checks pass
                    </span>
                  </h2>
                  <QualityProblems problems={p.quality.problems} planId={p.id} />
                </>
              ) : (
                <>
                  <h2 id="gate">Quality gate</h2>
                  <Withheld reason="The quality gate is withheld from partner organisations." />
                </>
              )}
            </section>
            <div className="strands">
              {strands.map((s) => (
                <StrandColumn key={s} strand={s} plan={p} canEdit={canEdit} />
              ))}
            </div>
            <Partners plan={p} canEdit={canEdit} />
            <WhoCanSee recordId={p.id} />
          </>
        );
      }}
    </Loaded>
  );
}
