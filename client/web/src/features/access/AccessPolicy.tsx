import { useEffect, useRef, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { DataCategory, Role } from '../../gql/graphql';
import { errorText } from '../../lib/errors';
import { Loaded } from '../../lib/ui';
import { useViewer } from '../auth/viewer';

const AccessRoleGrantsDocument = graphql(`
  query AccessRoleGrants {
    accessRoleGrants {
      dataCategory
      roles
    }
  }
`);

const SetAccessRoleGrantsDocument = graphql(`
  mutation SetAccessRoleGrants($input: SetAccessRoleGrantsInput!) {
    setAccessRoleGrants(input: $input) {
      dataCategory
      roles
    }
  }
`);

/** Every role, in the words people use for them (plural: "who may read"). */
const roleWords: Record<Role, string> = {
  ANALYST: 'Analysts',
  INTELLIGENCE_OFFICER: 'Intelligence officers',
  INVESTIGATOR: 'Investigators',
  LRO: 'Lead responsible officers',
  SRO: 'Senior responsible officers',
  OCG_COORDINATOR: 'Organised crime group coordinators',
  THREAT_ASSESSOR: 'Threat assessors',
  DISRUPTION_VALIDATOR: 'Disruption validators',
  SAFEGUARDING_PRACTITIONER: 'Safeguarding practitioners',
  PARTNER_CONTRIBUTOR: 'Partner contributors',
  AUDITOR: 'Auditors',
  ADMIN: 'Administrators',
};
const roles = Object.keys(roleWords) as Role[];

/** Every kind of record, in plain words. */
const categoryWords: Record<DataCategory, string> = {
  THREAT: 'Threats',
  NOMINAL: 'People',
  PLAN: '4P plans',
  DISRUPTION: 'Disruptions',
  REFERRAL: 'Safeguarding referrals',
  PRACTICE: 'Good practice',
  INTELLIGENCE: 'Intelligence reports',
  ANALYTICAL_REQUEST: 'Analysis requests',
};
const categories = Object.keys(categoryWords) as DataCategory[];

type Policy = Record<DataCategory, Role[]>;

function policyOf(grants: readonly { dataCategory: DataCategory; roles: readonly Role[] }[]): Policy {
  const policy = Object.fromEntries(categories.map((c) => [c, [] as Role[]])) as Policy;
  for (const g of grants) policy[g.dataCategory] = [...g.roles];
  return policy;
}

const same = (a: readonly Role[], b: readonly Role[]) => a.length === b.length && a.every((r) => b.includes(r));

/** One change per kind of record: who gains reading it and who loses it. */
interface Change {
  category: DataCategory;
  roles: Role[];
  added: Role[];
  removed: Role[];
}

function changesBetween(before: Policy, after: Policy): Change[] {
  return categories
    .filter((c) => !same(before[c], after[c]))
    .map((c) => ({ category: c, roles: after[c], added: after[c].filter((r) => !before[c].includes(r)), removed: before[c].filter((r) => !after[c].includes(r)) }));
}

const list = (rs: Role[]) => rs.map((r) => roleWords[r]).join(', ');

/**
 * "Who may read what": the role policy as a table of roles and kinds of record. Administrators
 * tick and untick, then see in words what will change before it is saved; it takes effect at once
 * for everyone. Auditors see it without changing it. The other rules (clearance, how each record
 * is shared, sharing agreements) still apply on top of it.
 */
export function AccessPolicy() {
  const viewer = useViewer();
  const admin = viewer.roles.includes('ADMIN');
  const mayRead = admin || viewer.roles.includes('AUDITOR');
  if (!mayRead) {
    return (
      <>
        <h1>Who may read what</h1>
        <p>Only administrators and auditors can see the role policy.</p>
      </>
    );
  }
  return <PolicyTable admin={admin} />;
}

function PolicyTable({ admin }: { admin: boolean }) {
  const client = useClient();
  const [{ data, fetching, error }, reload] = useQuery({ query: AccessRoleGrantsDocument, requestPolicy: 'network-only' });
  const loaded = data ? policyOf(data.accessRoleGrants) : null;
  const [edited, setEdited] = useState<Policy | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);
  const policy = edited ?? loaded;
  const changes = loaded && policy ? changesBetween(loaded, policy) : [];
  const emptied = changes.filter((c) => c.roles.length === 0);

  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);

  const toggle = (category: DataCategory, role: Role) => {
    if (!policy) return;
    const now = policy[category];
    setEdited({ ...policy, [category]: now.includes(role) ? now.filter((r) => r !== role) : [...now, role] });
    setConfirming(false);
    setDone(null);
    setProblem(null);
  };

  const save = async () => {
    if (!loaded || !policy) return;
    setBusy(true);
    setProblem(null);
    // Someone else may have changed the policy since it was loaded: nothing is saved over their change unseen.
    const fresh = await client.query(AccessRoleGrantsDocument, {}, { requestPolicy: 'network-only' }).toPromise();
    if (fresh.error || !fresh.data) {
      setProblem(fresh.error ? errorText(fresh.error) : 'The policy could not be read: nothing was saved.');
      setBusy(false);
      return;
    }
    const now = policyOf(fresh.data.accessRoleGrants);
    const movedOn = changes.filter((c) => !same(now[c.category], loaded[c.category]));
    if (movedOn.length) {
      setProblem(
        `Someone else changed who may read ${movedOn.map((c) => categoryWords[c.category].toLowerCase()).join(' and ')} since you opened this page: nothing of yours was saved. The table now shows the policy as it is; make your changes again.`,
      );
      setEdited(null);
      setConfirming(false);
      reload({ requestPolicy: 'network-only' });
      setBusy(false);
      return;
    }
    for (const c of changes) {
      const result = await client.mutation(SetAccessRoleGrantsDocument, { input: { dataCategory: c.category, roles: c.roles } }).toPromise();
      if (result.error) {
        setProblem(`${categoryWords[c.category]}: ${errorText(result.error)}`);
        setBusy(false);
        reload({ requestPolicy: 'network-only' });
        return;
      }
    }
    setDone(`Saved: ${changes.length === 1 ? 'the change is' : `${changes.length} changes are`} in effect for everyone now.`);
    setEdited(null);
    setConfirming(false);
    reload({ requestPolicy: 'network-only' });
    setBusy(false);
  };

  return (
    <>
      <h1>Who may read what</h1>
      <p>
        Which roles may read each kind of record. A tick lets people with that role read that kind of record wherever the other rules also allow it: their
        clearance against the record’s protective marking, how the record is shared, and the sharing agreements of partner organisations.
      </p>
      {admin ? (
        <p className="hint">Changes take effect for everyone as soon as they are saved. You will see what changes before anything is saved.</p>
      ) : (
        <p className="hint">Only administrators can change it.</p>
      )}
      {problem && (
        <p role="alert" className="error">
          {problem}
        </p>
      )}
      <Loaded data={policy} fetching={fetching} error={error}>
        {(p) => (
          <>
            <table className="list" data-testid="role-policy">
              <caption className="hint">Roles down the side, kinds of record across the top</caption>
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  {categories.map((c) => (
                    <th key={c} scope="col">
                      {categoryWords[c]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {roles.map((r) => (
                  <tr key={r}>
                    <th scope="row">{roleWords[r]}</th>
                    {categories.map((c) => {
                      const ticked = p[c].includes(r);
                      const changed = loaded ? ticked !== loaded[c].includes(r) : false;
                      return (
                        <td key={c} className={changed ? 'changed' : undefined}>
                          <input
                            type="checkbox"
                            aria-label={`${roleWords[r]} may read ${categoryWords[c].toLowerCase()}`}
                            checked={ticked}
                            disabled={!admin || busy}
                            onChange={() => toggle(c, r)}
                          />
                          {changed && <span className="hint"> changed</span>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
            {admin && (
              <div className="buttons">
                <button type="button" disabled={!changes.length || busy} onClick={() => setConfirming(true)}>
                  Review changes
                </button>
                <button type="button" disabled={!changes.length || busy} onClick={() => setEdited(null)}>
                  Undo my changes
                </button>
              </div>
            )}
            {admin && confirming && changes.length > 0 && (
              <section className="decision" aria-labelledby="confirm-policy" data-testid="confirm-policy">
                <h2 id="confirm-policy" tabIndex={-1} ref={confirmHeading}>
                  Check before saving
                </h2>
                <ul>
                  {changes.map((c) => (
                    <li key={c.category}>
                      <strong>{categoryWords[c.category]}</strong>:{' '}
                      {[c.added.length ? `${list(c.added)} will be able to read them` : '', c.removed.length ? `${list(c.removed)} will no longer be able to read them` : '']
                        .filter(Boolean)
                        .join('; ')}
                      .
                    </li>
                  ))}
                </ul>
                {emptied.length > 0 && (
                  <p role="alert" className="error">
                    Nobody would be able to read {emptied.map((c) => categoryWords[c.category].toLowerCase()).join(' or ')}: tick at least one role for each kind of record.
                  </p>
                )}
                <p>This takes effect for everyone at once, including people using the platform now.</p>
                <div className="buttons">
                  <button type="button" disabled={busy || emptied.length > 0} onClick={() => void save()}>
                    Save these changes
                  </button>
                  <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
                    Go back
                  </button>
                </div>
              </section>
            )}
            <p role="status" className="hint">
              {done}
            </p>
          </>
        )}
      </Loaded>
    </>
  );
}
