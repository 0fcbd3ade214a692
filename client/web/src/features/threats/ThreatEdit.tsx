import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useClient, useMutation, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { ProtectiveMarking, Sharing, ThreatEditQuery, UpdateThreatInput } from '../../gql/graphql';
import { protectiveMarkings, sharings } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, formatDate, label, Loaded, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { conflictIn, ConflictView, type ConflictRow } from '../records/ConflictView';

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
  if (mine.sharing !== base.sharing || mine.protectiveMarking !== base.protectiveMarking) {
    input.access = {
      sharing: mine.sharing,
      protectiveMarking: mine.protectiveMarking,
      ...(mine.sharing === 'NAMED_ORGANISATIONS' ? { sharedWithIds: threat.sharedWith.map((o) => o.id) } : {}),
    };
  }
  return input;
}

/** Editing a threat's details and sharing; a save that meets a newer version shows both. */
export function ThreatEdit() {
  const { id = '' } = useParams();
  // Read once from the server: the form edits the version it was opened on, even as live updates arrive.
  const [{ data, fetching, error }] = useQuery({ query: ThreatEditDocument, variables: { id }, requestPolicy: 'network-only' });
  const threat = data?.node?.__typename === 'SocThreat' ? data.node : data && null;
  // The form keeps the version it was opened on: live updates refreshing the cache must not reset it.
  const [opened, setOpened] = useState<EditableThreat | null>(null);
  if (threat && opened?.id !== threat.id) setOpened(threat);
  if (data && !threat && !opened) return <p role="alert">This threat does not exist or you may not see it.</p>;
  return <Loaded data={opened} fetching={fetching} error={error}>{(t) => <ThreatEditForm threat={t} />}</Loaded>;
}

function ThreatEditForm({ threat: opened }: { threat: EditableThreat }) {
  const viewer = useViewer();
  const navigate = useNavigate();
  const client = useClient();
  const [base, setBase] = useState(() => ({ values: valuesOf(opened), version: opened.version, threat: opened }));
  const [values, setValues] = useState(base.values);
  // The record as it is now, fetched when a save met a newer version; null when there is no conflict.
  const [current, setCurrent] = useState<EditableThreat | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [state, update] = useMutation(UpdateThreatDocument);
  const conflict = conflictIn(error);
  const errors = formErrors(conflict ? undefined : error);
  const set = (changes: Partial<Values>) => setValues({ ...values, ...changes });

  const save = async (version: number, from: Values, threat: EditableThreat) => {
    const result = await update({ input: { id: threat.id, expectedVersion: version, ...changesFrom(from, values, threat) } });
    setError(result.error);
    if (!result.error) return navigate(`/threats/${threat.id}`);
    if (conflictIn(result.error)) {
      const now = await client.query(ThreatEditDocument, { id: threat.id }, { requestPolicy: 'network-only' }).toPromise();
      setCurrent(now.data?.node?.__typename === 'SocThreat' ? now.data.node : null);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(base.version, base.values, base.threat);
  };
  const takeTheirs = (theirs: EditableThreat) => {
    setBase({ values: valuesOf(theirs), version: theirs.version, threat: theirs });
    setValues(valuesOf(theirs));
    setCurrent(null);
    setError(undefined);
  };

  if (opened.owningOrganisation.id !== viewer.organisation.id) {
    return <p role="alert">Only {opened.owningOrganisation.code} can change this threat.</p>;
  }
  const theirs = current ? valuesOf(current) : null;
  const rows: ConflictRow[] = theirs
    ? (Object.keys(fieldLabels) as (keyof Values)[]).map((f) => ({
        label: fieldLabels[f],
        mine: shown(f, values[f]),
        theirs: shown(f, theirs[f]),
        differs: values[f] !== theirs[f],
      }))
    : [];
  const availableSharings = sharings.filter((s) => s !== 'NAMED_ORGANISATIONS' || base.threat.sharing === 'NAMED_ORGANISATIONS');
  const claimed = ['name', 'summary', 'nextReviewDue', 'access'];

  return (
    <>
      <p className="crumbs">
        <Link to="/threats">Threats</Link> / <Link to={`/threats/${opened.id}`}>{opened.urn}</Link> / Edit
      </p>
      <h1>Edit {base.threat.name}</h1>
      {current && (
        <ConflictView
          what="threat"
          changedBy={current.updatedBy.displayName}
          rows={rows}
          busy={state.fetching}
          onKeepMine={() => void save(current.version, base.values, current)}
          onTakeTheirs={() => takeTheirs(current)}
        />
      )}
      <form className="form" onSubmit={submit}>
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
        <div className="buttons">
          <button type="submit" disabled={state.fetching || !!current}>
            Save changes
          </button>
          <Link className="button" to={`/threats/${opened.id}`}>
            Cancel
          </Link>
        </div>
        <p className="hint">Editing version {base.version}.</p>
      </form>
    </>
  );
}
