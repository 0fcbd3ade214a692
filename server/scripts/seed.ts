/**
 * `npm run db:seed`: applies migrations and loads the demo data into DATABASE_URL (or the
 * embedded database under DATA_DIR). Records that already exist are left alone.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres';
import { migrate, openOrm } from '../src/db/orm';
import { seedDemoData } from '../src/db/seed';

void (async () => {
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ baseDir: config.dataDir });
  const orm = await openOrm({ databaseUrl: config.databaseUrl ?? embedded!.url, poolMax: 4 });
  try {
    await migrate(orm);
    const added = await seedDemoData(orm.em.fork());
    console.log(`demo data: added ${added.organisations} organisations and ${added.users} users`);
  } finally {
    await orm.close(true);
    await embedded?.stop();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
