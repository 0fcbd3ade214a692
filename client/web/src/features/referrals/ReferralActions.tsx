import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ReferralOutcome } from '../../gql/graphql';
import { referralOutcomes } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert } from '../../lib/ui';
import type { Referral } from './ReferralPage';

const AcknowledgeDocument = graphql(`
  mutation AcknowledgeReferral($input: ReferralStepInput!) {
    acknowledgeReferral(input: $input) {
      ...ReferralFields
    }
  }
`);
const StartWorkDocument = graphql(`
  mutation StartReferralWork($input: ReferralStepInput!) {
    startReferralWork(input: $input) {
      ...ReferralFields
    }
  }
`);
const DecisionDocument = graphql(`
  mutation RecordReferralDecision($input: ReferralDecisionInput!) {
    recordReferralDecision(input: $input) {
      ...ReferralFields
    }
  }
`);
const CloseDocument = graphql(`
  mutation CloseReferral($input: ReferralStepInput!) {
    closeReferral(input: $input) {
      ...ReferralFields
    }
  }
`);
const NoteDocument = graphql(`
  mutation AddReferralNote($input: ReferralTextInput!) {
    addReferralNote(input: $input) {
      ...ReferralFields
    }
  }
`);
const FeedbackDocument = graphql(`
  mutation RecordReferralFeedback($input: ReferralTextInput!) {
    recordReferralFeedback(input: $input) {
      ...ReferralFields
    }
  }
`);

/** The next move for the receiving organisation, and notes (either side) or feedback (receiver). */
export function ReferralActions({ referral: r, receiving }: { referral: Referral; receiving: boolean }) {
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<ReferralOutcome | ''>('');
  const [ack, acknowledge] = useMutation(AcknowledgeDocument);
  const [start, startWork] = useMutation(StartWorkDocument);
  const [decision, decide] = useMutation(DecisionDocument);
  const [closing, close] = useMutation(CloseDocument);
  const [note, addNote] = useMutation(NoteDocument);
  const [feedback, giveFeedback] = useMutation(FeedbackDocument);
  const states = [ack, start, decision, closing, note, feedback];
  const errors = formErrors(states.find((s) => s.error)?.error);
  const busy = states.some((s) => s.fetching);
  const base = { id: r.id, expectedVersion: r.version };
  const withNote = { ...base, note: text || null };
  const after = (result: { error?: unknown }) => !result.error && setText('');

  const step = () => {
    if (!receiving) return null;
    if (r.status === 'SUBMITTED') return <button type="button" disabled={busy} onClick={async () => after(await acknowledge({ input: withNote }))}>Acknowledge</button>;
    if (r.status === 'ACKNOWLEDGED') return <button type="button" disabled={busy} onClick={async () => after(await startWork({ input: withNote }))}>Start work</button>;
    if (r.status === 'DECISION') return <button type="button" disabled={busy} onClick={async () => after(await close({ input: withNote }))}>Close</button>;
    if (r.status !== 'IN_PROGRESS') return null;
    return (
      <>
        <Field label="Outcome" errors={messagesFor(errors, 'outcome')}>
          {(p) => (
            <select {...p} value={outcome} onChange={(e) => setOutcome(e.target.value as ReferralOutcome)}>
              <option value="">Choose…</option>
              {enumOptions(referralOutcomes)}
            </select>
          )}
        </Field>
        <button type="button" disabled={busy || !outcome} onClick={async () => after(await decide({ input: { ...withNote, outcome: outcome as ReferralOutcome } }))}>
          Record decision
        </button>
      </>
    );
  };

  return (
    <section aria-labelledby="referral-actions" className="form">
      <h2 id="referral-actions">{receiving ? 'Your organisation received this referral' : 'Your organisation made this referral'}</h2>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['outcome', 'note', 'text'])]} />
      <Field label={receiving ? 'Note (recorded with a move, or on its own)' : 'Note'} errors={[...messagesFor(errors, 'note'), ...messagesFor(errors, 'text')]}>
        {(p) => <textarea {...p} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}
      </Field>
      <div className="buttons">
        {step()}
        <button type="button" disabled={busy || !text.trim()} onClick={async () => after(await addNote({ input: { ...base, text } }))}>
          Add note
        </button>
        {receiving && (
          <button type="button" disabled={busy || !text.trim()} onClick={async () => after(await giveFeedback({ input: { ...base, text } }))}>
            Send as feedback to {r.referringOrganisation.code}
          </button>
        )}
      </div>
    </section>
  );
}
