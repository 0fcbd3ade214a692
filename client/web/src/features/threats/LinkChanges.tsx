import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { messagesFor, unclaimedMessages, type FormErrors } from '../../lib/errors';
import { Field, FormAlert, label } from '../../lib/ui';
import { plainThreatWords, threatConflictMessage, threatFormErrors, useSettled, useThreatSave } from './threatChanges';

const FindThreatsDocument = graphql(`
  query FindThreats($text: String) {
    threats(first: 10, filter: { text: $text }, orderBy: [{ field: NAME, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          urn
          name
          status
        }
      }
    }
  }
`);

const LinkThreatsDocument = graphql(`
  mutation LinkThreats($input: LinkThreatsInput!) {
    linkThreats(input: $input) {
      ...ThreatChangeParts
    }
  }
`);

interface Found {
  id: string;
  urn: string;
  name: string;
  status: string;
}

const claimed = ['linkedThreatId', 'reason', 'threatId'];

/** Links this threat to another one the user can see, with the reason. */
export function LinkThreat({ threatId, version, linkedIds, onDone }: { threatId: string; version: number; linkedIds: string[]; onDone: () => void }) {
  const [text, setText] = useState('');
  const settled = useSettled(text.trim());
  const [{ data }] = useQuery({ query: FindThreatsDocument, variables: { text: settled }, pause: settled.length < 2 });
  const [chosen, setChosen] = useState<Found | null>(null);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<FormErrors | null>(null);
  const [state, link] = useMutation(LinkThreatsDocument);
  const { attempt, conflict, checking } = useThreatSave(threatId, version);
  const errors = missing ?? threatFormErrors(conflict ? undefined : state.error);
  const messages = (field: string) => messagesFor(errors, field).map(plainThreatWords);
  const found = settled.length >= 2 ? (data?.threats.edges.map((e) => e.node).filter((t) => t.id !== threatId) ?? []) : [];
  const resultsId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) return setMissing({ fields: { linkedThreatId: ['Choose the threat to link.'] }, general: [] });
    setMissing(null);
    if (await attempt((expectedVersion) => link({ input: { threatId, expectedVersion, linkedThreatId: chosen.id, reason } }))) onDone();
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      <FormAlert messages={[...(conflict ? [threatConflictMessage] : []), ...errors.general.map(plainThreatWords), ...unclaimedMessages(errors, claimed).map(plainThreatWords)]} />
      <fieldset>
        <legend>Threat to link</legend>
        {messages('linkedThreatId').map((m) => (
          <p key={m} className="field-error" role="alert">
            {m}
          </p>
        ))}
        {chosen ? (
          <p data-testid="chosen-threat">
            Chosen: <strong>{chosen.urn} {chosen.name}</strong> <span className="hint">({label(chosen.status).toLowerCase()})</span>{' '}
            <button type="button" className="small" onClick={() => setChosen(null)}>
              Choose another threat
            </button>
          </p>
        ) : (
          <>
            <Field label="Find a threat by name or reference" hint="Among the threats shared with you; type at least two letters.">
              {(p) => <input {...p} type="search" aria-controls={resultsId} value={text} onChange={(e) => setText(e.target.value)} />}
            </Field>
            <div id={resultsId} aria-live="polite">
              {settled.length >= 2 && data && found.length === 0 && <p>No other threat shared with you matches “{settled}”.</p>}
              {found.length > 0 && (
                <ul className="plain" aria-label="Threats found">
                  {found.map((t) => (
                    <li key={t.id}>
                      {linkedIds.includes(t.id) ? (
                        <span>
                          {t.urn} {t.name} <span className="hint">already linked</span>
                        </span>
                      ) : (
                        <>
                          <button type="button" className="small" onClick={() => setChosen(t)}>
                            Choose {t.urn} {t.name}
                          </button>{' '}
                          <span className="hint">{label(t.status)}</span>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </>
        )}
      </fieldset>
      <Field label="Why they are linked" hint="For example: shared members, supply, territory." errors={messages('reason')}>
        {(p) => <textarea {...p} rows={2} aria-required value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <div className="buttons">
        <button type="submit" disabled={state.fetching || checking}>
          Link threats
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const UnlinkThreatsDocument = graphql(`
  mutation UnlinkThreats($input: UnlinkThreatsInput!) {
    unlinkThreats(input: $input) {
      ...ThreatChangeParts
    }
  }
`);

/** Removes the link to another threat, once confirmed. */
export function UnlinkThreat({ threatId, version, other, onDone }: { threatId: string; version: number; other: { id: string; urn: string; name: string }; onDone: () => void }) {
  const [state, unlink] = useMutation(UnlinkThreatsDocument);
  const { attempt, conflict, checking } = useThreatSave(threatId, version);
  const errors = threatFormErrors(conflict ? undefined : state.error);
  const confirm = async () => {
    if (await attempt((expectedVersion) => unlink({ input: { threatId, expectedVersion, linkedThreatId: other.id } }))) onDone();
  };
  return (
    <>
      <FormAlert messages={[...(conflict ? [threatConflictMessage] : []), ...errors.general.map(plainThreatWords), ...Object.values(errors.fields).flat().map(plainThreatWords)]} />
      <p className="hint">
        The link goes from both threats; both threats stay on record.
      </p>
      <div className="buttons">
        <button type="button" className="danger" disabled={state.fetching || checking} onClick={() => void confirm()}>
          Remove link
        </button>
        <button type="button" onClick={onDone}>
          Keep the link
        </button>
      </div>
    </>
  );
}
