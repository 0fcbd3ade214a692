import { useState, type FormEvent } from 'react';
import { useClient, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { AgreementNowQuery, DataCategory, LegalGateway, ProtectiveMarking, UpdateSharingAgreementInput } from '../../gql/graphql';
import { protectiveMarkings } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages, type FormErrors } from '../../lib/errors';
import { enumOptions, Field, FormAlert, formatDate, label, Value } from '../../lib/ui';
import { conflictIn, ConflictView, type ConflictRow } from '../records/ConflictView';
import { useOrganisations } from '../records/organisations';
import { Checks, dataCategories, legalGateways } from './CreateAgreement';
import type { Agreement } from './SharingAgreements';

export const AgreementEditFields = graphql(`
  fragment AgreementEditFields on InformationSharingAgreement {
    id
    title
    status
    statusReason
    isInForce
    effectiveFrom
    expiresOn
    expiresInDays
    version
    maxProtectiveMarking
    dataCategories
    legalGateways
    purposes
    parties {
      id
      code
    }
  }
`);

const UpdateAgreementDocument = graphql(`
  mutation UpdateAgreement($input: UpdateSharingAgreementInput!) {
    updateSharingAgreement(input: $input) {
      ...AgreementEditFields
    }
  }
`);

const AgreementNowDocument = graphql(`
  query AgreementNow($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on InformationSharingAgreement {
        ...AgreementEditFields
        updatedBy {
          id
          displayName
        }
      }
    }
  }
`);

type Now = Extract<NonNullable<AgreementNowQuery['node']>, { __typename: 'InformationSharingAgreement' }>;

interface Form {
  title: string;
  partyIds: string[];
  legalGateways: LegalGateway[];
  dataCategories: DataCategory[];
  maxProtectiveMarking: ProtectiveMarking;
  effectiveFrom: string;
  expiresOn: string;
  purposes: string;
}

const asText = (v: unknown) => (typeof v === 'string' ? v : '');

function formOf(a: Pick<Agreement, 'title' | 'parties' | 'legalGateways' | 'dataCategories' | 'maxProtectiveMarking' | 'effectiveFrom' | 'expiresOn' | 'purposes'>): Form {
  return {
    title: a.title,
    partyIds: a.parties.map((p) => p.id),
    legalGateways: [...a.legalGateways],
    dataCategories: [...a.dataCategories],
    maxProtectiveMarking: a.maxProtectiveMarking,
    effectiveFrom: asText(a.effectiveFrom),
    expiresOn: asText(a.expiresOn),
    purposes: a.purposes.join(', '),
  };
}

/** Every message of the form in plain words. */
function plainErrors(errors: FormErrors): FormErrors {
  return {
    general: errors.general.map(agreementWords),
    fields: Object.fromEntries(Object.entries(errors.fields).map(([field, messages]) => [field, messages.map(agreementWords)])),
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
const purposeList = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
const fieldNames = ['title', 'partyIds', 'legalGateways', 'dataCategories', 'maxProtectiveMarking', 'effectiveFrom', 'expiresOn', 'purposes'];

/** Only what the administrator changed, compared with the agreement as it was loaded; of an active one, only the expiry. */
function changesFrom(before: Form, after: Form, draft: boolean): Partial<UpdateSharingAgreementInput> {
  const changes: Partial<UpdateSharingAgreementInput> = {};
  if (after.expiresOn !== before.expiresOn) changes.expiresOn = after.expiresOn;
  if (!draft) return changes;
  if (after.title !== before.title) changes.title = after.title;
  if (!sameSet(after.partyIds, before.partyIds)) changes.partyIds = after.partyIds;
  if (!sameSet(after.legalGateways, before.legalGateways)) changes.legalGateways = after.legalGateways;
  if (!sameSet(after.dataCategories, before.dataCategories)) changes.dataCategories = after.dataCategories;
  if (after.maxProtectiveMarking !== before.maxProtectiveMarking) changes.maxProtectiveMarking = after.maxProtectiveMarking;
  if (after.effectiveFrom !== before.effectiveFrom) changes.effectiveFrom = after.effectiveFrom;
  if (purposeList(after.purposes).join('\n') !== purposeList(before.purposes).join('\n')) changes.purposes = purposeList(after.purposes);
  return changes;
}

/** Spellings the server's messages about agreements may quote (statuses, field names), in words. */
const SPELLINGS: Record<string, string> = {
  DRAFT: 'draft',
  ACTIVE: 'active',
  SUSPENDED: 'suspended',
  EXPIRED: 'expired',
  effectiveFrom: 'the first day it applies',
  expiresOn: 'the day it expires',
  partyIds: 'the parties',
};

/** A server message about an agreement in plain words ("can only be extended while the agreement is active"). */
export function agreementWords(message: string): string {
  return message.replace(/\b(DRAFT|ACTIVE|SUSPENDED|EXPIRED|effectiveFrom|expiresOn|partyIds)\b/g, (v) => SPELLINGS[v]);
}

/** What saving again on the newer version gives: the administrator's changes over the agreement as it is now. */
function mergedOver(now: Form, before: Form, mine: Form, draft: boolean): Form {
  const merged = { ...now };
  for (const key of Object.keys(changesFrom(before, mine, draft)) as (keyof Form)[]) (merged as Record<keyof Form, unknown>)[key] = mine[key];
  return merged;
}

/**
 * Changing an agreement's details (administrators): every detail of a draft; of an active agreement
 * only a later expiry (what is agreed and in force is not rewritten: a new agreement is drafted
 * instead). Saved against the version on screen: when someone else saved first, both are shown
 * side by side (ConflictView) rather than one silently winning.
 */
export function EditAgreement({ agreement: a }: { agreement: Agreement }) {
  const client = useClient();
  const organisations = useOrganisations();
  const draft = a.status === 'DRAFT';
  const [base, setBase] = useState(() => ({ version: a.version, form: formOf(a) }));
  const [form, setForm] = useState(base.form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>();
  const [current, setCurrent] = useState<Now | null>(null);
  const [saved, setSaved] = useState(false);
  const errors = plainErrors(formErrors(error));
  const set = (changes: Partial<Form>) => {
    setSaved(false);
    setForm({ ...form, ...changes });
  };
  const orgCode = (id: string) => organisations.find((o) => o.id === id)?.code ?? a.parties.find((p) => p.id === id)?.code ?? 'an organisation';
  const changes = changesFrom(base.form, form, draft);
  const unchanged = Object.keys(changes).length === 0;

  if (a.status !== 'DRAFT' && a.status !== 'ACTIVE') {
    return (
      <p className="hint" data-testid="agreement-not-editable">
        {a.status === 'SUSPENDED' ? 'A suspended agreement’s details cannot be changed: reinstate it first to extend it.' : 'An expired agreement has ended for good: draft a new one instead.'}
      </p>
    );
  }

  // Only the fields this administrator changed are sent, so saving again on a newer version keeps the others as they are now.
  const save = async (expectedVersion: number) => {
    setBusy(true);
    const result = await client.mutation(UpdateAgreementDocument, { input: { id: a.id, expectedVersion, ...changes } }).toPromise();
    if (conflictIn(result.error)) {
      const now = await client.query(AgreementNowDocument, { id: a.id }, { requestPolicy: 'network-only' }).toPromise();
      setCurrent(now.data?.node?.__typename === 'InformationSharingAgreement' ? (now.data.node as Now) : null);
      setError(now.data?.node ? undefined : result.error);
    } else {
      setError(result.error);
      if (result.data) {
        const next = result.data.updateSharingAgreement as unknown as Agreement;
        const nextForm = formOf(next);
        setBase({ version: next.version, form: nextForm });
        setForm(nextForm);
        setCurrent(null);
        setSaved(true);
      }
    }
    setBusy(false);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(base.version);
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="edit-agreement">
      <h3 id="edit-agreement">Change the details</h3>
      <p className="hint">
        {draft
          ? 'While it is a draft, every detail can be changed.'
          : `It is active, so what was agreed stays as it is: only its end can be moved later (now ${formatDate(base.form.expiresOn)}). To change anything else, draft a new agreement.`}
      </p>
      {current && (
        <ConflictView
          what="agreement"
          changedBy={current.updatedBy?.displayName}
          rows={conflictRows(mergedOver(formOf(current), base.form, form, draft), formOf(current), orgCode)}
          busy={busy}
          onKeepMine={() => void save(current.version)}
          onTakeTheirs={() => {
            const theirs = formOf(current);
            setBase({ version: current.version, form: theirs });
            setForm(theirs);
            setCurrent(null);
          }}
        />
      )}
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, [...fieldNames, 'id', 'expectedVersion']), ...messagesFor(errors, 'id')]} />
      {draft && (
        <>
          <Field label="Title" errors={messagesFor(errors, 'title')}>
            {(p) => <input {...p} aria-required value={form.title} onChange={(e) => set({ title: e.target.value })} />}
          </Field>
          <Checks legend="Parties (at least two, one of them not law enforcement)" name="edit-partyIds" options={organisations.map((o) => o.id)} text={orgCode} chosen={form.partyIds} onChange={(partyIds) => set({ partyIds })} errors={messagesFor(errors, 'partyIds')} />
          <div className="row">
            <Checks legend="Legal gateways" name="edit-legalGateways" options={legalGateways} chosen={form.legalGateways} onChange={(v) => set({ legalGateways: v })} errors={messagesFor(errors, 'legalGateways')} />
            <Checks legend="Kinds of record covered" name="edit-dataCategories" options={dataCategories} chosen={form.dataCategories} onChange={(v) => set({ dataCategories: v })} errors={messagesFor(errors, 'dataCategories')} />
          </div>
        </>
      )}
      <div className="row">
        {draft && (
          <>
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
          </>
        )}
        <Field label="Expires on" hint="The first day it no longer applies." errors={messagesFor(errors, 'expiresOn')}>
          {(p) => <input {...p} type="date" aria-required value={form.expiresOn} min={draft ? undefined : base.form.expiresOn} onChange={(e) => set({ expiresOn: e.target.value })} />}
        </Field>
      </div>
      {draft && (
        <Field label="Purposes" hint="Separated by commas, e.g. safeguarding, tasking." errors={messagesFor(errors, 'purposes')}>
          {(p) => <input {...p} value={form.purposes} onChange={(e) => set({ purposes: e.target.value })} />}
        </Field>
      )}
      <div className="buttons">
        <button type="submit" disabled={busy || unchanged || !!current}>
          Save changes
        </button>
        <button type="button" disabled={busy || unchanged} onClick={() => setForm(base.form)}>
          Undo my changes
        </button>
      </div>
      <p role="status" className="hint">
        {saved && 'Saved: the agreement’s details are changed.'}
      </p>
    </form>
  );
}

/** The administrator's unsaved details (their changes over the current version) beside the agreement as it is now. */
function conflictRows(mine: Form, now: Form, orgCode: (id: string) => string): ConflictRow[] {
  const row = (rowLabel: string, a: string, b: string): ConflictRow => ({ label: rowLabel, mine: <Value empty="none">{a}</Value>, theirs: <Value empty="none">{b}</Value>, differs: a !== b });
  const list = (values: string[], word: (v: string) => string = label) => values.map(word).sort().join(', ');
  return [
    row('Title', mine.title, now.title),
    row('Parties', list(mine.partyIds, orgCode), list(now.partyIds, orgCode)),
    row('Legal gateways', list(mine.legalGateways), list(now.legalGateways)),
    row('Kinds of record covered', list(mine.dataCategories), list(now.dataCategories)),
    row('Highest marking shared', label(mine.maxProtectiveMarking), label(now.maxProtectiveMarking)),
    row('Effective from', formatDate(mine.effectiveFrom), formatDate(now.effectiveFrom)),
    row('Expires on', formatDate(mine.expiresOn), formatDate(now.expiresOn)),
    row('Purposes', purposeList(mine.purposes).join(', '), purposeList(now.purposes).join(', ')),
  ];
}
