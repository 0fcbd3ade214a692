/**
 * `npm run apikey -- <command>`: API keys for service accounts (reporting scripts).
 *
 *   create --org SEROCU --name "quarterly returns" [--expires YYYY-MM-DD]   prints the key, once
 *   list [--org CODE]                                                       every key, never the secret
 *   revoke <id>                                                             refused from the next request
 *
 * Works on DATABASE_URL, or on the embedded database under DATA_DIR: the running one if
 * `npm start` is up (it is never stopped from here), else one started for the command.
 */
import 'reflect-metadata';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ApiKeyInputError, createApiKey, listApiKeys, revokeApiKey, type ApiKeyListing } from '../src/auth/api-keys';
import { loadConfig } from '../src/config';
import { migrate, openOrm } from '../src/db/orm';
import { scriptDatabase } from './script-database';

const USAGE = `usage:
  npm run apikey -- create --org CODE --name "what it is for" [--expires YYYY-MM-DD]
  npm run apikey -- list [--org CODE]
  npm run apikey -- revoke <id>`;

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

function date(d: Date | null): string {
  return d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-';
}

function printList(keys: ApiKeyListing[]): void {
  if (!keys.length) return console.log('no API keys');
  const rows = [
    ['id', 'org', 'name', 'state', 'created', 'expires', 'last used', 'service account'],
    ...keys.map((k) => [k.id, k.organisation, k.name, k.state, date(k.createdAt), date(k.expiresAt), date(k.lastUsedAt), k.username]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd());
}

void (async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { org: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) fail(USAGE, values.help ? 0 : 2);
  if (!['create', 'list', 'revoke'].includes(command)) fail(`unknown command "${command}"\n${USAGE}`);
  if (command === 'create' && (!values.org || !values.name)) fail(`create needs --org and --name\n${USAGE}`);
  if (command === 'revoke' && rest.length !== 1) fail(`revoke needs the key's id (see list)\n${USAGE}`);

  const config = loadConfig();
  const database = await scriptDatabase(config);
  const orm = await openOrm({ databaseUrl: database.url, poolMax: 2 });
  try {
    await migrate(orm);
    const knex = orm.em.getConnection().getKnex();
    if (command === 'create') {
      const created = await createApiKey(knex, {
        organisationCode: values.org!,
        name: values.name!,
        expiresOn: values.expires,
        createdBy: os.userInfo().username,
      });
      console.error(
        `Created API key ${created.id} for ${values.org!.toUpperCase()} ("${values.name}"), acting as ${created.username} ` +
          `(${created.role}, cleared to ${created.clearance})${created.expiresAt ? `, expiring ${created.expiresAt.toISOString()}` : ''}.\n` +
          'It is shown once, now; only its hash is kept. Send it as "Authorization: Bearer <key>", or set SOC_API_KEY for npm run report.',
      );
      console.log(created.key);
    } else if (command === 'list') {
      printList(await listApiKeys(knex, values.org));
    } else {
      if (!(await revokeApiKey(knex, rest[0]))) throw new ApiKeyInputError(`no API key has the id "${rest[0]}"`);
      console.log(`revoked ${rest[0]}`);
    }
  } catch (err) {
    if (!(err instanceof ApiKeyInputError)) throw err;
    console.error(err.message);
    process.exitCode = 2;
  } finally {
    // Closed before exiting, so that an embedded database started here is stopped.
    await orm.close(true);
    await database.release();
  }
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
