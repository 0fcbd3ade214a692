import type { EntityManager } from '@mikro-orm/postgresql';
import { Organisation } from '../../modules/identity/organisation.entity';
import { User } from '../../modules/identity/user.entity';
import { demoOrganisations, demoUsers } from './demo-identity';

/** True when the database holds no organisations yet, i.e. nothing has been loaded. */
export async function isEmpty(em: EntityManager): Promise<boolean> {
  return (await em.count(Organisation, {})) === 0;
}

/**
 * Loads the demo organisations and users (fictional people, real organisations). Safe to run
 * again: records that already exist, by code or username, are left as they are.
 * @returns how many records were added.
 */
export async function seedDemoData(em: EntityManager): Promise<{ organisations: number; users: number }> {
  return em.transactional(async (tx) => {
    const existing = new Map((await tx.find(Organisation, {})).map((o) => [o.code, o]));
    let organisations = 0;
    for (const o of demoOrganisations) {
      if (existing.has(o.code)) continue;
      existing.set(o.code, tx.create(Organisation, { ...o }));
      organisations++;
    }
    const known = new Set((await tx.find(User, {}, { fields: ['username'] })).map((u) => u.username));
    let users = 0;
    for (const { org, roles, ...u } of demoUsers) {
      if (known.has(u.username)) continue;
      tx.create(User, { ...u, roles: [...roles], active: true, organisation: existing.get(org)! });
      users++;
    }
    await tx.flush();
    return { organisations, users };
  });
}
