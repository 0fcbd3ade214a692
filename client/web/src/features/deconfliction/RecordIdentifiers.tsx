import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { HeldIdentifierFragment, IdentifierKind } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, formatDate, formatDateTime } from '../../lib/ui';
import { DeconflictionResultView } from './DeconflictionResultView';
import { deconflictionWords, kindInSentence, kindLabels, sourceWords, strengthWords } from './deconflictionWords';
import { RemoveIdentifier } from './RemoveIdentifier';

const RecordIdentifierDocument = graphql(`
  mutation RecordIdentifier($input: RecordIdentifierInput!) {
    recordIdentifier(input: $input) {
      identifier {
        kind
        value
        dateOfBirth
      }
      deconfliction {
        matched
        matches {
          organisation {
            id
            name
          }
          contact
          kind
          strength
        }
      }
    }
  }
`);

/** An identifier as the screens show it, with the answer its check gave (read with the person or report). */
export const HeldIdentifier = graphql(`
  fragment HeldIdentifier on RecordedIdentifier {
    id
    kind
    value
    dateOfBirth
    derivedFrom
    checkedAt
    matches {
      organisation {
        id
        name
      }
      contact
      kind
      strength
    }
  }
`);

export type IdentifierShape = HeldIdentifierFragment;

const fieldNames = ['kind', 'value', 'dateOfBirth', 'recordId'];

/** "Phone number: 07700 900417", "Person: Dale Pemberton, born 9 May 1993". */
function describe(i: IdentifierShape): string {
  return `${kindLabels[i.kind].replace(/ \(.*\)$/, '')}: ${i.value}${i.dateOfBirth ? `, born ${formatDate(i.dateOfBirth)}` : ''}`;
}

/** What the check of an identifier found when it was recorded, kept with it: who else holds it and whom to contact. */
function CheckAnswer({ identifier: i }: { identifier: IdentifierShape }) {
  if (!i.checkedAt) return <p className="hint">Not checked against other organisations.</p>;
  if (!i.matches.length) return <p className="hint">No other organisation held {kindInSentence[i.kind]} when it was checked ({formatDateTime(i.checkedAt)}).</p>;
  return (
    <ul className="deconfliction hit">
      {i.matches.map((m) => (
        <li key={m.organisation.id}>
          <strong>{m.organisation.name}</strong> held {kindInSentence[m.kind]} when it was checked ({strengthWords[m.strength]}, {formatDateTime(i.checkedAt)}). Contact {m.contact} before you act.
        </li>
      ))}
    </ul>
  );
}

/**
 * The identifiers held on a person or report (taken from its details, or recorded by hand), with
 * what the check of each found, and a form to record one more: each is checked against every
 * other organisation's at once, and the answer shown in plain words. Only for the record's own
 * organisation; recording and removing for the roles that check (the caller passes `mayRecord`).
 */
export function RecordIdentifiers({ recordId, identifiers, mayRecord, onRecorded }: { recordId: string; identifiers: readonly IdentifierShape[]; mayRecord: boolean; onRecorded: () => void }) {
  const [kind, setKind] = useState<IdentifierKind>('PHONE');
  const [value, setValue] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [recordedKind, setRecordedKind] = useState<IdentifierKind>('PHONE');
  const [state, record] = useMutation(RecordIdentifierDocument);
  const errors = formErrors(state.error);
  const messages = (field: string) => messagesFor(errors, field).map(deconflictionWords);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setRecordedKind(kind);
    const result = await record({ input: { recordId, kind, value, dateOfBirth: kind === 'PERSON' ? dateOfBirth || null : null } });
    if (result.data) {
      setValue('');
      onRecorded();
    }
  };

  return (
    <section aria-labelledby="identifiers">
      <h2 id="identifiers">Identifiers for deconfliction</h2>
      {identifiers.length === 0 ? (
        <p>None recorded.</p>
      ) : (
        <>
          {identifiers.some((i) => i.matches.length > 0) && <p className="marking">Official-Sensitive</p>}
          <ul data-testid="identifiers">
            {identifiers.map((i) => (
              <li key={i.id}>
                {describe(i)} <span className="hint">({sourceWords(i.derivedFrom)})</span>
                <CheckAnswer identifier={i} />
                {mayRecord && <RemoveIdentifier id={i.id} described={describe(i)} fromAField={!!i.derivedFrom} onRemoved={onRecorded} />}
              </li>
            ))}
          </ul>
        </>
      )}
      {mayRecord && (
        <form className="form" aria-label="Record an identifier" onSubmit={submit} noValidate>
          <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames).map(deconflictionWords)]} />
          <div className="row">
            <Field label="Kind of identifier" errors={messages('kind')}>
              {(p) => (
                <select {...p} value={kind} onChange={(e) => setKind(e.target.value as IdentifierKind)}>
                  {Object.entries(kindLabels).map(([k, text]) => (
                    <option key={k} value={k}>
                      {text}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={kind === 'PERSON' ? 'Full name' : kindLabels[kind]} errors={messages('value')}>
              {(p) => <input {...p} aria-required value={value} onChange={(e) => setValue(e.target.value)} />}
            </Field>
            {kind === 'PERSON' && (
              <Field label="Date of birth" errors={messages('dateOfBirth')}>
                {(p) => <input {...p} type="date" aria-required value={dateOfBirth} onChange={(e) => setDateOfBirth(e.target.value)} />}
              </Field>
            )}
          </div>
          <div className="buttons">
            <button type="submit" disabled={state.fetching}>
              Record and check
            </button>
          </div>
        </form>
      )}
      {state.data && !state.error && <DeconflictionResultView kind={recordedKind} result={state.data.recordIdentifier.deconfliction} />}
    </section>
  );
}
