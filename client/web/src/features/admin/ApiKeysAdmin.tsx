import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { ApiKeyState, ApiKeysAdminQuery } from '../../gql/graphql';
import { formErrors, messagesFor, unclaimedMessages } from '../../lib/errors';
import { Field, FormAlert, formatDate, formatDateTime, Loaded } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { clearanceWords, roleWords, useAdministeredOrganisations } from './administered';

const ApiKeysAdminDocument = graphql(`
  query ApiKeysAdmin {
    apiKeys {
      id
      name
      state
      role
      clearance
      createdAt
      createdBy
      expiresAt
      revokedAt
      lastUsedAt
      organisation {
        id
        name
      }
    }
  }
`);

const CreateApiKeyDocument = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      key
      apiKey {
        id
        name
      }
    }
  }
`);

const RevokeApiKeyDocument = graphql(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      id
      state
      revokedAt
    }
  }
`);

type KeyRow = ApiKeysAdminQuery['apiKeys'][number];
const stateWords: Record<ApiKeyState, string> = { ACTIVE: 'In use', REVOKED: 'Revoked', EXPIRED: 'Expired' };

/**
 * API keys (administrators): the keys reporting scripts use, with who made them, when they expire
 * and when they were last used; a new key is shown once; a key is revoked at once.
 */
export function ApiKeysAdmin() {
  const viewer = useViewer();
  if (!viewer.roles.includes('ADMIN')) {
    return (
      <>
        <h1>API keys</h1>
        <p>Only administrators can manage API keys.</p>
      </>
    );
  }
  return <KeysScreen />;
}

function KeysScreen() {
  const [{ data, fetching, error }, reload] = useQuery({ query: ApiKeysAdminDocument, requestPolicy: 'cache-and-network' });
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = (message: string | null) => {
    setNotice(message);
    reload({ requestPolicy: 'network-only' });
  };
  return (
    <>
      <h1>API keys</h1>
      <p>
        Reporting scripts read with an API key: read-only, for reporting only, as a service account of one organisation, and every use is on the audit
        trail.
      </p>
      {created ? (
        <section className="decision" aria-labelledby="new-key" data-testid="new-key">
          <h2 id="new-key">Copy the key for “{created.name}” now</h2>
          <p>It is shown this once: only a fingerprint of it is kept, so it cannot be shown again. If it is lost, revoke it and make another.</p>
          <Field label="The new key">{(p) => <input {...p} readOnly value={created.key} className="secret" onFocus={(e) => e.target.select()} />}</Field>
          <div className="buttons">
            <button type="button" onClick={() => setCreated(null)}>
              I have copied it
            </button>
          </div>
        </section>
      ) : (
        <NewKey
          onCreated={(name, key) => {
            setCreated({ name, key });
            refresh(null);
          }}
        />
      )}
      <p role="status" className="hint">
        {notice}
      </p>
      <h2>Keys</h2>
      <Loaded data={data} fetching={fetching} error={error}>
        {(d) =>
          d.apiKeys.length === 0 ? (
            <p>There are no API keys for the organisations you administer.</p>
          ) : (
            <table className="list" data-testid="api-keys">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Organisation</th>
                  <th scope="col">Status</th>
                  <th scope="col">Reads as</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Revoke</th>
                </tr>
              </thead>
              <tbody>
                {d.apiKeys.map((k) => (
                  <KeyLine key={k.id} apiKey={k} onRevoked={() => refresh(`“${k.name}” is revoked: it no longer works.`)} />
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </>
  );
}

function KeyLine({ apiKey: k, onRevoked }: { apiKey: KeyRow; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [state, revoke] = useMutation(RevokeApiKeyDocument);
  const confirm = async () => {
    const result = await revoke({ input: { id: k.id } });
    if (!result.error) onRevoked();
  };
  return (
    <tr>
      <th scope="row">{k.name}</th>
      <td>{k.organisation.name}</td>
      <td>{k.state === 'REVOKED' && k.revokedAt ? `Revoked ${formatDateTime(k.revokedAt)}` : stateWords[k.state]}</td>
      <td>
        {roleWords[k.role]}, cleared to {clearanceWords[k.clearance]}
      </td>
      <td>
        {formatDate(k.createdAt)}
        {k.createdBy ? ` by ${k.createdBy}` : ''}
      </td>
      <td>{k.expiresAt ? formatDate(k.expiresAt) : 'Never'}</td>
      <td>{k.lastUsedAt ? formatDateTime(k.lastUsedAt) : 'Never used'}</td>
      <td>
        {k.state === 'ACTIVE' &&
          (confirming ? (
            <>
              <button type="button" disabled={state.fetching} onClick={() => void confirm()}>
                Revoke “{k.name}” now
              </button>{' '}
              <button type="button" onClick={() => setConfirming(false)}>
                Keep it
              </button>
              {state.error && (
                <p role="alert" className="error">
                  {formErrors(state.error).general.join(' ')}
                </p>
              )}
            </>
          ) : (
            <button type="button" onClick={() => setConfirming(true)} aria-label={`Revoke “${k.name}”`}>
              Revoke…
            </button>
          ))}
      </td>
    </tr>
  );
}

const FIELDS = ['name', 'organisationId', 'expiresOn'];

function NewKey({ onCreated }: { onCreated: (name: string, key: string) => void }) {
  const viewer = useViewer();
  const organisations = useAdministeredOrganisations();
  const [form, setForm] = useState({ name: '', organisationId: viewer.organisation.id, expiresOn: '' });
  const [state, create] = useMutation(CreateApiKeyDocument);
  const errors = formErrors(state.error);
  const set = (changes: Partial<typeof form>) => setForm({ ...form, ...changes });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await create({ input: { name: form.name, organisationId: form.organisationId, expiresOn: form.expiresOn || null } });
    if (result.data?.createApiKey) {
      onCreated(result.data.createApiKey.apiKey.name, result.data.createApiKey.key);
      setForm({ name: '', organisationId: viewer.organisation.id, expiresOn: '' });
    }
  };
  return (
    <form onSubmit={(e) => void submit(e)} aria-labelledby="create-key" noValidate>
      <h2 id="create-key">Make a key</h2>
      <Field label="What it is for" hint="For example: quarterly disruption returns." errors={messagesFor(errors, 'name')}>
        {(p) => <input {...p} value={form.name} onChange={(e) => set({ name: e.target.value })} />}
      </Field>
      <Field label="Organisation" hint="The key reads what this organisation may read." errors={messagesFor(errors, 'organisationId')}>
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
      <Field label="Expires on (optional)" hint="It stops working at the start of this day. Leave empty for no expiry." errors={messagesFor(errors, 'expiresOn')}>
        {(p) => <input {...p} type="date" value={form.expiresOn} onChange={(e) => set({ expiresOn: e.target.value })} />}
      </Field>
      <FormAlert messages={[...errors.general, ...unclaimedMessages(errors, FIELDS)]} />
      <div className="buttons">
        <button type="submit" disabled={state.fetching}>
          Make the key
        </button>
      </div>
    </form>
  );
}
