import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { MembershipRole } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages, type FormErrors } from '../../lib/errors';
import { Badge, enumOptions, Field, FormAlert, formatDate, textOrWithheld } from '../../lib/ui';
import { blankPerson, CreateNominalDocument, createPersonInput, PersonFields, personFieldNames, plainPersonWords, type PersonValues } from '../people/personFields';
import { plainThreatWords, threatConflictMessage, threatFormErrors, useSettled, useThreatSave } from './threatChanges';
import type { ThreatDetail } from './types';

const FindPeopleDocument = graphql(`
  query FindPeople($text: String) {
    nominals(first: 10, filter: { text: $text }) {
      totalCount
      edges {
        node {
          id
          name
          aliases
          dateOfBirth
          isChild
          withheld {
            field
            reason
          }
          owningOrganisation {
            id
            code
          }
        }
      }
    }
  }
`);

const AddMemberDocument = graphql(`
  mutation AddMember($input: AddMemberInput!) {
    addMember(input: $input) {
      ...ThreatChangeParts
    }
  }
`);

const RemoveMemberDocument = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input) {
      ...ThreatChangeParts
    }
  }
`);

export const membershipRoles: MembershipRole[] = ['PRINCIPAL', 'SIGNIFICANT', 'PERIPHERAL', 'ENABLER', 'EXPLOITED_VICTIM', 'UNKNOWN'];

type Member = NonNullable<ThreatDetail['members']>[number];

/** A person as the picker shows them. */
interface Person {
  id: string;
  name: string;
  aliases?: string[] | null;
  dateOfBirth?: unknown;
  isChild?: boolean | null;
  withheld: { field: string; reason: string }[];
  owningOrganisation: { code: string };
}

/** "born 3 Mar 1990, also known as Tee" for telling people of one name apart. */
function personDetail(p: Person): string {
  const born = p.dateOfBirth ? `born ${formatDate(p.dateOfBirth)}` : 'date of birth not recorded';
  const aliases = textOrWithheld(p.aliases?.join(', '), p.withheld, 'aliases');
  return `${born}${aliases ? `, also known as ${aliases}` : ''} · recorded by ${p.owningOrganisation.code}`;
}

/** Finding a person by name or alias among those shared with you, or recording a new one. */
function PersonPicker({ chosen, choose, errors }: { chosen: Person | null; choose: (p: Person | null) => void; errors: string[] }) {
  const [text, setText] = useState('');
  const settled = useSettled(text.trim());
  const [{ data, fetching }] = useQuery({ query: FindPeopleDocument, variables: { text: settled }, pause: settled.length < 2 });
  const [recording, setRecording] = useState(false);
  const found = settled.length >= 2 ? (data?.nominals.edges.map((e) => e.node) ?? []) : [];
  const total = data?.nominals.totalCount ?? 0;
  const resultsId = useId();
  return (
    <fieldset>
      <legend>Person</legend>
      {errors.map((m) => (
        <p key={m} className="field-error" role="alert">
          {m}
        </p>
      ))}
      {chosen && (
        <p data-testid="chosen-person">
          Chosen: <strong>{chosen.name}</strong> <span className="hint">{personDetail(chosen)}</span>{' '}
          <button type="button" className="small" onClick={() => choose(null)}>
            Choose someone else
          </button>
        </p>
      )}
      {!chosen && !recording && (
        <>
          <Field label="Find a person by name or alias" hint="Among the people shared with you; type at least two letters.">
            {(p) => <input {...p} type="search" aria-controls={resultsId} value={text} onChange={(e) => setText(e.target.value)} />}
          </Field>
          <div id={resultsId} aria-live="polite">
            {settled.length >= 2 && data && found.length === 0 && <p>No one shared with you matches “{settled}”.</p>}
            {found.length > 0 && (
              <ul className="plain" aria-label="People found">
                {found.map((p) => (
                  <li key={p.id}>
                    <button type="button" className="small" onClick={() => choose(p)}>
                      Choose {p.name}
                    </button>{' '}
                    {p.isChild && <Badge tone="warn">Child</Badge>} <span className="hint">{personDetail(p)}</span>
                  </li>
                ))}
              </ul>
            )}
            {found.length > 0 && total > found.length && <p className="hint">The first {found.length} of {total} shown: type more of the name to narrow them.</p>}
            {fetching && settled.length >= 2 && !data && <p aria-busy="true">Searching…</p>}
          </div>
          <p>
            <button type="button" onClick={() => setRecording(true)}>
              Record a new person
            </button>
          </p>
        </>
      )}
      {!chosen && recording && (
        <NewPerson
          onRecorded={(p) => {
            setRecording(false);
            choose(p);
          }}
          onCancel={() => setRecording(false)}
        />
      )}
    </fieldset>
  );
}

/** Records a new person inside the add-member form (not a form of its own: forms cannot nest). */
function NewPerson({ onRecorded, onCancel }: { onRecorded: (p: Person) => void; onCancel: () => void }) {
  const [value, setValue] = useState<PersonValues>(blankPerson);
  const [state, create] = useMutation(CreateNominalDocument);
  const errors = formErrors(state.error);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const record = async () => {
    const result = await create({ input: createPersonInput(value) });
    if (result.data) onRecorded(result.data.createNominal);
  };
  return (
    <div className="decision" role="group" aria-labelledby="new-person">
      <h4 id="new-person" ref={heading} tabIndex={-1}>
        New person
      </h4>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, personFieldNames).map(plainPersonWords)]} />
      <PersonFields value={value} set={(changes) => setValue({ ...value, ...changes })} errors={errors} />
      <div className="buttons">
        <button type="button" disabled={state.fetching} onClick={() => void record()}>
          Record person
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

const claimed = ['nominalId', 'role', 'from', 'to', 'underOffenderManagement', 'threatId'];

/** Adds a person to the threat, in a role; a new person can be recorded on the way. */
export function AddMember({ threatId, version, onDone }: { threatId: string; version: number; onDone: () => void }) {
  const [person, setPerson] = useState<Person | null>(null);
  const [form, setForm] = useState({ role: '' as MembershipRole | '', from: '', to: '', underOffenderManagement: false });
  const [missing, setMissing] = useState<FormErrors | null>(null);
  const [state, add] = useMutation(AddMemberDocument);
  const { attempt, conflict, checking } = useThreatSave(threatId, version);
  const errors = missing ?? threatFormErrors(conflict ? undefined : state.error);
  const set = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const messages = (field: string) => messagesFor(errors, field).map(plainThreatWords);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string[]> = {};
    if (!person) fields.nominalId = ['Choose a person, or record a new one.'];
    if (!form.role) fields.role = ['is required'];
    if (Object.keys(fields).length) return setMissing({ fields, general: [] });
    setMissing(null);
    const saved = await attempt((expectedVersion) =>
      add({
        input: {
          threatId,
          expectedVersion,
          nominalId: person!.id,
          role: form.role as MembershipRole,
          from: form.from || null,
          to: form.to || null,
          underOffenderManagement: form.underOffenderManagement,
        },
      }),
    );
    if (saved) onDone();
  };

  return (
    <form onSubmit={submit} noValidate className="form">
      <FormAlert messages={[...(conflict ? [threatConflictMessage] : []), ...errors.general.map(plainThreatWords), ...unclaimedMessages(errors, claimed).map(plainThreatWords)]} />
      <PersonPicker chosen={person} choose={setPerson} errors={messages('nominalId')} />
      <Field label="Role in the group" errors={messages('role')}>
        {(p) => (
          <select {...p} aria-required value={form.role} onChange={(e) => set({ role: e.target.value as MembershipRole })}>
            <option value="">Choose…</option>
            {enumOptions(membershipRoles)}
          </select>
        )}
      </Field>
      <div className="row">
        <Field label="Member from (optional)" errors={messages('from')}>
          {(p) => <input {...p} type="date" value={form.from} onChange={(e) => set({ from: e.target.value })} />}
        </Field>
        <Field label="Member until (optional)" errors={messages('to')}>
          {(p) => <input {...p} type="date" value={form.to} onChange={(e) => set({ to: e.target.value })} />}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={form.underOffenderManagement} onChange={(e) => set({ underOffenderManagement: e.target.checked })} /> Under offender management
      </label>
      <div className="buttons">
        <button type="submit" disabled={state.fetching || checking}>
          Add member
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Takes a person off the threat, once confirmed. */
export function RemoveMember({ threatId, version, member, onDone }: { threatId: string; version: number; member: Member; onDone: () => void }) {
  const [state, remove] = useMutation(RemoveMemberDocument);
  const { attempt, conflict, checking } = useThreatSave(threatId, version);
  const errors = threatFormErrors(conflict ? undefined : state.error);
  const confirm = async () => {
    if (await attempt((expectedVersion) => remove({ input: { membershipId: member.id, expectedVersion } }))) onDone();
  };
  return (
    <>
      <FormAlert messages={[...(conflict ? [threatConflictMessage] : []), ...errors.general.map(plainThreatWords), ...Object.values(errors.fields).flat().map(plainThreatWords)]} />
      <p className="hint">
        Only their membership of this threat is removed: the person stays on record, and the threat’s history keeps the change.
      </p>
      <div className="buttons">
        <button type="button" className="danger" disabled={state.fetching || checking} onClick={() => void confirm()}>
          Remove member
        </button>
        <button type="button" onClick={onDone}>
          Keep them
        </button>
      </div>
    </>
  );
}
