import { useEffect, useRef, useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { formErrors } from '../../lib/errors';
import { FormAlert, label } from '../../lib/ui';
import { PlanChangeConflict, usePlanConflict } from './PlanConflict';
import type { Plan } from './PlanEditor';
import { planWords } from './planFields';

const RemoveActionDocument = graphql(`
  mutation RemoveAction($input: RemovePlanPartInput!) {
    removeAction(input: $input) {
      ...PlanEditorFields
    }
  }
`);

type Action = Plan['actions'][number];

/**
 * Removing an action recorded in error, after the user confirms it; real work that stopped is
 * cancelled instead (its status), which the confirmation says.
 */
export function RemoveAction({ plan, action }: { plan: Plan; action: Action }) {
  const [confirming, setConfirming] = useState(false);
  const [state, remove] = useMutation(RemoveActionDocument);
  const conflict = usePlanConflict(plan);
  const errors = formErrors(conflict.current ? undefined : state.error);
  const opener = useRef<HTMLButtonElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);
  // Focus goes to the safe choice when asked, and back to the button when the question is dropped.
  useEffect(() => {
    if (confirming) keep.current?.focus();
    else if (wasConfirming.current) opener.current?.focus();
    wasConfirming.current = confirming;
  }, [confirming]);
  const save = (expectedVersion: number) => remove({ input: { id: action.id, expectedVersion } });
  const done = (saved: boolean) => saved && setConfirming(false);
  if (!confirming) {
    return (
      <button
        type="button"
        className="small"
        ref={opener}
        onClick={() => {
          conflict.start();
          setConfirming(true);
        }}
      >
        Remove action
      </button>
    );
  }
  const still = conflict.current?.actions.find((a) => a.id === action.id);
  return (
    <div className="decision" role="group" aria-label={`Remove the action: ${action.description}`}>
      {conflict.current && (
        <PlanChangeConflict
          seen={conflict.seenOrNow()}
          current={conflict.current}
          change={{ label: 'Action to remove', mine: `${action.description} (removed)`, theirs: still ? `${still.description} (${label(still.status)})` : <span className="empty">already removed</span> }}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            setConfirming(false);
          }}
        />
      )}
      <FormAlert messages={[...errors.general, ...Object.values(errors.fields).flat()].map(planWords)} />
      <p>
        Remove “{action.description}” from the plan?
      </p>
      <p className="hint">Only for an action recorded in error: it is deleted from the plan. If the work was real but has stopped, set its status to Cancelled instead.</p>
      <div className="buttons">
        <button type="button" className="danger" disabled={state.fetching || !!conflict.current} onClick={async () => done(await conflict.attempt(save))}>
          Yes, remove it
        </button>
        <button type="button" ref={keep} onClick={() => setConfirming(false)}>
          Keep it
        </button>
      </div>
    </div>
  );
}
