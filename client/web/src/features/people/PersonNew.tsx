import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation } from 'urql';
import { formErrors, unclaimedMessages } from '../../lib/errors';
import { FormAlert } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { blankPerson, CreateNominalDocument, createPersonInput, mayRecordPeople, PersonFields, personFieldNames, plainPersonWords, type PersonValues } from './personFields';

/** Records a new person; every rule is the server's, its messages sit by the fields. */
export function PersonNew() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const [value, setValue] = useState<PersonValues>(blankPerson);
  const [state, create] = useMutation(CreateNominalDocument);
  const errors = formErrors(state.error);
  if (!mayRecordPeople(viewer.roles)) return <p role="alert">Recording people is for intelligence, investigation and safeguarding roles.</p>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create({ input: createPersonInput(value) });
    if (result.data) navigate(`/people/${result.data.createNominal.id}`);
  };
  return (
    <>
      <p className="crumbs">
        <Link to="/people">People</Link> / New person
      </p>
      <h1>Record a person</h1>
      <form onSubmit={submit} className="form" noValidate>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, personFieldNames).map(plainPersonWords)]} />
        <PersonFields value={value} set={(changes) => setValue({ ...value, ...changes })} errors={errors} />
        <div className="buttons">
          <button type="submit" disabled={state.fetching}>
            Record person
          </button>
          <Link className="button" to="/people">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
