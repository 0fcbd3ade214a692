import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, formatDate, Withheld, withheldReason } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { GateNote } from './gate';
import { PlanChangeConflict, PlanFormDetails, usePlanConflict } from './PlanConflict';
import type { Plan } from './PlanEditor';
import { planWords, todayIso } from './planFields';

const RecordPlanReviewDocument = graphql(`
  mutation RecordPlanReview($input: RecordPlanReviewInput!) {
    recordPlanReview(input: $input) {
      ...PlanEditorFields
    }
  }
`);

/** YYYY-MM-DD plus `days`. */
function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The plan's reviews, newest first, and (for its owner, while open) recording one. */
export function PlanReviews({ plan, canEdit, openRequest }: { plan: Plan; canEdit: boolean; openRequest: number }) {
  const withheld = withheldReason(plan.withheld, 'reviews');
  const reviews = [...(plan.reviews ?? [])].reverse();
  return (
    <section aria-labelledby="reviews">
      <h2 id="reviews">Reviews{plan.reviews && ` (${plan.reviews.length})`}</h2>
      <p>
        {plan.status === 'CLOSED' ? (
          'Closed plans are not reviewed.'
        ) : (
          <>
            Reviewed every {plan.reviewFrequencyDays} days · next review {plan.nextReviewDue ? formatDate(plan.nextReviewDue) : <span className="empty">none due yet</span>}
          </>
        )}
        <GateNote match={(q) => q.code === 'REVIEW_OVERDUE'} />
      </p>
      {plan.reviews === null || plan.reviews === undefined ? (
        <Withheld reason={withheld ?? 'The plan’s reviews are withheld from you.'} />
      ) : reviews.length ? (
        <ul className="plain">
          {reviews.map((r, i) => (
            <li key={`${r.date}-${i}`}>
              <strong>{formatDate(r.date)}</strong>, {r.forum}, chaired by {r.reviewer.displayName}: {r.decisions}
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty">No review recorded yet.</p>
      )}
      {canEdit && <RecordReview plan={plan} openRequest={openRequest} />}
    </section>
  );
}

/**
 * Recording a review: its date (today by default; never in the future), where it was held and
 * what was decided. The form says when the next review will then fall due, and warns when the
 * date is before the latest review already recorded (the next review date then does not move).
 */
function RecordReview({ plan, openRequest }: { plan: Plan; openRequest: number }) {
  const viewer = useViewer();
  const [open, setOpen] = useState(false);
  const [date, setDate] = useState(todayIso());
  const [forum, setForum] = useState('');
  const [decisions, setDecisions] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const [state, record] = useMutation(RecordPlanReviewDocument);
  const conflict = usePlanConflict(plan);
  const errors = formErrors(conflict.current ? undefined : state.error);
  const wrapper = useRef<HTMLDivElement>(null);
  const [focusPending, setFocusPending] = useState(false);
  const firstField = useRef<HTMLInputElement>(null);

  // "Record a review" beside the gate's overdue problem opens this form and takes the user to it.
  useEffect(() => {
    if (!openRequest) return;
    if (!open) conflict.start();
    setOpen(true);
    setFocusPending(true);
    // Only a new request opens it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openRequest]);
  // Once the form is open (rendered), the user is taken to its first field.
  useEffect(() => {
    if (!open || !focusPending) return;
    setFocusPending(false);
    wrapper.current?.scrollIntoView({ block: 'start' });
    firstField.current?.focus();
  }, [open, focusPending]);

  const today = todayIso();
  const future = date > today;
  const latest = plan.reviews?.reduce<string | null>((max, r) => (!max || r.date > max ? r.date : max), null) ?? null;
  const earlier = !!date && !!latest && date < latest;
  const nextDue = date && !future ? addDays(earlier ? latest! : date, plan.reviewFrequencyDays) : null;

  const save = (expectedVersion: number) => record({ input: { planId: plan.id, expectedVersion, date, forum, decisions } });
  const close = () => {
    setDate(todayIso());
    setForum('');
    setDecisions('');
    setMissing([]);
    setOpen(false);
  };
  const done = (saved: boolean) => saved && close();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems = [
      ...(!date ? ['Give the date of the review.'] : []),
      ...(future ? ['The review date cannot be in the future: record a review once it has taken place.'] : []),
      ...(!forum.trim() ? ['Say where the plan was reviewed.'] : []),
      ...(!decisions.trim() ? ['Record what the review decided.'] : []),
    ];
    setMissing(problems);
    if (problems.length) return;
    done(await conflict.attempt(save));
  };
  return (
    <div ref={wrapper}>
      <PlanFormDetails open={open} setOpen={setOpen} conflict={conflict} summary={<>Record a review</>}>
        {conflict.current && (
          <PlanChangeConflict
            seen={conflict.seenOrNow()}
            current={conflict.current}
            change={{ label: 'New review', mine: `${formatDate(date)}, ${forum}: ${decisions}` }}
            busy={state.fetching}
            onKeepMine={async () => done(await conflict.keepMine(save))}
            onTakeTheirs={() => {
              conflict.takeTheirs();
              close();
            }}
          />
        )}
        <form onSubmit={submit} noValidate>
          <FormAlert messages={[...missing, ...[...errors.general, ...unclaimedMessages(errors, ['date', 'forum', 'decisions'])].map(planWords)]} />
          <Field
            label="Date of the review"
            hint={
              future
                ? undefined
                : earlier
                  ? `Before the latest review recorded (${formatDate(latest)}): the next review stays due on ${formatDate(nextDue)}.`
                  : nextDue
                    ? `The next review will then fall due on ${formatDate(nextDue)}.`
                    : 'Not in the future.'
            }
            errors={[...(future ? ['This date is in the future: a review is recorded once it has taken place.'] : []), ...messagesFor(errors, 'date')]}
          >
            {(p) => <input {...p} ref={firstField} type="date" max={today} value={date} onChange={(e) => setDate(e.target.value)} />}
          </Field>
          <Field label="Where it was reviewed" hint="For example, the regional tasking and coordination group." errors={messagesFor(errors, 'forum')}>
            {(p) => <input {...p} value={forum} onChange={(e) => setForum(e.target.value)} />}
          </Field>
          <Field label="What was decided" errors={messagesFor(errors, 'decisions')}>
            {(p) => <textarea {...p} rows={3} value={decisions} onChange={(e) => setDecisions(e.target.value)} />}
          </Field>
          <p className="hint">Recorded as chaired by you ({viewer.displayName}).</p>
          <button type="submit" disabled={state.fetching || !!conflict.current}>
            Record review
          </button>
        </form>
      </PlanFormDetails>
    </div>
  );
}
