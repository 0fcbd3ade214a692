import type { MikroORM } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';
import type { Config } from '../config';
import { demoUsers, type DemoUser } from './dev-auth';

/**
 * How the web client may sign in, as `GET /auth/config` answers it (unauthenticated: it is read
 * before anyone has signed in). Either or both may be on: `development` when development tokens
 * are allowed (the demo users to pick from, then `POST /auth/dev/token`), `oidc` when the web
 * client is registered at the organisation's identity provider (the client then discovers the
 * provider's endpoints from `<issuer>/.well-known/openid-configuration` and signs in with the
 * authorization code flow and PKCE, returning to `/sign-in/callback`).
 */
export interface SignInMethods {
  development: { users: DemoUser[] } | null;
  oidc: { issuer: string; clientId: string; scope: string } | null;
}

export function authConfigHandler(config: Config, orm: MikroORM): RequestHandler {
  const oidc = config.oidcIssuer && config.oidcClientId ? { issuer: config.oidcIssuer, clientId: config.oidcClientId, scope: config.oidcScope } : null;
  return async (_req, res, next) => {
    try {
      const methods: SignInMethods = { development: config.allowDevTokens ? { users: await demoUsers(orm) } : null, oidc };
      // The demo users change when the database does; the identity provider is fixed at start.
      res.set('cache-control', 'no-store').json(methods);
    } catch (err) {
      next(err);
    }
  };
}
