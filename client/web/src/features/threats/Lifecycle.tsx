import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ArchiveReason, ThreatStatus } from '../../gql/graphql';
import { messagesFor, unclaimedMessages, type FormErrors } from '../../lib/errors';
import { enumOptions, Field, FormAlert, label } from '../../lib/ui';
import { plainThreatWords, threatConflictMessage, threatFormErrors, useThreatSave } from './threatChanges';

const ChangeThreatStatusDocument = graphql(`
  mutation ChangeThreatStatus($input: ChangeThreatStatusInput!) {
    changeThreatStatus(input: $input) {
      ...ThreatChangeParts
    }
  }
`);

/**
 * Where a threat may go next from each status (docs/domain.md; the server's threatTransitions):
 * only these are offered. The server still decides, and says why when it refuses.
 */
export const nextStatuses: Record<ThreatStatus, ThreatStatus[]> = {
  TRIGGER_SUBMITTED: ['UNDER_ASSESSMENT'],
  UNDER_ASSESSMENT: ['ASSESSED', 'REJECTED'],
  ASSESSED: ['ADOPTED', 'ARCHIVED'],
  ADOPTED: ['UNDER_REVIEW'],
  UNDER_REVIEW: ['ADOPTED', 'ARCHIVED'],
  ARCHIVED: [],
  REJECTED: [],
};

/** What each move means, in words. */
const moveMeaning: Record<ThreatStatus, string> = {
  TRIGGER_SUBMITTED: 'Submitted for consideration.',
  UNDER_ASSESSMENT: 'Being assessed against the scoring model.',
  ASSESSED: 'Assessed: needs an approved assessment of the whole threat.',
  ADOPTED: 'Taken on for management: needs an approved assessment of the whole threat, and starts the review clock.',
  UNDER_REVIEW: 'Its management is being reviewed.',
  ARCHIVED: 'Closed: no longer managed. Needs a reason, and cannot be undone.',
  REJECTED: 'Not taken on. Cannot be undone.',
};

const archiveReasons: ArchiveReason[] = ['DISMANTLED', 'NO_LONGER_MEETS_CRITERIA', 'MERGED', 'TRANSFERRED', 'DUPLICATE'];

const claimed = ['status', 'archiveReason', 'id'];

/** The "Move to…" control: the allowed next statuses only, and the reason where one is required. */
export function MoveThreat({ threatId, version, status }: { threatId: string; version: number; status: ThreatStatus }) {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (!open && wasOpen.current) opener.current?.focus();
    wasOpen.current = open;
  }, [open]);
  const next = nextStatuses[status];
  if (!next.length) return <p className="hint">{label(status)} is a final status: the threat stays as it is.</p>;
  if (!open) {
    return (
      <p>
        <button type="button" ref={opener} onClick={() => setOpen(true)}>
          Move to…
        </button>
      </p>
    );
  }
  return <MoveForm threatId={threatId} version={version} status={status} next={next} onDone={() => setOpen(false)} />;
}

function MoveForm({ threatId, version, status, next, onDone }: { threatId: string; version: number; status: ThreatStatus; next: ThreatStatus[]; onDone: () => void }) {
  const [to, setTo] = useState<ThreatStatus | ''>(next.length === 1 ? next[0] : '');
  const [reason, setReason] = useState<ArchiveReason | ''>('');
  const [missing, setMissing] = useState<FormErrors | null>(null);
  const [state, change] = useMutation(ChangeThreatStatusDocument);
  const { attempt, conflict, checking } = useThreatSave(threatId, version);
  const errors = missing ?? threatFormErrors(conflict ? undefined : state.error);
  const messages = (field: string) => messagesFor(errors, field).map(plainThreatWords);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to) return setMissing({ fields: { status: ['Choose where to move the threat.'] }, general: [] });
    setMissing(null);
    // The reason is the server's to require: left empty, its message shows beside the field.
    const input = { id: threatId, status: to, archiveReason: to === 'ARCHIVED' && reason ? reason : null };
    if (await attempt((expectedVersion) => change({ input: { ...input, expectedVersion } }))) onDone();
  };

  return (
    <section className="decision" aria-labelledby="move-threat">
      <h3 id="move-threat" ref={heading} tabIndex={-1}>
        Move this threat on from {label(status).toLowerCase()}
      </h3>
      <form onSubmit={submit} noValidate className="form">
        <FormAlert messages={[...(conflict ? [threatConflictMessage] : []), ...errors.general.map(plainThreatWords), ...unclaimedMessages(errors, claimed).map(plainThreatWords)]} />
        <Field label="Move to" hint={to ? moveMeaning[to] : undefined} errors={messages('status')}>
          {(p) => (
            <select {...p} aria-required value={to} onChange={(e) => setTo(e.target.value as ThreatStatus | '')}>
              {next.length > 1 && <option value="">Choose…</option>}
              {enumOptions(next)}
            </select>
          )}
        </Field>
        {to === 'ARCHIVED' && (
          <Field label="Reason for archiving" errors={messages('archiveReason')}>
            {(p) => (
              <select {...p} aria-required value={reason} onChange={(e) => setReason(e.target.value as ArchiveReason | '')}>
                <option value="">Choose…</option>
                {enumOptions(archiveReasons)}
              </select>
            )}
          </Field>
        )}
        <div className="buttons">
          <button type="submit" disabled={state.fetching || checking}>
            {to === 'ARCHIVED' ? 'Archive threat' : 'Move threat'}
          </button>
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
