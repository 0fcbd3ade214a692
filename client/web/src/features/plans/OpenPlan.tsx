import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ProtectiveMarking, Sharing } from '../../gql/graphql';
import { protectiveMarkings, sharings } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, label } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { conflictIn } from '../records/ConflictView';
import { planWords } from './planFields';

const CreatePlanDocument = graphql(`
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      ...PlanEditorFields
    }
  }
`);

/** What the form needs of the threat. */
export interface PlannedThreat {
  id: string;
  name: string;
  protectiveMarking: ProtectiveMarking;
  sharing: Sharing;
  lro?: { id: string; displayName: string } | null;
}

/**
 * Opening the 4P plan of an adopted threat, owned by the user's organisation: who leads it (the
 * threat's LRO, the user if an LRO, or nobody yet: the editor then offers every LRO), its
 * protective marking and sharing (the threat's by default), and how often it is reviewed.
 * On success the plan editor opens.
 */
export function OpenPlan({ threat }: { threat: PlannedThreat }) {
  const viewer = useViewer();
  const navigate = useNavigate();
  const officers = [
    ...(threat.lro ? [{ id: threat.lro.id, name: `${threat.lro.displayName} (the threat’s LRO)` }] : []),
    ...(viewer.roles.includes('LRO') && viewer.id !== threat.lro?.id ? [{ id: viewer.id, name: `${viewer.displayName} (you)` }] : []),
  ];
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({
    lroId: officers[0]?.id ?? '',
    protectiveMarking: threat.protectiveMarking,
    sharing: threat.sharing === 'NAMED_ORGANISATIONS' ? ('REGIONAL_LAW_ENFORCEMENT' as Sharing) : threat.sharing,
    reviewFrequencyDays: '90',
  });
  const [missing, setMissing] = useState<string[]>([]);
  const [state, create] = useMutation(CreatePlanDocument);
  const set = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const conflict = conflictIn(state.error);
  const errors = formErrors(conflict ? undefined : state.error);
  const days = Number(form.reviewFrequencyDays);
  const daysWrong = form.reviewFrequencyDays !== '' && (!Number.isInteger(days) || days < 7 || days > 365) ? ['Between 7 and 365 days.'] : [];
  const lowerMarking = protectiveMarkings.indexOf(form.protectiveMarking) < protectiveMarkings.indexOf(threat.protectiveMarking);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMissing(daysWrong.length ? ['The review frequency must be between 7 and 365 days.'] : []);
    if (daysWrong.length) return;
    const result = await create({
      input: {
        threatId: threat.id,
        lroId: form.lroId || null,
        reviewFrequencyDays: form.reviewFrequencyDays === '' ? null : days,
        access: { protectiveMarking: form.protectiveMarking, sharing: form.sharing },
      },
    });
    const plan = result.data?.createPlan;
    if (plan) navigate(`/plans/${plan.id}`);
  };

  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Open a 4P plan for this threat</summary>
      <form onSubmit={submit} noValidate className="form">
        <FormAlert
          messages={[
            ...missing,
            ...(conflict ? ['This threat already has a 4P plan (one plan per threat), which is not shared with you. Ask its owner to share it.'] : []),
            ...[...errors.general, ...unclaimedMessages(errors, ['lroId', 'reviewFrequencyDays', 'access.protectiveMarking', 'access.sharing'])].map(planWords),
          ]}
        />
        <p className="hint">The plan will be owned by {viewer.organisation.name}. Objectives, actions and partners are added in the plan itself.</p>
        <Field label="Lead responsible officer" hint={officers.length ? 'Any other LRO can be named once the plan is open.' : 'Name one once the plan is open: until then the quality gate reports that no LRO is named.'} errors={messagesFor(errors, 'lroId')}>
          {(p) => (
            <select {...p} value={form.lroId} onChange={(e) => set({ lroId: e.target.value })}>
              {officers.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
              <option value="">None named yet</option>
            </select>
          )}
        </Field>
        <div className="row">
          <Field
            label="Protective marking"
            hint={lowerMarking ? `Lower than the threat’s (${label(threat.protectiveMarking)}): the plan quotes the threat, so check this is right.` : `The threat is marked ${label(threat.protectiveMarking)}.`}
            errors={messagesFor(errors, 'access.protectiveMarking')}
          >
            {(p) => (
              <select {...p} value={form.protectiveMarking} onChange={(e) => set({ protectiveMarking: e.target.value as ProtectiveMarking })}>
                {enumOptions(protectiveMarkings)}
              </select>
            )}
          </Field>
          <Field label="Sharing" hint="Who may see the plan." errors={messagesFor(errors, 'access.sharing').map(planWords)}>
            {(p) => (
              <select {...p} value={form.sharing} onChange={(e) => set({ sharing: e.target.value as Sharing })}>
                {enumOptions(sharings.filter((s) => s !== 'NAMED_ORGANISATIONS'))}
              </select>
            )}
          </Field>
          <Field label="Review every (days)" hint="7 to 365; 90 if left empty." errors={[...daysWrong, ...messagesFor(errors, 'reviewFrequencyDays')]}>
            {(p) => <input {...p} type="number" min={7} max={365} step={1} value={form.reviewFrequencyDays} onChange={(e) => set({ reviewFrequencyDays: e.target.value })} />}
          </Field>
        </div>
        <button type="submit" disabled={state.fetching}>
          Open the plan
        </button>
      </form>
    </details>
  );
}
