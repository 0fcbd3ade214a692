import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { PlanStatus } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, label } from '../../lib/ui';
import { PlanChangeConflict, PlanFormDetails, usePlanConflict } from './PlanConflict';
import type { Plan } from './PlanEditor';
import { planWords } from './planFields';

const ChangePlanStatusDocument = graphql(`
  mutation ChangePlanStatus($input: ChangePlanStatusInput!) {
    changePlanStatus(input: $input) {
      ...PlanEditorFields
    }
  }
`);

interface Move {
  to: PlanStatus;
  words: string;
  hint: string;
}

/** Where a plan may go from each status (as the server's planTransitions), in words. A closed plan stays closed. */
export const planMoves: Record<PlanStatus, Move[]> = {
  DRAFT: [{ to: 'ACTIVE', words: 'Make the plan active', hint: 'Work on it starts; the first review falls due after the review frequency.' }],
  ACTIVE: [
    { to: 'UNDER_REVIEW', words: 'Put the plan under review', hint: 'While it is reconsidered; it can be made active again.' },
    { to: 'CLOSED', words: 'Close the plan', hint: 'For good: a closed plan cannot be reopened. Give the reason.' },
  ],
  UNDER_REVIEW: [
    { to: 'ACTIVE', words: 'Make the plan active again', hint: 'The review is over and work carries on.' },
    { to: 'CLOSED', words: 'Close the plan', hint: 'For good: a closed plan cannot be reopened. Give the reason.' },
  ],
  CLOSED: [],
};

/** Moving the plan along its lifecycle: only the allowed moves are offered; closing asks why. */
export function PlanStatusChange({ plan }: { plan: Plan }) {
  const moves = planMoves[plan.status];
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState<PlanStatus | ''>('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const [state, change] = useMutation(ChangePlanStatusDocument);
  const conflict = usePlanConflict(plan);
  const errors = formErrors(conflict.current ? undefined : state.error);
  const closing = to === 'CLOSED';
  if (!moves.length) return null;

  const save = (expectedVersion: number) => change({ input: { id: plan.id, expectedVersion, status: to as PlanStatus, closureReason: closing ? reason : null } });
  const close = () => {
    setTo('');
    setReason('');
    setMissing(null);
    setOpen(false);
  };
  const done = (saved: boolean) => saved && close();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to) return setMissing('Choose where the plan moves to.');
    if (closing && !reason.trim()) return setMissing('Say why the plan is being closed.');
    setMissing(null);
    done(await conflict.attempt(save));
  };
  const chosen = moves.find((m) => m.to === to);
  return (
    <PlanFormDetails open={open} setOpen={setOpen} conflict={conflict} summary={<>Change the plan’s status (now {label(plan.status)})</>}>
      {conflict.current && (
        <PlanChangeConflict
          seen={conflict.seenOrNow()}
          current={conflict.current}
          change={{ label: 'New status', mine: `${label(to)}${closing ? `: ${reason}` : ''}`, theirs: label(conflict.current.status) }}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            close();
          }}
        />
      )}
      <form onSubmit={submit} noValidate>
        <FormAlert messages={[...(missing ? [missing] : []), ...[...errors.general, ...unclaimedMessages(errors, ['closureReason'])].map(planWords)]} />
        <fieldset>
          <legend>What happens to the plan</legend>
          {moves.map((m) => (
            <label key={m.to} className="check">
              <input type="radio" name={`plan-status-${plan.id}`} value={m.to} checked={to === m.to} onChange={() => setTo(m.to)} /> {m.words}
            </label>
          ))}
          {chosen && <p className="hint">{chosen.hint}</p>}
        </fieldset>
        {closing && (
          <Field label="Why the plan is closed" hint="Required: kept with the closed plan." errors={messagesFor(errors, 'closureReason').map(planWords)}>
            {(p) => <textarea {...p} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
        )}
        <button type="submit" disabled={state.fetching || !!conflict.current}>
          {closing ? 'Close the plan' : 'Change status'}
        </button>
      </form>
    </PlanFormDetails>
  );
}
