import { useEffect, useState } from 'react';
import { PURPOSES, purpose, type Purpose } from '../../lib/client';
import { devAuth, session, type DemoUser } from '../../lib/session';

/** Development sign-in: a list of the demo users (all fictional). */
export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Chosen afresh at every sign-in: it is recorded with everything the session reads and changes.
  const [chosen, setChosen] = useState<Purpose | null>(null);
  useEffect(() => void devAuth.users().then(setUsers), []);
  useEffect(() => purpose.set(null), []);

  const signIn = async (username: string) => {
    try {
      purpose.set(chosen);
      session.signIn(await devAuth.token(username));
      onSignedIn();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <main className="sign-in">
      <h1>SOC Hub: sign in</h1>
      {(notice || error) && <p role="alert" className="error">{error ?? notice}</p>}
      <label className="purpose">
        Purpose of your work{' '}
        <select value={chosen ?? ''} onChange={(e) => setChosen((e.target.value || null) as Purpose | null)} required>
          <option value="">Choose a purpose…</option>
          {PURPOSES.map((p) => (
            <option key={p.value} value={p.value}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <p>It is recorded in the audit trail with what you read and change; sensitive records cannot be read without one.</p>
      <p>Development sign-in: choose a demo user (all fictional).</p>
      {users === null && <p>Loading…</p>}
      {users?.length === 0 && <p>Development sign-in is not available on this server.</p>}
      <ul className="users">
        {users?.map((u) => (
          <li key={u.username}>
            <button type="button" disabled={!chosen} onClick={() => signIn(u.username)}>
              {u.displayName} <small>{u.username} · {u.organisation.code} · {u.roles.join(', ')}</small>
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
