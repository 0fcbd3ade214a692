import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { EvidenceRating, PracticeCardFieldsFragment, PracticeStage, ProtectiveMarking, Sharing } from '../../gql/graphql';
import { evidenceRatings, practiceStages, protectiveMarkings, sharings } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { plainWords } from '../threats/activityFields';
import { useOrganisations } from '../records/organisations';

const CreatePracticeDocument = graphql(`
  mutation CreatePractice($input: CreatePracticeInput!) {
    createPractice(input: $input) {
      ...PracticeCardFields
    }
  }
`);

const fieldNames = ['title', 'aim', 'description', 'contact', 'topics', 'stage', 'evidenceRating', 'partnerIds', 'access'];

const blank = {
  title: '', aim: '', description: '', contact: '', topics: '', stage: 'IDEA' as PracticeStage, evidenceRating: 'UNTESTED_NEW' as EvidenceRating,
  partnerIds: [] as string[], protectiveMarking: 'OFFICIAL' as ProtectiveMarking, sharing: 'ALL_PARTNERS' as Sharing,
};

const sharingWords: Partial<Record<Sharing, string>> = {
  ALL_PARTNERS: 'Every organisation in the partnership',
  REGIONAL_LAW_ENFORCEMENT: 'Law enforcement in the region',
  OWNER_ONLY: `Your organisation only`,
};

/** The roles that may add to the register (server/src/access/mutation-roles.ts, PRACTITIONERS): all but auditors and administrators. */
export const mayAddPractice = (roles: readonly string[]) => roles.some((r) => r !== 'AUDITOR' && r !== 'ADMIN');

/** Adds an entry to the practice register, owned by the user's organisation; the server checks every rule. */
export function PracticeNew({ onAdded, onCancel }: { onAdded: (entry: PracticeCardFieldsFragment) => void; onCancel: () => void }) {
  const viewer = useViewer();
  const organisations = useOrganisations().filter((o) => o.id !== viewer.organisation.id);
  const [form, setForm] = useState(blank);
  const [state, create] = useMutation(CreatePracticeDocument);
  const errors = formErrors(state.error);
  const messages = (field: string) => messagesFor(errors, field).map(plainWords);
  const set = (changes: Partial<typeof blank>) => setForm({ ...form, ...changes });
  const togglePartner = (id: string) => set({ partnerIds: form.partnerIds.includes(id) ? form.partnerIds.filter((x) => x !== id) : [...form.partnerIds, id] });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create({
      input: {
        title: form.title,
        aim: form.aim,
        description: form.description,
        contact: form.contact,
        topics: form.topics.split(',').map((t) => t.trim()).filter(Boolean),
        stage: form.stage,
        evidenceRating: form.evidenceRating,
        partnerIds: form.partnerIds,
        access: { protectiveMarking: form.protectiveMarking, sharing: form.sharing },
      },
    });
    if (result.data) onAdded(result.data.createPractice);
  };

  const text = (f: 'title' | 'contact', title: string, hint?: string) => (
    <Field label={title} hint={hint} errors={messages(f)}>
      {(p) => <input {...p} aria-required value={form[f]} onChange={(e) => set({ [f]: e.target.value })} />}
    </Field>
  );
  const area = (f: 'aim' | 'description', title: string, hint?: string) => (
    <Field label={title} hint={hint} errors={messages(f)}>
      {(p) => <textarea {...p} aria-required rows={3} value={form[f]} onChange={(e) => set({ [f]: e.target.value })} />}
    </Field>
  );

  return (
    <form className="form" aria-labelledby="add-practice" onSubmit={submit} noValidate>
      <h2 id="add-practice">Add practice</h2>
      <p className="hint">Added as {viewer.organisation.name}&rsquo;s practice.</p>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames).map(plainWords)]} />
      {text('title', 'Title')}
      {area('aim', 'Aim', 'What the practice sets out to achieve.')}
      {area('description', 'Description', 'What was done, and what was learnt.')}
      {text('contact', 'Contact', 'Who to ask about it: name, team, email or phone.')}
      <Field label="Topics" hint="At least one, separated by commas: for example county lines, cuckooing." errors={messages('topics')}>
        {(p) => <input {...p} aria-required value={form.topics} onChange={(e) => set({ topics: e.target.value })} />}
      </Field>
      <div className="row">
        <Field label="Stage" errors={messages('stage')}>
          {(p) => (
            <select {...p} value={form.stage} onChange={(e) => set({ stage: e.target.value as PracticeStage })}>
              {enumOptions(practiceStages)}
            </select>
          )}
        </Field>
        <Field label="Evidence rating" hint="An idea can only be untested; effective needs an evaluation." errors={messages('evidenceRating')}>
          {(p) => (
            <select {...p} value={form.evidenceRating} onChange={(e) => set({ evidenceRating: e.target.value as EvidenceRating })}>
              {enumOptions(evidenceRatings)}
            </select>
          )}
        </Field>
      </div>
      <details>
        <summary>Partner organisations (optional){form.partnerIds.length > 0 && `: ${form.partnerIds.length} chosen`}</summary>
        <fieldset>
          <legend>Organisations that worked on it with you</legend>
          {messages('partnerIds').map((m) => (
            <p key={m} className="field-error" role="alert">
              {m}
            </p>
          ))}
          {organisations.map((o) => (
            <label key={o.id} className="check">
              <input type="checkbox" checked={form.partnerIds.includes(o.id)} onChange={() => togglePartner(o.id)} /> {o.name}
            </label>
          ))}
        </fieldset>
      </details>
      <div className="row">
        <Field label="Protective marking" errors={messages('access.protectiveMarking')}>
          {(p) => (
            <select {...p} value={form.protectiveMarking} onChange={(e) => set({ protectiveMarking: e.target.value as ProtectiveMarking })}>
              {enumOptions(protectiveMarkings)}
            </select>
          )}
        </Field>
        <Field label="Sharing" hint="Who may see this entry." errors={messages('access.sharing')}>
          {(p) => (
            <select {...p} value={form.sharing} onChange={(e) => set({ sharing: e.target.value as Sharing })}>
              {sharings
                .filter((s) => s !== 'NAMED_ORGANISATIONS')
                .map((s) => (
                  <option key={s} value={s}>
                    {sharingWords[s]}
                  </option>
                ))}
            </select>
          )}
        </Field>
      </div>
      <div className="buttons">
        <button type="submit" disabled={state.fetching}>
          Add to the register
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
