/**
 * `npm run report -- <name> [options]`: runs a report (client/reports/<name>.graphql, or any
 * .graphql file by path) against a SOC Hub server and prints it or writes it to a file.
 * `npm run report -- list` lists the reports. See client/reports/README.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../src/config';
import { listReports, loadReport } from './documents';
import { FORMATS, type Format } from './output';
import { runReport } from './run';

const USAGE = `usage: npm run report -- <name | file.graphql> [options]
       npm run report -- list

  --from YYYY-MM-DD     start of the period (for reports with $from)
  --to YYYY-MM-DD       end of the period (for reports with $to)
  --org CODE            one organisation, e.g. TVP (for reports with $org, $orgId or $orgIds)
  --format FORMAT       table (default on a terminal), csv (default otherwise) or json
  --out FILE            write to FILE instead of standard output (a CSV report of several
                        tables writes one file per table: FILE's name with the table's before .csv)
  --section NAME        only this table of a report of several
  --url URL             the server (default SOC_HUB_URL, else http://localhost:$PORT, port 4000)
  --key KEY             the API key (default SOC_API_KEY; npm run apikey -- create makes one)
  --var NAME=VALUE      any other variable the report declares (JSON values allowed); repeatable
  --page-size N         rows per request when paging (1-100, default 100)`;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseVars(pairs: string[]): Record<string, unknown> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 1) usageError(`--var ${pair}: expected NAME=VALUE`);
      const raw = pair.slice(eq + 1);
      let value: unknown = raw;
      try {
        value = JSON.parse(raw);
      } catch {
        // not JSON: a plain string
      }
      return [pair.slice(0, eq), value];
    }),
  );
}

/** The default server: the local one, on the port `npm start` uses (config.ts: PORT, default 4000). */
function defaultUrl(): string {
  return process.env.SOC_HUB_URL || `http://localhost:${loadConfig().port}`;
}

/**
 * Progress on stderr, only for a person watching a terminal (a pipe or a log gets none), and
 * not when the report itself is being printed on that terminal.
 */
function progressReporter(name: string, toFile: boolean): ((rows: number, total: number | undefined) => void) | undefined {
  if (!process.stderr.isTTY || (!toFile && process.stdout.isTTY)) return undefined;
  return (rows, total) => {
    const of = total !== undefined ? ` of ${total.toLocaleString('en-GB')}` : '';
    process.stderr.write(`\r${name}: ${rows.toLocaleString('en-GB')}${of} rows`);
  };
}

/** A file written under a temporary name and renamed when complete: a failed run leaves no half-written report. */
interface AtomicFile {
  stream: Writable;
  commit(): Promise<void>;
  abort(): void;
}

function atomicFile(file: string): AtomicFile {
  const partial = `${file}.part`;
  const stream = fs.createWriteStream(partial);
  return {
    stream,
    async commit() {
      stream.end();
      await new Promise<void>((resolve, reject) => stream.once('finish', () => resolve()).once('error', reject));
      fs.renameSync(partial, file);
    },
    abort() {
      stream.destroy();
      fs.rmSync(partial, { force: true });
    },
  };
}

/** tvp.csv and the table referralStats.rows: tvp.referralStats.rows.csv. */
function sectionFileName(file: string, title: string): string {
  const ext = path.extname(file);
  return `${file.slice(0, file.length - ext.length)}.${title}${ext || '.csv'}`;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        org: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        section: { type: 'string' },
        url: { type: 'string' },
        key: { type: 'string' },
        var: { type: 'string', multiple: true },
        'page-size': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    usageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) return void console.log(USAGE);
  if (positionals.length !== 1) usageError(positionals.length ? 'name one report' : 'which report?');
  if (positionals[0] === 'list') {
    for (const r of listReports()) console.log(`${r.name.padEnd(32)} ${r.description}`);
    return;
  }
  for (const flag of ['from', 'to'] as const) {
    if (values[flag] !== undefined && !DATE.test(values[flag]!)) usageError(`--${flag}: "${values[flag]}" is not a date (YYYY-MM-DD)`);
  }
  const format = (values.format ?? (process.stdout.isTTY && !values.out ? 'table' : 'csv')) as Format;
  if (!FORMATS.includes(format)) usageError(`--format: one of ${FORMATS.join(', ')}`);
  const pageSize = values['page-size'] === undefined ? 100 : Number(values['page-size']);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) usageError('--page-size: a whole number from 1 to 100');
  const credential = values.key ?? process.env.SOC_API_KEY;
  if (!credential) usageError('no API key: pass --key or set SOC_API_KEY (npm run apikey -- create --org CODE --name "...")');

  const report = loadReport(positionals[0]);
  const files: AtomicFile[] = [];
  const openFile = (file: string) => {
    const opened = atomicFile(file);
    files.push(opened);
    return opened.stream;
  };
  // CSV holds one table: a report of several written to --out goes to a file per table.
  const filePerSection = format === 'csv' && report.rowsPaths.length > 1 && values.section === undefined && !!values.out;
  const out: Writable = values.out && !filePerSection ? openFile(values.out) : process.stdout;
  const onProgress = progressReporter(report.name, !!values.out);
  const started = Date.now();
  let rows: number;
  try {
    rows = await runReport(report, {
      url: values.url ?? defaultUrl(),
      credential,
      from: values.from,
      to: values.to,
      org: values.org,
      vars: parseVars(values.var ?? []),
      format,
      out,
      section: values.section,
      openSectionFile: filePerSection ? (title) => openFile(sectionFileName(values.out!, title)) : undefined,
      pageSize,
      onProgress,
    });
  } catch (err) {
    files.forEach((f) => f.abort());
    throw err;
  }
  for (const f of files) await f.commit();
  if (onProgress) process.stderr.write('\n');
  if (values.out || onProgress) {
    process.stderr.write(`${report.name}: ${rows.toLocaleString('en-GB')} rows${values.out ? ` written to ${values.out}` : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? `error: ${err.message}` : err);
  process.exit(1);
});
