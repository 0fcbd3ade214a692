import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ProtectiveMarking, Role, UsersAdminQuery } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, Loaded, Pager } from '../../lib/ui';
import { Checks } from '../agreements/CreateAgreement';
import { useViewer } from '../auth/viewer';
import { allRoles, clearanceWords, grantableClearances, roleWords, useAdministeredOrganisations } from './administered';

const UsersAdminDocument = graphql(`
  query UsersAdmin($filter: UserFilter, $first: Int, $after: String) {
    users(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          username
          displayName
          roles
          clearance
          active
          organisation {
            id
            code
            name
          }
        }
      }
    }
  }
`);

const CreateUserDocument = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) {
      id
      username
      displayName
    }
  }
`);

const ChangeUserRolesDocument = graphql(`
  mutation ChangeUserRoles($input: ChangeUserRolesInput!) {
    changeUserRoles(input: $input) {
      id
      roles
    }
  }
`);

const ChangeUserClearanceDocument = graphql(`
  mutation ChangeUserClearance($input: ChangeUserClearanceInput!) {
    changeUserClearance(input: $input) {
      id
      clearance
    }
  }
`);

const DeactivateUserDocument = graphql(`
  mutation DeactivateUser($input: DeactivateUserInput!) {
    deactivateUser(input: $input) {
      id
      active
    }
  }
`);

type UserRow = UsersAdminQuery['users']['edges'][number]['node'];
const PAGE = 25;

/**
 * User accounts (administrators): the people of the organisations they administer, found by name,
 * organisation and status; add a person; change roles and clearance; deactivate (at once: the
 * person's requests are refused and their open sessions end).
 */
export function UsersAdmin() {
  const viewer = useViewer();
  if (!viewer.roles.includes('ADMIN')) {
    return (
      <>
        <h1>User accounts</h1>
        <p>Only administrators can manage user accounts.</p>
      </>
    );
  }
  return <UsersScreen />;
}

function UsersScreen() {
  const organisations = useAdministeredOrganisations();
  const [text, setText] = useState('');
  const [organisationId, setOrganisationId] = useState('');
  const [status, setStatus] = useState<'active' | 'inactive' | 'all'>('active');
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const filter = {
    text: text.trim() || null,
    organisationIds: organisationId ? [organisationId] : null,
    active: status === 'all' ? null : status === 'active',
  };
  const [{ data, fetching, error }, reload] = useQuery({
    query: UsersAdminDocument,
    variables: { filter, first: PAGE, after: trail[trail.length - 1] },
    requestPolicy: 'cache-and-network',
  });
  const refresh = (message: string) => {
    setNotice(message);
    reload({ requestPolicy: 'network-only' });
  };
  const onFilter = (change: () => void) => {
    change();
    setTrail([null]);
  };

  return (
    <>
      <h1>User accounts</h1>
      <p className="hint">
        {organisations.length > 1
          ? 'The people of every organisation in your region. '
          : 'The people of your organisation. '}
        Service accounts used by reporting scripts are managed as API keys.
      </p>
      <div className="buttons">
        <button type="button" onClick={() => setAdding(!adding)} aria-expanded={adding}>
          {adding ? 'Close the new user form' : 'Add a user'}
        </button>
      </div>
      {adding && (
        <NewUser
          onCreated={(name) => {
            setAdding(false);
            refresh(`${name} can now sign in.`);
          }}
        />
      )}
      <form className="filters" role="search" aria-label="Find users" onSubmit={(e) => e.preventDefault()}>
        <Field label="Name or sign-in name">{(p) => <input {...p} type="search" value={text} onChange={(e) => onFilter(() => setText(e.target.value))} />}</Field>
        <Field label="Organisation">
          {(p) => (
            <select {...p} value={organisationId} onChange={(e) => onFilter(() => setOrganisationId(e.target.value))}>
              <option value="">Any</option>
              {organisations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Status">
          {(p) => (
            <select {...p} value={status} onChange={(e) => onFilter(() => setStatus(e.target.value as typeof status))}>
              <option value="active">Active</option>
              <option value="inactive">Deactivated</option>
              <option value="all">Any</option>
            </select>
          )}
        </Field>
      </form>
      <p role="status" className="hint">
        {notice}
      </p>
      <Loaded data={data} fetching={fetching} error={error}>
        {(d) => (
          <>
            <p>
              {d.users.totalCount === 0
                ? 'No users of the organisations you administer match.'
                : `${d.users.totalCount === 1 ? '1 user' : `${d.users.totalCount} users`} ${text || organisationId || status !== 'active' ? 'match' : 'are active'}.`}
            </p>
            {d.users.totalCount > 0 && (
              <table className="list" data-testid="users">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Sign-in name</th>
                    <th scope="col">Organisation</th>
                    <th scope="col">Roles</th>
                    <th scope="col">Clearance</th>
                    <th scope="col">Status</th>
                    <th scope="col">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {d.users.edges.map(({ node }) => (
                    <UserLine key={node.id} user={node} onChanged={refresh} />
                  ))}
                </tbody>
              </table>
            )}
            <Pager pageInfo={d.users.pageInfo} total={d.users.totalCount} shown={d.users.edges.length} trail={trail} onMove={setTrail} />
          </>
        )}
      </Loaded>
    </>
  );
}

function UserLine({ user, onChanged }: { user: UserRow; onChanged: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <tr>
        <th scope="row">{user.displayName}</th>
        <td>{user.username}</td>
        <td>{user.organisation.name}</td>
        <td>{user.roles.map((r) => roleWords[r]).join(', ')}</td>
        <td>{clearanceWords[user.clearance]}</td>
        <td>{user.active ? 'Active' : 'Deactivated'}</td>
        <td>
          {user.active && (
            <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
              {open ? 'Close' : `Change ${user.displayName}`}
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={7}>
            <UserChanges
              user={user}
              onChanged={(message) => {
                setOpen(false);
                onChanged(message);
              }}
            />
          </td>
        </tr>
      )}
    </>
  );
}

/** Roles, clearance and deactivation of one user; each saved on its own, effective at once. */
function UserChanges({ user, onChanged }: { user: UserRow; onChanged: (message: string) => void }) {
  const viewer = useViewer();
  const [roles, setRoles] = useState<Role[]>([...user.roles]);
  const [clearance, setClearance] = useState<ProtectiveMarking>(user.clearance);
  const [confirmDeactivate, setConfirmDeactivate] = useState(false);
  const [rolesState, changeRoles] = useMutation(ChangeUserRolesDocument);
  const [clearanceState, changeClearance] = useMutation(ChangeUserClearanceDocument);
  const [deactivateState, deactivate] = useMutation(DeactivateUserDocument);
  const rolesErrors = formErrors(rolesState.error);
  const clearanceErrors = formErrors(clearanceState.error);
  const deactivateErrors = formErrors(deactivateState.error);
  const self = user.id === viewer.id;
  const choices = grantableClearances(viewer.clearance);

  const saveRoles = async () => {
    const result = await changeRoles({ input: { id: user.id, roles } });
    if (!result.error) onChanged(`${user.displayName}’s roles are changed.`);
  };
  const saveClearance = async () => {
    const result = await changeClearance({ input: { id: user.id, clearance } });
    if (!result.error) onChanged(`${user.displayName} is now cleared to ${clearanceWords[clearance]}.`);
  };
  const confirm = async () => {
    const result = await deactivate({ input: { id: user.id } });
    if (!result.error) onChanged(`${user.displayName} is deactivated and signed out.`);
  };

  return (
    <div className="decision" data-testid="user-changes">
      <h2>Change {user.displayName}</h2>
      <Checks legend="Roles" name={`roles-${user.id}`} options={allRoles} chosen={roles} onChange={setRoles} errors={messagesFor(rolesErrors, 'roles')} text={(r) => roleWords[r]} />
      <FormAlert messages={[...rolesErrors.general, ...unclaimedMessages(rolesErrors, ['roles'])]} />
      <div className="buttons">
        <button type="button" disabled={rolesState.fetching} onClick={() => void saveRoles()}>
          Save roles
        </button>
      </div>
      <Field label="Clearance" hint="The highest protective marking they may read; at most your own." errors={messagesFor(clearanceErrors, 'clearance')}>
        {(p) => (
          <select {...p} value={clearance} onChange={(e) => setClearance(e.target.value as ProtectiveMarking)}>
            {(choices.includes(user.clearance) ? choices : [...choices, user.clearance]).map((m) => (
              <option key={m} value={m}>
                {clearanceWords[m]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormAlert messages={[...clearanceErrors.general, ...unclaimedMessages(clearanceErrors, ['clearance'])]} />
      <div className="buttons">
        <button type="button" disabled={clearanceState.fetching} onClick={() => void saveClearance()}>
          Save clearance
        </button>
      </div>
      {!self && (
        <>
          <h3>Deactivate</h3>
          {confirmDeactivate ? (
            <>
              <p>
                Deactivate {user.displayName}? They are signed out at once, everywhere, and cannot sign in again until an administrator reactivates the account.
              </p>
              <FormAlert messages={[...deactivateErrors.general, ...Object.values(deactivateErrors.fields).flat()]} />
              <div className="buttons">
                <button type="button" disabled={deactivateState.fetching} onClick={() => void confirm()}>
                  Deactivate {user.displayName}
                </button>
                <button type="button" onClick={() => setConfirmDeactivate(false)}>
                  Keep the account
                </button>
              </div>
            </>
          ) : (
            <div className="buttons">
              <button type="button" onClick={() => setConfirmDeactivate(true)}>
                Deactivate…
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}

const FIELDS = ['username', 'displayName', 'organisationId', 'roles', 'clearance'];

function NewUser({ onCreated }: { onCreated: (name: string) => void }) {
  const viewer = useViewer();
  const organisations = useAdministeredOrganisations();
  const [form, setForm] = useState({ username: '', displayName: '', organisationId: viewer.organisation.id, roles: [] as Role[], clearance: 'OFFICIAL' as ProtectiveMarking });
  const [state, create] = useMutation(CreateUserDocument);
  const errors = formErrors(state.error);
  const set = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create({ input: form });
    if (result.data?.createUser) onCreated(result.data.createUser.displayName);
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="new-user" className="decision" noValidate>
      <h2 id="new-user">Add a user</h2>
      <Field label="Full name" errors={messagesFor(errors, 'displayName')}>
        {(p) => <input {...p} value={form.displayName} onChange={(e) => set({ displayName: e.target.value })} />}
      </Field>
      <Field label="Sign-in name" hint="As their organisation’s sign-in knows them, e.g. tvp.jsmith: lower case letters, digits and dots." errors={messagesFor(errors, 'username')}>
        {(p) => <input {...p} value={form.username} autoComplete="off" onChange={(e) => set({ username: e.target.value })} />}
      </Field>
      <Field label="Organisation" errors={messagesFor(errors, 'organisationId')}>
        {(p) => (
          <select {...p} value={form.organisationId} onChange={(e) => set({ organisationId: e.target.value })}>
            {organisations.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Checks legend="Roles" name="new-user-roles" options={allRoles} chosen={form.roles} onChange={(roles) => set({ roles })} errors={messagesFor(errors, 'roles')} text={(r) => roleWords[r]} />
      <Field label="Clearance" hint="The highest protective marking they may read; at most your own." errors={messagesFor(errors, 'clearance')}>
        {(p) => (
          <select {...p} value={form.clearance} onChange={(e) => set({ clearance: e.target.value as ProtectiveMarking })}>
            {grantableClearances(viewer.clearance).map((m) => (
              <option key={m} value={m}>
                {clearanceWords[m]}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, FIELDS)]} />
      <div className="buttons">
        <button type="submit" disabled={state.fetching}>
          Add user
        </button>
      </div>
    </form>
  );
}
