import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { Strand } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, label } from '../../lib/ui';
import { useDraftPart } from './gate';
import { PlanFormDetails, PlanStrandConflict, usePlanConflict } from './PlanConflict';
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
  const conflict = usePlanConflict(plan);
  // Typed but not saved: the gate shows what this objective would change.
  useDraftPart(`objective:${strand}`, open && description.trim() ? { objectives: [{ strand }] } : null);
  const errors = formErrors(conflict.current ? undefined : state.error);
  const save = (expectedVersion: number) => add({ input: { planId: plan.id, expectedVersion, objective: { strand, description, successMeasure: successMeasure || null } } });
  const close = () => {
    setDescription('');
    setSuccessMeasure('');
    setOpen(false);
  };
  const done = (saved: boolean) => saved && close();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    done(await conflict.attempt(save));
  };
  return (
    <PlanFormDetails open={open} setOpen={setOpen} conflict={conflict} summary={<>Add a {label(strand)} objective</>}>
      {conflict.current && (
        <PlanStrandConflict
          strand={strand}
          seen={conflict.seenOrNow()}
          current={conflict.current}
          change={{ label: `New ${label(strand)} objective`, mine: description }}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            close();
          }}
        />
      )}
      <form onSubmit={submit}>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['objective.description', 'objective.successMeasure'])]} />
        <Field label="Objective" errors={messagesFor(errors, 'objective.description')}>
          {(p) => <textarea {...p} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field label="Success measure (optional)" errors={messagesFor(errors, 'objective.successMeasure')}>
          {(p) => <input {...p} value={successMeasure} onChange={(e) => setSuccessMeasure(e.target.value)} />}
        </Field>
        <button type="submit" disabled={state.fetching || !!conflict.current}>
          Add objective
        </button>
      </form>
    </PlanFormDetails>
  );
}
