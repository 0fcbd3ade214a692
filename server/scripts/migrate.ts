/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, nothing else. */
import 'reflect-metadata';
import { loadConfig } from '../src/config';
import { migrate, openOrm } from '../src/db/orm';

void (async () => {
  const config = loadConfig();
  if (!config.databaseUrl) {
    console.error('DATABASE_URL is required (npm start migrates the embedded database by itself).');
    process.exit(2);
  }
  const orm = await openOrm({ databaseUrl: config.databaseUrl, poolMax: 3 });
  try {
    const applied = await migrate(orm);
    console.log(applied.length ? `applied ${applied.join(', ')}` : 'nothing to apply: the schema is current');
  } finally {
    await orm.close(true);
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
