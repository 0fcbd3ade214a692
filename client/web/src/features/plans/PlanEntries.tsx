import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { PlanEntryFieldsFragment, PlanEntryKind } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, formatDate, Withheld, withheldReason } from '../../lib/ui';
import { PlanChangeConflict, PlanFormDetails, usePlanConflict } from './PlanConflict';
import type { Plan } from './PlanEditor';
import { planWords, todayIso } from './planFields';

const AddPlanEntryDocument = graphql(`
  mutation AddPlanEntry($input: AddPlanEntryInput!) {
    addPlanEntry(input: $input) {
      ...PlanEditorFields
    }
  }
`);

const ResolveIntelligenceGapDocument = graphql(`
  mutation ResolveIntelligenceGap($input: ResolveIntelligenceGapInput!) {
    resolveIntelligenceGap(input: $input) {
      ...PlanEditorFields
    }
  }
`);

type Entry = PlanEntryFieldsFragment;

/** Each kind of entry in words: as offered, one entry's name, and what the text field asks. */
const kinds: Record<PlanEntryKind, { option: string; one: string; ask: string }> = {
  INTELLIGENCE_GAP: { option: 'Intelligence gap', one: 'intelligence gap', ask: 'What is not yet known' },
  OUTCOME: { option: 'Outcome', one: 'outcome', ask: 'What was achieved' },
  LEARNING: { option: 'Learning', one: 'learning', ask: 'What was learned' },
};
const kindOrder: PlanEntryKind[] = ['INTELLIGENCE_GAP', 'OUTCOME', 'LEARNING'];

/**
 * Intelligence gaps (open, and filled with how), outcomes and learning. The owner records them
 * even on a closed plan (the server allows it); open gaps can be marked as filled.
 */
export function PlanEntries({ plan, canRecord }: { plan: Plan; canRecord: boolean }) {
  const gapsWithheld = withheldReason(plan.withheld, 'intelligenceGaps');
  return (
    <section aria-labelledby="entries">
      <h2 id="entries">Intelligence gaps, outcomes and learning</h2>
      <div className="panels">
        <div>
          <h3>Intelligence gaps{plan.intelligenceGaps && ` (${plan.intelligenceGaps.filter((g) => !g.resolvedOn).length} open)`}</h3>
          {plan.intelligenceGaps ? (
            <EntryList entries={plan.intelligenceGaps} plan={plan} canRecord={canRecord} />
          ) : (
            <Withheld reason={gapsWithheld ?? 'The plan’s intelligence gaps are withheld from you.'} />
          )}
        </div>
        <div>
          <h3>Outcomes ({plan.outcomes.length})</h3>
          <EntryList entries={plan.outcomes} plan={plan} canRecord={canRecord} />
        </div>
        <div>
          <h3>Learning ({plan.learning.length})</h3>
          <EntryList entries={plan.learning} plan={plan} canRecord={canRecord} />
        </div>
      </div>
      {canRecord && <AddEntry plan={plan} />}
    </section>
  );
}

function EntryList({ entries, plan, canRecord }: { entries: Entry[]; plan: Plan; canRecord: boolean }) {
  if (!entries.length) return <p className="empty">None recorded.</p>;
  return (
    <ul className="plain">
      {entries.map((e) => (
        <li key={e.id}>
          {e.text} <span className="hint">(recorded {formatDate(e.recordedOn)} by {e.recordedBy.displayName})</span>
          {e.kind === 'INTELLIGENCE_GAP' &&
            (e.resolvedOn ? (
              <div className="good">
                Filled {formatDate(e.resolvedOn)}
                {e.resolvedBy && ` by ${e.resolvedBy.displayName}`}: {e.resolution}
              </div>
            ) : (
              <>
                <div className="hint">Still open.</div>
                {canRecord && <ResolveGap plan={plan} gap={e} />}
              </>
            ))}
        </li>
      ))}
    </ul>
  );
}

/** A date field's own problems: empty means today; never in the future; never before `notBefore`. */
function dateProblems(date: string, notBefore?: string): string[] {
  if (!date) return [];
  if (date > todayIso()) return ['This date is in the future: record it once it has happened.'];
  if (notBefore && date < notBefore) return [`This is before the gap was recorded (${formatDate(notBefore)}).`];
  return [];
}

function AddEntry({ plan }: { plan: Plan }) {
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<PlanEntryKind>('INTELLIGENCE_GAP');
  const [text, setText] = useState('');
  const [recordedOn, setRecordedOn] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [state, add] = useMutation(AddPlanEntryDocument);
  const conflict = usePlanConflict(plan);
  const errors = formErrors(conflict.current ? undefined : state.error);
  const dateWrong = dateProblems(recordedOn);
  const save = (expectedVersion: number) => add({ input: { planId: plan.id, expectedVersion, kind, text, recordedOn: recordedOn || null } });
  const close = () => {
    setText('');
    setRecordedOn('');
    setMissing([]);
    setOpen(false);
  };
  const done = (saved: boolean) => saved && close();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = [...(!text.trim() ? [`Say ${kinds[kind].ask.toLowerCase()}.`] : []), ...dateWrong];
    setMissing(problems);
    if (problems.length) return;
    done(await conflict.attempt(save));
  };
  return (
    <PlanFormDetails open={open} setOpen={setOpen} conflict={conflict} summary={<>Record an intelligence gap, outcome or learning</>}>
      {conflict.current && (
        <PlanChangeConflict
          seen={conflict.seenOrNow()}
          current={conflict.current}
          change={{ label: `New ${kinds[kind].one}`, mine: text }}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            close();
          }}
        />
      )}
      <form onSubmit={submit} noValidate className="form">
        <FormAlert messages={[...missing, ...[...errors.general, ...unclaimedMessages(errors, ['text', 'recordedOn', 'kind'])].map(planWords)]} />
        <Field label="What it is" errors={messagesFor(errors, 'kind')}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as PlanEntryKind)}>
              {kindOrder.map((k) => (
                <option key={k} value={k}>
                  {kinds[k].option}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={kinds[kind].ask} errors={messagesFor(errors, 'text')}>
          {(p) => <textarea {...p} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        <Field label="Recorded on (optional)" hint="Today if left empty; not in the future." errors={[...dateWrong, ...messagesFor(errors, 'recordedOn')]}>
          {(p) => <input {...p} type="date" max={todayIso()} value={recordedOn} onChange={(e) => setRecordedOn(e.target.value)} />}
        </Field>
        <button type="submit" disabled={state.fetching || !!conflict.current}>
          Record {kinds[kind].one}
        </button>
      </form>
    </PlanFormDetails>
  );
}

/** Marking an intelligence gap as filled: how, and when (today by default; not before it was recorded). */
function ResolveGap({ plan, gap }: { plan: Plan; gap: Entry }) {
  const [open, setOpen] = useState(false);
  const [resolution, setResolution] = useState('');
  const [resolvedOn, setResolvedOn] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [state, resolve] = useMutation(ResolveIntelligenceGapDocument);
  const conflict = usePlanConflict(plan);
  const errors = formErrors(conflict.current ? undefined : state.error);
  const dateWrong = dateProblems(resolvedOn, gap.recordedOn);
  const save = (expectedVersion: number) => resolve({ input: { id: gap.id, expectedVersion, resolution, resolvedOn: resolvedOn || null } });
  const close = () => {
    setResolution('');
    setResolvedOn('');
    setMissing([]);
    setOpen(false);
  };
  const done = (saved: boolean) => saved && close();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = [...(!resolution.trim() ? ['Say how the gap was filled.'] : []), ...dateWrong];
    setMissing(problems);
    if (problems.length) return;
    done(await conflict.attempt(save));
  };
  const now = conflict.current?.intelligenceGaps?.find((g) => g.id === gap.id);
  return (
    <PlanFormDetails open={open} setOpen={setOpen} conflict={conflict} summary={<>Mark this gap as filled</>}>
      {conflict.current && (
        <PlanChangeConflict
          seen={conflict.seenOrNow()}
          current={conflict.current}
          change={{
            label: `How “${gap.text}” was filled`,
            mine: resolution,
            theirs: now?.resolvedOn ? `Filled ${formatDate(now.resolvedOn)}: ${now.resolution}` : <span className="empty">still open</span>,
          }}
          busy={state.fetching}
          onKeepMine={async () => done(await conflict.keepMine(save))}
          onTakeTheirs={() => {
            conflict.takeTheirs();
            close();
          }}
        />
      )}
      <form onSubmit={submit} noValidate>
        <FormAlert messages={[...missing, ...[...errors.general, ...unclaimedMessages(errors, ['resolution', 'resolvedOn'])].map(planWords)]} />
        <Field label="How it was filled" errors={messagesFor(errors, 'resolution')}>
          {(p) => <textarea {...p} rows={2} value={resolution} onChange={(e) => setResolution(e.target.value)} />}
        </Field>
        <Field label="Filled on (optional)" hint="Today if left empty; not in the future." errors={[...dateWrong, ...messagesFor(errors, 'resolvedOn')]}>
          {(p) => <input {...p} type="date" min={gap.recordedOn} max={todayIso()} value={resolvedOn} onChange={(e) => setResolvedOn(e.target.value)} />}
        </Field>
        <button type="submit" disabled={state.fetching || !!conflict.current}>
          Mark as filled
        </button>
      </form>
    </PlanFormDetails>
  );
}
