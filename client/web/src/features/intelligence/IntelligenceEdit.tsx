import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { HandlingCode, IntelligenceAssessment, IntelligenceEditQuery, SourceEvaluation } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, Loaded } from '../../lib/ui';
import { Marking } from '../assessments/parts';
import { CrimeCategoryChoices } from './CrimeCategoryChoices';
import { assessmentWords, handlingWords, intelligenceWords, sourceWords } from './intelligenceWords';

const IntelligenceEditDocument = graphql(`
  query IntelligenceEdit($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on IntelligenceReport {
        version
        reference
        receivedOn
        sourceEvaluation
        intelligenceAssessment
        handlingCode
        handlingConditions
        sourceReference
        sanitisedText
        originalText
        crimeCategories
        protectiveMarking
        owningOrganisation {
          id
        }
      }
    }
  }
`);

const UpdateIntelligenceDocument = graphql(`
  mutation UpdateIntelligenceReport($input: UpdateIntelligenceReportInput!) {
    updateIntelligenceReport(input: $input) {
      id
      version
    }
  }
`);

type Report = Extract<NonNullable<IntelligenceEditQuery['node']>, { __typename: 'IntelligenceReport' }>;

const fieldNames = ['receivedOn', 'sourceEvaluation', 'intelligenceAssessment', 'handlingCode', 'handlingConditions', 'sourceReference', 'sanitisedText', 'originalText', 'crimeCategories'];

/** Changes an intelligence report (its organisation only); the server's entry rules judge it as it will be. */
export function IntelligenceEdit() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: IntelligenceEditDocument, variables: { id }, requestPolicy: 'network-only' });
  const report = data?.node?.__typename === 'IntelligenceReport' ? (data.node as Report) : data && null;
  if (data && !report) return <p role="alert">This intelligence report does not exist or you may not read it.</p>;
  return <Loaded data={report} fetching={fetching} error={error}>{(r) => <EditForm r={r} />}</Loaded>;
}

function EditForm({ r }: { r: Report }) {
  const navigate = useNavigate();
  const [form, setForm] = useState({
    receivedOn: r.receivedOn,
    sourceEvaluation: r.sourceEvaluation ?? ('' as SourceEvaluation | ''),
    intelligenceAssessment: r.intelligenceAssessment ?? ('' as IntelligenceAssessment | ''),
    handlingCode: r.handlingCode as HandlingCode,
    handlingConditions: r.handlingConditions ?? '',
    sourceReference: r.sourceReference ?? '',
    sanitisedText: r.sanitisedText,
    originalText: r.originalText ?? '',
    crimeCategories: r.crimeCategories,
  });
  const [state, update] = useMutation(UpdateIntelligenceDocument);
  const errors = formErrors(state.error);
  const messages = (field: string) => messagesFor(errors, field).map(intelligenceWords);
  const set = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await update({
      input: {
        id: r.id,
        expectedVersion: r.version,
        receivedOn: form.receivedOn,
        sourceEvaluation: form.sourceEvaluation || null,
        intelligenceAssessment: form.intelligenceAssessment || null,
        handlingCode: form.handlingCode,
        handlingConditions: form.handlingConditions || null,
        sourceReference: form.sourceReference || null,
        sanitisedText: form.sanitisedText,
        originalText: form.originalText,
        crimeCategories: form.crimeCategories,
      },
    });
    if (result.data) navigate(`/intelligence/${encodeURIComponent(r.id)}`);
  };

  const choice = <K extends 'sourceEvaluation' | 'intelligenceAssessment' | 'handlingCode'>(f: K, title: string, words: Record<string, string>) => (
    <Field label={title} errors={messages(f)}>
      {(p) => (
        <select {...p} aria-required value={form[f]} onChange={(e) => set({ [f]: e.target.value } as Partial<typeof form>)}>
          {Object.entries(words).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
  const area = (f: 'sanitisedText' | 'originalText' | 'handlingConditions', title: string) => (
    <Field label={title} errors={messages(f)}>
      {(p) => <textarea {...p} rows={3} value={form[f]} onChange={(e) => set({ [f]: e.target.value })} />}
    </Field>
  );

  return (
    <>
      <p className="crumbs">
        <Link to="/intelligence">Intelligence</Link> / <Link to={`/intelligence/${encodeURIComponent(r.id)}`}>{r.reference}</Link> / edit
      </p>
      <h1>Edit {r.reference}</h1>
      <Marking marking={r.protectiveMarking} />
      <form className="form" aria-label={`Edit ${r.reference}`} onSubmit={submit} noValidate>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames).map(intelligenceWords)]} />
        <Field label="Received on" errors={messages('receivedOn')}>
          {(p) => <input {...p} type="date" aria-required value={form.receivedOn} onChange={(e) => set({ receivedOn: e.target.value })} />}
        </Field>
        <div className="row">
          {choice('sourceEvaluation', 'Source evaluation', sourceWords)}
          {choice('intelligenceAssessment', 'Intelligence assessment', assessmentWords)}
          {choice('handlingCode', 'Handling code', handlingWords)}
        </div>
        {area('handlingConditions', 'Handling conditions')}
        <Field label="Source reference" errors={messages('sourceReference')}>
          {(p) => <input {...p} value={form.sourceReference} onChange={(e) => set({ sourceReference: e.target.value })} />}
        </Field>
        {area('sanitisedText', 'Sanitised text')}
        {area('originalText', 'Original text')}
        <CrimeCategoryChoices value={form.crimeCategories} onChange={(crimeCategories) => set({ crimeCategories })} errors={messages('crimeCategories')} />
        <div className="buttons">
          <button type="submit" disabled={state.fetching}>
            Save changes
          </button>
          <Link to={`/intelligence/${encodeURIComponent(r.id)}`}>Cancel</Link>
        </div>
      </form>
    </>
  );
}
