import { useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import type { Strand, StrandExemptionInput } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, label } from '../../lib/ui';
import { exemptionsAfter, useDraftPart, type DraftPart } from './gate';
import { PlanFormDetails, PlanStrandConflict, usePlanConflict } from './PlanConflict';
import type { Plan } from './PlanEditor';
import { UpdatePlanDocument } from './planFields';

/**
 * Recording that a strand does not apply (with the required reason), or removing that record.
 * updatePlan replaces the whole list of exemptions, so the save sends the list of the version it
 * saves against with only this strand changed: another strand's exemption recorded meanwhile is
 * a conflict the user sees, not something overwritten.
 */
function useExemptionSave(plan: Plan, strand: Strand) {
  const [state, update] = useMutation(UpdatePlanDocument);
  const conflict = usePlanConflict(plan);
  // The list last sent: the server names a bad exemption by its index in it.
  const sent = useRef<StrandExemptionInput[]>([]);
  const save = (change: DraftPart) => (expectedVersion: number) => {
    const base = conflict.current?.version === expectedVersion ? conflict.current : conflict.seenOrNow();
    sent.current = exemptionsAfter(base.strandExemptions, [change]);
    return update({ input: { id: plan.id, expectedVersion, strandExemptions: sent.current } });
  };
  const errors = formErrors(conflict.current ? undefined : state.error);
  const at = sent.current.findIndex((e) => e.strand === strand);
  const mine = at < 0 ? [] : messagesFor(errors, `strandExemptions[${at}]`);
  const others = [...errors.general, ...unclaimedMessages(errors, at < 0 ? [] : [`strandExemptions[${at}]`])];
  return { state, conflict, save, mine, others };
}

/** "Exempt this strand": why it does not apply; the gate previews it while the reason is typed. */
export function ExemptStrand({ plan, strand }: { plan: Plan; strand: Strand }) {
  const [reason, setReason] = useState('');
  const [open, setOpen] = useState(false);
  const { state, conflict, save, mine, others } = useExemptionSave(plan, strand);
  const change: DraftPart = { exempt: [{ strand, reason }] };
  // The gate reads only the strand, but the server wants a reason: a blank one is no draft yet.
  useDraftPart(`exempt:${strand}`, open && reason.trim() ? change : null);
  const close = () => {
    setReason('');
    setOpen(false);
  };
  const done = (saved: boolean) => saved && close();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    done(await conflict.attempt(save(change)));
  };
  return (
    <PlanFormDetails open={open} setOpen={setOpen} conflict={conflict} summary={<>Exempt {label(strand)}: it does not apply</>}>
      {conflict.current && (
        <PlanStrandConflict
          strand={strand}
          seen={conflict.seenOrNow()}
          current={conflict.current}
          change={{ label: `${label(strand)} does not apply`, mine: reason }}
          exemptions={exemptionsAfter(conflict.seenOrNow().strandExemptions, [change])}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save(change)))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            close();
          }}
        />
      )}
      <form onSubmit={submit}>
        <FormAlert messages={others} />
        <Field label={`Why ${label(strand)} does not apply`} hint="Required: the quality gate accepts a strand without objectives only with a recorded reason." errors={mine}>
          {(p) => <textarea {...p} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <button type="submit" disabled={state.fetching || !!conflict.current}>
          Record exemption
        </button>
      </form>
    </PlanFormDetails>
  );
}

/** Removing a strand's exemption: while open, the gate previews the strand without it. */
export function RemoveExemption({ plan, strand }: { plan: Plan; strand: Strand }) {
  const [open, setOpen] = useState(false);
  const { state, conflict, save, mine, others } = useExemptionSave(plan, strand);
  const change: DraftPart = { unexempt: [strand] };
  useDraftPart(`unexempt:${strand}`, open ? change : null);
  const done = (saved: boolean) => saved && setOpen(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    done(await conflict.attempt(save(change)));
  };
  const seenReason = conflict.seenOrNow().strandExemptions.find((x) => x.strand === strand)?.reason;
  return (
    <PlanFormDetails open={open} setOpen={setOpen} conflict={conflict} summary={<>Remove the {label(strand)} exemption</>}>
      {conflict.current && (
        <PlanStrandConflict
          strand={strand}
          seen={conflict.seenOrNow()}
          current={conflict.current}
          exemptions={exemptionsAfter(conflict.seenOrNow().strandExemptions, [change])}
          change={{ label: `${label(strand)} exemption removed`, mine: <>removed (was: {seenReason})</>, theirs: conflict.current.strandExemptions.find((x) => x.strand === strand)?.reason ?? <span className="empty">no exemption</span> }}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save(change)))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            setOpen(false);
          }}
        />
      )}
      <form onSubmit={submit}>
        <FormAlert messages={[...mine, ...others]} />
        <p className="hint">{label(strand)} will then need an objective to pass the quality gate.</p>
        <button type="submit" disabled={state.fetching || !!conflict.current}>
          Remove exemption
        </button>
      </form>
    </PlanFormDetails>
  );
}
