import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { GeographicScope, ProtectiveMarking, Sharing, SubjectType, TaskingLevel } from '../../gql/graphql';
import { protectiveMarkings, sharings, subjectTypes } from '../../lib/enums';
import { formErrors, unclaimedMessages, type FormErrors } from '../../lib/errors';
import { enumOptions, Field, FormAlert } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { useOrganisations } from '../records/organisations';
import { ActivityFields, activityInput, blankActivity, mayRecordThreats, missingActivityParts, plainMessages, plainWords, type ActivityValues } from './activityFields';

const CreateThreatDocument = graphql(`
  mutation CreateThreat($input: CreateThreatInput!) {
    createThreat(input: $input) {
      id
      urn
      name
      version
    }
  }
`);

const taskingLevels: TaskingLevel[] = ['LOCAL', 'FORCE', 'REGIONAL', 'NATIONAL'];
const geographicScopes: GeographicScope[] = ['LOCAL', 'FORCE', 'REGIONAL', 'NATIONAL', 'INTERNATIONAL'];

const fieldNames = [
  'name', 'subjectType', 'leadOrganisationId', 'taskingLevel', 'geographicScope', 'areasAffectedIds', 'identifiedOn', 'summary', 'access', 'criminalActivities',
];

/** Records a new threat with its known criminal activities; every rule is the server's, its messages sit by the fields. */
export function ThreatNew() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const organisations = useOrganisations();
  const [form, setForm] = useState({
    subjectType: '' as SubjectType | '',
    name: '',
    leadOrganisationId: viewer.organisation.id,
    taskingLevel: '' as TaskingLevel | '',
    geographicScope: '' as GeographicScope | '',
    areasAffectedIds: [] as string[],
    identifiedOn: '',
    summary: '',
    protectiveMarking: 'OFFICIAL_SENSITIVE' as ProtectiveMarking,
    sharing: 'REGIONAL_LAW_ENFORCEMENT' as Sharing,
  });
  const [activities, setActivities] = useState<ActivityValues[]>([blankActivity]);
  // What the form found missing before sending (choices the request cannot be made without).
  const [missing, setMissing] = useState<FormErrors | null>(null);
  const [state, create] = useMutation(CreateThreatDocument);
  const errors = missing ?? formErrors(state.error);
  const set = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const setActivity = (index: number, changes: Partial<ActivityValues>) => setActivities(activities.map((a, i) => (i === index ? { ...a, ...changes } : a)));
  const toggleArea = (id: string) =>
    set({ areasAffectedIds: form.areasAffectedIds.includes(id) ? form.areasAffectedIds.filter((x) => x !== id) : [...form.areasAffectedIds, id] });
  const messages = (field: string) => plainMessages(errors, field);

  if (!mayRecordThreats(viewer.roles)) return <p role="alert">Recording threats is for intelligence and investigation roles.</p>;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string[]> = {};
    if (!form.subjectType) fields.subjectType = ['is required'];
    if (!form.taskingLevel) fields.taskingLevel = ['is required'];
    if (!form.geographicScope) fields.geographicScope = ['is required'];
    activities.forEach((a, i) => Object.assign(fields, missingActivityParts(a, `criminalActivities[${i}]`)));
    if (Object.keys(fields).length) return setMissing({ fields, general: [] });
    setMissing(null);
    const result = await create({
      input: {
        subjectType: form.subjectType as SubjectType,
        name: form.name,
        leadOrganisationId: form.leadOrganisationId,
        taskingLevel: form.taskingLevel as TaskingLevel,
        geographicScope: form.geographicScope as GeographicScope,
        areasAffectedIds: form.areasAffectedIds,
        identifiedOn: form.identifiedOn || null,
        summary: form.summary.trim() || null,
        access: { protectiveMarking: form.protectiveMarking, sharing: form.sharing },
        criminalActivities: activities.map(activityInput),
      },
    });
    if (result.data) navigate(`/threats/${result.data.createThreat.id}`);
  };

  return (
    <>
      <p className="crumbs">
        <Link to="/threats">Threats</Link> / New threat
      </p>
      <h1>New threat</h1>
      <form onSubmit={submit} className="form" noValidate>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames).map(plainWords)]} />
        <Field label="Subject type" errors={messages('subjectType')}>
          {(p) => (
            <select {...p} aria-required value={form.subjectType} onChange={(e) => set({ subjectType: e.target.value as SubjectType })}>
              <option value="">Choose…</option>
              {enumOptions(subjectTypes)}
            </select>
          )}
        </Field>
        <Field label="Name" hint="The operation or group name analysts know it by." errors={messages('name')}>
          {(p) => <input {...p} aria-required value={form.name} onChange={(e) => set({ name: e.target.value })} />}
        </Field>
        <div className="row">
          <Field label="Lead organisation" errors={messages('leadOrganisationId')}>
            {(p) => (
              <select {...p} value={form.leadOrganisationId} onChange={(e) => set({ leadOrganisationId: e.target.value })}>
                {!organisations.length && <option value={viewer.organisation.id}>{viewer.organisation.name}</option>}
                {organisations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Tasking level" errors={messages('taskingLevel')}>
            {(p) => (
              <select {...p} aria-required value={form.taskingLevel} onChange={(e) => set({ taskingLevel: e.target.value as TaskingLevel })}>
                <option value="">Choose…</option>
                {enumOptions(taskingLevels)}
              </select>
            )}
          </Field>
          <Field label="Geographic scope" errors={messages('geographicScope')}>
            {(p) => (
              <select {...p} aria-required value={form.geographicScope} onChange={(e) => set({ geographicScope: e.target.value as GeographicScope })}>
                <option value="">Choose…</option>
                {enumOptions(geographicScopes)}
              </select>
            )}
          </Field>
        </div>
        <fieldset>
          <legend>Areas affected</legend>
          {messages('areasAffectedIds').map((m) => (
            <p key={m} className="field-error" role="alert">
              {m}
            </p>
          ))}
          {organisations
            .filter((o) => o.isLawEnforcement)
            .map((o) => (
              <label key={o.id} className="check">
                <input type="checkbox" checked={form.areasAffectedIds.includes(o.id)} onChange={() => toggleArea(o.id)} /> {o.name}
              </label>
            ))}
        </fieldset>
        <Field label="Identified on (optional)" hint="Today if left empty." errors={messages('identifiedOn')}>
          {(p) => <input {...p} type="date" value={form.identifiedOn} onChange={(e) => set({ identifiedOn: e.target.value })} />}
        </Field>
        <Field label="Summary (optional)" errors={messages('summary')}>
          {(p) => <textarea {...p} rows={4} value={form.summary} onChange={(e) => set({ summary: e.target.value })} />}
        </Field>
        <div className="row">
          <Field label="Protective marking" errors={messages('access.protectiveMarking')}>
            {(p) => (
              <select {...p} value={form.protectiveMarking} onChange={(e) => set({ protectiveMarking: e.target.value as ProtectiveMarking })}>
                {enumOptions(protectiveMarkings)}
              </select>
            )}
          </Field>
          <Field label="Sharing" hint="Who may see this threat." errors={messages('access.sharing')}>
            {(p) => (
              <select {...p} value={form.sharing} onChange={(e) => set({ sharing: e.target.value as Sharing })}>
                {enumOptions(sharings.filter((s) => s !== 'NAMED_ORGANISATIONS'))}
              </select>
            )}
          </Field>
        </div>
        <h2>Criminal activities</h2>
        {(errors.fields.criminalActivities ?? []).map((m) => (
          <p key={m} className="field-error" role="alert">
            {plainWords(m)}
          </p>
        ))}
        {activities.map((a, i) => (
          <fieldset key={i} data-testid={`activity-${i + 1}`}>
            <legend>Criminal activity {i + 1}</legend>
            <ActivityFields value={a} set={(changes) => setActivity(i, changes)} errors={errors} prefix={`criminalActivities[${i}]`} />
            {activities.length > 1 && (
              <button type="button" className="small danger" onClick={() => setActivities(activities.filter((_, j) => j !== i))}>
                Remove criminal activity {i + 1}
              </button>
            )}
          </fieldset>
        ))}
        <p>
          <button type="button" onClick={() => setActivities([...activities, blankActivity])}>
            Add another criminal activity
          </button>
        </p>
        <div className="buttons">
          <button type="submit" disabled={state.fetching}>
            Record threat
          </button>
          <Link className="button" to="/threats">
            Cancel
          </Link>
        </div>
      </form>
    </>
  );
}
