import { useEffect, useState } from 'react';
import { devAuth, session, type DemoUser } from '../../lib/session';

/** Development sign-in: a list of the demo users (all fictional). */
export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const [users, setUsers] = useState<DemoUser[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void devAuth.users().then(setUsers), []);

  const signIn = async (username: string) => {
    try {
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
      <p>Development sign-in: choose a demo user (all fictional).</p>
      {users === null && <p>Loading…</p>}
      {users?.length === 0 && <p>Development sign-in is not available on this server.</p>}
      <ul className="users">
        {users?.map((u) => (
          <li key={u.username}>
            <button type="button" onClick={() => signIn(u.username)}>
              {u.displayName} <small>{u.username} · {u.organisation.code} · {u.roles.join(', ')}</small>
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
