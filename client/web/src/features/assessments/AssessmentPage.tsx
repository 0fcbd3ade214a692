import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useClient, useQuery, type CombinedError } from 'urql';
import { graphql } from '../../gql';
import type { AssessmentFieldsFragment, AssessmentPageQuery } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Badge, Field, formatDate, formatDateTime, FormAlert, Loaded, PriorityBadge, Value } from '../../lib/ui';
import { ApproveAssessmentDocument, AssessmentModelDocument, ReturnAssessmentDocument, ReviseAssessmentDocument, SubmitAssessmentDocument } from './documents';
import { activityName, APPROVER_ROLES, asModel, confidenceLabels, groups, managesThreat, methodLabels, notManagingText, statusLabels, type ModelDefinition, type Scores } from './model';
import { Marking, ScoresTable } from './parts';
import { LiveScore, missing, ScoringForm, scoringInput, type ScoringValues } from './ScoringForm';

const AssessmentPageDocument = graphql(`
  query AssessmentPage($id: ID!) {
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
      ... on ThreatAssessment {
        ...AssessmentFields
        threat {
          id
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
        }
      }
    }
  }
`);

type Page = Extract<NonNullable<AssessmentPageQuery['node']>, { __typename: 'ThreatAssessment' }>;
type Viewer = NonNullable<AssessmentPageQuery['viewer']>;
type Model = { version: number; definition: ModelDefinition };

const statusTone = { DRAFT: 'plain', SUBMITTED: 'warn', APPROVED: 'good', RETURNED: 'bad' } as const;

/** One assessment: its scores and status; its author revises and submits it, someone else approves or returns it. */
export function AssessmentPage() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: AssessmentPageDocument, variables: { id } });
  const [{ data: modelData }] = useQuery({ query: AssessmentModelDocument });
  const assessment = data?.node?.__typename === 'ThreatAssessment' ? data.node : data && null;
  if (data && !assessment) return <p role="alert">This assessment does not exist or you may not see it.</p>;
  const definition = modelData?.assessmentModel ? asModel(modelData.assessmentModel.definition) : null;
  const model = definition && modelData?.assessmentModel ? { version: modelData.assessmentModel.version, definition } : null;
  return (
    <Loaded data={assessment && data ? { a: assessment, viewer: data.viewer } : undefined} fetching={fetching} error={error}>
      {({ a, viewer }) => <AssessmentView a={a} viewer={viewer} model={model} />}
    </Loaded>
  );
}

function AssessmentView({ a, viewer, model }: { a: Page; viewer: Viewer; model: Model | null }) {
  const isAuthor = a.assessedBy.id === viewer.id;
  const subject = a.criminalActivity ? activityName({ ...a.criminalActivity, description: null }) : 'the whole threat';
  const editable = a.status === 'DRAFT' || a.status === 'RETURNED';
  return (
    <>
      <p className="crumbs">
        <Link to="/threats">Threats</Link> / <Link to={`/threats/${a.threat.id}`}>{a.threat.urn}</Link> / Assessment
      </p>
      <Marking marking={a.threat.protectiveMarking} />
      <h1>
        Assessment of {a.criminalActivity ? subject : 'the whole threat'}, {a.threat.name}
      </h1>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="assessment-status">
          <Badge tone={statusTone[a.status]}>{statusLabels[a.status]}</Badge>
        </dd>
        <dt>Assessed</dt>
        <dd>{a.criminalActivity ? activityName(a.criminalActivity) : 'The whole threat'}</dd>
        <dt>Scored by</dt>
        <dd>
          {a.assessedBy.displayName}
          {isAuthor && ' (you)'}, {formatDateTime(a.createdAt)}
        </dd>
        <dt>Risk score</dt>
        <dd>{a.riskScore}</dd>
        <dt>Priority</dt>
        <dd>
          <PriorityBadge priority={a.priority} />
        </dd>
        {a.decidedBy && (
          <>
            <dt>{a.status === 'RETURNED' ? 'Returned by' : a.status === 'APPROVED' ? 'Approved by' : 'Last decided by'}</dt>
            <dd>
              {a.decidedBy.displayName}, {formatDateTime(a.decidedAt)}
            </dd>
          </>
        )}
      </dl>
      {a.status === 'RETURNED' && a.statusReason && (
        <div className="notice" data-testid="returned-reason">
          <h2>Why it was returned</h2>
          <p>{a.statusReason}</p>
        </div>
      )}
      {editable && isAuthor && model ? <ReviseForm key={a.id} a={a} model={model} /> : <Recorded a={a} model={model?.definition ?? null} />}
      {editable && !isAuthor && (
        <p className="notice" data-testid="why-not">
          Only {a.assessedBy.displayName}, who scored this assessment, can change it or submit it for approval.
        </p>
      )}
      {a.status === 'SUBMITTED' && <Decision a={a} viewer={viewer} />}
      {a.status === 'APPROVED' && (
        <p className="good" data-testid="approved">
          Approved: it now counts towards the threat’s overall priority.
        </p>
      )}
      <p>
        <Link to={`/threats/${a.threat.id}`}>Back to {a.threat.name}</Link>
      </p>
      <Marking marking={a.threat.protectiveMarking} />
    </>
  );
}

/** The assessment as recorded, for everyone but its author while they may still change it. */
function Recorded({ a, model }: { a: AssessmentFieldsFragment; model: ModelDefinition | null }) {
  return (
    <section aria-labelledby="scores">
      <h2 id="scores">Scores</h2>
      <dl className="facts">
        <dt>Method</dt>
        <dd>{methodLabels[a.method]}</dd>
        <dt>Harm</dt>
        <dd>{a.harmScore} out of 100</dd>
        <dt>Likelihood</dt>
        <dd>{a.likelihoodScore} out of 100</dd>
        <dt>Organisational position</dt>
        <dd>{a.organisationalPositionScore} out of 100</dd>
        <dt>Confidence</dt>
        <dd>{confidenceLabels[a.confidence]}</dd>
        <dt>Review due</dt>
        <dd>
          <Value>{formatDate(a.reviewDue)}</Value>
        </dd>
      </dl>
      <ScoresTable assessment={a} model={model} />
      <h3>Rationale</h3>
      <p data-testid="rationale">{a.rationale}</p>
    </section>
  );
}

/** The recorded scores, factor by factor (without the response's type names, which the input does not take). */
function scoresOf(a: AssessmentFieldsFragment): Scores {
  const pick = (group: (typeof groups)[number]) => Object.fromEntries(group.factors.map(([f]) => [f, (a[group.key] as unknown as Record<string, number>)[f]]));
  return Object.fromEntries(groups.map((g) => [g.key, pick(g)])) as unknown as Scores;
}

const valuesOf = (a: AssessmentFieldsFragment): ScoringValues => ({
  method: a.method,
  scores: scoresOf(a),
  confidence: a.confidence,
  rationale: a.rationale,
  reviewDue: a.reviewDue ?? '',
});

const scoringFields = ['method', 'harm', 'likelihood', 'organisationalPosition', 'confidence', 'rationale', 'reviewDue'];

/** The author's draft or returned assessment: rescore it, save it, submit it for approval. */
function ReviseForm({ a, model }: { a: Page; model: Model }) {
  const client = useClient();
  const [values, setValues] = useState(() => valuesOf(a));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>();
  const [saved, setSaved] = useState<string | null>(null);
  const errors = formErrors(error);
  const changed = JSON.stringify(values) !== JSON.stringify(valuesOf(a));
  const stillToDo = missing(values);

  /** Saves the changes, if any; the version to submit against, or null when it failed. */
  const revise = async (): Promise<number | null> => {
    const input = scoringInput(values);
    if (!input) return null;
    const result = await client.mutation(ReviseAssessmentDocument, { input: { id: a.id, expectedVersion: a.version, ...input } }).toPromise();
    setError(result.error);
    return result.data?.reviseAssessment.version ?? null;
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setSaved(null);
    if ((await revise()) != null) setSaved('Your changes are saved. The assessment is a draft until you submit it.');
    setBusy(false);
  };
  const submit = async () => {
    setBusy(true);
    setSaved(null);
    const version = changed || a.status === 'RETURNED' ? await revise() : a.version;
    if (version != null) {
      const result = await client.mutation(SubmitAssessmentDocument, { input: { id: a.id, expectedVersion: version } }).toPromise();
      setError(result.error);
    }
    setBusy(false);
  };

  return (
    <form className="assessment" onSubmit={(e) => void save(e)}>
      <div className="form">
        <h2>{a.status === 'RETURNED' ? 'Revise your assessment' : 'Your draft'}</h2>
        <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, scoringFields)]} />
        {a.modelVersion !== model.version && (
          <p className="notice">It was scored with an earlier version of the model; saving scores it again with the model in force (version {model.version}).</p>
        )}
        <ScoringForm model={model.definition} values={values} onChange={setValues} errors={errors} />
        <div className="buttons">
          <button type="submit" disabled={busy || !changed || stillToDo.length > 0}>
            Save changes
          </button>
          <button type="button" disabled={busy || stillToDo.length > 0} onClick={() => void submit()}>
            {changed ? 'Save and submit for approval' : 'Submit for approval'}
          </button>
        </div>
        {stillToDo.length > 0 && <p className="hint">To save, {stillToDo.join(', ')}.</p>}
        <p role="status" className="good">
          {saved}
        </p>
        <p className="hint">Once submitted, someone other than you approves it or returns it to you with a reason.</p>
      </div>
      <LiveScore model={model.definition} values={values} />
    </form>
  );
}

/** A submitted assessment: a second person approves or returns it; anyone else is told why they cannot. */
function Decision({ a, viewer }: { a: Page; viewer: Viewer }) {
  const client = useClient();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<CombinedError | undefined>();
  const errors = formErrors(error);
  const isAuthor = a.assessedBy.id === viewer.id;
  const why = isAuthor
    ? 'You scored this assessment, so you cannot approve it or return it yourself: every assessment needs a second pair of eyes. Another threat assessor, an SRO or an OCG coordinator of an organisation managing this threat must decide on it.'
    : !viewer.roles.some((r) => APPROVER_ROLES.includes(r))
      ? 'Approving or returning an assessment needs the role of threat assessor, SRO or OCG coordinator, which you do not have.'
      : !managesThreat(viewer.organisation, a.threat)
        ? notManagingText
        : null;

  const [noReason, setNoReason] = useState(false);
  const decide = async (kind: 'approve' | 'return') => {
    setNoReason(kind === 'return' && !reason.trim());
    if (kind === 'return' && !reason.trim()) return;
    setBusy(true);
    const input = { id: a.id, expectedVersion: a.version, reason: kind === 'return' ? reason : null };
    const result = await client.mutation(kind === 'approve' ? ApproveAssessmentDocument : ReturnAssessmentDocument, { input }).toPromise();
    setError(result.error);
    setBusy(false);
  };
  const returnIt = (e: FormEvent) => {
    e.preventDefault();
    void decide('return');
  };

  return (
    <section aria-labelledby="decision" className="decision">
      <h2 id="decision">Decision</h2>
      {why ? (
        <p data-testid="why-not">{why}</p>
      ) : (
        <>
          <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['reason'])]} />
          <p>Check the scores and rationale, then approve the assessment or return it to {a.assessedBy.displayName} with a reason.</p>
          <div className="buttons">
            <button type="button" disabled={busy} onClick={() => void decide('approve')}>
              Approve
            </button>
          </div>
          <form onSubmit={returnIt}>
            <Field label="Reason for returning" hint={`Required to return it: what ${a.assessedBy.displayName} should look at again.`} errors={noReason ? [`Write a reason: ${a.assessedBy.displayName} needs to know what to look at again.`] : messagesFor(errors, 'reason')}>
              {(p) => <textarea {...p} rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />}
            </Field>
            <div className="buttons">
              <button type="submit" disabled={busy}>
                Return to the assessor
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
