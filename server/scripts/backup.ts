/**
 * `npm run db:backup -- [--out FILE]` and `npm run db:restore -- FILE`: a whole SOC Hub database
 * (records, history, audit trail, API keys, live event log) to one gzipped file and back, on
 * DATABASE_URL or the embedded database under DATA_DIR (see server/src/db/backup.ts).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config';
import { backupDatabase, BackupError, restoreDatabase } from '../src/db/backup';
import { migrationsList } from '../src/db/migrations';
import { openOrm } from '../src/db/orm';
import { scriptDatabase } from './script-database';

const USAGE = `usage:
  npm run db:backup -- [--out FILE]     (default: DATA_DIR/backups/soc-hub-<time>.json.gz)
  npm run db:restore -- FILE            into an empty database only`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

/** Applies this code's migrations, up to `upTo` when given. */
async function migrateUpTo(url: string, upTo?: string): Promise<void> {
  const orm = await openOrm({ databaseUrl: url, poolMax: 2 });
  try {
    await orm.getMigrator().up(upTo ? { to: upTo } : undefined);
  } finally {
    await orm.close(true);
  }
}

void (async () => {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  const [command, file] = positionals;
  if (values.help) fail(USAGE, 0);
  if (command !== 'backup' && command !== 'restore') fail(USAGE);
  if (command === 'restore' && (!file || positionals.length !== 2)) fail(`restore needs the backup file\n${USAGE}`);

  const config = loadConfig();
  const database = await scriptDatabase(config);
  try {
    if (command === 'backup') {
      const out = values.out ?? path.join(config.dataDir, 'backups', `soc-hub-${new Date().toISOString().replace(/[:.]/g, '-')}.json.gz`);
      fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
      const manifest = await backupDatabase(database.url, out);
      const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
      console.error(`backed up ${rows.toLocaleString('en-GB')} rows of ${manifest.tables.length} tables (${manifest.migrations.length} migrations applied) to ${out}`);
      console.log(out);
    } else {
      const manifest = await restoreDatabase(database.url, file!, {
        migrate: (upTo) => migrateUpTo(database.url, upTo),
        knownMigrations: migrationsList.map((m) => m.name),
      });
      console.error(`restored ${file} (taken ${manifest.takenAt}): ${manifest.tables.reduce((n, t) => n + t.rows, 0).toLocaleString('en-GB')} rows`);
    }
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    console.error(`error: ${err.message}`);
    process.exitCode = 1;
  } finally {
    await database.release();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
