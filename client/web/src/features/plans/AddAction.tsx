import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { Strand, Tactic } from '../../gql/graphql';
import { tactics } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, enumOptions, formatDate, label, Value, withheldReason } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { useOrganisations } from '../records/organisations';
import { GateNote, useDraftPart } from './gate';
import { PlanFormDetails, PlanStrandConflict, usePlanConflict } from './PlanConflict';
import type { Plan } from './PlanEditor';

const AddActionDocument = graphql(`
  mutation AddAction($input: AddActionInput!) {
    addAction(input: $input) {
      ...PlanEditorFields
    }
  }
`);

const fields = ['action.description', 'action.tactic', 'action.ownerOrganisationId', 'action.dueDate', 'action.objectiveId', 'action.addressesActivityIds'];

export function AddAction({ plan, strand }: { plan: Plan; strand: Strand }) {
  const viewer = useViewer();
  const organisations = useOrganisations();
  const blank = { description: '', tactic: 'CRIME' as Tactic, owner: viewer.organisation.id, dueDate: '', objectiveId: '', activityIds: [] as string[] };
  const [form, setForm] = useState(blank);
  const [open, setOpen] = useState(false);
  const [state, add] = useMutation(AddActionDocument);
  const conflict = usePlanConflict(plan);
  const errors = formErrors(conflict.current ? undefined : state.error);
  const set = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  // Being entered but not saved: the gate shows what this action would change (only the activities it addresses matter to it).
  const entered = open && (form.description.trim() !== '' || form.activityIds.length > 0);
  useDraftPart(`action:${strand}`, entered ? { actions: [{ strand, addressesActivityIds: form.activityIds }] } : null);
  const toggle = (id: string) => set({ activityIds: form.activityIds.includes(id) ? form.activityIds.filter((x) => x !== id) : [...form.activityIds, id] });

  const save = (expectedVersion: number) => {
    const action = {
      strand,
      tactic: form.tactic,
      description: form.description,
      ownerOrganisationId: form.owner,
      dueDate: form.dueDate || null,
      objectiveId: form.objectiveId || null,
      addressesActivityIds: form.activityIds,
    };
    return add({ input: { planId: plan.id, expectedVersion, action } });
  };
  const close = () => {
    setForm(blank);
    setOpen(false);
  };
  const done = (saved: boolean) => saved && close();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    done(await conflict.attempt(save));
  };

  return (
    <PlanFormDetails open={open} setOpen={setOpen} conflict={conflict} summary={<>Add a {label(strand)} action</>}>
      {conflict.current && (
        <PlanStrandConflict
          strand={strand}
          seen={conflict.seenOrNow()}
          current={conflict.current}
          change={{ label: `New ${label(strand)} action`, mine: `${form.description} (${label(form.tactic)}${form.dueDate ? `, due ${formatDate(form.dueDate)}` : ''})` }}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            close();
          }}
        />
      )}
      <form onSubmit={submit}>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fields)]} />
        <Field label="Action" errors={messagesFor(errors, 'action.description')}>
          {(p) => <textarea {...p} rows={2} value={form.description} onChange={(e) => set({ description: e.target.value })} />}
        </Field>
        <Field label="Tactic" errors={messagesFor(errors, 'action.tactic')}>
          {(p) => (
            <select {...p} value={form.tactic} onChange={(e) => set({ tactic: e.target.value as Tactic })}>
              {enumOptions(tactics)}
            </select>
          )}
        </Field>
        <Field label="Owner" errors={messagesFor(errors, 'action.ownerOrganisationId')}>
          {(p) => (
            <select {...p} value={form.owner} onChange={(e) => set({ owner: e.target.value })}>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.code}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Due date" errors={messagesFor(errors, 'action.dueDate')}>
          {(p) => <input {...p} type="date" value={form.dueDate} onChange={(e) => set({ dueDate: e.target.value })} />}
        </Field>
        <Field label="Objective" errors={messagesFor(errors, 'action.objectiveId')}>
          {(p) => (
            <select {...p} value={form.objectiveId} onChange={(e) => set({ objectiveId: e.target.value })}>
              <option value="">None</option>
              {plan.objectives
                .filter((o) => o.strand === strand)
                .map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.description}
                  </option>
                ))}
            </select>
          )}
        </Field>
        <fieldset>
          <legend>Activities it tackles</legend>
          {messagesFor(errors, 'action.addressesActivityIds').map((m) => (
            <p key={m} className="field-error" role="alert">{m}</p>
          ))}
          {plan.threat.criminalActivities.map((a) => (
            <label key={a.id} className="check">
              <input type="checkbox" checked={form.activityIds.includes(a.id)} onChange={() => toggle(a.id)} /> {label(a.category)}: <Value withheld={withheldReason(a.withheld, 'description')}>{a.description}</Value>
              <GateNote match={(q) => q.code === 'ACTIVITY_NOT_ADDRESSED' && q.criminalActivity?.id === a.id} />
            </label>
          ))}
        </fieldset>
        <button type="submit" disabled={state.fetching || !!conflict.current}>
          Add action
        </button>
      </form>
    </PlanFormDetails>
  );
}
