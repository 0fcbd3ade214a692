import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DisruptionLevel, ProtectiveMarking, Sharing, Strand, Tactic } from '../../gql/graphql';
import { protectiveMarkings, sharings, strands, tactics } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, label, textOrWithheld, type WithheldShape } from '../../lib/ui';
import { LevelChoice } from './LevelChoice';

const DisruptionFormThreatsDocument = graphql(`
  query DisruptionFormThreats {
    threats(first: 100, orderBy: [{ field: NAME, direction: ASC }], filter: { status: [ASSESSED, ADOPTED, UNDER_REVIEW] }) {
      edges {
        node {
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
              tactic
              description
            }
          }
        }
      }
    }
  }
`);

const CreateDisruptionDocument = graphql(`
  mutation CreateDisruption($input: CreateDisruptionInput!) {
    createDisruption(input: $input) {
      id
      status
      version
      threat {
        id
      }
    }
  }
`);

export const fieldNames = ['threatId', 'date', 'strand', 'tactic', 'level', 'description', 'impactNarrative', 'evidenceRefs', 'criminalActivityId', 'planActionId', 'access'];

export const blank = {
  date: '', strand: '' as Strand | '', tactic: '' as Tactic | '', level: '' as DisruptionLevel | '', description: '', impactNarrative: '', evidence: '',
  criminalActivityId: '', planActionId: '', marking: 'OFFICIAL_SENSITIVE' as ProtectiveMarking, sharing: 'REGIONAL_LAW_ENFORCEMENT' as Sharing,
};

export type Form = typeof blank;
export type Errors = ReturnType<typeof formErrors>;

/** Records a draft claim; every entry rule is checked by the server and its messages sit by the fields. */
export function DisruptionForm() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [threatId, setThreatId] = useState(params.get('threat') ?? '');
  // Opened from a plan action ("Record a disruption"): the threat and the action come chosen.
  const [form, setForm] = useState({ ...blank, planActionId: params.get('action') ?? '' });
  const [{ data }] = useQuery({ query: DisruptionFormThreatsDocument });
  const [state, create] = useMutation(CreateDisruptionDocument);
  const errors = formErrors(state.error);
  const threat = data?.threats.edges.find((e) => e.node.id === threatId)?.node;
  const fromAction = threat?.plan?.actions.find((a) => a.id === params.get('action'));
  // The action's strand and tactic, once its threat is loaded, unless already chosen.
  useEffect(() => {
    if (fromAction) setForm((f) => ({ ...f, strand: f.strand || fromAction.strand, tactic: f.tactic || fromAction.tactic }));
  }, [fromAction]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input = {
      threatId, date: orNull(form.date), strand: orNull(form.strand), tactic: orNull(form.tactic), level: orNull(form.level),
      description: orNull(form.description.trim()), impactNarrative: orNull(form.impactNarrative.trim()), evidenceRefs: evidenceOf(form),
      criminalActivityId: orNull(form.criminalActivityId), planActionId: orNull(form.planActionId),
      access: { protectiveMarking: form.marking, sharing: form.sharing },
    };
    const result = await create({ input });
    if (result.data) navigate(`/disruptions/${result.data.createDisruption.id}`);
  };

  return (
    <>
      <h1>Record a disruption</h1>
      {fromAction && threat && (
        <p data-testid="from-action">
          Achieved by the plan action “{fromAction.description}” of {threat.urn} {threat.name}.
        </p>
      )}
      <form onSubmit={submit} className="form" noValidate>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames)]} />
        <Field label="Threat" errors={messagesFor(errors, 'threatId')}>
          {(p) => (
            <select {...p} value={threatId} onChange={(e) => setThreatId(e.target.value)}>
              <option value="">Choose…</option>
              {data?.threats.edges.map(({ node: t }) => (
                <option key={t.id} value={t.id}>
                  {t.urn} {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DisruptionFields form={form} set={(changes) => setForm({ ...form, ...changes })} threat={threat} errors={errors} />
        <button type="submit" disabled={state.fetching}>
          Save draft
        </button>
      </form>
    </>
  );
}

export const orNull = <T extends string>(v: T | '') => (v === '' ? null : v);
export const evidenceOf = (form: Form) => form.evidence.split('\n').map((s) => s.trim()).filter(Boolean);

/** Every recorded field of a claim but the threat, shared by the new-claim and edit forms. */
export function DisruptionFields({ form, set, threat, errors }: { form: Form; set: (changes: Partial<Form>) => void; threat?: Threat | null; errors: Errors }) {
  const text = (name: 'description' | 'impactNarrative', title: string, hint?: string) => (
    <Field label={title} hint={hint} errors={messagesFor(errors, name)}>
      {(p) => <textarea {...p} rows={3} aria-required value={form[name]} onChange={(e) => set({ [name]: e.target.value })} />}
    </Field>
  );
  return (
    <>
      <Field label="Date" errors={messagesFor(errors, 'date')}>
        {(p) => <input {...p} type="date" aria-required value={form.date} onChange={(e) => set({ date: e.target.value })} />}
      </Field>
      <div className="row">
        <Field label="Strand" errors={messagesFor(errors, 'strand')}>
          {(p) => (
            <select {...p} aria-required value={form.strand} onChange={(e) => set({ strand: e.target.value as Strand })}>
              <option value="">Choose…</option>
              {enumOptions(strands)}
            </select>
          )}
        </Field>
        <Field label="Tactic" errors={messagesFor(errors, 'tactic')}>
          {(p) => (
            <select {...p} aria-required value={form.tactic} onChange={(e) => set({ tactic: e.target.value as Tactic })}>
              <option value="">Choose…</option>
              {enumOptions(tactics)}
            </select>
          )}
        </Field>
      </div>
      <LevelChoice name="level" legend="Level claimed" value={form.level} onChange={(level) => set({ level })} errors={messagesFor(errors, 'level')} />
      {text('description', 'What was done')}
      {text('impactNarrative', 'Impact', "How the group's ability to cause harm was dismantled, frustrated or undermined.")}
      <Field label="Evidence references" hint="One per line: crime numbers, seizure or court references." errors={messagesFor(errors, 'evidenceRefs')}>
        {(p) => <textarea {...p} rows={2} aria-required value={form.evidence} onChange={(e) => set({ evidence: e.target.value })} />}
      </Field>
      <ThreatParts threat={threat ?? undefined} form={form} set={set} errors={errors} />
      <div className="row">
        <Field label="Protective marking" errors={messagesFor(errors, 'access.protectiveMarking')}>
          {(p) => (
            <select {...p} value={form.marking} onChange={(e) => set({ marking: e.target.value as ProtectiveMarking })}>
              {enumOptions(protectiveMarkings)}
            </select>
          )}
        </Field>
        <Field label="Sharing" errors={messagesFor(errors, 'access.sharing')}>
          {(p) => (
            <select {...p} value={form.sharing} onChange={(e) => set({ sharing: e.target.value as Sharing })}>
              {enumOptions(sharings.filter((s) => s !== 'NAMED_ORGANISATIONS'))}
            </select>
          )}
        </Field>
      </div>
    </>
  );
}

export type Threat = { criminalActivities: { id: string; category: string; description: string | null; withheld: WithheldShape[] }[]; plan?: { actions: { id: string; strand: string; description: string }[] } | null };

/** The optional links to one of the threat's activities and its plan's actions. */
function ThreatParts({ threat, form, set, errors }: { threat?: Threat; form: Form; set: (c: Partial<Form>) => void; errors: Errors }) {
  if (!threat) return null;
  return (
    <div className="row">
      <Field label="Criminal activity (optional)" errors={messagesFor(errors, 'criminalActivityId')}>
        {(p) => (
          <select {...p} value={form.criminalActivityId} onChange={(e) => set({ criminalActivityId: e.target.value })}>
            <option value="">None in particular</option>
            {threat.criminalActivities.map((a) => (
              <option key={a.id} value={a.id}>
                {label(a.category)}: {textOrWithheld(a.description, a.withheld, 'description')}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Plan action (optional)" errors={messagesFor(errors, 'planActionId')}>
        {(p) => (
          <select {...p} value={form.planActionId} onChange={(e) => set({ planActionId: e.target.value })}>
            <option value="">None</option>
            {threat.plan?.actions.map((a) => (
              <option key={a.id} value={a.id}>
                {label(a.strand)}: {a.description}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}
