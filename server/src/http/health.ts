import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';
import { pendingMigrations } from '../db/orm';

/** Where the instance is in its life; readiness follows it so a load balancer stops sending work. */
export interface Lifecycle {
  state: 'starting' | 'ready' | 'stopping';
}

/**
 * `/healthz`: the process is up. `/readyz`: ready for traffic, the database answers and every
 * migration is applied (503 with the reason otherwise).
 */
export function healthRouter(orm: MikroORM, lifecycle: Lifecycle): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/readyz', async (_req, res) => {
    if (lifecycle.state !== 'ready') return void res.status(503).json({ status: lifecycle.state });
    try {
      await orm.em.getConnection().execute('select 1');
      const pending = await pendingMigrations(orm);
      if (pending.length) return void res.status(503).json({ status: 'migrations pending', pending });
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  return router;
}
