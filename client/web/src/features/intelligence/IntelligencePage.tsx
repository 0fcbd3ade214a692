import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { IntelligencePageQuery } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Badge, Field, FormAlert, formatDate, formatDateTime, label, Loaded, Value, withheldReason } from '../../lib/ui';
import { Marking } from '../assessments/parts';
import { useViewer } from '../auth/viewer';
import { RecordIdentifiers } from '../deconfliction/RecordIdentifiers';
import { mayDeconflict } from '../deconfliction/deconflictionWords';
import { useOrganisations } from '../records/organisations';
import { crimeCategoriesInWords } from './CrimeCategoryChoices';
import { assessmentWords, handlingWords, intelligenceWords, sourceWords } from './intelligenceWords';
import { DisposedNotice } from '../retention/DisposedNotice';

const IntelligencePageDocument = graphql(`
  query IntelligencePage($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on IntelligenceReport {
        ...IntelligenceFields
      }
    }
  }
`);

export const IntelligenceFields = graphql(`
  fragment IntelligenceFields on IntelligenceReport {
    id
    version
    reference
    receivedOn
    sourceEvaluation
    intelligenceAssessment
    handlingCode
    handlingConditions
    grading
    gradingFlags {
      code
      message
    }
    sourceReference
    sanitisedText
    originalText
    crimeCategories
    protectiveMarking
    owningOrganisation {
      id
      code
      name
    }
    threats {
      id
      urn
      name
    }
    activities {
      id
      category
    }
    nominals {
      id
      name
    }
    identifiers {
      ...HeldIdentifier
    }
    disseminations {
      id
      handlingCode
      handlingConditions
      disseminatedAt
      recipientOrganisation {
        id
        name
      }
      disseminatedBy {
        id
        displayName
      }
    }
    withheld {
      field
      reason
    }
  }
`);

const DisseminateDocument = graphql(`
  mutation DisseminateIntelligence($input: DisseminateIntelligenceInput!) {
    disseminateIntelligence(input: $input) {
      ...IntelligenceFields
    }
  }
`);

type Report = Extract<NonNullable<IntelligencePageQuery['node']>, { __typename: 'IntelligenceReport' }>;

/** One intelligence report: its grading (or why it is withheld), its texts, what it is about, and its disseminations. */
export function IntelligencePage() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const [{ data, fetching, error }, refetch] = useQuery({ query: IntelligencePageDocument, variables: { id } });
  const report = data?.node?.__typename === 'IntelligenceReport' ? (data.node as Report) : data && null;
  if (data && !report) return <DisposedNotice id={id} otherwise="This intelligence report does not exist or you may not read it." />;
  return (
    <Loaded data={report} fetching={fetching} error={error}>
      {(r) => (
        <>
          <p className="crumbs">
            <Link to="/intelligence">Intelligence</Link> / {r.reference}
          </p>
          <h1>
            {/* A partner's grading is withheld: the facts below say why, the heading stays short. */}
            {r.reference} {r.grading && <Badge>{r.grading}</Badge>}
          </h1>
          <Marking marking={r.protectiveMarking} />
          {(r.gradingFlags ?? []).map((f) => (
            <p key={f.code} className="notice" role="note">
              <Badge tone="warn">Flagged</Badge> {f.message}
            </p>
          ))}
          {r.owningOrganisation.id === viewer.organisation.id && (
            <p>
              <Link to={`/intelligence/${encodeURIComponent(r.id)}/edit`} className="button">
                Edit
              </Link>
            </p>
          )}
          <Facts r={r} />
          <Disseminations r={r} />
          {r.owningOrganisation.id === viewer.organisation.id && <DisseminateForm r={r} />}
          {r.owningOrganisation.id === viewer.organisation.id && r.identifiers && (
            <RecordIdentifiers recordId={r.id} identifiers={r.identifiers} mayRecord={mayDeconflict(viewer.roles)} onRecorded={() => refetch({ requestPolicy: 'network-only' })} />
          )}
          <Marking marking={r.protectiveMarking} />
        </>
      )}
    </Loaded>
  );
}

function Facts({ r }: { r: Report }) {
  const withheld = (field: string) => withheldReason(r.withheld, field);
  return (
    <dl className="facts">
      <dt>Recorded by</dt>
      <dd>{r.owningOrganisation.name}</dd>
      <dt>Received</dt>
      <dd>{formatDate(r.receivedOn)}</dd>
      <dt>Source evaluation</dt>
      <dd>
        <Value withheld={withheld('sourceEvaluation')}>{r.sourceEvaluation && sourceWords[r.sourceEvaluation]}</Value>
      </dd>
      <dt>Intelligence assessment</dt>
      <dd>
        <Value withheld={withheld('intelligenceAssessment')}>{r.intelligenceAssessment && assessmentWords[r.intelligenceAssessment]}</Value>
      </dd>
      <dt>Handling</dt>
      <dd>{handlingWords[r.handlingCode]}</dd>
      <dt>Conditions</dt>
      <dd>
        <Value empty="none">{r.handlingConditions}</Value>
      </dd>
      <dt>Source</dt>
      <dd>
        <Value withheld={withheld('sourceReference')}>{r.sourceReference}</Value>
      </dd>
      <dt>Sanitised text</dt>
      <dd>{r.sanitisedText}</dd>
      <dt>Original text</dt>
      <dd>
        <Value withheld={withheld('originalText')}>{r.originalText}</Value>
      </dd>
      <dt>Crime it mentions</dt>
      <dd>
        <Value empty="none recorded">{r.crimeCategories.length ? crimeCategoriesInWords(r.crimeCategories) : null}</Value>
      </dd>
      <dt>Threats</dt>
      <dd>
        <Value empty="none you may see">
          {r.threats.map((t, i) => (
            <span key={t.id}>
              {i > 0 && ', '}
              <Link to={`/threats/${encodeURIComponent(t.id)}`}>
                {t.urn} {t.name}
              </Link>
            </span>
          ))}
        </Value>
      </dd>
      <dt>Criminal activities</dt>
      <dd>
        <Value empty="none">{r.activities.map((a) => label(a.category)).join(', ')}</Value>
      </dd>
      <dt>People</dt>
      <dd>
        <Value empty="none you may see" withheld={withheld('nominals')}>
          {(r.nominals ?? []).map((n, i) => (
            <span key={n.id}>
              {i > 0 && ', '}
              <Link to={`/people/${encodeURIComponent(n.id)}`}>{n.name}</Link>
            </span>
          ))}
        </Value>
      </dd>
    </dl>
  );
}

function Disseminations({ r }: { r: Report }) {
  return (
    <section aria-labelledby="disseminations">
      <h2 id="disseminations">Disseminations</h2>
      {r.disseminations.length === 0 ? (
        <p>Not disseminated to any partner.</p>
      ) : (
        <ul>
          {r.disseminations.map((d) => (
            <li key={d.id}>
              {formatDateTime(d.disseminatedAt)}: to {d.recipientOrganisation.name} by {d.disseminatedBy.displayName}, {handlingWords[d.handlingCode]}
              {d.handlingConditions && ` (conditions: ${d.handlingConditions})`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Disseminates the report to a partner agency: the server checks the agreement and records the act. */
function DisseminateForm({ r }: { r: Report }) {
  const partners = useOrganisations().filter((o) => !o.isLawEnforcement);
  const [recipient, setRecipient] = useState('');
  const [state, disseminate] = useMutation(DisseminateDocument);
  const errors = formErrors(state.error);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await disseminate({ input: { id: r.id, recipientOrganisationId: recipient } });
  };
  return (
    <form className="form" aria-labelledby="disseminate" onSubmit={submit} noValidate>
      <h2 id="disseminate">Disseminate to a partner</h2>
      <p className="hint">The partner is given the sanitised text{r.handlingCode === 'C' ? ' with the conditions above' : ''}; never the grading, the source or the original text.</p>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, ['recipientOrganisationId']).map(intelligenceWords)]} />
      <Field label="Partner organisation" errors={messagesFor(errors, 'recipientOrganisationId').map(intelligenceWords)}>
        {(p) => (
          <select {...p} value={recipient} onChange={(e) => setRecipient(e.target.value)}>
            <option value="">Choose an organisation</option>
            {partners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="buttons">
        <button type="submit" disabled={state.fetching || !recipient}>
          Disseminate
        </button>
      </div>
    </form>
  );
}
