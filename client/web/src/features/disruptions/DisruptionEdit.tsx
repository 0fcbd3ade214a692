import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useClient, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { DisruptionEditQuery, UpdateDisruptionInput } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { formatDate, FormAlert, label, Loaded, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { conflictIn, ConflictView, type ConflictRow } from '../records/ConflictView';
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

/** The fields compared in a conflict, with how each is shown. */
const compared: { field: keyof Form; label: string; show?: (v: string) => string }[] = [
  { field: 'date', label: 'Date', show: formatDate },
  { field: 'strand', label: 'Strand', show: label },
  { field: 'tactic', label: 'Tactic', show: label },
  { field: 'level', label: 'Level claimed', show: label },
  { field: 'description', label: 'What was done' },
  { field: 'impactNarrative', label: 'Impact' },
  { field: 'evidence', label: 'Evidence references', show: (v) => v.split('\n').filter(Boolean).join(', ') },
  { field: 'marking', label: 'Protective marking', show: label },
  { field: 'sharing', label: 'Sharing', show: label },
];

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
  // Read once from the server: the form edits the version it was opened on, even as live updates arrive.
  const [{ data, fetching, error }] = useQuery({ query: DisruptionEditDocument, variables: { id }, requestPolicy: 'network-only' });
  const found = data?.node?.__typename === 'Disruption' ? (data.node as Editable) : data && null;
  const [opened, setOpened] = useState<Editable | null>(null);
  if (found && opened?.id !== found.id) setOpened(found);
  if (data && !found && !opened) return <p role="alert">This disruption does not exist or you may not see it.</p>;
  return <Loaded data={opened} fetching={fetching} error={error}>{(d) => <EditForm opened={d} />}</Loaded>;
}

function EditForm({ opened }: { opened: Editable }) {
  const viewer = useViewer();
  const navigate = useNavigate();
  const client = useClient();
  const [base, setBase] = useState(() => ({ values: valuesOf(opened), record: opened }));
  const [values, setValues] = useState(base.values);
  // The claim as it is now, fetched when a save met a newer version; null when there is no conflict.
  const [current, setCurrent] = useState<Editable | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [busy, setBusy] = useState(false);
  const errors = formErrors(conflictIn(error) ? undefined : error);

  const save = async (from: Form, record: Editable) => {
    setBusy(true);
    const input = { id: record.id, expectedVersion: record.version, ...changesFrom(from, values) };
    const result = await client.mutation(UpdateDisruptionDocument, { input }).toPromise();
    setError(result.error);
    if (conflictIn(result.error)) {
      const now = await client.query(DisruptionEditDocument, { id: record.id }, { requestPolicy: 'network-only' }).toPromise();
      setCurrent(now.data?.node?.__typename === 'Disruption' ? (now.data.node as Editable) : null);
    }
    setBusy(false);
    if (!result.error) navigate(`/disruptions/${record.id}`);
  };
  const takeTheirs = (theirs: Editable) => {
    setBase({ values: valuesOf(theirs), record: theirs });
    setValues(valuesOf(theirs));
    setCurrent(null);
    setError(undefined);
  };

  if (opened.claimingOrganisation.id !== viewer.organisation.id) return <p role="alert">Only {opened.claimingOrganisation.code} can change this claim.</p>;
  if (opened.status !== 'DRAFT' && opened.status !== 'RETURNED') return <p role="alert">This claim is {label(opened.status).toLowerCase()}: only a draft or a returned claim can be changed.</p>;
  const theirs = current ? valuesOf(current) : null;
  const rows: ConflictRow[] = theirs
    ? compared.map(({ field, label: text, show = (v) => v }) => ({
        label: text,
        mine: <Value>{show(values[field])}</Value>,
        theirs: <Value>{show(theirs[field])}</Value>,
        differs: values[field] !== theirs[field],
      }))
    : [];
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
      {current && (
        <ConflictView what="claim" changedBy={current.updatedBy?.displayName} rows={rows} busy={busy} onKeepMine={() => void save(base.values, current)} onTakeTheirs={() => takeTheirs(current)} />
      )}
      <form
        className="form"
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void save(base.values, base.record);
        }}
      >
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames)]} />
        <DisruptionFields form={values} set={(changes) => setValues({ ...values, ...changes })} threat={threat} errors={errors} />
        {messagesFor(errors, 'threatId').length > 0 && <FormAlert messages={messagesFor(errors, 'threatId')} />}
        <div className="buttons">
          <button type="submit" disabled={busy || !!current}>
            Save changes
          </button>
          <Link className="button" to={`/disruptions/${opened.id}`}>
            Cancel
          </Link>
        </div>
        <p className="hint">Editing version {base.record.version}.</p>
      </form>
    </>
  );
}
