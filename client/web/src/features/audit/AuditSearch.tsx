import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AuditAction, AuditEventFilter, Purpose } from '../../gql/graphql';
import { PURPOSES } from '../../lib/client';
import { Badge, enumOptions, Field, formatDateTime, label, Loaded, Pager, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { useOrganisations } from '../records/organisations';

const AuditEventsDocument = graphql(`
  query AuditEvents($filter: AuditEventFilter, $after: String) {
    auditEvents(first: 25, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          at
          action
          purpose
          operation
          recordType
          recordIds
          detail
          username
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
    }
  }
`);

const VerifyAuditChainDocument = graphql(`
  query VerifyAuditChain {
    verifyAuditChain {
      valid
      eventsChecked
      firstBrokenEventId
    }
  }
`);

const auditActions: AuditAction[] = ['READ', 'CREATE', 'UPDATE', 'DELETE', 'DENIED', 'EXPORT'];

/** The search as the URL holds it, so a search can be bookmarked, shared and navigated back to. */
function filterFrom(params: URLSearchParams): AuditEventFilter {
  const filter: AuditEventFilter = {};
  const iso = (local: string | null) => (local ? new Date(local).toISOString() : undefined);
  if (params.get('user')) filter.userIds = [params.get('user')!];
  if (params.get('org')) filter.organisationIds = [params.get('org')!];
  if (params.get('record')) filter.recordId = params.get('record')!;
  if (params.get('purpose')) filter.purpose = [params.get('purpose') as Purpose];
  if (params.get('action')) filter.action = [params.get('action') as AuditAction];
  if (params.get('from')) filter.from = iso(params.get('from'));
  if (params.get('to')) filter.to = iso(params.get('to'));
  return filter;
}

/** The audit trail for auditors: who read or changed what, when and for what purpose; the chain check. */
export function AuditSearch() {
  const viewer = useViewer();
  if (!viewer.roles.includes('AUDITOR')) return <p role="alert">The audit trail is for auditors.</p>;
  return (
    <>
      <h1>Audit trail</h1>
      <ChainCheck />
      <Search />
    </>
  );
}

function ChainCheck() {
  const [asked, setAsked] = useState(false);
  const [{ data, fetching, error }, verify] = useQuery({ query: VerifyAuditChainDocument, pause: !asked, requestPolicy: 'network-only' });
  const run = () => (asked ? verify({ requestPolicy: 'network-only' }) : setAsked(true));
  return (
    <section aria-labelledby="chain">
      <h2 id="chain">Integrity</h2>
      <p>
        <button type="button" onClick={run} disabled={fetching}>
          Verify the audit chain
        </button>{' '}
        <span role="status" data-testid="chain-result">
          {fetching && 'Checking…'}
          {error && <span className="error">{error.message}</span>}
          {data && !fetching &&
            (data.verifyAuditChain.valid ? (
              <Badge tone="good">Intact: {data.verifyAuditChain.eventsChecked} events checked</Badge>
            ) : (
              <Badge tone="bad">Broken at event {data.verifyAuditChain.firstBrokenEventId} ({data.verifyAuditChain.eventsChecked} checked)</Badge>
            ))}
        </span>
      </p>
    </section>
  );
}

function Search() {
  const [params, setParams] = useSearchParams();
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const filter = filterFrom(params);
  const [{ data, fetching, error }] = useQuery({ query: AuditEventsDocument, variables: { filter, after: trail[trail.length - 1] } });
  const search = (next: URLSearchParams) => {
    setTrail([null]);
    setParams(next);
  };
  const byUser = (id: string, name: string) => {
    const next = new URLSearchParams(params);
    next.set('user', id);
    next.set('userName', name);
    search(next);
  };
  return (
    <section aria-labelledby="search">
      <h2 id="search">Search</h2>
      <AuditFilters params={params} onSearch={search} />
      <Loaded data={data} fetching={fetching} error={error}>
        {(d) => (
          <>
            <table className="list" data-testid="audit-events">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">User</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Action</th>
                  <th scope="col">Purpose</th>
                  <th scope="col">Records</th>
                  <th scope="col">Operation</th>
                </tr>
              </thead>
              <tbody>
                {d.auditEvents.edges.map(({ node: e }) => (
                  <tr key={e.id}>
                    <td>{formatDateTime(e.at)}</td>
                    <td>
                      <button type="button" className="small" title={`Only events by ${e.username}`} onClick={() => byUser(e.user.id, e.username)}>
                        {e.username}
                      </button>
                    </td>
                    <td>{e.organisation.code}</td>
                    <td>
                      <Badge tone={e.action === 'DENIED' ? 'bad' : 'plain'}>{label(e.action)}</Badge>
                    </td>
                    <td>
                      <Value empty="none stated">{e.purpose ? label(e.purpose) : null}</Value>
                    </td>
                    <td>
                      {e.recordType} <span className="hint">{e.recordIds.length > 3 ? `${e.recordIds.length} records` : e.recordIds.join(', ')}</span>
                    </td>
                    <td>
                      <Value empty="—">{e.operation}</Value>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {d.auditEvents.edges.length === 0 && <p>No events match.</p>}
            <Pager pageInfo={d.auditEvents.pageInfo} total={d.auditEvents.totalCount} shown={d.auditEvents.edges.length} trail={trail} onMove={setTrail} />
          </>
        )}
      </Loaded>
    </section>
  );
}

/** The filters; applied on Search (so typing a record ID does not run a query per keystroke). */
function AuditFilters({ params, onSearch }: { params: URLSearchParams; onSearch: (next: URLSearchParams) => void }) {
  const organisations = useOrganisations();
  const [draft, setDraft] = useState(() => Object.fromEntries(params.entries()) as Record<string, string>);
  const set = (key: string) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(new URLSearchParams(Object.entries(draft).filter(([, v]) => v)));
  };
  const clearUser = () => {
    const { user: _user, userName: _name, ...rest } = draft;
    setDraft(rest);
    onSearch(new URLSearchParams(Object.entries(rest).filter(([, v]) => v)));
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Audit filters">
      {params.get('user') && (
        <p>
          User: <strong>{params.get('userName') ?? params.get('user')}</strong>{' '}
          <button type="button" className="small" onClick={clearUser}>
            Any user
          </button>
        </p>
      )}
      <Field label="Organisation">
        {(p) => (
          <select {...p} value={draft.org ?? ''} onChange={set('org')}>
            <option value="">Any</option>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.code}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Record (global ID)">{(p) => <input {...p} value={draft.record ?? ''} onChange={set('record')} />}</Field>
      <Field label="Purpose">
        {(p) => (
          <select {...p} value={draft.purpose ?? ''} onChange={set('purpose')}>
            <option value="">Any</option>
            {PURPOSES.map((x) => (
              <option key={x.value} value={x.value}>
                {x.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Action">
        {(p) => (
          <select {...p} value={draft.action ?? ''} onChange={set('action')}>
            <option value="">Any</option>
            {enumOptions(auditActions)}
          </select>
        )}
      </Field>
      <Field label="From">{(p) => <input {...p} type="datetime-local" value={draft.from ?? ''} onChange={set('from')} />}</Field>
      <Field label="Before">{(p) => <input {...p} type="datetime-local" value={draft.to ?? ''} onChange={set('to')} />}</Field>
      <button type="submit">Search</button>
    </form>
  );
}
