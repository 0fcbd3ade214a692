import { Link, useParams } from 'react-router-dom';
import { graphql } from '../../gql';
import type { ProtectiveMarking, Sharing, ThreatEditQuery, UpdateThreatInput } from '../../gql/graphql';
import { protectiveMarkings } from '../../lib/enums';
import { messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, formatDate, label, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { ConflictView } from '../records/ConflictView';
import { changedAccess, RecordToEdit, sharingChoices, useVersionedEdit, VersionedEditActions, type RecordRead } from '../records/versionedEdit';

const ThreatEditDocument = graphql(`
  query ThreatEdit($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on SocThreat {
        urn
        name
        summary
        nextReviewDue
        sharing
        protectiveMarking
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

const UpdateThreatDocument = graphql(`
  mutation UpdateThreat($input: UpdateThreatInput!) {
    updateThreat(input: $input) {
      id
      urn
      name
      summary
      nextReviewDue
      sharing
      protectiveMarking
      version
      updatedBy {
        id
        displayName
      }
    }
  }
`);

type EditableThreat = Extract<NonNullable<ThreatEditQuery['node']>, { __typename: 'SocThreat' }>;

const threatRead: RecordRead<ThreatEditQuery, EditableThreat> = {
  query: ThreatEditDocument,
  recordIn: (data) => (data.node?.__typename === 'SocThreat' ? data.node : null),
};

/** What the form edits, as the form holds it ('' for an empty date or summary). */
interface Values {
  name: string;
  summary: string;
  nextReviewDue: string;
  sharing: Sharing;
  protectiveMarking: ProtectiveMarking;
}

const valuesOf = (t: EditableThreat): Values => ({
  name: t.name,
  summary: t.summary ?? '',
  nextReviewDue: t.nextReviewDue ?? '',
  sharing: t.sharing,
  protectiveMarking: t.protectiveMarking,
});

const fieldLabels: Record<keyof Values, string> = {
  name: 'Name',
  summary: 'Summary',
  nextReviewDue: 'Next review due',
  sharing: 'Sharing',
  protectiveMarking: 'Protective marking',
};

const shown = (field: keyof Values, value: string) =>
  field === 'nextReviewDue' ? <Value>{formatDate(value)}</Value> : field === 'sharing' || field === 'protectiveMarking' ? label(value) : <Value>{value}</Value>;

/**
 * Only what the user changed since `base` is sent, so saving again after a conflict keeps other
 * people's changes to the fields this user did not touch.
 */
function changesFrom(base: Values, mine: Values, threat: EditableThreat): Omit<UpdateThreatInput, 'id' | 'expectedVersion'> {
  const input: Omit<UpdateThreatInput, 'id' | 'expectedVersion'> = {};
  if (mine.name !== base.name) input.name = mine.name;
  if (mine.summary !== base.summary) input.summary = mine.summary || null;
  if (mine.nextReviewDue !== base.nextReviewDue) input.nextReviewDue = mine.nextReviewDue || null;
  const access = changedAccess(base, mine, threat);
  if (access) input.access = access;
  return input;
}

/** Editing a threat's details and sharing; a save that meets a newer version shows both. */
export function ThreatEdit() {
  const { id = '' } = useParams();
  return (
    <RecordToEdit id={id} read={threatRead} missing="This threat does not exist or you may not see it.">
      {(t) => <ThreatEditForm threat={t} />}
    </RecordToEdit>
  );
}

function ThreatEditForm({ threat: opened }: { threat: EditableThreat }) {
  const viewer = useViewer();
  const edit = useVersionedEdit({ opened, read: threatRead, update: UpdateThreatDocument, valuesOf, changesFrom, labels: fieldLabels, shown, savedTo: `/threats/${opened.id}` });
  const { base, values, errors, set } = edit;

  if (opened.owningOrganisation.id !== viewer.organisation.id) {
    return <p role="alert">Only {opened.owningOrganisation.code} can change this threat.</p>;
  }
  const availableSharings = sharingChoices(base.record);
  const claimed = ['name', 'summary', 'nextReviewDue', 'access'];

  return (
    <>
      <p className="crumbs">
        <Link to="/threats">Threats</Link> / <Link to={`/threats/${opened.id}`}>{opened.urn}</Link> / Edit
      </p>
      <h1>Edit {base.record.name}</h1>
      {edit.conflict && <ConflictView what="threat" {...edit.conflict} />}
      <form className="form" onSubmit={edit.submit}>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, claimed)]} />
        <Field label="Name" errors={messagesFor(errors, 'name')}>
          {(p) => <input {...p} value={values.name} onChange={(e) => set({ name: e.target.value })} required />}
        </Field>
        <Field label="Summary" errors={messagesFor(errors, 'summary')}>
          {(p) => <textarea {...p} rows={4} value={values.summary} onChange={(e) => set({ summary: e.target.value })} />}
        </Field>
        <Field label="Next review due" errors={messagesFor(errors, 'nextReviewDue')}>
          {(p) => <input {...p} type="date" value={values.nextReviewDue} onChange={(e) => set({ nextReviewDue: e.target.value })} />}
        </Field>
        <div className="row">
          <Field label="Sharing" hint="Who may see this threat. Narrowing it takes it away from those no longer included." errors={messagesFor(errors, 'access.sharing')}>
            {(p) => (
              <select {...p} value={values.sharing} onChange={(e) => set({ sharing: e.target.value as Sharing })}>
                {enumOptions(availableSharings)}
              </select>
            )}
          </Field>
          <Field label="Protective marking" errors={messagesFor(errors, 'access.protectiveMarking')}>
            {(p) => (
              <select {...p} value={values.protectiveMarking} onChange={(e) => set({ protectiveMarking: e.target.value as ProtectiveMarking })}>
                {enumOptions(protectiveMarkings)}
              </select>
            )}
          </Field>
        </div>
        <VersionedEditActions edit={edit} cancelTo={`/threats/${opened.id}`} />
      </form>
    </>
  );
}
