import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

const TOKEN_KEY = 'soc-hub.token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string };
}

/** Runs a typed document against /graphql with the session's token. */
export async function request<TResult, TVariables>(
  document: TypedDocumentNode<TResult, TVariables>,
  variables?: TVariables,
): Promise<{ data?: TResult; errors?: GraphQLErrorShape[] }> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token() ?? ''}` },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return response.json();
}

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
