/**
 * `npm run db:seed [-- --size bench]`: applies migrations and loads the demo data into DATABASE_URL
 * (or the embedded database under DATA_DIR). Records that already exist are left alone.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrate, openOrm } from '../src/db/orm';
import { seedDemoData } from '../src/db/seed';
import { DEMO_SIZES } from '../src/db/seed/demo/generate';

/** `--size demo` (default) or `--size bench` (the benchmark data set: 5,000 threats and more). */
function sizeArgument(): keyof typeof DEMO_SIZES {
  const i = process.argv.indexOf('--size');
  const value = i >= 0 ? process.argv[i + 1] : 'demo';
  if (value !== 'demo' && value !== 'bench') {
    console.error('usage: npm run db:seed -- [--size demo|bench]');
    process.exit(2);
  }
  return value;
}

void (async () => {
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ baseDir: config.dataDir });
  const orm = await openOrm({ databaseUrl: config.databaseUrl ?? embedded!.url, poolMax: 4 });
  try {
    await migrate(orm);
    const sizeName = sizeArgument();
    const started = Date.now();
    const added = await seedDemoData(orm.em.fork(), DEMO_SIZES[sizeName]);
    console.log(
      `demo data (${sizeName}): added ${added.organisations} organisations, ${added.users} users and ${added.threats} threats with their records in ${((Date.now() - started) / 1000).toFixed(1)} s` +
        (added.threats === 0 ? ' (the database already held threats, so none were generated)' : ''),
    );
  } finally {
    await orm.close(true);
    await embedded?.stop();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
