import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { AgreementStatus, DataCategory, LegalGateway, ProtectiveMarking } from '../../gql/graphql';
import { protectiveMarkings } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages, type FormErrors } from '../../lib/errors';
import { enumOptions, Field, FormAlert, label } from '../../lib/ui';
import { useOrganisations } from '../records/organisations';

const CreateAgreementDocument = graphql(`
  mutation CreateAgreement($input: CreateSharingAgreementInput!) {
    createSharingAgreement(input: $input) {
      id
      title
      status
      version
    }
  }
`);

export const dataCategories: DataCategory[] = ['THREAT', 'PLAN', 'DISRUPTION', 'NOMINAL', 'REFERRAL', 'PRACTICE', 'INTELLIGENCE'];
export const legalGateways: LegalGateway[] = [
  'CRIME_AND_DISORDER_ACT_1998_S115', 'CHILDREN_ACT_2004_S11', 'MODERN_SLAVERY_ACT_2015_S52', 'DPA_2018_PART3', 'CRCA_2005', 'COMMON_LAW_POLICING_PURPOSE', 'OTHER',
];
const fieldNames = ['title', 'partyIds', 'legalGateways', 'dataCategories', 'maxProtectiveMarking', 'effectiveFrom', 'expiresOn', 'purposes', 'status'];

const blank = {
  title: '',
  partyIds: [] as string[],
  legalGateways: [] as LegalGateway[],
  dataCategories: [] as DataCategory[],
  maxProtectiveMarking: 'OFFICIAL' as ProtectiveMarking,
  effectiveFrom: '',
  expiresOn: '',
  purposes: '',
  status: 'DRAFT' as AgreementStatus,
};

export const toggle = <T,>(list: T[], value: T) => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);

/** A group of checkboxes with its legend and the server's messages for the whole group. */
export function Checks<T extends string>({ legend, name, options, chosen, onChange, errors, text = label }: { legend: string; name: string; options: readonly T[]; chosen: T[]; onChange: (next: T[]) => void; errors: string[]; text?: (v: T) => string }) {
  return (
    <fieldset className={errors.length ? 'field-invalid' : undefined} aria-describedby={errors.length ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {errors.length > 0 && (
        <div id={`${name}-error`} className="field-error" role="alert">
          {errors.join(' ')}
        </div>
      )}
      {options.map((o) => (
        <label key={o} className="check">
          <input type="checkbox" checked={chosen.includes(o)} onChange={() => onChange(toggle(chosen, o))} /> {text(o)}
        </label>
      ))}
    </fieldset>
  );
}

/** Dates are required by the API's types, so a missing one is caught here with the same kind of message. */
function missingDates(form: typeof blank): FormErrors | null {
  const fields: Record<string, string[]> = {};
  if (!form.effectiveFrom) fields.effectiveFrom = ['Enter the first day the agreement applies.'];
  if (!form.expiresOn) fields.expiresOn = ['Enter the first day it no longer applies.'];
  return Object.keys(fields).length ? { fields, general: [] } : null;
}

/** A new agreement (administrators): every rule is the server's, its messages next to the fields. */
export function CreateAgreement({ onCreated }: { onCreated: (id: string) => void }) {
  const organisations = useOrganisations();
  const [form, setForm] = useState(blank);
  const [local, setLocal] = useState<FormErrors | null>(null);
  const [state, create] = useMutation(CreateAgreementDocument);
  const errors = local ?? formErrors(state.error);
  const set = (changes: Partial<typeof blank>) => setForm({ ...form, ...changes });
  const orgCode = (id: string) => organisations.find((o) => o.id === id)?.code ?? id;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing = missingDates(form);
    setLocal(missing);
    if (missing) return;
    const purposes = form.purposes.split(',').map((s) => s.trim()).filter(Boolean);
    const result = await create({ input: { ...form, purposes } });
    if (result.data) onCreated(result.data.createSharingAgreement.id);
  };

  return (
    <form className="form decision" onSubmit={submit} noValidate aria-labelledby="new-agreement">
      <h2 id="new-agreement">New sharing agreement</h2>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames)]} />
      <Field label="Title" errors={messagesFor(errors, 'title')}>
        {(p) => <input {...p} aria-required value={form.title} onChange={(e) => set({ title: e.target.value })} />}
      </Field>
      <Checks legend="Parties (at least two, one of them not law enforcement)" name="partyIds" options={organisations.map((o) => o.id)} text={orgCode} chosen={form.partyIds} onChange={(partyIds) => set({ partyIds })} errors={messagesFor(errors, 'partyIds')} />
      <div className="row">
        <Checks legend="Legal gateways" name="legalGateways" options={legalGateways} chosen={form.legalGateways} onChange={(v) => set({ legalGateways: v })} errors={messagesFor(errors, 'legalGateways')} />
        <Checks legend="Kinds of record covered" name="dataCategories" options={dataCategories} chosen={form.dataCategories} onChange={(v) => set({ dataCategories: v })} errors={messagesFor(errors, 'dataCategories')} />
      </div>
      <div className="row">
        <Field label="Highest marking shared" errors={messagesFor(errors, 'maxProtectiveMarking')}>
          {(p) => (
            <select {...p} value={form.maxProtectiveMarking} onChange={(e) => set({ maxProtectiveMarking: e.target.value as ProtectiveMarking })}>
              {enumOptions(protectiveMarkings)}
            </select>
          )}
        </Field>
        <Field label="Effective from" errors={messagesFor(errors, 'effectiveFrom')}>
          {(p) => <input {...p} type="date" aria-required value={form.effectiveFrom} onChange={(e) => set({ effectiveFrom: e.target.value })} />}
        </Field>
        <Field label="Expires on" hint="The first day it no longer applies." errors={messagesFor(errors, 'expiresOn')}>
          {(p) => <input {...p} type="date" aria-required value={form.expiresOn} onChange={(e) => set({ expiresOn: e.target.value })} />}
        </Field>
        <Field label="Status" errors={messagesFor(errors, 'status')}>
          {(p) => (
            <select {...p} value={form.status} onChange={(e) => set({ status: e.target.value as AgreementStatus })}>
              <option value="DRAFT">Draft</option>
              <option value="ACTIVE">Active</option>
            </select>
          )}
        </Field>
      </div>
      <Field label="Purposes" hint="Separated by commas, e.g. safeguarding, tasking." errors={messagesFor(errors, 'purposes')}>
        {(p) => <input {...p} value={form.purposes} onChange={(e) => set({ purposes: e.target.value })} />}
      </Field>
      <button type="submit" disabled={state.fetching}>
        Create agreement
      </button>
    </form>
  );
}
