import fs from 'node:fs';
import pg from 'pg';
import { testRun } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  if (testRun.adminUrl && testRun.template) {
    const admin = new pg.Client({ connectionString: testRun.adminUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${testRun.template}`);
    await admin.end();
  }
  await testRun.embedded?.stop();
  if (testRun.tempDir) fs.rmSync(testRun.tempDir, { recursive: true, force: true });
}
