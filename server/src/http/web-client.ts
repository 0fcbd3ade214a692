import express, { Router } from 'express';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../project-root';

/**
 * Serves the built web client (`npm run build:client` writes dist/client) at `/`, with
 * index.html for client-side routes. Without a build, a short page says how to make one.
 */
export function webClientRouter(): Router {
  const router = Router();
  const dir = path.join(projectRoot(), 'dist', 'client');
  const index = path.join(dir, 'index.html');
  router.use(express.static(dir, { index: false, maxAge: '1h' }));
  router.get(/^\/(?!graphql|auth|healthz|readyz).*/, (_req, res) => {
    if (fs.existsSync(index)) return void res.sendFile(index, { maxAge: 0 });
    res
      .type('html')
      .send('<!doctype html><title>SOC Hub</title><h1>SOC Hub</h1><p>The web client is not built: run <code>npm run build:client</code>. GraphQL is at <a href="/graphql">/graphql</a>.</p>');
  });
  return router;
}
