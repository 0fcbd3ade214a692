import { useState } from 'react';
import { useClient, type CombinedError, type OperationResult, type TypedDocumentNode } from 'urql';
import { graphql } from '../../gql';
import type { ReferralOutcome } from '../../gql/graphql';
import { referralOutcomes } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, label, Value } from '../../lib/ui';
import { conflictIn, ConflictView, type ConflictRow } from '../records/ConflictView';
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

const ReferralNowDocument = graphql(`
  query ReferralNow($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on SafeguardingReferral {
        ...ReferralFields
        updatedBy {
          id
          displayName
        }
      }
    }
  }
`);

type Now = Referral & { updatedBy?: { displayName: string } | null };

/** One of the moves below, as the user asked for it, so it can be made again on a newer version. */
interface Move {
  /** What the user asked for, in words, for the conflict view ("Acknowledge, with the note …"). */
  text: string;
  send: (expectedVersion: number) => Promise<OperationResult>;
}

/**
 * The next move for the receiving organisation, and notes (either side) or feedback (receiver).
 * Once the user starts writing or choosing, the move is made against the referral as they saw
 * it then: if the other organisation (or a colleague) changed it meanwhile, the server answers
 * CONFLICT and both versions are shown, with the user's move to make again or drop.
 */
export function ReferralActions({ referral: live, receiving }: { referral: Referral; receiving: boolean }) {
  const client = useClient();
  const [seen, setSeen] = useState<Referral | null>(null);
  const r = seen ?? live;
  const [text, setText] = useState('');
  const [outcome, setOutcome] = useState<ReferralOutcome | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>();
  const [conflict, setConflict] = useState<{ move: Move; current: Now } | null>(null);
  const errors = formErrors(error);
  const begin = () => setSeen((s) => s ?? live);
  const reset = () => {
    setText('');
    setOutcome('');
    setSeen(null);
  };

  const make = async (move: Move, version = r.version) => {
    setBusy(true);
    const result = await move.send(version);
    if (conflictIn(result.error)) {
      const now = await client.query(ReferralNowDocument, { id: r.id }, { requestPolicy: 'network-only' }).toPromise();
      const current = now.data?.node?.__typename === 'SafeguardingReferral' ? (now.data.node as Now) : null;
      setConflict(current ? { move, current } : null);
      setError(current ? undefined : result.error);
    } else {
      setError(result.error);
      if (!result.error) {
        setConflict(null);
        reset();
      }
    }
    setBusy(false);
  };
  const move = (name: string, document: TypedDocumentNode<any, any>, input: Record<string, unknown>): Move => ({
    text: [name, text.trim() && `with the note “${text.trim()}”`].filter(Boolean).join(', '),
    send: (expectedVersion) => client.mutation(document, { input: { id: r.id, expectedVersion, ...input } }).toPromise(),
  });
  const withNote = { note: text || null };
  const button = (name: string, document: TypedDocumentNode<any, any>, input: Record<string, unknown>, disabled = false) => (
    <button type="button" disabled={busy || !!conflict || disabled} onClick={() => void make(move(name, document, input))}>
      {name}
    </button>
  );

  const step = () => {
    if (!receiving) return null;
    if (r.status === 'SUBMITTED') return button('Acknowledge', AcknowledgeDocument, withNote);
    if (r.status === 'ACKNOWLEDGED') return button('Start work', StartWorkDocument, withNote);
    if (r.status === 'DECISION') return button('Close', CloseDocument, withNote);
    if (r.status !== 'IN_PROGRESS') return null;
    return (
      <>
        <Field label="Outcome" errors={messagesFor(errors, 'outcome')}>
          {(p) => (
            <select
              {...p}
              value={outcome}
              onChange={(e) => {
                begin();
                setOutcome(e.target.value as ReferralOutcome);
              }}
            >
              <option value="">Choose…</option>
              {enumOptions(referralOutcomes)}
            </select>
          )}
        </Field>
        {button('Record decision', DecisionDocument, { ...withNote, outcome: outcome || null }, !outcome)}
      </>
    );
  };

  return (
    <section aria-labelledby="referral-actions" className="form">
      <h2 id="referral-actions">{receiving ? 'Your organisation received this referral' : 'Your organisation made this referral'}</h2>
      {conflict && (
        <ConflictView
          what="referral"
          changedBy={conflict.current.updatedBy?.displayName}
          rows={referralRows(r, conflict)}
          busy={busy}
          onKeepMine={() => {
            setSeen(conflict.current); // the user has now seen this version
            void make(conflict.move, conflict.current.version);
          }}
          onTakeTheirs={() => {
            setConflict(null);
            setError(undefined);
            reset();
          }}
        />
      )}
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['outcome', 'note', 'text'])]} />
      <Field label={receiving ? 'Note (recorded with a move, or on its own)' : 'Note'} errors={[...messagesFor(errors, 'note'), ...messagesFor(errors, 'text')]}>
        {(p) => (
          <textarea
            {...p}
            rows={2}
            value={text}
            onChange={(e) => {
              begin();
              setText(e.target.value);
            }}
          />
        )}
      </Field>
      <div className="buttons">
        {step()}
        {button('Add note', NoteDocument, { text }, !text.trim())}
        {receiving && button(`Send as feedback to ${r.referringOrganisation.code}`, FeedbackDocument, { text }, !text.trim())}
      </div>
    </section>
  );
}

/** The timeline's entries as lines ("Note by DC …: …"), for comparing two versions. */
const timelineLines = (r: Referral) =>
  r.timeline.map((u) => `${label(u.kind)} by ${u.by.displayName}${u.kind === 'STATUS_CHANGE' ? `: ${label(u.toStatus)}` : ''}${u.text ? `: ${u.text}` : ''}`);

function Lines({ lines }: { lines: string[] }) {
  if (!lines.length) return <span className="empty">none</span>;
  return (
    <ul className="plain">
      {lines.map((l, i) => (
        <li key={i}>{l}</li>
      ))}
    </ul>
  );
}

/** The referral as the user saw it, with their move, beside the referral as it is now. */
function referralRows(seen: Referral, { move, current }: { move: Move; current: Now }): ConflictRow[] {
  const before = timelineLines(seen);
  const now = timelineLines(current);
  const since = now.slice(before.length);
  return [
    { label: 'Your move', mine: move.text, theirs: <span className="empty">not in the current version</span>, differs: true },
    { label: 'Status', mine: label(seen.status), theirs: label(current.status), differs: seen.status !== current.status },
    { label: 'Outcome', mine: <Value empty="none">{label(seen.outcome)}</Value>, theirs: <Value empty="none">{label(current.outcome)}</Value>, differs: seen.outcome !== current.outcome },
    { label: 'Timeline since you looked', mine: <Lines lines={[]} />, theirs: <Lines lines={since} />, differs: since.length > 0 },
    { label: 'Version', mine: seen.version, theirs: current.version, differs: seen.version !== current.version },
  ];
}
