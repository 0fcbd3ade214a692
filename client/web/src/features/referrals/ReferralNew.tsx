import { useDeferredValue, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ExploitationType, ProtectiveMarking, ReferralType, Urgency } from '../../gql/graphql';
import { protectiveMarkings } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages, type FormErrors } from '../../lib/errors';
import { enumOptions, Field, FormAlert, formatDate } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { useOrganisations } from '../records/organisations';
import {
  adultOnlyExploitation, childOnlyExploitation, exploitationLabels, exploitationTypes, mayRefer, plainReferralWords, referralTypeLabels, referralTypes,
  urgencies, urgencyLabels,
} from './referralWords';

const ReferralRulesDocument = graphql(`
  query ReferralRules {
    referralRules {
      acknowledgementTargets {
        urgency
        hours
      }
    }
  }
`);

const ReferralSubjectsDocument = graphql(`
  query ReferralSubjects($filter: NominalFilter) {
    nominals(first: 50, filter: $filter) {
      totalCount
      edges {
        node {
          id
          name
          dateOfBirth
          isChild
          owningOrganisation {
            id
            code
            name
          }
        }
      }
    }
  }
`);

const ReferralThreatsDocument = graphql(`
  query ReferralThreats($text: String) {
    threats(first: 30, filter: { text: $text }, orderBy: [{ field: NAME, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          urn
          name
        }
      }
    }
  }
`);

const CreateReferralDocument = graphql(`
  mutation CreateReferral($input: CreateReferralInput!) {
    createReferral(input: $input) {
      id
      reference
      version
    }
  }
`);

const fieldNames = [
  'receivingOrganisationId', 'referralType', 'subjectId', 'subjectIsChild', 'exploitationTypes', 'urgency', 'consentObtained', 'sharingReason', 'summary',
  'linkedThreatIds', 'protectiveMarking',
];

type YesNo = 'yes' | 'no' | '';

interface Form {
  receivingOrganisationId: string;
  referralType: ReferralType | '';
  subject: { id: string; text: string } | null;
  child: YesNo;
  exploitationTypes: ExploitationType[];
  urgency: Urgency | '';
  consent: YesNo;
  sharingReason: string;
  summary: string;
  linkedThreats: { id: string; text: string }[];
  protectiveMarking: ProtectiveMarking;
}

const blank: Form = {
  receivingOrganisationId: '', referralType: '', subject: null, child: '', exploitationTypes: [], urgency: '', consent: '', sharingReason: '', summary: '',
  linkedThreats: [], protectiveMarking: 'OFFICIAL',
};

/** A yes/no question as two radio buttons in a fieldset, with the server's messages beside it. */
function YesNoQuestion({ legend, hint, name, value, onChange, errors, yes = 'Yes', no = 'No' }: {
  legend: string; hint?: string; name: string; value: YesNo; onChange: (v: YesNo) => void; errors: string[]; yes?: string; no?: string;
}) {
  return (
    <fieldset className={errors.length ? 'field-invalid' : undefined} aria-describedby={hint ? `${name}-hint` : undefined}>
      <legend>{legend}</legend>
      {hint && <div id={`${name}-hint`} className="hint">{hint}</div>}
      {errors.length > 0 && (
        <div className="field-error" role="alert">
          {errors.join(' ')}
        </div>
      )}
      <label className="check">
        <input type="radio" name={name} checked={value === 'yes'} onChange={() => onChange('yes')} /> {yes}
      </label>
      <label className="check">
        <input type="radio" name={name} checked={value === 'no'} onChange={() => onChange('no')} /> {no}
      </label>
    </fieldset>
  );
}

/** The rules that apply to the referral as filled in so far, in plain words. */
function rulesFor(form: Form, receiver: string, hours: Partial<Record<Urgency, number>>): string[] {
  const rules: string[] = [];
  const ms1 = form.referralType === 'DUTY_TO_NOTIFY_MS1';
  const child = form.child === 'yes';
  const adult = form.child === 'no';
  if (ms1) {
    rules.push(
      'A duty-to-notify (MS1) tells the Home Office about an adult victim of modern slavery who does not agree to a National Referral Mechanism referral.',
      'It is anonymous: it names no one and must hold nothing that identifies the person. It is only for adults: refer a child to the National Referral Mechanism instead (a child needs no consent).',
    );
  }
  if (form.referralType === 'NRM_REFERRAL' && adult) {
    rules.push("An adult must agree to a National Referral Mechanism referral. Without their agreement, make a duty-to-notify (MS1) instead, which names no one.");
  }
  if (form.referralType === 'NRM_REFERRAL' && child) rules.push('A child needs no consent to be referred to the National Referral Mechanism.');
  if (form.referralType === 'ADULT_SAFEGUARDING_CONCERN') rules.push('An adult safeguarding concern is for adults; for a child, make a MASH contact or ask for early help.');
  if (child && !ms1) {
    rules.push('A child needs no consent for information to be shared with safeguarding partners, but if you share without it you must say why.');
  }
  if (form.consent === 'no' && !ms1) rules.push('Consent was not obtained: record why the information is shared without it (for example, a child at risk of significant harm).');
  if (form.consent === 'yes' && !ms1) rules.push('Consent was obtained: that is recorded as the reason for sharing.');
  if (form.urgency && hours[form.urgency] !== undefined) {
    const h = hours[form.urgency]!;
    rules.push(`${receiver} must acknowledge a ${urgencyLabels[form.urgency].toLowerCase()} referral within ${h} ${h === 1 ? 'hour' : 'hours'} of it being sent.`);
  }
  return rules;
}

/**
 * Makes a referral from the user's organisation to another: it is shared with the receiving
 * organisation only. The rules (consent, MS1, who may be referred) are the server's; the form
 * explains them as it is filled and shows the server's messages beside the fields.
 */
export function ReferralNew() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const organisations = useOrganisations().filter((o) => o.id !== viewer.organisation.id);
  const [form, setForm] = useState(blank);
  const [personText, setPersonText] = useState('');
  const [threatText, setThreatText] = useState('');
  const [missing, setMissing] = useState<FormErrors | null>(null);
  const [state, create] = useMutation(CreateReferralDocument);
  const errors = missing ?? formErrors(state.error);
  const messages = (field: string) => messagesFor(errors, field).map(plainReferralWords);
  const set = (changes: Partial<Form>) => setForm((f) => ({ ...f, ...changes }));

  const [{ data: rulesData }] = useQuery({ query: ReferralRulesDocument, requestPolicy: 'cache-first' });
  const hours = Object.fromEntries(rulesData?.referralRules.acknowledgementTargets.map((t) => [t.urgency, t.hours]) ?? []) as Partial<Record<Urgency, number>>;
  const personSearch = useDeferredValue(personText.trim());
  const owners = [viewer.organisation.id, ...(form.receivingOrganisationId ? [form.receivingOrganisationId] : [])];
  const ms1 = form.referralType === 'DUTY_TO_NOTIFY_MS1';
  const [{ data: people, fetching: findingPeople }] = useQuery({
    query: ReferralSubjectsDocument,
    variables: { filter: { text: personSearch || undefined, owningOrganisationIds: owners } },
    pause: ms1,
  });
  const threatSearch = useDeferredValue(threatText.trim());
  const [{ data: threats }] = useQuery({ query: ReferralThreatsDocument, variables: { text: threatSearch || undefined }, pause: !threatSearch });

  if (!mayRefer(viewer.roles)) return <p role="alert">Making referrals is for safeguarding practitioners, partner contributors and investigators.</p>;

  const receiver = organisations.find((o) => o.id === form.receivingOrganisationId);
  const receiverName = receiver?.name ?? 'The receiving organisation';
  const candidates = people?.nominals.edges.map((e) => e.node) ?? [];
  const chosenPerson = candidates.find((n) => n.id === form.subject?.id);
  const rules = rulesFor(form, receiverName, hours);
  const child = form.child === 'yes';
  const offeredExploitation = exploitationTypes.filter((t) => form.child === '' || !(child ? adultOnlyExploitation : childOnlyExploitation).includes(t));

  const personLabel = (n: (typeof candidates)[number]) =>
    `${n.name}${n.dateOfBirth ? `, born ${formatDate(n.dateOfBirth)}` : ''}${n.isChild == null ? '' : n.isChild ? ' (child)' : ' (adult)'}, recorded by ${n.owningOrganisation.name}`;

  const choosePerson = (id: string) => {
    const person = candidates.find((n) => n.id === id);
    if (!person) return set({ subject: null });
    set({ subject: { id, text: personLabel(person) }, ...(person.isChild != null ? { child: person.isChild ? 'yes' : 'no' } : {}) });
  };
  const toggleExploitation = (t: ExploitationType) =>
    set({ exploitationTypes: form.exploitationTypes.includes(t) ? form.exploitationTypes.filter((x) => x !== t) : [...form.exploitationTypes, t] });
  const toggleThreat = (t: { id: string; text: string }) =>
    set({ linkedThreats: form.linkedThreats.some((x) => x.id === t.id) ? form.linkedThreats.filter((x) => x.id !== t.id) : [...form.linkedThreats, t] });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The choices the request cannot be made without; everything else is the server's to check.
    const fields: Record<string, string[]> = {};
    if (!form.referralType) fields.referralType = ['Choose what kind of referral this is.'];
    if (!form.child) fields.subjectIsChild = ['Say whether the person is a child or an adult.'];
    if (!form.urgency) fields.urgency = ['Choose how urgent it is.'];
    if (!form.consent && !ms1) fields.consentObtained = ['Say whether consent was obtained.'];
    if (Object.keys(fields).length) return setMissing({ fields, general: [] });
    setMissing(null);
    const result = await create({
      input: {
        receivingOrganisationId: form.receivingOrganisationId,
        referralType: form.referralType as ReferralType,
        subjectId: ms1 ? null : (form.subject?.id ?? null),
        subjectIsChild: child,
        exploitationTypes: form.exploitationTypes,
        urgency: form.urgency as Urgency,
        consentObtained: ms1 ? false : form.consent === 'yes',
        sharingReason: ms1 || form.consent === 'yes' ? null : form.sharingReason.trim() || null,
        summary: form.summary,
        linkedThreatIds: form.linkedThreats.map((t) => t.id),
        protectiveMarking: form.protectiveMarking,
      },
    });
    if (result.data) navigate(`/referrals/${result.data.createReferral.id}`);
  };

  return (
    <>
      <p className="crumbs">
        <Link to="/referrals">Referrals</Link> / Make a referral
      </p>
      <h1>Make a referral</h1>
      <p>
        From {viewer.organisation.name}. The referral is shared with the organisation you send it to, and with no one else.
      </p>
      <form onSubmit={submit} className="form" noValidate aria-describedby="referral-rules">
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames).map(plainReferralWords)]} />
        <Field label="Send to" hint="The organisation that should act on it." errors={messages('receivingOrganisationId')}>
          {(p) => (
            <select {...p} aria-required value={form.receivingOrganisationId} onChange={(e) => set({ receivingOrganisationId: e.target.value })}>
              <option value="">Choose…</option>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Kind of referral" errors={messages('referralType')}>
          {(p) => (
            <select {...p} aria-required value={form.referralType} onChange={(e) => set({ referralType: e.target.value as ReferralType })}>
              <option value="">Choose…</option>
              {referralTypes.map((t) => (
                <option key={t} value={t}>
                  {referralTypeLabels[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {ms1 ? (
          <p className="hint" data-testid="anonymous">
            A duty-to-notify names no one: no person is attached to it.
          </p>
        ) : (
          <fieldset className={messages('subjectId').length ? 'field-invalid' : undefined}>
            <legend>The person it is about</legend>
            <p className="hint">
              People recorded by {viewer.organisation.name}
              {receiver ? ` or ${receiver.name}` : ''} and shared with you. You may leave it empty to refer without naming anyone.
            </p>
            <Field label="Find a person" hint="Part of a name or alias.">
              {(p) => <input {...p} type="search" value={personText} onChange={(e) => setPersonText(e.target.value)} />}
            </Field>
            <Field label="Person" errors={messages('subjectId')}>
              {(p) => (
                <select {...p} value={form.subject?.id ?? ''} onChange={(e) => choosePerson(e.target.value)} aria-busy={findingPeople}>
                  <option value="">No one named</option>
                  {form.subject && !chosenPerson && <option value={form.subject.id}>{form.subject.text}</option>}
                  {candidates.map((n) => (
                    <option key={n.id} value={n.id}>
                      {personLabel(n)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {people && (
              <p className="hint" role="status">
                {people.nominals.totalCount === 0
                  ? 'No one shared with you matches.'
                  : people.nominals.totalCount > candidates.length
                    ? `Showing ${candidates.length} of ${people.nominals.totalCount} people: type more of the name to narrow it.`
                    : `${people.nominals.totalCount} ${people.nominals.totalCount === 1 ? 'person matches' : 'people match'}.`}
              </p>
            )}
          </fieldset>
        )}
        <YesNoQuestion
          legend="Is the person a child (under 18)?"
          hint={chosenPerson?.isChild != null ? 'Set from the date of birth recorded for the person.' : undefined}
          name="child"
          value={form.child}
          onChange={(v) => set({ child: v })}
          errors={messages('subjectIsChild')}
          yes="Child"
          no="Adult"
        />
        <fieldset className={messages('exploitationTypes').length ? 'field-invalid' : undefined}>
          <legend>Exploitation</legend>
          <div className="hint">At least one.</div>
          {messages('exploitationTypes').length > 0 && (
            <div className="field-error" role="alert">
              {messages('exploitationTypes').join(' ')}
            </div>
          )}
          {offeredExploitation.map((t) => (
            <label key={t} className="check">
              <input type="checkbox" checked={form.exploitationTypes.includes(t)} onChange={() => toggleExploitation(t)} /> {exploitationLabels[t]}
            </label>
          ))}
        </fieldset>
        <fieldset className={messages('urgency').length ? 'field-invalid' : undefined}>
          <legend>Urgency</legend>
          {messages('urgency').length > 0 && (
            <div className="field-error" role="alert">
              {messages('urgency').join(' ')}
            </div>
          )}
          {urgencies.map((u) => (
            <label key={u} className="check">
              <input type="radio" name="urgency" checked={form.urgency === u} onChange={() => set({ urgency: u })} /> {urgencyLabels[u]}
              {hours[u] !== undefined && <span className="hint"> (acknowledged within {hours[u]} hours)</span>}
            </label>
          ))}
        </fieldset>
        {!ms1 && (
          <YesNoQuestion
            legend="Did the person (or, for a child, where appropriate a parent) agree to this referral?"
            name="consent"
            value={form.consent}
            onChange={(v) => set({ consent: v })}
            errors={messages('consentObtained')}
          />
        )}
        {!ms1 && form.consent !== 'yes' && (
          <Field label="Why the information is shared without consent" hint="Required when consent was not obtained." errors={messages('sharingReason')}>
            {(p) => <textarea {...p} rows={2} value={form.sharingReason} onChange={(e) => set({ sharingReason: e.target.value })} />}
          </Field>
        )}
        <section id="referral-rules" aria-labelledby="referral-rules-heading" className="card" aria-live="polite">
          <h2 id="referral-rules-heading">What applies to this referral</h2>
          {rules.length ? (
            <ul>
              {rules.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          ) : (
            <p className="hint">Choose the kind of referral, whether the person is a child and whether they agreed, and the rules that apply are explained here.</p>
          )}
        </section>
        <Field label="Concerns" hint="What you have seen or been told, and why you are worried." errors={messages('summary')}>
          {(p) => <textarea {...p} rows={5} aria-required value={form.summary} onChange={(e) => set({ summary: e.target.value })} />}
        </Field>
        <fieldset className={messages('linkedThreatIds').length ? 'field-invalid' : undefined}>
          <legend>Linked threats (optional)</legend>
          <div className="hint">Groups the person is exploited by or linked to, among those shared with you.</div>
          {messages('linkedThreatIds').length > 0 && (
            <div className="field-error" role="alert">
              {messages('linkedThreatIds').join(' ')}
            </div>
          )}
          {form.linkedThreats.map((t) => (
            <label key={t.id} className="check">
              <input type="checkbox" checked onChange={() => toggleThreat(t)} /> {t.text}
            </label>
          ))}
          <Field label="Find a threat" hint="Part of its name or reference.">
            {(p) => <input {...p} type="search" value={threatText} onChange={(e) => setThreatText(e.target.value)} />}
          </Field>
          {threatSearch &&
            threats?.threats.edges
              .map((e) => e.node)
              .filter((t) => !form.linkedThreats.some((x) => x.id === t.id))
              .map((t) => (
                <label key={t.id} className="check">
                  <input type="checkbox" checked={false} onChange={() => toggleThreat({ id: t.id, text: `${t.urn} ${t.name}` })} /> {t.urn} {t.name}
                </label>
              ))}
          {threatSearch && threats?.threats.totalCount === 0 && <p className="hint">No threat shared with you matches.</p>}
        </fieldset>
        <Field
          label="Protective marking"
          hint={`${receiverName} must have someone cleared to read this marking, or the referral is refused.`}
          errors={messages('protectiveMarking')}
        >
          {(p) => (
            <select {...p} value={form.protectiveMarking} onChange={(e) => set({ protectiveMarking: e.target.value as ProtectiveMarking })}>
              {enumOptions(protectiveMarkings)}
            </select>
          )}
        </Field>
        <p>
          <strong>Sharing:</strong> {viewer.organisation.name} and {receiver ? receiver.name : 'the organisation you send it to'} only.
        </p>
        <div className="buttons">
          <button type="submit" disabled={state.fetching}>
            Send referral
          </button>
          <Link className="button" to="/referrals?box=outbox">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
