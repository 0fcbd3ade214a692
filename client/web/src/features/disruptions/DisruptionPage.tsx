import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DisruptionPageQuery } from '../../gql/graphql';
import { errorText, formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Badge, Field, FormAlert, formatDate, formatDateTime, label, Loaded, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { History } from '../records/History';
import { DecisionPanel } from './DecisionPanel';
import { claimantRoles } from '../../lib/enums';
import { WhoCanSee } from '../access/WhoCanSee';
import { DisposedNotice } from '../retention/DisposedNotice';

const DisruptionPageDocument = graphql(`
  query DisruptionPage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Disruption {
        ...DisruptionDecisionFields
        date
        level
        strand
        tactic
        description
        impactNarrative
        evidenceRefs
        isLate
        submittedAt
        protectiveMarking
        supersedes {
          id
          date
        }
        supersededBy {
          id
          status
        }
        claimingOrganisation {
          id
          code
          name
        }
        contributors {
          id
          code
        }
        threat {
          id
          urn
          name
        }
        criminalActivity {
          id
          category
          description
        }
        planAction {
          id
          description
        }
        possibleDuplicateOf {
          id
          date
        }
        history {
          at
          action
          part
          version
          actor {
            id
            displayName
          }
          changes {
            field
            from
            to
          }
        }
      }
    }
  }
`);

const SubmitDisruptionDocument = graphql(`
  mutation SubmitDisruption($input: SubmitDisruptionInput!) {
    submitDisruption(input: $input) {
      ...DisruptionDecisionFields
      isLate
      submittedAt
    }
  }
`);

const SupersedeDisruptionDocument = graphql(`
  mutation SupersedeDisruption($input: SupersedeDisruptionInput!) {
    supersedeDisruption(input: $input) {
      id
      status
      version
      supersedes {
        id
        status
        version
        statusReason
        countsAsDisruption
        supersededBy {
          id
          status
        }
      }
    }
  }
`);

type Disruption = Extract<NonNullable<DisruptionPageQuery['node']>, { __typename: 'Disruption' }>;

/** One disruption: the claim, its validation, what its organisation or a validator can do next. */
export function DisruptionPage() {
  const { id = '' } = useParams();
  const [{ data, fetching, error }] = useQuery({ query: DisruptionPageDocument, variables: { id } });
  const disruption = data?.node?.__typename === 'Disruption' ? (data.node as Disruption) : data && null;
  if (data && !disruption) return <DisposedNotice id={id} otherwise="This disruption does not exist or you may not see it." />;
  return (
    <Loaded data={disruption} fetching={fetching} error={error}>
      {(d) => (
        <>
          <p className="crumbs">
            <Link to={`/threats/${d.threat.id}`}>
              {d.threat.urn} {d.threat.name}
            </Link>{' '}
            / disruption
          </p>
          <h1>
            Disruption of {formatDate(d.date)} <Badge>{label(d.status)}</Badge> {d.countsAsDisruption && <Badge tone="good">Counts</Badge>}
            {d.isLate && <Badge tone="warn">Late</Badge>}
          </h1>
          <p className="marking" data-testid="marking">
            Protective marking: <strong>{label(d.protectiveMarking)}</strong>
          </p>
          <DisruptionFacts d={d} />
          <NextStep d={d} />
          <History entries={d.history} />
          <WhoCanSee recordId={d.id} />
        </>
      )}
    </Loaded>
  );
}

function DisruptionFacts({ d }: { d: Disruption }) {
  return (
    <dl className="facts">
      <dt>Claimed by</dt>
      <dd>{d.claimingOrganisation.name}</dd>
      <dt>Contributors</dt>
      <dd>
        <Value empty="none">{d.contributors.map((c) => c.code).join(', ')}</Value>
      </dd>
      <dt>Level claimed</dt>
      <dd>{label(d.level)}</dd>
      <dt>Strand, tactic</dt>
      <dd>
        {label(d.strand)}, {label(d.tactic)}
      </dd>
      <dt>What was done</dt>
      <dd>{d.description}</dd>
      <dt>Impact</dt>
      <dd>{d.impactNarrative}</dd>
      <dt>Evidence</dt>
      <dd>{d.evidenceRefs.join(', ')}</dd>
      <dt>Activity</dt>
      <dd>
        <Value empty="none in particular">{d.criminalActivity && `${label(d.criminalActivity.category)}: ${d.criminalActivity.description}`}</Value>
      </dd>
      <dt>Plan action</dt>
      <dd>
        <Value empty="none">{d.planAction?.description}</Value>
      </dd>
      <dt>Submitted</dt>
      <dd>
        <Value empty="not yet">{formatDateTime(d.submittedAt)}</Value>
      </dd>
      {d.possibleDuplicateOf && (
        <>
          <dt>Possible duplicate of</dt>
          <dd>
            <Link to={`/disruptions/${d.possibleDuplicateOf.id}`}>the record of {formatDate(d.possibleDuplicateOf.date)}</Link>
          </dd>
        </>
      )}
      {d.supersedes && (
        <>
          <dt>Corrects</dt>
          <dd>
            <Link to={`/disruptions/${d.supersedes.id}`}>the validated record of {formatDate(d.supersedes.date)}</Link>, which no longer counts
          </dd>
        </>
      )}
      {d.supersededBy && (
        <>
          <dt>Corrected by</dt>
          <dd>
            <Link to={`/disruptions/${d.supersededBy.id}`}>a newer record</Link> ({label(d.supersededBy.status).toLowerCase()})
          </dd>
        </>
      )}
      {d.statusReason && (
        <>
          <dt>Reason</dt>
          <dd>{d.statusReason}</dd>
        </>
      )}
      {d.validation && (
        <>
          <dt>Decision</dt>
          <dd>
            {label(d.validation.decision)} by {d.validation.validator.displayName} on {formatDateTime(d.validation.at)}
            {d.validation.levelAgreed && `, agreed ${label(d.validation.levelAgreed)} / ${label(d.validation.strandAgreed)}`}
            {d.validation.reasons && `: ${d.validation.reasons}`}
          </dd>
        </>
      )}
    </dl>
  );
}

function NextStep({ d }: { d: Disruption }) {
  const viewer = useViewer();
  const [state, submit] = useMutation(SubmitDisruptionDocument);
  // The claim as it was when this validator began deciding: kept on screen though it changes live.
  const [deciding, setDeciding] = useState<Disruption | null>(null);
  const ours = d.claimingOrganisation.id === viewer.organisation.id;
  if (ours && (d.status === 'DRAFT' || d.status === 'RETURNED')) {
    return (
      <section aria-labelledby="next">
        <h2 id="next">Next step</h2>
        {state.error && <p role="alert" className="error">{errorText(state.error)}</p>}
        <div className="buttons">
          <Link className="button" to={`/disruptions/${d.id}/edit`}>
            {d.status === 'RETURNED' ? 'Correct the claim' : 'Edit the draft'}
          </Link>
          <button type="button" disabled={state.fetching} onClick={() => submit({ input: { id: d.id, expectedVersion: d.version } })}>
            Submit for validation
          </button>
        </div>
      </section>
    );
  }
  if (ours && d.status === 'VALIDATED' && viewer.roles.some((r) => claimantRoles.includes(r))) {
    return <CorrectDisruption d={d} />;
  }
  if (deciding || (!ours && d.status === 'SUBMITTED' && viewer.roles.includes('DISRUPTION_VALIDATOR'))) {
    return (
      <section aria-labelledby="next">
        <h2 id="next">Validate this claim</h2>
        <DecisionPanel claim={deciding ?? d} onStart={() => setDeciding((seen) => seen ?? d)} onDone={() => setDeciding(null)} />
      </section>
    );
  }
  return null;
}

/** Who may correct a claim (server/src/access/mutation-roles.ts, CLAIMANTS): intelligence roles and partner contributors. */

/**
 * Correcting a validated disruption (its claiming organisation): it stops counting at once and a
 * new draft copy is made, to be edited and submitted for validation afresh; then that draft opens.
 * Saved against the version on screen: if someone changed the record first, nothing is done.
 */
function CorrectDisruption({ d }: { d: Disruption }) {
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [state, supersede] = useMutation(SupersedeDisruptionDocument);
  const errors = formErrors(state.error);
  const correct = async () => {
    const result = await supersede({ input: { id: d.id, expectedVersion: d.version, reason } });
    if (result.data) navigate(`/disruptions/${result.data.supersedeDisruption.id}`);
  };
  return (
    <section aria-labelledby="next">
      <h2 id="next">Something wrong with it?</h2>
      <button type="button" aria-expanded={open} aria-controls="correct-disruption" onClick={() => setOpen(!open)}>
        Correct this disruption
      </button>
      {open && (
        <div id="correct-disruption" className="decision">
          <p>
            Correcting makes a new draft copy of this disruption for you to change and submit for validation again. This validated record then stops
            counting at once and stays on the record, marked as corrected, with your reason.
          </p>
          <p>The draft counts only once a validator validates it.</p>
          <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['reason'])]} />
          <Field label="What was wrong with it" hint="Required: recorded with the validated record." errors={messagesFor(errors, 'reason')}>
            {(p) => <textarea {...p} rows={2} aria-required value={reason} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <div className="buttons">
            <button type="button" disabled={state.fetching} onClick={() => void correct()}>
              Make a corrected draft
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
