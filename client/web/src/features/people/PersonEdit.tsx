import { Link, useParams } from 'react-router-dom';
import { graphql } from '../../gql';
import type { PersonEditQuery, UpdateNominalInput } from '../../gql/graphql';
import { unclaimedMessages } from '../../lib/errors';
import { FormAlert, formatDate, label, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { ConflictView } from '../records/ConflictView';
import { changedAccess, RecordToEdit, sharingChoices, useVersionedEdit, VersionedEditActions, type RecordRead } from '../records/versionedEdit';
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

const personRead: RecordRead<PersonEditQuery, EditablePerson> = {
  query: PersonEditDocument,
  recordIn: (data) => (data.node?.__typename === 'Nominal' ? data.node : null),
};

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
  const access = changedAccess(base, mine, person);
  if (access) input.access = access;
  return input;
}

/** Editing a person's details and sharing; a save that meets a newer version shows both. */
export function PersonEdit() {
  const { id = '' } = useParams();
  return (
    <RecordToEdit id={id} read={personRead} missing="This person does not exist or you may not see them.">
      {(n) => <PersonEditForm person={n} />}
    </RecordToEdit>
  );
}

function PersonEditForm({ person: opened }: { person: EditablePerson }) {
  const viewer = useViewer();
  const edit = useVersionedEdit({ opened, read: personRead, update: UpdateNominalDocument, valuesOf, changesFrom, labels: fieldLabels, shown, savedTo: `/people/${opened.id}` });
  const { base, values, errors } = edit;

  if (opened.owningOrganisation.id !== viewer.organisation.id || !mayRecordPeople(viewer.roles)) {
    return <p role="alert">Only {opened.owningOrganisation.code}, in an intelligence, investigation or safeguarding role, can change this person.</p>;
  }
  const sharingOptions = sharingChoices(base.record);

  return (
    <>
      <p className="crumbs">
        <Link to="/people">People</Link> / <Link to={`/people/${opened.id}`}>{opened.name}</Link> / Edit
      </p>
      <h1>Edit {base.record.name}</h1>
      {edit.conflict && <ConflictView what="person" {...edit.conflict} />}
      <form className="form" onSubmit={edit.submit} noValidate>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, personFieldNames).map(plainPersonWords)]} />
        <PersonFields value={values} set={edit.set} errors={errors} sharingOptions={sharingOptions} />
        <VersionedEditActions edit={edit} cancelTo={`/people/${opened.id}`} />
      </form>
    </>
  );
}
