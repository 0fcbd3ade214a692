import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { Strand } from '../../gql/graphql';
import { strands } from '../../lib/enums';
import { errorText, formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, label, Value } from '../../lib/ui';
import { useOrganisations } from '../records/organisations';
import { GateNote, useDraftPart } from './gate';
import type { Plan } from './PlanEditor';

const AddPartnerDocument = graphql(`
  mutation AddPlanPartner($input: AddPlanPartnerInput!) {
    addPlanPartner(input: $input) {
      ...PlanEditorFields
    }
  }
`);

const RemovePartnerDocument = graphql(`
  mutation RemovePlanPartner($input: RemovePlanPartnerInput!) {
    removePlanPartner(input: $input) {
      ...PlanEditorFields
    }
  }
`);

/** Partner organisations and the strands each contributes to. */
export function Partners({ plan, canEdit }: { plan: Plan; canEdit: boolean }) {
  const [removal, remove] = useMutation(RemovePartnerDocument);
  return (
    <section aria-labelledby="partners">
      <h2 id="partners">Partners ({plan.partners.length})</h2>
      {removal.error && <p role="alert" className="error">{errorText(removal.error)}</p>}
      <ul className="plain">
        {plan.partners.map((p) => (
          <li key={p.organisation.id}>
            <strong>{p.organisation.name}</strong>: {p.strands.map(label).join(', ')} · <Value empty="no role given">{p.role}</Value>{' '}
            {canEdit && (
              <button type="button" className="small" onClick={() => remove({ input: { planId: plan.id, organisationId: p.organisation.id, expectedVersion: plan.version } })}>
                Remove {p.organisation.code}
              </button>
            )}
          </li>
        ))}
      </ul>
      {canEdit && <AddPartner plan={plan} />}
    </section>
  );
}

function AddPartner({ plan }: { plan: Plan }) {
  const organisations = useOrganisations();
  const [organisationId, setOrganisationId] = useState('');
  const [chosen, setChosen] = useState<Strand[]>([]);
  const [role, setRole] = useState('');
  const [state, add] = useMutation(AddPartnerDocument);
  const errors = formErrors(state.error);
  // Chosen but not saved: the gate shows what naming this partner would change.
  useDraftPart('partner', organisationId && chosen.length ? { partners: [{ organisationId, strands: chosen }] } : null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await add({ input: { planId: plan.id, expectedVersion: plan.version, organisationId, strands: chosen, role: role || null } });
    if (!result.error) setChosen([]);
  };
  return (
    <details>
      <summary>Name a partner</summary>
      <form onSubmit={submit}>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['organisationId', 'strands', 'role'])]} />
        <Field label="Organisation" errors={messagesFor(errors, 'organisationId')}>
          {(p) => (
            <select {...p} value={organisationId} onChange={(e) => setOrganisationId(e.target.value)}>
              <option value="">Choose…</option>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.code}: {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>Strands</legend>
          {messagesFor(errors, 'strands').map((m) => (
            <p key={m} className="field-error" role="alert">{m}</p>
          ))}
          {strands.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" checked={chosen.includes(s)} onChange={() => setChosen(chosen.includes(s) ? chosen.filter((x) => x !== s) : [...chosen, s])} /> {label(s)}
              <GateNote match={(q) => q.code === 'PARTNER_NOT_NAMED' && q.strand === s} />
            </label>
          ))}
        </fieldset>
        <Field label="Role (optional)" errors={messagesFor(errors, 'role')}>
          {(p) => <input {...p} value={role} onChange={(e) => setRole(e.target.value)} />}
        </Field>
        <button type="submit" disabled={state.fetching}>
          Add partner
        </button>
      </form>
    </details>
  );
}
