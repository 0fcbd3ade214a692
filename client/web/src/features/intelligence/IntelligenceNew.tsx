import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { CrimeCategory, HandlingCode, IntelligenceAssessment, ProtectiveMarking, Sharing, SourceEvaluation } from '../../gql/graphql';
import { protectiveMarkings } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, WordChoice } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { CrimeCategoryChoices } from './CrimeCategoryChoices';
import { assessmentWords, handlingWords, intelligenceWords, sourceWords } from './intelligenceWords';

const CreateIntelligenceDocument = graphql(`
  mutation CreateIntelligenceReport($input: CreateIntelligenceReportInput!) {
    createIntelligenceReport(input: $input) {
      id
      reference
    }
  }
`);

const ThreatChoicesDocument = graphql(`
  query IntelligenceThreatChoices {
    threats(first: 100, orderBy: [{ field: NAME, direction: ASC }]) {
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

const fieldNames = ['receivedOn', 'sourceEvaluation', 'intelligenceAssessment', 'handlingCode', 'handlingConditions', 'sourceReference', 'sanitisedText', 'originalText', 'threatIds', 'crimeCategories', 'access'];

const blank = {
  receivedOn: '',
  sourceEvaluation: '' as SourceEvaluation | '',
  intelligenceAssessment: '' as IntelligenceAssessment | '',
  handlingCode: '' as HandlingCode | '',
  handlingConditions: '',
  sourceReference: '',
  sanitisedText: '',
  originalText: '',
  threatId: '',
  crimeCategories: [] as CrimeCategory[],
  protectiveMarking: 'OFFICIAL_SENSITIVE' as ProtectiveMarking,
  sharing: 'REGIONAL_LAW_ENFORCEMENT' as Sharing,
};

const sharingWords: Partial<Record<Sharing, string>> = {
  REGIONAL_LAW_ENFORCEMENT: 'Law enforcement in the region',
  OWNER_ONLY: 'Your organisation only',
};

/** Records a graded intelligence report; the server's entry rules name each field at fault. */
export function IntelligenceNew() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const [form, setForm] = useState(blank);
  const [state, create] = useMutation(CreateIntelligenceDocument);
  const [{ data: threats }] = useQuery({ query: ThreatChoicesDocument });
  const errors = formErrors(state.error);
  const messages = (field: string) => messagesFor(errors, field).map(intelligenceWords);
  const set = (changes: Partial<typeof blank>) => setForm({ ...form, ...changes });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create({
      input: {
        receivedOn: form.receivedOn || null,
        sourceEvaluation: form.sourceEvaluation || null,
        intelligenceAssessment: form.intelligenceAssessment || null,
        handlingCode: form.handlingCode || null,
        handlingConditions: form.handlingConditions || null,
        sourceReference: form.sourceReference || null,
        sanitisedText: form.sanitisedText || null,
        originalText: form.originalText || null,
        threatIds: form.threatId ? [form.threatId] : [],
        crimeCategories: form.crimeCategories,
        access: { protectiveMarking: form.protectiveMarking, sharing: form.sharing },
      },
    });
    if (result.data) navigate(`/intelligence/${encodeURIComponent(result.data.createIntelligenceReport.id)}`);
  };

  const area = (f: 'sanitisedText' | 'originalText' | 'handlingConditions', title: string, hint: string, required = true) => (
    <Field label={title} hint={hint} errors={messages(f)}>
      {(p) => <textarea {...p} aria-required={required} rows={3} value={form[f]} onChange={(e) => set({ [f]: e.target.value })} />}
    </Field>
  );

  return (
    <>
      <p className="crumbs">
        <Link to="/intelligence">Intelligence</Link> / new
      </p>
      <h1>Record intelligence</h1>
      <form className="form" aria-label="Record intelligence" onSubmit={submit} noValidate>
        <p className="hint">Recorded as {viewer.organisation.name}&rsquo;s intelligence, graded 3x5x2.</p>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames).map(intelligenceWords)]} />
        <Field label="Received on" errors={messages('receivedOn')}>
          {(p) => <input {...p} type="date" aria-required value={form.receivedOn} onChange={(e) => set({ receivedOn: e.target.value })} />}
        </Field>
        <div className="row">
          <WordChoice label="Source evaluation" words={sourceWords} value={form.sourceEvaluation} onChange={(sourceEvaluation) => set({ sourceEvaluation })} errors={messages('sourceEvaluation')} />
          <WordChoice label="Intelligence assessment" words={assessmentWords} value={form.intelligenceAssessment} onChange={(intelligenceAssessment) => set({ intelligenceAssessment })} errors={messages('intelligenceAssessment')} />
          <WordChoice label="Handling code" words={handlingWords} value={form.handlingCode} onChange={(handlingCode) => set({ handlingCode })} errors={messages('handlingCode')} />
        </div>
        {area('handlingConditions', 'Handling conditions', 'Required with handling code C: the conditions on which it may be disseminated.', false)}
        <Field label="Source reference" hint="A reference, never a name." errors={messages('sourceReference')}>
          {(p) => <input {...p} value={form.sourceReference} onChange={(e) => set({ sourceReference: e.target.value })} />}
        </Field>
        {area('sanitisedText', 'Sanitised text', 'What may be disseminated: nothing that could identify the source.')}
        {area('originalText', 'Original text', 'The intelligence as received. Never shown to partner agencies.')}
        <Field label="About the threat" hint="Optional." errors={messages('threatIds')}>
          {(p) => (
            <select {...p} value={form.threatId} onChange={(e) => set({ threatId: e.target.value })}>
              <option value="">None</option>
              {threats?.threats.edges.map(({ node: t }) => (
                <option key={t.id} value={t.id}>
                  {t.urn} {t.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <CrimeCategoryChoices value={form.crimeCategories} onChange={(crimeCategories) => set({ crimeCategories })} errors={messages('crimeCategories')} />
        <div className="row">
          <Field label="Protective marking" errors={messages('access.protectiveMarking')}>
            {(p) => (
              <select {...p} value={form.protectiveMarking} onChange={(e) => set({ protectiveMarking: e.target.value as ProtectiveMarking })}>
                {enumOptions(protectiveMarkings)}
              </select>
            )}
          </Field>
          <Field label="Sharing" hint="Partner agencies are given intelligence only by dissemination." errors={messages('access.sharing')}>
            {(p) => (
              <select {...p} value={form.sharing} onChange={(e) => set({ sharing: e.target.value as Sharing })}>
                {Object.entries(sharingWords).map(([value, text]) => (
                  <option key={value} value={value}>
                    {text}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <div className="buttons">
          <button type="submit" disabled={state.fetching}>
            Record intelligence
          </button>
          <Link to="/intelligence">Cancel</Link>
        </div>
      </form>
    </>
  );
}
