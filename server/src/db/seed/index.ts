import type { EntityManager } from '@mikro-orm/postgresql';
import { Organisation } from '../../modules/identity/organisation.entity';
import { User } from '../../modules/identity/user.entity';
import { demoOrganisations, demoUsers } from './demo-identity';
import { DEMO_SIZES, generateDemoWorld, type DemoSize, type GeneratorStep } from './demo/generate';
import { generateAgreements } from './demo/agreements';
import { generateDisruptions } from './demo/disruptions';
import { generatePlans } from './demo/plans';
import { generatePractice } from './demo/practice';
import { generateReferrals } from './demo/referrals';
import { generateIntelligence } from './demo/intelligence';
import { generateDeconfliction, generateDerivedIdentifiers } from './demo/deconfliction';
import { generateAnalyticalRequests } from './demo/analytical-requests';
import { generateRetentionReviews, generateRetentionReviewsOfThreatsAndReferrals } from './demo/retention';

/** Generators that run after threats, assessments and people exist, in order. */
const domainSteps: GeneratorStep[] = [generateAgreements, generatePlans, generateDisruptions, generateReferrals, generatePractice, generateIntelligence, generateDeconfliction, generateAnalyticalRequests, generateRetentionReviews, generateRetentionReviewsOfThreatsAndReferrals, generateDerivedIdentifiers];

/** True when the database holds no organisations yet, i.e. nothing has been loaded. */
export async function isEmpty(em: EntityManager): Promise<boolean> {
  return (await em.count(Organisation, {})) === 0;
}

/**
 * Loads the demo data: the region's organisations and fictional users, then (when the database
 * holds no threats yet) a generated world of threats, assessments, people, plans, disruptions,
 * referrals and practice of the given size. Safe to run again: existing records are kept.
 */
export async function seedDemoData(em: EntityManager, size: DemoSize = DEMO_SIZES.demo): Promise<{ organisations: number; users: number; threats: number }> {
  const identity = await seedIdentity(em);
  const knex = em.getConnection().getKnex();
  const [{ count }] = await knex('soc_threat').count({ count: '*' });
  if (Number(count) > 0) return { ...identity, threats: 0 };
  const world = await knex.transaction((trx) => generateDemoWorld(trx, size, domainSteps));
  return { ...identity, threats: world.threats.length };
}

/** Organisations by code and users by username; those that exist are left as they are. */
export async function seedIdentity(em: EntityManager): Promise<{ organisations: number; users: number }> {
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
