import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AnalysisPageQuery, DeclineReason } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Badge, Field, FormAlert, formatDate, formatDateTime, Loaded, Value } from '../../lib/ui';
import { Marking } from '../assessments/parts';
import { analysisWords, declineWords, priorityWords, productWords, statusWords } from './analysisWords';
import { DisposedNotice } from '../retention/DisposedNotice';

const AnalysisPageDocument = graphql(`
  query AnalysisPage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on AnalyticalRequest {
        ...AnalysisFields
      }
    }
    analystsForAssignment {
      id
      displayName
    }
  }
`);

export const AnalysisFields = graphql(`
  fragment AnalysisFields on AnalyticalRequest {
    id
    version
    reference
    question
    productType
    priority
    dueOn
    status
    protectiveMarking
    declineReason
    declineExplanation
    createdAt
    acceptedAt
    declinedAt
    deliveredAt
    deliveredOnTime
    allowedMoves
    supportsPlan
    owningOrganisation {
      id
      name
    }
    requestedBy {
      id
      displayName
    }
    assignedAnalyst {
      id
      displayName
    }
    threat {
      id
      urn
      name
    }
    plan {
      id
      threat {
        id
        urn
        name
      }
    }
  }
`);

const AcceptDocument = graphql(`
  mutation AcceptAnalyticalRequest($input: AnalyticalRequestStepInput!) {
    acceptAnalyticalRequest(input: $input) {
      ...AnalysisFields
    }
  }
`);
const StartDocument = graphql(`
  mutation StartAnalyticalRequest($input: AnalyticalRequestStepInput!) {
    startAnalyticalRequest(input: $input) {
      ...AnalysisFields
    }
  }
`);
const DeliverDocument = graphql(`
  mutation DeliverAnalyticalRequest($input: AnalyticalRequestStepInput!) {
    deliverAnalyticalRequest(input: $input) {
      ...AnalysisFields
    }
  }
`);
const DeclineDocument = graphql(`
  mutation DeclineAnalyticalRequest($input: DeclineAnalyticalRequestInput!) {
    declineAnalyticalRequest(input: $input) {
      ...AnalysisFields
    }
  }
`);
const AssignDocument = graphql(`
  mutation AssignAnalyticalRequest($input: AssignAnalyticalRequestInput!) {
    assignAnalyticalRequest(input: $input) {
      ...AnalysisFields
    }
  }
`);

type Request = Extract<NonNullable<AnalysisPageQuery['node']>, { __typename: 'AnalyticalRequest' }>;
type Analyst = AnalysisPageQuery['analystsForAssignment'][number];

/** One analytical request: what is asked, for what, by when, what became of it, and the moves you may make. */
export function AnalysisPage() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: AnalysisPageDocument, variables: { id } });
  const request = data?.node?.__typename === 'AnalyticalRequest' ? (data.node as Request) : data && null;
  if (data && !request) return <DisposedNotice id={id} otherwise="This analysis request does not exist or is not shared with you." />;
  return (
    <Loaded data={request} fetching={fetching} error={error}>
      {(r) => (
        <>
          <p className="crumbs">
            <Link to="/analysis">Analysis requests</Link> / {r.reference}
          </p>
          <h1>
            {productWords[r.productType]} {r.reference} <Badge tone={r.status === 'DECLINED' ? 'bad' : r.status === 'DELIVERED' ? 'good' : 'plain'}>{statusWords[r.status]}</Badge>
          </h1>
          <Marking marking={r.protectiveMarking} />
          <Facts r={r} />
          <Moves r={r} analysts={data?.analystsForAssignment ?? []} />
          <Marking marking={r.protectiveMarking} />
        </>
      )}
    </Loaded>
  );
}

function Facts({ r }: { r: Request }) {
  const supported = r.supportsPlan ? r.plan && { to: `/plans/${encodeURIComponent(r.plan.id)}`, text: `Plan for ${r.plan.threat.urn} ${r.plan.threat.name}` } : r.threat && { to: `/threats/${encodeURIComponent(r.threat.id)}`, text: `${r.threat.urn} ${r.threat.name}` };
  return (
    <dl className="facts">
      <dt>Asked</dt>
      <dd>{r.question}</dd>
      <dt>Supports</dt>
      <dd>
        {supported ? <Link to={supported.to}>{supported.text}</Link> : <Value empty={r.supportsPlan ? 'a 4P plan not shared with you' : 'a threat not shared with you'}>{null}</Value>}
      </dd>
      <dt>Priority</dt>
      <dd>{priorityWords[r.priority]}</dd>
      <dt>Needed by</dt>
      <dd>{formatDate(r.dueOn)}</dd>
      <dt>Requested by</dt>
      <dd>
        {r.requestedBy.displayName}, {r.owningOrganisation.name}, on {formatDateTime(r.createdAt)}
      </dd>
      <dt>Analyst</dt>
      <dd>
        <Value empty="not assigned">{r.assignedAnalyst?.displayName}</Value>
      </dd>
      {r.acceptedAt && (
        <>
          <dt>Accepted</dt>
          <dd>{formatDateTime(r.acceptedAt)}</dd>
        </>
      )}
      {r.deliveredAt && (
        <>
          <dt>Delivered</dt>
          <dd>
            {formatDateTime(r.deliveredAt)}, {r.deliveredOnTime ? 'on time' : 'after the date it was needed by'}
          </dd>
        </>
      )}
      {r.declineReason && (
        <>
          <dt>Declined</dt>
          <dd>
            {formatDateTime(r.declinedAt)}: {declineWords[r.declineReason]}. {r.declineExplanation}
          </dd>
        </>
      )}
    </dl>
  );
}

/** The moves the server says you may make now (allowedMoves), each with what it needs. */
function Moves({ r, analysts }: { r: Request; analysts: Analyst[] }) {
  const [accept, doAccept] = useMutation(AcceptDocument);
  const [start, doStart] = useMutation(StartDocument);
  const [deliver, doDeliver] = useMutation(DeliverDocument);
  const moves = new Set(r.allowedMoves);
  if (moves.size === 0) return null;
  const step = { id: r.id, expectedVersion: r.version };
  const errors = [accept, start, deliver].flatMap((s) => {
    const e = formErrors(s.error);
    // The server names the request (input.id) when its state does not allow the move: the message says it all.
    return [...e.general, ...Object.values(e.fields).flat()].map(analysisWords);
  });
  return (
    <section aria-labelledby="moves">
      <h2 id="moves">What you can do</h2>
      <FormAlert messages={errors} />
      <div className="buttons">
        {moves.has('ACCEPT') && (
          <button type="button" disabled={accept.fetching} onClick={() => doAccept({ input: step })}>
            Accept the request
          </button>
        )}
        {moves.has('START') && (
          <button type="button" disabled={start.fetching} onClick={() => doStart({ input: step })}>
            Start the work
          </button>
        )}
        {moves.has('DELIVER') && (
          <button type="button" disabled={deliver.fetching} onClick={() => doDeliver({ input: step })}>
            Mark as delivered
          </button>
        )}
      </div>
      {moves.has('ASSIGN') && <AssignForm r={r} analysts={analysts} />}
      {moves.has('DECLINE') && <DeclineForm r={r} />}
    </section>
  );
}

function AssignForm({ r, analysts }: { r: Request; analysts: Analyst[] }) {
  const [analystId, setAnalystId] = useState(r.assignedAnalyst?.id ?? '');
  const [state, assign] = useMutation(AssignDocument);
  const errors = formErrors(state.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await assign({ input: { id: r.id, expectedVersion: r.version, analystId } });
  };
  return (
    <form className="form" aria-labelledby="assign" onSubmit={submit} noValidate>
      <h3 id="assign">{r.assignedAnalyst ? 'Assign another analyst' : 'Assign an analyst'}</h3>
      <FormAlert messages={[...errors.general, ...messagesFor(errors, 'id'), ...unclaimedMessages(errors, ['analystId', 'id'])].map(analysisWords)} />
      <Field label="Analyst" errors={messagesFor(errors, 'analystId').map(analysisWords)}>
        {(p) => (
          <select {...p} value={analystId} onChange={(e) => setAnalystId(e.target.value)}>
            <option value="">Choose an analyst</option>
            {analysts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.displayName}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="buttons">
        <button type="submit" disabled={state.fetching || !analystId}>
          Assign
        </button>
      </div>
    </form>
  );
}

function DeclineForm({ r }: { r: Request }) {
  const [reason, setReason] = useState<DeclineReason | ''>('');
  const [explanation, setExplanation] = useState('');
  const [state, decline] = useMutation(DeclineDocument);
  const errors = formErrors(state.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await decline({ input: { id: r.id, expectedVersion: r.version, reason: reason || null, explanation: explanation || null } });
  };
  return (
    <form className="form" aria-labelledby="decline" onSubmit={submit} noValidate>
      <h3 id="decline">Decline the request</h3>
      <FormAlert messages={[...errors.general, ...messagesFor(errors, 'id'), ...unclaimedMessages(errors, ['reason', 'explanation', 'id'])].map(analysisWords)} />
      <Field label="Why" errors={messagesFor(errors, 'reason').map(analysisWords)}>
        {(p) => (
          <select {...p} aria-required value={reason} onChange={(e) => setReason(e.target.value as DeclineReason | '')}>
            <option value="">Choose a reason</option>
            {Object.entries(declineWords).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="In words, for the requester" errors={messagesFor(errors, 'explanation').map(analysisWords)}>
        {(p) => <textarea {...p} aria-required rows={2} value={explanation} onChange={(e) => setExplanation(e.target.value)} />}
      </Field>
      <div className="buttons">
        <button type="submit" disabled={state.fetching}>
          Decline
        </button>
      </div>
    </form>
  );
}
