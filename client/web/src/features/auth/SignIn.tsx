import { useEffect, useState } from 'react';
import { PURPOSES, purpose, purposeLabel, type Purpose } from '../../lib/client';
import { devAuth, session, signInMethods, type DemoUser, type OidcSettings, type SignInMethods } from '../../lib/session';
import { beginOidcSignIn, completeOidcSignIn, isOidcCallback } from './oidc';

/**
 * Signed out: the sign-in page, or, when the organisation's identity provider has just sent the
 * browser back (OIDC), the completion of that sign-in. A failed completion shows the sign-in page
 * with what went wrong.
 */
export function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const [completing, setCompleting] = useState(isOidcCallback);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    if (!completing) return;
    let current = true;
    completeOidcSignIn().then(
      ({ token, purpose: stated }) => {
        purpose.set(stated);
        session.signIn(token);
        if (current) onSignedIn();
      },
      (e: unknown) => {
        if (!current) return;
        setFailure((e as Error).message);
        setCompleting(false);
      },
    );
    return () => {
      current = false;
    };
  }, [completing, onSignedIn]);

  if (completing) {
    return (
      <main className="sign-in" aria-busy="true">
        <h1>SOC Hub: signing in…</h1>
      </main>
    );
  }
  return <SignInPage notice={failure ?? notice} onSignedIn={onSignedIn} />;
}

/** Asks for the purpose first, then offers the ways this server lets people sign in. */
function SignInPage({ notice, onSignedIn }: { notice: string | null; onSignedIn: () => void }) {
  const [methods, setMethods] = useState<SignInMethods | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Chosen afresh at every sign-in: it is recorded with everything the session reads and changes.
  const [chosen, setChosen] = useState<Purpose | null>(null);
  useEffect(() => void signInMethods().then(setMethods, (e: Error) => setError(e.message)), []);
  useEffect(() => purpose.set(null), []);

  const signInAs = async (user: DemoUser) => {
    try {
      // A user whose roles allow no purpose signs in without one (their button says so).
      purpose.set(chosen && user.allowedPurposes.includes(chosen) ? chosen : null);
      const username = user.username;
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
      {methods === null && !error && <p>Loading…</p>}
      {methods?.oidc && <OrganisationSignIn settings={methods.oidc} chosen={chosen} onError={setError} />}
      {methods?.development && <DemoUsers users={methods.development.users} chosen={chosen} onChoose={signInAs} />}
      {methods && !methods.oidc && !methods.development && <p>No way to sign in is configured on this server: tell your administrator.</p>}
    </main>
  );
}

/** Production sign-in: off to the organisation's identity provider, and back to where the user was. */
function OrganisationSignIn({ settings, chosen, onError }: { settings: OidcSettings; chosen: Purpose | null; onError: (message: string) => void }) {
  const [leaving, setLeaving] = useState(false);
  const start = async () => {
    if (!chosen) return;
    setLeaving(true);
    try {
      await beginOidcSignIn(settings, chosen);
    } catch (e) {
      onError((e as Error).message);
      setLeaving(false);
    }
  };
  return (
    <p>
      <button type="button" disabled={!chosen || leaving} onClick={start}>
        Sign in with your organisation's account
      </button>
    </p>
  );
}

/** Why a demo user cannot sign in under the chosen purpose, or null when they can. */
function purposeProblem(user: DemoUser, chosen: Purpose | null): string | null {
  if (!user.allowedPurposes.length) return null;
  if (!chosen) return null;
  if (user.allowedPurposes.includes(chosen)) return null;
  return `cannot work for ${purposeLabel(chosen).toLowerCase()}; may work for ${user.allowedPurposes.map((p) => purposeLabel(p).toLowerCase()).join(', ')}`;
}

/**
 * Development sign-in: a list of the demo users (all fictional). Each waits for a purpose their
 * roles allow; one whose roles allow none signs in without a purpose, and is told so.
 */
function DemoUsers({ users, chosen, onChoose }: { users: DemoUser[]; chosen: Purpose | null; onChoose: (user: DemoUser) => void }) {
  return (
    <>
      <p>Development sign-in: choose a demo user (all fictional).</p>
      {users.length === 0 && <p>There are no active users in the database.</p>}
      <ul className="users">
        {users.map((u) => (
          <li key={u.username}>
            <button type="button" disabled={u.allowedPurposes.length > 0 && (!chosen || !!purposeProblem(u, chosen))} onClick={() => onChoose(u)}>
              {u.displayName} <small>{u.username} · {u.organisation.code} · {u.roles.join(', ')}</small>
              {!u.allowedPurposes.length && <small> · their roles allow no purpose: signs in without one</small>}
              {purposeProblem(u, chosen) && <small> · {purposeProblem(u, chosen)}</small>}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
