import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AgreementStatus, SharingAgreementsQuery } from '../../gql/graphql';
import { Badge, formatDate, label, Loaded, Value } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { AgreementActions } from './AgreementActions';
import { CreateAgreement } from './CreateAgreement';

const SharingAgreementsDocument = graphql(`
  query SharingAgreements($status: [AgreementStatus!]) {
    sharingAgreements(first: 100, filter: { status: $status }) {
      totalCount
      edges {
        node {
          id
          title
          status
          statusReason
          isInForce
          effectiveFrom
          expiresOn
          expiresInDays
          version
          maxProtectiveMarking
          dataCategories
          legalGateways
          purposes
          parties {
            id
            code
          }
        }
      }
    }
  }
`);

export type Agreement = SharingAgreementsQuery['sharingAgreements']['edges'][number]['node'];

const statuses: AgreementStatus[] = ['ACTIVE', 'SUSPENDED', 'DRAFT', 'EXPIRED'];
const statusTone = { ACTIVE: 'good', SUSPENDED: 'bad', DRAFT: 'plain', EXPIRED: 'plain' } as const;

/**
 * Information sharing agreements: without one in force a partner reads nothing others share.
 * Everyone sees those their organisation is party to; administrators see all and manage them.
 */
export function SharingAgreements() {
  const viewer = useViewer();
  const admin = viewer.roles.includes('ADMIN');
  const [status, setStatus] = useState<AgreementStatus | ''>('');
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [{ data, fetching, error }] = useQuery({ query: SharingAgreementsDocument, variables: { status: status ? [status] : null } });
  const chosen = data?.sharingAgreements.edges.find((e) => e.node.id === selected)?.node;
  return (
    <>
      <h1>Sharing agreements</h1>
      <div className="filters">
        <div className="field">
          <label htmlFor="agreement-status">Status</label>
          <select id="agreement-status" value={status} onChange={(e) => setStatus(e.target.value as AgreementStatus | '')}>
            <option value="">Any</option>
            {statuses.map((s) => (
              <option key={s} value={s}>
                {label(s)}
              </option>
            ))}
          </select>
        </div>
        {admin && (
          <button type="button" aria-expanded={creating} onClick={() => setCreating(!creating)}>
            New agreement
          </button>
        )}
      </div>
      {creating && (
        <CreateAgreement
          onCreated={(id) => {
            setCreating(false);
            setSelected(id);
          }}
        />
      )}
      <Loaded data={data} fetching={fetching} error={error}>
        {(d) => (
          <table className="list" data-testid="agreements">
            <caption className="hint">{d.sharingAgreements.totalCount} agreements</caption>
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Parties</th>
                <th scope="col">Status</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">Covers</th>
                {admin && <th scope="col">Manage</th>}
              </tr>
            </thead>
            <tbody>
              {d.sharingAgreements.edges.map(({ node: a }) => (
                <tr key={a.id}>
                  <th scope="row">{a.title}</th>
                  <td>{a.parties.map((p) => p.code).join(', ')}</td>
                  <td data-testid="agreement-status">
                    <Badge tone={statusTone[a.status]}>{label(a.status)}</Badge>
                    {a.isInForce && <span className="hint"> in force</span>}
                    {a.statusReason && <div className="hint">{a.statusReason}</div>}
                  </td>
                  <td>{formatDate(a.effectiveFrom)}</td>
                  <td>
                    {formatDate(a.expiresOn)}
                    {a.isInForce && a.expiresInDays <= 60 && <Badge tone="warn">{a.expiresInDays} days left</Badge>}
                  </td>
                  <td>
                    <Value>{a.dataCategories.map(label).join(', ')}</Value>
                    <div className="hint">up to {label(a.maxProtectiveMarking)}</div>
                  </td>
                  {admin && (
                    <td>
                      <button type="button" className="small" aria-pressed={selected === a.id} aria-label={`Manage ${a.title}`} onClick={() => setSelected(selected === a.id ? null : a.id)}>
                        Manage
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
      {admin && chosen && <AgreementActions key={chosen.id} agreement={chosen} />}
    </>
  );
}
