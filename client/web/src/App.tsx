import { useEffect, useState } from 'react';
import { devAuth, request, session, type DemoUser } from './api';
import { graphql } from './gql';
import type { ViewerQuery } from './gql/graphql';

const ViewerDocument = graphql(`
  query Viewer {
    viewer {
      username
      displayName
      roles
      clearance
      organisation {
        code
        name
      }
    }
  }
`);

/** The minimal client: development sign-in, then who you are. Issue 6 builds the real screens. */
export function App() {
  const [viewer, setViewer] = useState<ViewerQuery['viewer'] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const loadViewer = async () => {
    if (!session.token()) return setViewer(null);
    const { data, errors } = await request(ViewerDocument);
    if (errors?.length) {
      session.signOut();
      setError(errors[0].message);
    }
    setViewer(data?.viewer ?? null);
  };

  useEffect(() => void loadViewer(), []);

  if (!viewer) return <SignIn error={error} onSignedIn={loadViewer} />;
  return (
    <main>
      <h1>SOC Hub</h1>
      <p data-testid="signed-in">
        Signed in as <strong>{viewer.displayName}</strong> ({viewer.username}), {viewer.organisation.name}
      </p>
      <p>
        Roles: {viewer.roles.join(', ')}. Clearance: {viewer.clearance}.
      </p>
      <button
        type="button"
        onClick={() => {
          session.signOut();
          setViewer(null);
        }}
      >
        Sign out
      </button>
    </main>
  );
}

function SignIn({ error, onSignedIn }: { error: string | null; onSignedIn: () => void }) {
  const [users, setUsers] = useState<DemoUser[]>([]);
  useEffect(() => void devAuth.users().then(setUsers), []);
  return (
    <main>
      <h1>SOC Hub: sign in</h1>
      {error && <p role="alert">{error}</p>}
      <p>Development sign-in: choose a demo user (all fictional).</p>
      <ul className="users">
        {users.map((u) => (
          <li key={u.username}>
            <button
              type="button"
              onClick={async () => {
                session.signIn(await devAuth.token(u.username));
                onSignedIn();
              }}
            >
              {u.displayName} <small>{u.username} · {u.organisation.code} · {u.roles.join(', ')}</small>
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}
