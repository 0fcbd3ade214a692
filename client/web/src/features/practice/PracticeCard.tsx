import { useState } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { PracticeCardFieldsFragment } from '../../gql/graphql';
import { errorText } from '../../lib/errors';
import { Badge, label } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { WhoCanSee } from '../access/WhoCanSee';
import { PracticeEdit } from './PracticeEdit';

export const PracticeCardFields = graphql(`
  fragment PracticeCardFields on PracticeEntry {
    id
    version
    title
    aim
    description
    contact
    stage
    evidenceRating
    protectiveMarking
    topics
    endorsementCount
    endorsedByViewer
    organisation {
      id
      code
      name
    }
    partners {
      id
      code
    }
    endorsements {
      id
      comment
      user {
        id
        displayName
      }
      organisation {
        id
        code
      }
    }
  }
`);

const EndorseDocument = graphql(`
  mutation EndorsePractice($input: EndorsePracticeInput!) {
    endorsePractice(input: $input) {
      ...PracticeCardFields
    }
  }
`);

const WithdrawDocument = graphql(`
  mutation WithdrawEndorsement($input: WithdrawEndorsementInput!) {
    withdrawEndorsement(input: $input) {
      ...PracticeCardFields
    }
  }
`);

export function PracticeCard({ practice: p }: { practice: PracticeCardFieldsFragment }) {
  const viewer = useViewer();
  const [comment, setComment] = useState('');
  const [endorsement, endorse] = useMutation(EndorseDocument);
  const [withdrawal, withdraw] = useMutation(WithdrawDocument);
  const error = endorsement.error ?? withdrawal.error;
  const own = p.organisation.id === viewer.organisation.id;
  const [editing, setEditing] = useState(false);
  if (editing) {
    return (
      <article className="card" aria-labelledby={`practice-${p.id}`}>
        <h2 id={`practice-${p.id}`}>Edit {p.title}</h2>
        <PracticeEdit entry={p} onClose={() => setEditing(false)} />
      </article>
    );
  }
  return (
    <article className="card" aria-labelledby={`practice-${p.id}`}>
      <h2 id={`practice-${p.id}`}>{p.title}</h2>
      <p className="hint">
        {p.organisation.name}
        {p.partners.length > 0 && ` with ${p.partners.map((x) => x.code).join(', ')}`} · {label(p.stage)} · evidence: {label(p.evidenceRating)} · marked {label(p.protectiveMarking)}
      </p>
      <p>
        <strong>Aim:</strong> {p.aim}
      </p>
      <p>{p.description}</p>
      <p className="hint">Contact: {p.contact}</p>
      <p>
        {p.topics.map((t) => (
          <Badge key={t}>{t}</Badge>
        ))}
      </p>
      <p>
        Endorsed {p.endorsementCount} {p.endorsementCount === 1 ? 'time' : 'times'}
        {p.endorsements.length > 0 && `: ${p.endorsements.map((e) => `${e.organisation.code}${e.comment ? ` (“${e.comment}”)` : ''}`).join(', ')}`}
      </p>
      {error && <p role="alert" className="error">{errorText(error)}</p>}
      {own && (
        <button type="button" aria-label={`Edit ${p.title}`} onClick={() => setEditing(true)}>
          Edit
        </button>
      )}
      {!own && !p.endorsedByViewer && (
        <div className="buttons">
          <label>
            Comment (optional) <input value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <button type="button" disabled={endorsement.fetching} onClick={() => endorse({ input: { id: p.id, comment: comment || null } })}>
            Endorse
          </button>
        </div>
      )}
      {p.endorsedByViewer && (
        <button type="button" disabled={withdrawal.fetching} onClick={() => withdraw({ input: { id: p.id } })}>
          Withdraw my endorsement
        </button>
      )}
      <WhoCanSee recordId={p.id} about={p.title} heading="h3" />
    </article>
  );
}
