const TOKEN_KEY = 'soc-hub.token';

/** The signed-in token lives in sessionStorage: it goes when the tab closes. */
export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

export interface DemoUser {
  username: string;
  displayName: string;
  roles: string[];
  organisation: { code: string; name: string };
}

/** Development sign-in: the demo users, and a token for one of them. */
export const devAuth = {
  async users(): Promise<DemoUser[]> {
    const response = await fetch('/auth/dev/users');
    return response.ok ? response.json() : [];
  },
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
