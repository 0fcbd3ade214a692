import { Link, useParams } from 'react-router-dom';
import { graphql } from '../../gql';
import type { DisruptionEditQuery, UpdateDisruptionInput } from '../../gql/graphql';
import { messagesFor, unclaimedMessages } from '../../lib/errors';
import { formatDate, FormAlert, label, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { ConflictView } from '../records/ConflictView';
import { RecordToEdit, useVersionedEdit, VersionedEditActions, type RecordRead } from '../records/versionedEdit';
import { DisruptionFields, evidenceOf, fieldNames, orNull, type Form } from './DisruptionForm';

const DisruptionEditDocument = graphql(`
  query DisruptionEdit($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Disruption {
        version
        status
        statusReason
        date
        strand
        tactic
        level
        description
        impactNarrative
        evidenceRefs
        protectiveMarking
        sharing
        criminalActivity {
          id
        }
        planAction {
          id
        }
        claimingOrganisation {
          id
          code
        }
        updatedBy {
          id
          displayName
        }
        threat {
          id
          urn
          name
          criminalActivities {
            id
            category
            description
            withheld {
              field
              reason
            }
          }
          plan {
            id
            actions {
              id
              strand
              description
            }
          }
        }
      }
    }
  }
`);

const UpdateDisruptionDocument = graphql(`
  mutation UpdateDisruption($input: UpdateDisruptionInput!) {
    updateDisruption(input: $input) {
      id
      version
      status
      date
      strand
      tactic
      level
      description
      impactNarrative
      evidenceRefs
      protectiveMarking
      sharing
      threat {
        id
      }
    }
  }
`);

type Editable = Extract<NonNullable<DisruptionEditQuery['node']>, { __typename: 'Disruption' }>;

const disruptionRead: RecordRead<DisruptionEditQuery, Editable> = {
  query: DisruptionEditDocument,
  recordIn: (data) => (data.node?.__typename === 'Disruption' ? data.node : null),
};

const valuesOf = (d: Editable): Form => ({
  date: d.date,
  strand: d.strand,
  tactic: d.tactic,
  level: d.level,
  description: d.description,
  impactNarrative: d.impactNarrative,
  evidence: d.evidenceRefs.join('\n'),
  criminalActivityId: d.criminalActivity?.id ?? '',
  planActionId: d.planAction?.id ?? '',
  marking: d.protectiveMarking,
  sharing: d.sharing,
});

/** The fields compared in a conflict (not the links to an activity or action), with their labels. */
const fieldLabels: Partial<Record<keyof Form, string>> = {
  date: 'Date',
  strand: 'Strand',
  tactic: 'Tactic',
  level: 'Level claimed',
  description: 'What was done',
  impactNarrative: 'Impact',
  evidence: 'Evidence references',
  marking: 'Protective marking',
  sharing: 'Sharing',
};

/** How a compared field's value is written; the free text fields as they are. */
const shownAs: Partial<Record<keyof Form, (v: string) => string>> = {
  date: formatDate,
  strand: label,
  tactic: label,
  level: label,
  evidence: (v) => v.split('\n').filter(Boolean).join(', '),
  marking: label,
  sharing: label,
};

const shown = (field: keyof Form, value: string) => <Value>{(shownAs[field] ?? String)(value)}</Value>;

/**
 * Only what the user changed since `base` is sent, so saving again after a conflict keeps the
 * other person's changes to the fields this user did not touch.
 */
function changesFrom(base: Form, mine: Form): Omit<UpdateDisruptionInput, 'id' | 'expectedVersion'> {
  const input: Omit<UpdateDisruptionInput, 'id' | 'expectedVersion'> = {};
  const changed = (f: keyof Form) => mine[f] !== base[f];
  if (changed('date')) input.date = orNull(mine.date);
  if (changed('strand')) input.strand = orNull(mine.strand);
  if (changed('tactic')) input.tactic = orNull(mine.tactic);
  if (changed('level')) input.level = orNull(mine.level);
  if (changed('description')) input.description = mine.description.trim();
  if (changed('impactNarrative')) input.impactNarrative = mine.impactNarrative.trim();
  if (changed('evidence')) input.evidenceRefs = evidenceOf(mine);
  if (changed('criminalActivityId')) input.criminalActivityId = orNull(mine.criminalActivityId);
  if (changed('planActionId')) input.planActionId = orNull(mine.planActionId);
  if (changed('marking') || changed('sharing')) input.access = { protectiveMarking: mine.marking, sharing: mine.sharing };
  return input;
}

/** Correcting a draft or returned claim; a save that meets a newer version shows both. */
export function DisruptionEdit() {
  const { id = '' } = useParams();
  return (
    <RecordToEdit id={id} read={disruptionRead} missing="This disruption does not exist or you may not see it.">
      {(d) => <EditForm opened={d} />}
    </RecordToEdit>
  );
}

function EditForm({ opened }: { opened: Editable }) {
  const viewer = useViewer();
  const edit = useVersionedEdit({ opened, read: disruptionRead, update: UpdateDisruptionDocument, valuesOf, changesFrom, labels: fieldLabels, shown, savedTo: `/disruptions/${opened.id}` });
  const { base, values, errors } = edit;

  if (opened.claimingOrganisation.id !== viewer.organisation.id) return <p role="alert">Only {opened.claimingOrganisation.code} can change this claim.</p>;
  if (opened.status !== 'DRAFT' && opened.status !== 'RETURNED') return <p role="alert">This claim is {label(opened.status).toLowerCase()}: only a draft or a returned claim can be changed.</p>;
  const { threat } = base.record;

  return (
    <>
      <p className="crumbs">
        <Link to={`/threats/${threat.id}`}>
          {threat.urn} {threat.name}
        </Link>{' '}
        / <Link to={`/disruptions/${opened.id}`}>disruption</Link> / edit
      </p>
      <h1>{opened.status === 'RETURNED' ? 'Correct the returned claim' : 'Edit the draft claim'}</h1>
      {base.record.statusReason && opened.status === 'RETURNED' && <p className="hint">Returned because: {base.record.statusReason}</p>}
      {edit.conflict && <ConflictView what="claim" {...edit.conflict} />}
      <form className="form" noValidate onSubmit={edit.submit}>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames)]} />
        <DisruptionFields form={values} set={edit.set} threat={threat} errors={errors} />
        {messagesFor(errors, 'threatId').length > 0 && <FormAlert messages={messagesFor(errors, 'threatId')} />}
        <VersionedEditActions edit={edit} cancelTo={`/disruptions/${opened.id}`} />
      </form>
    </>
  );
}
