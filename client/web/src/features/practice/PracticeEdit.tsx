import { useState, type FormEvent } from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { EvidenceRating, PracticeCardFieldsFragment, PracticeNowQuery, PracticeStage, UpdatePracticeInput } from '../../gql/graphql';
import { evidenceRatings, practiceStages } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, label, Value } from '../../lib/ui';
import { conflictIn, ConflictView, type ConflictRow } from '../records/ConflictView';

const UpdatePracticeDocument = graphql(`
  mutation UpdatePractice($input: UpdatePracticeInput!) {
    updatePractice(input: $input) {
      ...PracticeCardFields
    }
  }
`);

const PracticeNowDocument = graphql(`
  query PracticeNow($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on PracticeEntry {
        ...PracticeCardFields
        updatedBy {
          id
          displayName
        }
      }
    }
  }
`);

type Entry = PracticeCardFieldsFragment;
type Now = Extract<NonNullable<PracticeNowQuery['node']>, { __typename: 'PracticeEntry' }>;

interface Values {
  title: string;
  aim: string;
  description: string;
  contact: string;
  topics: string;
  stage: PracticeStage;
  evidenceRating: EvidenceRating;
}

const valuesOf = (e: Entry): Values => ({
  title: e.title,
  aim: e.aim,
  description: e.description,
  contact: e.contact,
  topics: e.topics.join(', '),
  stage: e.stage,
  evidenceRating: e.evidenceRating,
});

const fieldLabels: Record<keyof Values, string> = {
  title: 'Title',
  aim: 'Aim',
  description: 'Description',
  contact: 'Contact',
  topics: 'Topics',
  stage: 'Stage',
  evidenceRating: 'Evidence rating',
};

const topicsOf = (text: string) => text.split(',').map((t) => t.trim()).filter(Boolean);

/** Only what the user changed since `base`: saving again after a conflict keeps the other person's other changes. */
function changesFrom(base: Values, mine: Values): Omit<UpdatePracticeInput, 'id' | 'expectedVersion'> {
  const input: Omit<UpdatePracticeInput, 'id' | 'expectedVersion'> = {};
  for (const f of ['title', 'aim', 'description', 'contact'] as const) if (mine[f] !== base[f]) input[f] = mine[f];
  if (mine.topics !== base.topics) input.topics = topicsOf(mine.topics);
  if (mine.stage !== base.stage) input.stage = mine.stage;
  if (mine.evidenceRating !== base.evidenceRating) input.evidenceRating = mine.evidenceRating;
  return input;
}

/**
 * Editing a practice entry in place, against the version the user opened it on: the list
 * around it updates live, the form does not; a save meeting a newer version shows both.
 */
export function PracticeEdit({ entry, onClose }: { entry: Entry; onClose: () => void }) {
  const client = useClient();
  const [base, setBase] = useState(() => ({ values: valuesOf(entry), version: entry.version }));
  const [values, setValues] = useState(base.values);
  const [current, setCurrent] = useState<Now | null>(null);
  const [error, setError] = useState<CombinedError | undefined>();
  const [busy, setBusy] = useState(false);
  const errors = formErrors(conflictIn(error) ? undefined : error);
  const set = (changes: Partial<Values>) => setValues({ ...values, ...changes });

  const save = async (from: Values, version: number) => {
    setBusy(true);
    const result = await client.mutation(UpdatePracticeDocument, { input: { id: entry.id, expectedVersion: version, ...changesFrom(from, values) } }).toPromise();
    setError(result.error);
    if (conflictIn(result.error)) {
      const now = await client.query(PracticeNowDocument, { id: entry.id }, { requestPolicy: 'network-only' }).toPromise();
      setCurrent(now.data?.node?.__typename === 'PracticeEntry' ? (now.data.node as Now) : null);
    }
    setBusy(false);
    if (!result.error) onClose();
  };
  const takeTheirs = (theirs: Now) => {
    setBase({ values: valuesOf(theirs), version: theirs.version });
    setValues(valuesOf(theirs));
    setCurrent(null);
    setError(undefined);
  };

  const theirs = current ? valuesOf(current) : null;
  const shown = (f: keyof Values, v: string) => <Value>{f === 'stage' || f === 'evidenceRating' ? label(v) : v}</Value>;
  const rows: ConflictRow[] = theirs
    ? (Object.keys(fieldLabels) as (keyof Values)[]).map((f) => ({ label: fieldLabels[f], mine: shown(f, values[f]), theirs: shown(f, theirs[f]), differs: values[f] !== theirs[f] }))
    : [];
  const text = (f: 'title' | 'contact') => (
    <Field label={fieldLabels[f]} errors={messagesFor(errors, f)}>
      {(p) => <input {...p} value={values[f]} onChange={(e) => set({ [f]: e.target.value })} />}
    </Field>
  );
  const area = (f: 'aim' | 'description') => (
    <Field label={fieldLabels[f]} errors={messagesFor(errors, f)}>
      {(p) => <textarea {...p} rows={3} value={values[f]} onChange={(e) => set({ [f]: e.target.value })} />}
    </Field>
  );

  return (
    <>
      {current && <ConflictView what="practice entry" changedBy={current.updatedBy?.displayName} rows={rows} busy={busy} onKeepMine={() => void save(base.values, current.version)} onTakeTheirs={() => takeTheirs(current)} />}
      <form
        className="form"
        aria-label={`Edit ${entry.title}`}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void save(base.values, base.version);
        }}
      >
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, Object.keys(fieldLabels))]} />
        {text('title')}
        {area('aim')}
        {area('description')}
        {text('contact')}
        <Field label="Topics" hint="Separated by commas." errors={messagesFor(errors, 'topics')}>
          {(p) => <input {...p} value={values.topics} onChange={(e) => set({ topics: e.target.value })} />}
        </Field>
        <div className="row">
          <Field label="Stage" errors={messagesFor(errors, 'stage')}>
            {(p) => (
              <select {...p} value={values.stage} onChange={(e) => set({ stage: e.target.value as PracticeStage })}>
                {enumOptions(practiceStages)}
              </select>
            )}
          </Field>
          <Field label="Evidence rating" errors={messagesFor(errors, 'evidenceRating')}>
            {(p) => (
              <select {...p} value={values.evidenceRating} onChange={(e) => set({ evidenceRating: e.target.value as EvidenceRating })}>
                {enumOptions(evidenceRatings)}
              </select>
            )}
          </Field>
        </div>
        <div className="buttons">
          <button type="submit" disabled={busy || !!current}>
            Save changes
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
        <p className="hint">Editing version {base.version}.</p>
      </form>
    </>
  );
}
