import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/src/db/embedded-postgres';
import { withDatabase } from './urls';

/** Shared with global-teardown.ts (same process). */
export const testRun: { embedded?: EmbeddedPostgres; tempDir?: string; adminUrl?: string; template?: string } = {};

/**
 * Starts (or finds) PostgreSQL for the run and builds a template database with every migration
 * applied; test files clone it (CREATE DATABASE ... TEMPLATE), which takes milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    testRun.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hub-test-'));
    testRun.embedded = await startEmbeddedPostgres({ baseDir: testRun.tempDir });
    adminUrl = testRun.embedded.url;
  }
  const template = `soc_hub_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  await admin.end();

  // Migrate in a child process running the compiled server (brought up to date first), so no
  // MikroORM or entity metadata is loaded here: when jest runs a single file in this same
  // process, metadata from this realm breaks MikroORM inside the test's sandbox.
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'server/tsconfig.json')], { stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(root, 'dist/server/scripts/migrate.js')], {
    env: { ...process.env, DATABASE_URL: withDatabase(adminUrl, template), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });

  testRun.adminUrl = adminUrl;
  testRun.template = template;
  // Workers start after global setup and inherit these.
  process.env.SOC_TEST_ADMIN_URL = adminUrl;
  process.env.SOC_TEST_TEMPLATE = template;
  process.env.SOC_TEST_EMBEDDED = testRun.embedded ? '1' : '0';
}
