import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { PersonEditQuery, UpdateNominalInput } from '../../gql/graphql';
import { sharings } from '../../lib/enums';
import { formErrors, unclaimedMessages } from '../../lib/errors';
import { FormAlert, formatDate, label, Loaded, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { conflictIn, ConflictView, type ConflictRow } from '../records/ConflictView';
import { lines, mayRecordPeople, PersonFields, personFieldNames, plainPersonWords, type PersonValues } from './personFields';

const PersonEditDocument = graphql(`
  query PersonEdit($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Nominal {
        name
        aliases
        dateOfBirth
        vulnerabilityFlags
        protectiveMarking
        sharing
        version
        owningOrganisation {
          id
          code
        }
        sharedWith {
          id
        }
        updatedBy {
          id
          displayName
        }
      }
    }
  }
`);

const UpdateNominalDocument = graphql(`
  mutation UpdateNominal($input: UpdateNominalInput!) {
    updateNominal(input: $input) {
      id
      name
      aliases
      dateOfBirth
      isChild
      vulnerabilityFlags
      protectiveMarking
      sharing
      version
      updatedBy {
        id
        displayName
      }
    }
  }
`);

type EditablePerson = Extract<NonNullable<PersonEditQuery['node']>, { __typename: 'Nominal' }>;

const valuesOf = (n: EditablePerson): PersonValues => ({
  name: n.name,
  aliases: (n.aliases ?? []).join('\n'),
  dateOfBirth: n.dateOfBirth ?? '',
  vulnerabilityFlags: (n.vulnerabilityFlags ?? []).join('\n'),
  protectiveMarking: n.protectiveMarking,
  sharing: n.sharing,
});

const fieldLabels: Record<keyof PersonValues, string> = {
  name: 'Name',
  aliases: 'Aliases',
  dateOfBirth: 'Date of birth',
  vulnerabilityFlags: 'Vulnerability flags',
  protectiveMarking: 'Protective marking',
  sharing: 'Sharing',
};

const shown = (field: keyof PersonValues, value: string) =>
  field === 'dateOfBirth' ? <Value>{formatDate(value)}</Value> : field === 'sharing' || field === 'protectiveMarking' ? label(value) : <Value empty="none">{lines(value).join(', ')}</Value>;

/** Only what the user changed since `base` is sent, so saving again after a conflict keeps others' changes to other fields. */
function changesFrom(base: PersonValues, mine: PersonValues, person: EditablePerson): Omit<UpdateNominalInput, 'id' | 'expectedVersion'> {
  const input: Omit<UpdateNominalInput, 'id' | 'expectedVersion'> = {};
  if (mine.name !== base.name) input.name = mine.name;
  if (mine.aliases !== base.aliases) input.aliases = lines(mine.aliases);
  if (mine.dateOfBirth !== base.dateOfBirth) input.dateOfBirth = mine.dateOfBirth || null;
  if (mine.vulnerabilityFlags !== base.vulnerabilityFlags) input.vulnerabilityFlags = lines(mine.vulnerabilityFlags);
  if (mine.sharing !== base.sharing || mine.protectiveMarking !== base.protectiveMarking) {
    input.access = {
      sharing: mine.sharing,
      protectiveMarking: mine.protectiveMarking,
      ...(mine.sharing === 'NAMED_ORGANISATIONS' ? { sharedWithIds: person.sharedWith.map((o) => o.id) } : {}),
    };
  }
  return input;
}

/** Editing a person's details and sharing; a save that meets a newer version shows both. */
export function PersonEdit() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: PersonEditDocument, variables: { id }, requestPolicy: 'network-only' });
  const person = data?.node?.__typename === 'Nominal' ? data.node : data && null;
  // The form keeps the version it was opened on: live updates refreshing the cache must not reset it.
  const [opened, setOpened] = useState<EditablePerson | null>(null);
  if (person && opened?.id !== person.id) setOpened(person);
  if (data && !person && !opened) return <p role="alert">This person does not exist or you may not see them.</p>;
  return <Loaded data={opened} fetching={fetching} error={error}>{(n) => <PersonEditForm person={n} />}</Loaded>;
}

function PersonEditForm({ person: opened }: { person: EditablePerson }) {
  const viewer = useViewer();
  const navigate = useNavigate();
  const client = useClient();
  const [base, setBase] = useState(() => ({ values: valuesOf(opened), version: opened.version, person: opened }));
  const [values, setValues] = useState(base.values);
  const [current, setCurrent] = useState<EditablePerson | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [state, update] = useMutation(UpdateNominalDocument);
  const conflict = conflictIn(error);
  const errors = formErrors(conflict ? undefined : error);

  const save = async (version: number, from: PersonValues, person: EditablePerson) => {
    const result = await update({ input: { id: person.id, expectedVersion: version, ...changesFrom(from, values, person) } });
    setError(result.error);
    if (!result.error) return navigate(`/people/${person.id}`);
    if (conflictIn(result.error)) {
      const now = await client.query(PersonEditDocument, { id: person.id }, { requestPolicy: 'network-only' }).toPromise();
      setCurrent(now.data?.node?.__typename === 'Nominal' ? now.data.node : null);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(base.version, base.values, base.person);
  };
  const takeTheirs = (theirs: EditablePerson) => {
    setBase({ values: valuesOf(theirs), version: theirs.version, person: theirs });
    setValues(valuesOf(theirs));
    setCurrent(null);
    setError(undefined);
  };

  if (opened.owningOrganisation.id !== viewer.organisation.id || !mayRecordPeople(viewer.roles)) {
    return <p role="alert">Only {opened.owningOrganisation.code}, in an intelligence, investigation or safeguarding role, can change this person.</p>;
  }
  const theirs = current ? valuesOf(current) : null;
  const rows: ConflictRow[] = theirs
    ? (Object.keys(fieldLabels) as (keyof PersonValues)[]).map((f) => ({ label: fieldLabels[f], mine: shown(f, values[f]), theirs: shown(f, theirs[f]), differs: values[f] !== theirs[f] }))
    : [];
  const sharingOptions = sharings.filter((s) => s !== 'NAMED_ORGANISATIONS' || base.person.sharing === 'NAMED_ORGANISATIONS');

  return (
    <>
      <p className="crumbs">
        <Link to="/people">People</Link> / <Link to={`/people/${opened.id}`}>{opened.name}</Link> / Edit
      </p>
      <h1>Edit {base.person.name}</h1>
      {current && (
        <ConflictView
          what="person"
          changedBy={current.updatedBy.displayName}
          rows={rows}
          busy={state.fetching}
          onKeepMine={() => void save(current.version, base.values, current)}
          onTakeTheirs={() => takeTheirs(current)}
        />
      )}
      <form className="form" onSubmit={submit} noValidate>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, personFieldNames).map(plainPersonWords)]} />
        <PersonFields value={values} set={(changes) => setValues({ ...values, ...changes })} errors={errors} sharingOptions={sharingOptions} />
        <div className="buttons">
          <button type="submit" disabled={state.fetching || !!current}>
            Save changes
          </button>
          <Link className="button" to={`/people/${opened.id}`}>
            Cancel
          </Link>
        </div>
        <p className="hint">Editing version {base.version}.</p>
      </form>
    </>
  );
}
