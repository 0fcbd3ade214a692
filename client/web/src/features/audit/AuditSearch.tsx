import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AuditAction, AuditEventFilter, Purpose } from '../../gql/graphql';
import { PURPOSES } from '../../lib/client';
import { formErrors, messagesFor } from '../../lib/errors';
import { Badge, Field, formatDateTime, label, Loaded, Pager, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { useOrganisations } from '../records/organisations';
import { actionWords, ExportLink, MAX_NAMED, RecordsOf, useRecordNames } from './records';

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
      anchorsChecked
      firstBrokenAnchorEventId
      checkedAt
    }
  }
`);

const auditActions: AuditAction[] = ['READ', 'CREATE', 'UPDATE', 'DELETE', 'DENIED', 'EXPORT'];

/** The search as the URL holds it, so a search can be bookmarked, shared and navigated back to. */
function filterFrom(params: URLSearchParams): AuditEventFilter {
  const filter: AuditEventFilter = { hideOwnSearches: params.get('mine') !== 'show' };
  const iso = (local: string | null) => (local ? new Date(local).toISOString() : undefined);
  if (params.get('user')) filter.userIds = [params.get('user')!];
  if (params.get('who')) filter.user = params.get('who')!;
  if (params.get('org')) filter.organisationIds = [params.get('org')!];
  if (params.get('record')) filter.record = params.get('record')!;
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
          {data && !fetching && <ChainResult result={data.verifyAuditChain} />}
        </span>
      </p>
    </section>
  );
}

type ChainResultShape = { valid: boolean; eventsChecked: number; firstBrokenEventId?: string | null; anchorsChecked: number; firstBrokenAnchorEventId?: string | null; checkedAt: unknown };

/** What the check covered and found, in words: every event's link and hash, and the published chain heads. */
function ChainResult({ result: r }: { result: ChainResultShape }) {
  const anchors = r.anchorsChecked === 1 ? '1 published chain head' : `${r.anchorsChecked} published chain heads`;
  return (
    <>
      {r.valid ? (
        <Badge tone="good">Intact</Badge>
      ) : (
        <Badge tone="bad">Broken</Badge>
      )}{' '}
      Checked {formatDateTime(r.checkedAt)}: {r.eventsChecked} events, each against the one before it, and {anchors} against the events as they are now.{' '}
      {r.firstBrokenEventId && <>The chain breaks at event {r.firstBrokenEventId}. </>}
      {r.firstBrokenAnchorEventId && <>Event {r.firstBrokenAnchorEventId} no longer matches what was published: the trail was rewritten after it. </>}
    </>
  );
}

function Search() {
  const [params, setParams] = useSearchParams();
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const filter = filterFrom(params);
  const [{ data, fetching, error }] = useQuery({ query: AuditEventsDocument, variables: { filter, after: trail[trail.length - 1] } });
  const problems = formErrors(error);
  const recordProblem = messagesFor(problems, 'filter.record')[0] ?? messagesFor(problems, 'filter.recordId')[0] ?? null;
  const names = useRecordNames(data?.auditEvents.edges.flatMap((e) => (e.node.recordIds.length <= MAX_NAMED ? e.node.recordIds : [])) ?? []);
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
      <AuditFilters key={params.toString()} params={params} onSearch={search} recordProblem={recordProblem} />
      {recordProblem ? (
        <p className="error">Nothing was searched: the record is not one you can look up. Correct it above.</p>
      ) : (
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
                        <Badge tone={e.action === 'DENIED' ? 'bad' : 'plain'}>{actionWords[e.action]}</Badge>
                      </td>
                      <td>
                        <Value empty="none stated">{e.purpose ? label(e.purpose) : null}</Value>
                      </td>
                      <td>
                        <RecordsOf type={e.recordType} ids={e.recordIds} names={names} />
                      </td>
                      <td>
                        <Value empty="—">{e.operation}</Value>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {d.auditEvents.edges.length === 0 && <p>No events you may see match.</p>}
              <ExportLink filter={filter} total={d.auditEvents.totalCount} />
              <Pager pageInfo={d.auditEvents.pageInfo} total={d.auditEvents.totalCount} shown={d.auditEvents.edges.length} trail={trail} onMove={setTrail} />
            </>
          )}
        </Loaded>
      )}
    </section>
  );
}

/** The filters; applied on Search (so typing a record ID does not run a query per keystroke). */
function AuditFilters({ params, onSearch, recordProblem }: { params: URLSearchParams; onSearch: (next: URLSearchParams) => void; recordProblem: string | null }) {
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
      <Field label="User’s name" hint="Words of their name or sign-in name.">{(p) => <input {...p} value={draft.who ?? ''} onChange={set('who')} />}</Field>
      <Field label="Organisation">
        {(p) => (
          <select {...p} value={draft.org ?? ''} onChange={set('org')}>
            <option value="">Any</option>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Record" hint="A threat’s URN (such as SE-2024-0042) or a referral’s reference." errors={recordProblem ? [recordProblem] : []}>
        {(p) => <input {...p} value={draft.record ?? ''} onChange={set('record')} />}
      </Field>
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
            {auditActions.map((a) => (
              <option key={a} value={a}>
                {actionWords[a]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="From">{(p) => <input {...p} type="datetime-local" value={draft.from ?? ''} onChange={set('from')} />}</Field>
      <Field label="Before">{(p) => <input {...p} type="datetime-local" value={draft.to ?? ''} onChange={set('to')} />}</Field>
      <label className="check">
        <input type="checkbox" checked={draft.mine === 'show'} onChange={(e) => setDraft({ ...draft, mine: e.target.checked ? 'show' : '' })} /> Include my own searches of the audit trail
      </label>
      <button type="submit">Search</button>
    </form>
  );
}
