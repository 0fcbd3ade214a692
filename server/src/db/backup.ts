import { once } from 'node:events';
import fs from 'node:fs';
import readline from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import zlib from 'node:zlib';
import pg from 'pg';

/**
 * Logical backups of a SOC Hub database: every row of every table in `public`, with the applied
 * migrations and the sequences' positions, as gzipped JSON lines. Written by the server's own
 * driver rather than pg_dump because the embedded PostgreSQL package ships no pg_dump, and the
 * machine's pg_dump refuses a newer server than itself (embedded is 18, Debian's client 15).
 *
 * A restore goes into an empty database only: it applies the migrations the backup was taken
 * at (so the schema, the row-level security and the roles are this code's own), empties what
 * migrations seed, loads the rows exactly as they were with triggers off (so the audit chain's
 * hashes, history and live event numbers are the originals, not recomputed), sets the sequences,
 * then applies any newer migrations. Restoring needs a superuser connection, as migrating does.
 */

export const BACKUP_FORMAT = 'soc-hub-backup/1';
const ROWS_PER_FETCH = 2_000;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  takenAt: string;
  migrations: string[];
  tables: { name: string; rows: number }[];
  sequences: { name: string; value: string; called: boolean }[];
}

/** A restore the database cannot take (not empty, not a SOC Hub backup, from newer code). */
export class BackupError extends Error {}

const MIGRATIONS_TABLE = 'schema_migration';

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function publicTables(client: pg.Client): Promise<string[]> {
  const { rows } = await client.query(`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  return rows.map((r) => r.tablename as string);
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Writes one JSON line, waiting when the file is behind (memory stays flat for any size). */
async function writeLine(out: PassThrough, value: unknown): Promise<void> {
  if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
}

/**
 * Backs up the database at `url` into `file`, in one repeatable-read snapshot, so rows that
 * refer to each other (a record and its history, an audit event and its predecessor) agree.
 */
export async function backupDatabase(url: string, file: string): Promise<BackupManifest> {
  return withClient(url, async (client) => {
    await client.query('begin isolation level repeatable read read only');
    const tables = await publicTables(client);
    if (!tables.includes(MIGRATIONS_TABLE)) throw new BackupError('This database holds no SOC Hub schema: nothing to back up.');
    const migrations = (await client.query(`select name from ${MIGRATIONS_TABLE} order by id`)).rows.map((r) => r.name as string);
    const sequences = (
      await client.query(`select sequencename as name, coalesce(last_value, 1)::text as value, last_value is not null as called from pg_sequences where schemaname = 'public'`)
    ).rows;
    const counts = [];
    for (const name of tables) counts.push({ name, rows: (await client.query(`select count(*)::int as n from ${quoted(name)}`)).rows[0].n as number });
    const manifest: BackupManifest = { format: BACKUP_FORMAT, takenAt: new Date().toISOString(), migrations, tables: counts, sequences };

    const lines = new PassThrough();
    const written = pipeline(lines, zlib.createGzip(), fs.createWriteStream(`${file}.part`));
    await writeLine(lines, manifest);
    for (const { name } of counts) {
      await client.query(`declare rows_of cursor for select row_to_json(t)::text as r from ${quoted(name)} t`);
      for (;;) {
        const { rows } = await client.query(`fetch ${ROWS_PER_FETCH} from rows_of`);
        // The row's JSON text as PostgreSQL wrote it, never parsed: JavaScript numbers would
        // round jsonb's numerics and big integers.
        for (const row of rows) if (!lines.write(`${name}\t${row.r}\n`)) await once(lines, 'drain');
        if (rows.length < ROWS_PER_FETCH) break;
      }
      await client.query('close rows_of');
    }
    lines.end();
    await written;
    await client.query('commit');
    // Renamed only when whole: a failed backup never looks like a good one.
    fs.renameSync(`${file}.part`, file);
    return manifest;
  });
}

/**
 * Reads a backup: its manifest (a JSON line) first, then its rows as [table, row's JSON text]
 * (a line `table<TAB>json`).
 */
async function* readBackup(file: string): AsyncGenerator<BackupManifest | [string, string]> {
  const lines = readline.createInterface({ input: fs.createReadStream(file).pipe(zlib.createGunzip()), crlfDelay: Infinity });
  let first = true;
  for await (const line of lines) {
    if (!line) continue;
    if (first) {
      let manifest: BackupManifest | undefined;
      try {
        manifest = JSON.parse(line);
      } catch {
        // not JSON: not a backup
      }
      if (manifest?.format !== BACKUP_FORMAT) throw new BackupError(`${file} is not a SOC Hub backup.`);
      first = false;
      yield manifest;
      continue;
    }
    const tab = line.indexOf('\t');
    yield [line.slice(0, tab), line.slice(tab + 1)];
  }
}

export interface RestoreSteps {
  /** Applies this code's migrations up to and including `upTo` (all of them when undefined). */
  migrate(upTo?: string): Promise<void>;
  /** This code's migrations, oldest first. */
  knownMigrations: readonly string[];
}

/** The columns a restore writes: all but generated ones, which PostgreSQL computes again. */
async function writableColumns(client: pg.Client, table: string): Promise<string> {
  const { rows } = await client.query(
    `select attname from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`,
    [quoted(table)],
  );
  return rows.map((r) => quoted(r.attname)).join(', ');
}

/**
 * Inserts a batch of one table's rows exactly as they were: json_populate_recordset keeps every
 * type, and identity columns keep their numbers (OVERRIDING SYSTEM VALUE).
 */
async function insertRows(client: pg.Client, table: string, rows: string[], columns: string): Promise<void> {
  if (!rows.length) return;
  await client.query(
    `insert into ${quoted(table)} (${columns}) overriding system value select ${columns} from json_populate_recordset(null::${quoted(table)}, $1::json)`,
    [`[${rows.join(',')}]`],
  );
}

/**
 * Restores `file` into the empty database at `url`. Refuses a database that holds any table, and
 * a backup taken by code with migrations this code does not have.
 */
export async function restoreDatabase(url: string, file: string, steps: RestoreSteps): Promise<BackupManifest> {
  const backup = readBackup(file);
  const head = await backup.next();
  if (head.done) throw new BackupError(`${file} is empty.`);
  const manifest = head.value as BackupManifest;
  const unknown = manifest.migrations.filter((m) => !steps.knownMigrations.includes(m));
  if (unknown.length) throw new BackupError(`The backup was taken by a newer SOC Hub (migrations ${unknown.join(', ')}): restore it with that version.`);

  await withClient(url, async (client) => {
    const existing = await publicTables(client);
    if (existing.length) {
      throw new BackupError(`The database is not empty (it holds ${existing.length} tables, e.g. ${existing.slice(0, 3).join(', ')}): restore into a new, empty database.`);
    }
  });
  await steps.migrate(manifest.migrations.at(-1));

  await withClient(url, async (client) => {
    await client.query('begin');
    // Triggers off (history, audit chain, live events, foreign keys): the rows go in as they were.
    await client.query('set local session_replication_role = replica');
    const tables = manifest.tables.map((t) => t.name).filter((t) => t !== MIGRATIONS_TABLE);
    await client.query(`truncate ${tables.map(quoted).join(', ')}`);
    const columns = new Map<string, string>();
    for (const name of tables) columns.set(name, await writableColumns(client, name));
    let table = '';
    let batch: string[] = [];
    for await (const entry of backup) {
      const [name, row] = entry as [string, string];
      if (name === MIGRATIONS_TABLE) continue;
      if (!columns.has(name)) throw new BackupError(`The backup holds a table this schema does not have: ${name}.`);
      if (name !== table || batch.length >= ROWS_PER_FETCH) {
        if (table) await insertRows(client, table, batch, columns.get(table)!);
        [table, batch] = [name, []];
      }
      batch.push(row);
    }
    if (table) await insertRows(client, table, batch, columns.get(table)!);
    for (const s of manifest.sequences) await client.query('select setval($1::regclass, $2::bigint, $3)', [quoted(s.name), s.value, s.called]);
    await client.query('commit');
  });
  // Then anything this code adds since the backup was taken.
  await steps.migrate();
  return manifest;
}
