import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AnalyticalProduct, AnalyticalRequestPriority, ProtectiveMarking } from '../../gql/graphql';
import { protectiveMarkings } from '../../lib/enums';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { enumOptions, Field, FormAlert, WordChoice } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { analysisWords, priorityWords, productWords } from './analysisWords';

const CreateAnalyticalRequestDocument = graphql(`
  mutation CreateAnalyticalRequest($input: CreateAnalyticalRequestInput!) {
    createAnalyticalRequest(input: $input) {
      id
      reference
    }
  }
`);

const SupportedChoicesDocument = graphql(`
  query AnalysisSupportedChoices {
    threats(first: 100, orderBy: [{ field: NAME, direction: ASC }]) {
      edges {
        node {
          id
          urn
          name
        }
      }
    }
    plans(first: 100) {
      edges {
        node {
          id
          threat {
            id
            urn
            name
          }
        }
      }
    }
  }
`);

const fieldNames = ['question', 'productType', 'priority', 'dueOn', 'threatId', 'planId', 'protectiveMarking'];

const blank = {
  question: '',
  productType: '' as AnalyticalProduct | '',
  priority: '' as AnalyticalRequestPriority | '',
  dueOn: '',
  supports: 'threat' as 'threat' | 'plan',
  threatId: '',
  planId: '',
  protectiveMarking: 'OFFICIAL_SENSITIVE' as ProtectiveMarking,
};

/** Asks the regional unit's analysts for a product, for a threat or a 4P plan the requester may read. */
export function AnalysisNew() {
  const viewer = useViewer();
  const navigate = useNavigate();
  const [form, setForm] = useState(blank);
  const [state, create] = useMutation(CreateAnalyticalRequestDocument);
  const [{ data: choices }] = useQuery({ query: SupportedChoicesDocument });
  const errors = formErrors(state.error);
  const messages = (field: string) => messagesFor(errors, field).map(analysisWords);
  const set = (changes: Partial<typeof blank>) => setForm({ ...form, ...changes });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const result = await create({
      input: {
        question: form.question || null,
        productType: form.productType || null,
        priority: form.priority || null,
        dueOn: form.dueOn || null,
        threatId: form.supports === 'threat' ? form.threatId || null : null,
        planId: form.supports === 'plan' ? form.planId || null : null,
        protectiveMarking: form.protectiveMarking,
      },
    });
    if (result.data) navigate(`/analysis/${encodeURIComponent(result.data.createAnalyticalRequest.id)}`);
  };

  return (
    <>
      <p className="crumbs">
        <Link to="/analysis">Analysis requests</Link> / new
      </p>
      <h1>Request analysis</h1>
      <form className="form" aria-label="Request analysis" onSubmit={submit} noValidate>
        <p className="hint">Made by {viewer.organisation.name} and read by the regional unit, which accepts or declines it.</p>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, fieldNames).map(analysisWords)]} />
        <Field label="What do you need to know?" errors={messages('question')}>
          {(p) => <textarea {...p} aria-required rows={3} value={form.question} onChange={(e) => set({ question: e.target.value })} />}
        </Field>
        <div className="row">
          <WordChoice label="Product" words={productWords} value={form.productType} onChange={(productType) => set({ productType })} errors={messages('productType')} />
          <WordChoice label="Priority" words={priorityWords} value={form.priority} onChange={(priority) => set({ priority })} errors={messages('priority')} />
          <Field label="Needed by" hint="Today or later." errors={messages('dueOn')}>
            {(p) => <input {...p} type="date" aria-required value={form.dueOn} onChange={(e) => set({ dueOn: e.target.value })} />}
          </Field>
        </div>
        <fieldset>
          <legend>It supports</legend>
          <label>
            <input type="radio" name="supports" checked={form.supports === 'threat'} onChange={() => set({ supports: 'threat' })} /> a threat
          </label>{' '}
          <label>
            <input type="radio" name="supports" checked={form.supports === 'plan'} onChange={() => set({ supports: 'plan' })} /> a 4P plan
          </label>
        </fieldset>
        {form.supports === 'threat' ? (
          <Field label="Threat" errors={messages('threatId')}>
            {(p) => (
              <select {...p} aria-required value={form.threatId} onChange={(e) => set({ threatId: e.target.value })}>
                <option value="">Choose a threat</option>
                {choices?.threats.edges.map(({ node: t }) => (
                  <option key={t.id} value={t.id}>
                    {t.urn} {t.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <Field label="4P plan" errors={messages('planId')}>
            {(p) => (
              <select {...p} aria-required value={form.planId} onChange={(e) => set({ planId: e.target.value })}>
                <option value="">Choose a plan</option>
                {choices?.plans.edges.map(({ node: plan }) => (
                  <option key={plan.id} value={plan.id}>
                    Plan for {plan.threat.urn} {plan.threat.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Protective marking" hint="At most your clearance." errors={messages('protectiveMarking')}>
          {(p) => (
            <select {...p} value={form.protectiveMarking} onChange={(e) => set({ protectiveMarking: e.target.value as ProtectiveMarking })}>
              {enumOptions(protectiveMarkings)}
            </select>
          )}
        </Field>
        <div className="buttons">
          <button type="submit" disabled={state.fetching}>
            Send the request
          </button>
          <Link to="/analysis">Cancel</Link>
        </div>
      </form>
    </>
  );
}
