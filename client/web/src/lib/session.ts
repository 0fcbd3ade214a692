const TOKEN_KEY = 'soc-hub.token';

/**
 * The signed-in token lives in sessionStorage: it goes when the tab closes. Whichever way the user
 * signed in (a development token, or the ID token from the organisation's identity provider), it
 * is sent as the bearer token; when it expires the API answers UNAUTHENTICATED and the app returns
 * to the sign-in page with a notice (App.tsx).
 */
export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

export interface DemoUser {
  username: string;
  displayName: string;
  roles: string[];
  /** The purposes this user's roles allow them to state. */
  allowedPurposes: string[];
  organisation: { code: string; name: string };
}

/** The organisation's identity provider, as the server names it; endpoints come from its discovery document. */
export interface OidcSettings {
  issuer: string;
  clientId: string;
  scope: string;
}

/** How this server lets people sign in (GET /auth/config): either or both may be offered. */
export interface SignInMethods {
  development: { users: DemoUser[] } | null;
  oidc: OidcSettings | null;
}

/** Asks the server how to sign in. */
export async function signInMethods(): Promise<SignInMethods> {
  const response = await fetch('/auth/config');
  if (!response.ok) throw new Error('The server did not say how to sign in: reload the page to try again.');
  return response.json();
}

/** Development sign-in: a token for one of the demo users. */
export const devAuth = {
  async token(username: string): Promise<string> {
    const response = await fetch('/auth/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username }),
    });
    if (!response.ok) throw new Error('Sign-in failed');
    return (await response.json()).token;
  },
};
