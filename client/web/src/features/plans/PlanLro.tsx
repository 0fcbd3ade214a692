import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { errorText, formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert } from '../../lib/ui';
import { GateNote, useDraftPart } from './gate';
import { PlanLroConflict, usePlanConflict } from './PlanConflict';
import type { Plan } from './PlanEditor';
import { UpdatePlanDocument } from './planFields';

const PlanOfficerCandidatesDocument = graphql(`
  query PlanOfficerCandidates($planId: ID!, $role: Role!) {
    planOfficerCandidates(planId: $planId, role: $role) {
      id
      displayName
      organisation {
        id
        code
      }
    }
  }
`);

type Candidate = { id: string; displayName: string; organisation: { id: string; code: string } };

/** Candidates by organisation, in the server's order (the plan's owning organisation first). */
function byOrganisation(candidates: Candidate[]): [string, Candidate[]][] {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) groups.set(c.organisation.code, [...(groups.get(c.organisation.code) ?? []), c]);
  return [...groups.entries()];
}

/**
 * Choosing the plan's lead responsible officer among those the server would accept
 * (planOfficerCandidates). While the form is open the gate previews the choice (NO_LRO comes or
 * goes); the save is made against the version the user opened.
 */
export function PlanLro({ plan }: { plan: Plan }) {
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState(plan.lro?.id ?? '');
  const [candidates] = useQuery({ query: PlanOfficerCandidatesDocument, variables: { planId: plan.id, role: 'LRO' }, pause: !open });
  const [state, update] = useMutation(UpdatePlanDocument);
  const conflict = usePlanConflict(plan);
  const errors = formErrors(conflict.current ? undefined : state.error);
  const seen = conflict.seenOrNow();
  // A draft only when the choice differs from the LRO saved now (what the preview applies it to).
  useDraftPart('lro', open && chosen !== (plan.lro?.id ?? '') ? { lroId: chosen || null } : null);

  const list = candidates.data?.planOfficerCandidates ?? [];
  // The saved LRO stays choosable even if no longer offered (e.g. their role was withdrawn).
  const options = seen.lro && !list.some((c) => c.id === seen.lro?.id) ? [...list, { ...seen.lro, organisation: { id: '', code: 'Currently named' } }] : list;
  const chosenName = chosen ? (options.find((c) => c.id === chosen)?.displayName ?? chosen) : null;

  const save = (expectedVersion: number) => update({ input: { id: plan.id, expectedVersion, lroId: chosen || null } });
  const done = (saved: boolean) => saved && setOpen(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    done(await conflict.attempt(save));
  };
  return (
    <details
      className="plan-lro"
      open={open}
      onToggle={(e) => {
        if (e.currentTarget.open && !open) {
          conflict.start();
          setChosen(plan.lro?.id ?? '');
        }
        setOpen(e.currentTarget.open);
      }}
    >
      <summary>Change the LRO</summary>
      {conflict.current && (
        <PlanLroConflict
          seen={seen}
          current={conflict.current}
          chosen={chosenName}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            setOpen(false);
          }}
        />
      )}
      <form onSubmit={submit}>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['lroId'])]} />
        {candidates.error && <p role="alert" className="error">{errorText(candidates.error)}</p>}
        <Field label="Lead responsible officer" hint={<GateNote match={(q) => q.code === 'NO_LRO'} />} errors={messagesFor(errors, 'lroId')}>
          {(p) => (
            <select {...p} value={chosen} onChange={(e) => setChosen(e.target.value)} disabled={candidates.fetching && !candidates.data}>
              <option value="">None named</option>
              {byOrganisation(options).map(([code, users]) => (
                <optgroup key={code} label={code}>
                  {users.map((u) => (
                    <option key={u.id} value={u.id}>
                      {u.displayName}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={state.fetching || !!conflict.current}>
          Save LRO
        </button>
      </form>
    </details>
  );
}
