import { Link } from 'react-router-dom';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { PlanActionStatus, Strand } from '../../gql/graphql';
import { actionStatuses, claimantRoles } from '../../lib/enums';
import { errorText } from '../../lib/errors';
import { Badge, enumOptions, formatDate, label } from '../../lib/ui';
import { AddAction } from './AddAction';
import { AddObjective } from './AddObjective';
import { EditObjective } from './EditObjective';
import { RemoveAction } from './RemoveAction';
import { GateNote } from './gate';
import { ExemptStrand, RemoveExemption } from './StrandExemption';
import type { Plan } from './PlanEditor';
import { useViewer } from '../auth/viewer';

const UpdateActionStatusDocument = graphql(`
  mutation UpdateActionStatus($input: UpdateActionInput!) {
    updateAction(input: $input) {
      ...PlanEditorFields
    }
  }
`);

const RemoveObjectiveDocument = graphql(`
  mutation RemoveObjective($input: RemovePlanPartInput!) {
    removeObjective(input: $input) {
      ...PlanEditorFields
    }
  }
`);

type Action = Plan['actions'][number];

/** One strand: its exemption, objectives with their actions, and actions under no objective. */
export function StrandColumn({ strand, plan, canEdit }: { strand: Strand; plan: Plan; canEdit: boolean }) {
  const exemption = plan.strandExemptions.find((e) => e.strand === strand);
  const objectives = plan.objectives.filter((o) => o.strand === strand);
  const actions = plan.actions.filter((a) => a.strand === strand);
  const loose = actions.filter((a) => !a.objective || !objectives.some((o) => o.id === a.objective?.id));
  const [removal, removeObjective] = useMutation(RemoveObjectiveDocument);
  return (
    <section className="strand" aria-labelledby={`strand-${strand}`}>
      <h2 id={`strand-${strand}`}>{label(strand)}</h2>
      <GateNote block match={(q) => q.strand === strand} />
      {exemption && <p className="hint exemption">Does not apply: {exemption.reason}</p>}
      {canEdit && exemption && <RemoveExemption plan={plan} strand={strand} />}
      {removal.error && <p role="alert" className="error">{errorText(removal.error)}</p>}
      {objectives.map((o) => (
        <div key={o.id} className="objective">
          <h3>{o.description}</h3>
          {o.successMeasure && <p className="hint">Success: {o.successMeasure}</p>}
          {canEdit && (
            <>
              <EditObjective plan={plan} objective={o} />
              <button type="button" className="small" onClick={() => removeObjective({ input: { id: o.id, expectedVersion: plan.version } })}>
                Remove objective
              </button>
            </>
          )}
          <ActionList actions={actions.filter((a) => a.objective?.id === o.id)} plan={plan} canEdit={canEdit} />
        </div>
      ))}
      {objectives.length === 0 && !exemption && <p className="empty">No objective yet.</p>}
      {loose.length > 0 && (
        <div className="objective">
          <h3>Actions under no objective</h3>
          <ActionList actions={loose} plan={plan} canEdit={canEdit} />
        </div>
      )}
      {canEdit && <AddObjective plan={plan} strand={strand} />}
      {/* The other way to satisfy the strand's check; the server refuses it for a strand with objectives. */}
      {canEdit && !exemption && objectives.length === 0 && <ExemptStrand plan={plan} strand={strand} />}
      {canEdit && <AddAction plan={plan} strand={strand} />}
    </section>
  );
}

function ActionList({ actions, plan, canEdit }: { actions: Action[]; plan: Plan; canEdit: boolean }) {
  const [state, update] = useMutation(UpdateActionStatusDocument);
  const claimant = useViewer().roles.some((r) => claimantRoles.includes(r));
  return (
    <>
      {state.error && <p role="alert" className="error">{errorText(state.error)}</p>}
      <ul className="actions">
        {actions.map((a) => (
          <li key={a.id}>
            {a.description} <span className="hint">({label(a.tactic)}, {a.ownerOrganisation.code}{!!a.dueDate && `, due ${formatDate(a.dueDate)}`})</span>
            {a.isOverdue && <Badge tone="bad">Overdue</Badge>}
            <div className="hint">Addresses: {a.addressesActivities.map((x) => label(x.category)).join(', ') || 'no activity'}</div>
            {canEdit ? (
              <label className="inline">
                Status{' '}
                <select value={a.status} onChange={(e) => update({ input: { id: a.id, expectedVersion: plan.version, status: e.target.value as PlanActionStatus } })}>
                  {enumOptions(actionStatuses)}
                </select>
              </label>
            ) : (
              <Badge>{label(a.status)}</Badge>
            )}
            {canEdit && <RemoveAction plan={plan} action={a} />}
            {claimant && (
              <Link className="small" to={`/disruptions/new?threat=${encodeURIComponent(plan.threat.id)}&action=${encodeURIComponent(a.id)}`} aria-label={`Record a disruption achieved by “${a.description}”`}>
                Record a disruption
              </Link>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
