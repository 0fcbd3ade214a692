import { useId, useState, type FormEvent } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { Badge, Field, label, Loaded } from '../../lib/ui';
import { useViewer } from '../auth/viewer';

const ExplainAccessDocument = graphql(`
  query ExplainAccess($recordId: ID!, $username: String) {
    explainAccess(recordId: $recordId, username: $username) {
      recordId
      canRead
      user {
        id
        username
        displayName
        organisation {
          id
          code
        }
      }
      rules {
        rule
        passed
        detail
      }
    }
  }
`);

/** The access rules explainAccess names (server/src/access/explain.ts), as people call them. */
const ruleWords: Record<string, string> = {
  CLEARANCE: 'Clearance',
  ROLE: 'Role',
  SHARING: 'Sharing',
  AGREEMENT: 'Sharing agreement',
  REFERRAL_PARTY: 'Party to the referral',
  REFERRAL_SUBJECT: 'Subject of a referral',
  PARTNER_NOMINAL: 'People a partner may read',
  PARTNER_DISRUPTION: 'Disruptions a partner may read',
  PARTNER_ACTION: 'Plans with a partner’s action',
  DISSEMINATION: 'Dissemination',
  THREAT: 'The threat it belongs to',
};

/**
 * "Who can see this?": the access rules that grant or deny reading this record, for you or (for
 * administrators and auditors) another user by username. Closed until asked, so a record page
 * costs nothing extra.
 */
export function WhoCanSee({ recordId, about, heading: Heading = 'h2' }: { recordId: string; about?: string; heading?: 'h2' | 'h3' }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <section aria-labelledby={`${id}-heading`} className="who-can-see">
      <Heading id={`${id}-heading`}>
        <button type="button" aria-expanded={open} aria-controls={`${id}-panel`} onClick={() => setOpen(!open)}>
          Who can see this?{about && <span className="visually-hidden"> ({about})</span>}
        </button>
      </Heading>
      {open && (
        <div id={`${id}-panel`}>
          <Explanation recordId={recordId} />
        </div>
      )}
    </section>
  );
}

function Explanation({ recordId }: { recordId: string }) {
  const viewer = useViewer();
  const mayAskForOthers = viewer.roles.some((r) => r === 'ADMIN' || r === 'AUDITOR');
  const [username, setUsername] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [{ data, fetching, error }] = useQuery({ query: ExplainAccessDocument, variables: { recordId, username }, requestPolicy: 'network-only' });
  const ask = (event: FormEvent) => {
    event.preventDefault();
    setUsername(typed.trim() || null);
  };
  return (
    <>
      {mayAskForOthers && (
        <form className="filters" onSubmit={ask}>
          <Field label="For the user (username)" hint="Empty: for you.">
            {(props) => <input {...props} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="e.g. oxon.mash" />}
          </Field>
          <button type="submit">Explain</button>
        </form>
      )}
      <Loaded data={data} fetching={fetching} error={error}>
        {(d) =>
          d.explainAccess ? (
            <>
              <p data-testid="access-verdict">
                {d.explainAccess.user.displayName} ({d.explainAccess.user.username}, {d.explainAccess.user.organisation.code}){' '}
                {d.explainAccess.canRead ? <Badge tone="good">can read this</Badge> : <Badge tone="bad">cannot read this</Badge>}
              </p>
              <table className="list" data-testid="access-rules">
                <caption className="hint">The rules checked, in order</caption>
                <thead>
                  <tr>
                    <th scope="col">Rule</th>
                    <th scope="col">Result</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {d.explainAccess.rules.map((r, i) => (
                    <tr key={`${r.rule}-${i}`}>
                      <th scope="row">{ruleWords[r.rule] ?? label(r.rule)}</th>
                      <td>{r.passed ? <Badge tone="good">Passed</Badge> : <Badge tone="bad">Not met</Badge>}</td>
                      <td>{r.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p role="alert">No explanation: the record does not exist or you may not see it.</p>
          )
        }
      </Loaded>
    </>
  );
}
