import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { IdentifierKind } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, formatDateTime, label, Loaded } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { DeconflictionResultView } from './DeconflictionResultView';
import { deconflictionWords, kindLabels, mayDeconflict } from './deconflictionWords';

const CheckIdentifierDocument = graphql(`
  mutation CheckIdentifier($input: IdentifierInput!) {
    checkIdentifier(input: $input) {
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
`);

const DeconflictionInterestsDocument = graphql(`
  query DeconflictionInterests {
    deconflictionInterests(first: 50) {
      id
      kind
      value
      strength
      checkedAt
      message
      checkedBy {
        id
        displayName
      }
      checkingOrganisation {
        id
        name
      }
      nominal {
        id
        name
        protectiveMarking
      }
      intelligenceReport {
        id
        reference
        protectiveMarking
      }
    }
  }
`);

/** The fields of the check form, by the server's names (for its messages). */
const fieldNames = ['kind', 'value', 'dateOfBirth'];

/** Hit / no hit: is this identifier held by another organisation? And who has shown an interest in ours. */
export function Deconfliction() {
  const viewer = useViewer();
  if (!mayDeconflict(viewer.roles)) {
    return (
      <>
        <h1>Deconfliction</h1>
        <p>Deconfliction checks are made by analysts, investigators and intelligence officers. Your roles do not include them.</p>
      </>
    );
  }
  return (
    <>
      <h1>Deconfliction</h1>
      <p className="hint">
        Check a person, phone number, vehicle or address against what every other organisation holds, including records you cannot see. You learn only who holds it and whom to
        contact; they are told that {viewer.organisation.name} has an interest. Every check is recorded in the audit trail.
      </p>
      <CheckForm />
      <Interests />
    </>
  );
}

function CheckForm() {
  const [kind, setKind] = useState<IdentifierKind>('PHONE');
  const [value, setValue] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [checked, setChecked] = useState<IdentifierKind>('PHONE');
  const [state, check] = useMutation(CheckIdentifierDocument);
  const errors = formErrors(state.error);
  const messages = (field: string) => messagesFor(errors, field).map(deconflictionWords);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setChecked(kind);
    await check({ input: { kind, value, dateOfBirth: kind === 'PERSON' ? dateOfBirth || null : null } });
  };

  return (
    <>
      <form className="form" aria-label="Deconfliction check" onSubmit={submit} noValidate>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames).map(deconflictionWords)]} />
        <Field label="What to check" errors={messages('kind')}>
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
        <Field label={kind === 'PERSON' ? 'Full name' : kindLabels[kind]} hint="Written any way: spaces, +44 and letter case do not matter." errors={messages('value')}>
          {(p) => <input {...p} aria-required value={value} onChange={(e) => setValue(e.target.value)} />}
        </Field>
        {kind === 'PERSON' && (
          <Field label="Date of birth" errors={messages('dateOfBirth')}>
            {(p) => <input {...p} type="date" aria-required value={dateOfBirth} onChange={(e) => setDateOfBirth(e.target.value)} />}
          </Field>
        )}
        <div className="buttons">
          <button type="submit" disabled={state.fetching}>
            Check
          </button>
        </div>
      </form>
      {state.data && !state.error && <DeconflictionResultView kind={checked} result={state.data.checkIdentifier} />}
    </>
  );
}

/** Interests others have shown in what the user's organisation holds, each linking to the record. */
function Interests() {
  const [{ data, fetching, error }] = useQuery({ query: DeconflictionInterestsDocument });
  return (
    <section aria-labelledby="interests">
      <h2 id="interests">Interest in what your organisation holds</h2>
      <Loaded data={data?.deconflictionInterests} fetching={fetching} error={error}>
        {(interests) =>
          interests.length === 0 ? (
            <p>No other organisation has checked anything you hold that you may see.</p>
          ) : (
            <table data-testid="interests">
              <thead>
                <tr>
                  <th scope="col">What happened</th>
                  <th scope="col">Your record</th>
                  <th scope="col">Marking</th>
                  <th scope="col">Contact</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {interests.map((i) => (
                  <tr key={i.id}>
                    <td>
                      {i.message} <span className="hint">({i.value})</span>
                    </td>
                    <td>
                      {i.nominal ? (
                        <Link to={`/people/${encodeURIComponent(i.nominal.id)}`}>{i.nominal.name}</Link>
                      ) : i.intelligenceReport ? (
                        <Link to={`/intelligence/${encodeURIComponent(i.intelligenceReport.id)}`}>{i.intelligenceReport.reference}</Link>
                      ) : null}
                    </td>
                    <td>{label(i.nominal?.protectiveMarking ?? i.intelligenceReport?.protectiveMarking)}</td>
                    <td>
                      {i.checkedBy.displayName}, {i.checkingOrganisation.name}
                    </td>
                    <td>{formatDateTime(i.checkedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}
