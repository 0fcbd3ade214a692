import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, label } from '../../lib/ui';
import { PlanFormDetails, PlanStrandConflict, usePlanConflict } from './PlanConflict';
import type { Plan } from './PlanEditor';
import { planWords } from './planFields';

const UpdateObjectiveDocument = graphql(`
  mutation UpdateObjective($input: UpdateObjectiveInput!) {
    updateObjective(input: $input) {
      ...PlanEditorFields
    }
  }
`);

type Objective = Plan['objectives'][number];

/** Rewording an objective or its success measure, saved against the plan as the user opened it. */
export function EditObjective({ plan, objective }: { plan: Plan; objective: Objective }) {
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState(objective.description);
  const [successMeasure, setSuccessMeasure] = useState(objective.successMeasure ?? '');
  const [state, update] = useMutation(UpdateObjectiveDocument);
  const conflict = usePlanConflict(plan);
  const errors = formErrors(conflict.current ? undefined : state.error);
  const save = (expectedVersion: number) =>
    update({ input: { id: objective.id, expectedVersion, objective: { strand: objective.strand, description, successMeasure: successMeasure || null } } });
  const reset = () => {
    setDescription(objective.description);
    setSuccessMeasure(objective.successMeasure ?? '');
  };
  const done = (saved: boolean) => saved && setOpen(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    done(await conflict.attempt(save));
  };
  const now = conflict.current?.objectives.find((o) => o.id === objective.id);
  return (
    <PlanFormDetails
      open={open}
      setOpen={(o) => {
        if (o && !open) reset();
        setOpen(o);
      }}
      conflict={conflict}
      summary={<>Change this objective</>}
    >
      {conflict.current && (
        <PlanStrandConflict
          strand={objective.strand}
          seen={conflict.seenOrNow()}
          current={conflict.current}
          change={{
            label: `${label(objective.strand)} objective`,
            mine: `${description}${successMeasure ? ` (success: ${successMeasure})` : ''}`,
            theirs: now ? `${now.description}${now.successMeasure ? ` (success: ${now.successMeasure})` : ''}` : <span className="empty">removed in the current version</span>,
          }}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            setOpen(false);
          }}
        />
      )}
      <form onSubmit={submit}>
        <FormAlert messages={[...errors.general.map(planWords), ...unclaimedMessages(errors, ['objective.description', 'objective.successMeasure']).map(planWords)]} />
        <Field label="Objective" errors={messagesFor(errors, 'objective.description')}>
          {(p) => <textarea {...p} rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />}
        </Field>
        <Field label="Success measure (optional)" errors={messagesFor(errors, 'objective.successMeasure')}>
          {(p) => <input {...p} value={successMeasure} onChange={(e) => setSuccessMeasure(e.target.value)} />}
        </Field>
        <button type="submit" disabled={state.fetching || !!conflict.current}>
          Save objective
        </button>
      </form>
    </PlanFormDetails>
  );
}
