import { graphql } from '../../gql';
import type { EvidenceRating, PracticeCardFieldsFragment, PracticeNowQuery, PracticeStage, UpdatePracticeInput } from '../../gql/graphql';
import { evidenceRatings, practiceStages } from '../../lib/enums';
import { messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, label, Value } from '../../lib/ui';
import { ConflictView } from '../records/ConflictView';
import { useVersionedEdit, VersionedEditActions, type RecordRead } from '../records/versionedEdit';

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

const practiceRead: RecordRead<PracticeNowQuery, Now> = {
  query: PracticeNowDocument,
  recordIn: (data) => (data.node?.__typename === 'PracticeEntry' ? data.node : null),
};

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

const shown = (f: keyof Values, v: string) => <Value>{f === 'stage' || f === 'evidenceRating' ? label(v) : v}</Value>;

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
  // Opened on the entry the card shows, not read again: the form opens at once, on the version the user saw.
  const edit = useVersionedEdit({ opened: entry, read: practiceRead, update: UpdatePracticeDocument, valuesOf, changesFrom, labels: fieldLabels, shown, savedTo: onClose });
  const { values, errors, set } = edit;

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
      {edit.conflict && <ConflictView what="practice entry" {...edit.conflict} />}
      <form className="form" aria-label={`Edit ${entry.title}`} onSubmit={edit.submit}>
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
        <VersionedEditActions edit={edit} cancelTo={onClose} />
      </form>
    </>
  );
}
