import type { MikroORM } from '@mikro-orm/postgresql';
import express, { Router } from 'express';
import { signDevToken, type DevKeys } from '../auth/dev-keys';
import { User } from '../modules/identity/user.entity';

/**
 * Development sign-in, mounted only when development tokens are allowed (never in production
 * unless ALLOW_DEV_TOKENS=true is set for a demonstration):
 * `GET /auth/dev/users` lists the active users; `POST /auth/dev/token {username}` signs a token.
 */
export function devAuthRouter(orm: MikroORM, keys: DevKeys): Router {
  const router = Router();
  router.get('/users', async (_req, res) => void res.json(await demoUsers(orm)));
  router.post('/token', express.json({ limit: '2kb' }), async (req, res) => {
    const username = typeof req.body?.username === 'string' ? req.body.username : '';
    const user = username ? await orm.em.fork().findOne(User, { username, active: true }) : null;
    if (!user) return void res.status(404).json({ error: 'No active user with that username.' });
    res.json({ token: await signDevToken(keys, user.username) });
  });
  return router;
}

/** One user of the development sign-in's list. */
export interface DemoUser {
  username: string;
  displayName: string;
  roles: string[];
  /** The purposes their roles allow them to state (access/purpose-roles.ts), for the sign-in page to offer. */
  allowedPurposes: readonly string[];
  organisation: { code: string; name: string };
}

/** The active users, by username: whom the development sign-in offers. */
export async function demoUsers(orm: MikroORM): Promise<DemoUser[]> {
  const users = await orm.em.fork().find(User, { active: true }, { orderBy: { username: 'asc' } });
  return users.map((u) => ({
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
    allowedPurposes: u.allowedPurposes,
    organisation: { code: u.organisation.code, name: u.organisation.name },
  }));
}
