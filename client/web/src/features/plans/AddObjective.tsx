import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { Strand } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, label } from '../../lib/ui';
import type { Plan } from './PlanEditor';

const AddObjectiveDocument = graphql(`
  mutation AddObjective($input: AddObjectiveInput!) {
    addObjective(input: $input) {
      ...PlanEditorFields
    }
  }
`);

export function AddObjective({ plan, strand }: { plan: Plan; strand: Strand }) {
  const [description, setDescription] = useState('');
  const [successMeasure, setSuccessMeasure] = useState('');
  const [open, setOpen] = useState(false);
  const [state, add] = useMutation(AddObjectiveDocument);
  const errors = formErrors(state.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await add({ input: { planId: plan.id, expectedVersion: plan.version, objective: { strand, description, successMeasure: successMeasure || null } } });
    if (!result.error) {
      setDescription('');
      setSuccessMeasure('');
      setOpen(false);
    }
  };
  return (
    <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>Add a {label(strand)} objective</summary>
      <form onSubmit={submit}>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['objective.description', 'objective.successMeasure'])]} />
        <Field label="Objective" errors={messagesFor(errors, 'objective.description')}>
          {(p) => <textarea {...p} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field label="Success measure (optional)" errors={messagesFor(errors, 'objective.successMeasure')}>
          {(p) => <input {...p} value={successMeasure} onChange={(e) => setSuccessMeasure(e.target.value)} />}
        </Field>
        <button type="submit" disabled={state.fetching}>
          Add objective
        </button>
      </form>
    </details>
  );
}
