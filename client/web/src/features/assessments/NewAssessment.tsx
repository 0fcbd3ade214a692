import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { useClient, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { NewAssessmentThreatQuery } from '../../gql/graphql';
import { formErrors, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, Loaded } from '../../lib/ui';
import { AssessmentModelDocument, CreateAssessmentDocument, SubmitAssessmentDocument } from './documents';
import { activityName, ASSESSOR_ROLE, asModel, emptyScores, managesThreat, notManagingText, statusLabels } from './model';
import { Marking } from './parts';
import { LiveScore, missing, ScoringForm, scoringInput, type ScoringValues } from './ScoringForm';

const NewAssessmentThreatDocument = graphql(`
  query NewAssessmentThreat($id: ID!) {
    viewer {
      id
      roles
      organisation {
        id
        type
        isLawEnforcement
      }
    }
    node(id: $id) {
      __typename
      id
      ... on SocThreat {
        urn
        name
        protectiveMarking
        owningOrganisation {
          id
          code
        }
        leadOrganisation {
          id
          code
        }
        criminalActivities {
          id
          category
          subCategory
          description
          assessment {
            id
            status
          }
        }
      }
    }
  }
`);

type Threat = Extract<NonNullable<NewAssessmentThreatQuery['node']>, { __typename: 'SocThreat' }>;

/** Scoring a new assessment of a whole threat or of one of its activities (?activity=...), against the model in force. */
export function NewAssessment() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: NewAssessmentThreatDocument, variables: { id } });
  const [{ data: modelData, error: modelError }] = useQuery({ query: AssessmentModelDocument });
  const threat = data?.node?.__typename === 'SocThreat' ? data.node : data && null;
  if (data && !threat) return <p role="alert">This threat does not exist or you may not see it.</p>;
  const model = modelData?.assessmentModel ? asModel(modelData.assessmentModel.definition) : null;
  if (modelData && !model) return <p role="alert" className="error">The scoring model in force could not be read. Ask an administrator to check it.</p>;
  const ready = threat && data && model && modelData?.assessmentModel ? { threat, viewer: data.viewer, model, version: modelData.assessmentModel.version } : undefined;
  return (
    <Loaded data={ready} fetching={fetching} error={error ?? modelError}>
      {(r) => <NewAssessmentForm {...r} />}
    </Loaded>
  );
}

function NewAssessmentForm({ threat, viewer, model, version }: { threat: Threat; viewer: NonNullable<NewAssessmentThreatQuery['viewer']>; model: NonNullable<ReturnType<typeof asModel>>; version: number }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const client = useClient();
  const requested = params.get('activity');
  const [subject, setSubject] = useState(threat.criminalActivities.some((a) => a.id === requested) ? requested! : '');
  const [values, setValues] = useState<ScoringValues>({ method: 'MORILE_TACTICAL', scores: emptyScores(), confidence: null, rationale: '', reviewDue: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>();
  const errors = formErrors(error);
  const activity = threat.criminalActivities.find((a) => a.id === subject);
  const open = activity?.assessment && activity.assessment.status !== 'APPROVED' ? activity.assessment : null;
  const crumbs = (
    <p className="crumbs">
      <Link to="/threats">Threats</Link> / <Link to={`/threats/${threat.id}`}>{threat.urn}</Link> / New assessment
    </p>
  );

  if (!viewer.roles.includes(ASSESSOR_ROLE)) {
    return (
      <>
        {crumbs}
        <h1>Assess {threat.name}</h1>
        <p role="alert">Scoring a threat needs the threat assessor role, which you do not have.</p>
      </>
    );
  }
  if (!managesThreat(viewer.organisation, threat)) {
    return (
      <>
        {crumbs}
        <h1>Assess {threat.name}</h1>
        <p role="alert">{notManagingText}</p>
      </>
    );
  }

  const save = async (submitToo: boolean) => {
    const input = scoringInput(values);
    if (!input) return;
    setBusy(true);
    const made = await client.mutation(CreateAssessmentDocument, { input: { threatId: threat.id, criminalActivityId: subject || null, ...input } }).toPromise();
    setError(made.error);
    const created = made.data?.createAssessment;
    if (created && submitToo) {
      const sent = await client.mutation(SubmitAssessmentDocument, { input: { id: created.id, expectedVersion: created.version } }).toPromise();
      if (sent.error) {
        // Saved as a draft: its page says so, and it can be submitted from there.
        setBusy(false);
        return navigate(`/assessments/${created.id}`);
      }
    }
    setBusy(false);
    if (created) navigate(`/assessments/${created.id}`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void save(false);
  };
  const stillToDo = missing(values);

  return (
    <>
      {crumbs}
      <Marking marking={threat.protectiveMarking} />
      <h1>Assess {threat.name}</h1>
      <form className="assessment" onSubmit={submit}>
        <div className="form">
          <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['method', 'harm', 'likelihood', 'organisationalPosition', 'confidence', 'rationale', 'reviewDue', 'criminalActivityId', 'threatId'])]} />
          <Field label="What you are assessing" hint="The whole threat, or one of its criminal activities: each activity is assessed on its own." errors={[...errors.fields.criminalActivityId ?? [], ...errors.fields.threatId ?? []]}>
            {(p) => (
              <select {...p} value={subject} onChange={(e) => setSubject(e.target.value)}>
                <option value="">The whole threat</option>
                {threat.criminalActivities.map((a) => (
                  <option key={a.id} value={a.id}>
                    {activityName(a)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {open && (
            <p className="notice">
              This activity already has an assessment that is {statusLabels[open.status].toLowerCase()}: <Link to={`/assessments/${open.id}`}>open that assessment</Link> rather than scoring it twice.
            </p>
          )}
          <p className="hint">
            Scored against {model.name} (version {version}). Pick a point of the scale for every factor.
          </p>
          <ScoringForm model={model} values={values} onChange={setValues} errors={errors} />
          <div className="buttons">
            <button type="submit" disabled={busy || stillToDo.length > 0}>
              Save as draft
            </button>
            <button type="button" disabled={busy || stillToDo.length > 0} onClick={() => void save(true)}>
              Save and submit for approval
            </button>
            <Link className="button" to={`/threats/${threat.id}`}>
              Cancel
            </Link>
          </div>
          {stillToDo.length > 0 && <p className="hint">To save, {stillToDo.join(', ')}.</p>}
        </div>
        <LiveScore model={model} values={values} />
      </form>
      <Marking marking={threat.protectiveMarking} />
    </>
  );
}
