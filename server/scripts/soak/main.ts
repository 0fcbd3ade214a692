/**
 * `npm run soak -- --minutes N` (default 5): the soak of soak.ts on a database of its own, created
 * on the PostgreSQL server of DATABASE_URL (and dropped afterwards) or an embedded one in a
 * temporary folder. Prints progress, then the report as JSON.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded-postgres';
import { runSoak } from './soak';

function minutesArgument(): number {
  const i = process.argv.indexOf('--minutes');
  const minutes = i >= 0 ? Number(process.argv[i + 1]) : 5;
  if (!(minutes > 0)) throw new Error('--minutes must be a positive number');
  return minutes;
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

void (async () => {
  const minutes = minutesArgument();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hub-soak-'));
  let embedded: EmbeddedPostgres | undefined;
  let drop: (() => Promise<void>) | undefined;
  let databaseUrl: string;
  if (process.env.DATABASE_URL) {
    const name = `soc_hub_soak_${randomBytes(4).toString('hex')}`;
    await admin(process.env.DATABASE_URL, `create database ${name}`);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    drop = () => admin(process.env.DATABASE_URL!, `drop database if exists ${name} with (force)`);
  } else {
    embedded = await startEmbeddedPostgres({ baseDir: dataDir });
    databaseUrl = embedded.url;
  }
  try {
    console.log(`soak: ${minutes} minute(s), two instances, one restarted halfway`);
    const report = await runSoak({ databaseUrl, dataDir, minutes, log: (line) => console.log(line) });
    console.log(JSON.stringify(report, null, 2));
    const failed = report.events.lost + report.events.duplicated + report.events.transientDuplicated > 0 || Object.keys(report.errors).some((code) => code.startsWith('5'));
    process.exitCode = failed ? 1 : 0;
  } finally {
    await drop?.();
    await embedded?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
