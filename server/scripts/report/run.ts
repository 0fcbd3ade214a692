import type { Writable } from 'node:stream';
import { columnsOf, type Column, type ReportDocument } from './documents';
import { rowWriter, write, type Format } from './output';
import { cells, locateRows } from './rows';

/** What a report run needs besides its document. */
export interface RunOptions {
  /** Server base URL, e.g. http://localhost:4000. */
  url: string;
  /** An API key (`soc_…`) or a person's token: sent as `Authorization: Bearer …`. */
  credential: string;
  from?: string;
  to?: string;
  /** Organisation code. */
  org?: string;
  /** Other variables (`--var name=value`). */
  vars?: Record<string, unknown>;
  format: Format;
  out: Writable;
  /** One section of a report of several (`--section`), written as a plain table. */
  section?: string;
  /**
   * Opens a file of its own for a section of a report of several (`--out` with CSV, where one
   * file holds one table); without it such a report cannot be written as CSV whole.
   */
  openSectionFile?: (title: string) => Writable;
  /** Rows per request when paging (the API's maximum is 100). */
  pageSize?: number;
  /** Called after each page: rows so far, and the total when the query selects `totalCount`. */
  onProgress?: (rows: number, total: number | undefined) => void;
}

/** A refusal or error from the server, with its GraphQL error codes. */
export class ReportError extends Error {
  constructor(
    message: string,
    readonly codes: string[] = [],
  ) {
    super(message);
  }
}

interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

/** One POST to /graphql; errors (HTTP or GraphQL) become a ReportError naming their codes. */
async function request(
  options: RunOptions,
  report: { name: string; text: string; operationName?: string },
  variables: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(new URL('/graphql', options.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${options.credential}`,
        // What a key always reads for (the server sets it anyway); a person's token needs it stated.
        'x-purpose': 'REPORTING',
      },
      body: JSON.stringify({ query: report.text, variables, operationName: report.operationName }),
    });
  } catch (err) {
    throw new ReportError(`cannot reach ${options.url}: ${(err as Error).cause ?? (err as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as GraphQLResult;
  if (body.errors?.length) {
    const codes = [...new Set(body.errors.map((e) => e.extensions?.code ?? 'ERROR'))];
    const lines = body.errors.map((e) => `  ${e.extensions?.code ?? 'ERROR'}${e.path ? ` at ${e.path.join('.')}` : ''}: ${e.message}`);
    throw new ReportError(`the server refused report "${report.name}" (HTTP ${response.status}):\n${lines.join('\n')}`, codes);
  }
  if (!response.ok || !body.data) throw new ReportError(`the server answered HTTP ${response.status} with no data`);
  return body.data;
}

/** `--org CODE` as an organisation's global ID, for reports that filter by `$orgId` / `$orgIds`. */
async function organisationId(options: RunOptions, code: string): Promise<string> {
  const lookup = { name: 'organisations', text: 'query ReportOrganisations { organisations(first: 100) { edges { node { id code } } } }' };
  const data = (await request(options, lookup, {})) as { organisations: { edges: { node: { id: string; code: string } }[] } };
  const found = data.organisations.edges.find((e) => e.node.code === code.toUpperCase());
  if (!found) throw new ReportError(`--org: no organisation has the code "${code}"`);
  return found.node.id;
}

/** The variables the report declares, filled from the options; a required one missing is an error. */
async function variablesFor(report: ReportDocument, options: RunOptions): Promise<Record<string, unknown>> {
  const v: Record<string, unknown> = {};
  const declared = (name: string) => report.variables.has(name);
  if (declared('from') && options.from) v.from = options.from;
  if (declared('to') && options.to) v.to = options.to;
  if (options.org) {
    if (declared('org')) v.org = options.org.toUpperCase();
    if (declared('orgId') || declared('orgIds')) {
      const id = await organisationId(options, options.org);
      if (declared('orgId')) v.orgId = id;
      if (declared('orgIds')) v.orgIds = [id];
    }
    if (!['org', 'orgId', 'orgIds'].some(declared)) throw new ReportError(`--org: report "${report.name}" has no $org, $orgId or $orgIds variable`);
  }
  if (declared('first')) v.first = options.pageSize ?? 100;
  Object.assign(v, options.vars);
  const missing = [...report.required].filter((name) => v[name] === undefined && name !== 'after');
  if (missing.length) {
    const flags: Record<string, string> = { from: '--from', to: '--to', org: '--org', orgId: '--org', orgIds: '--org' };
    throw new ReportError(`report "${report.name}" needs ${missing.map((n) => flags[n] ?? `--var ${n}=…`).join(', ')}`);
  }
  return v;
}

/**
 * Runs a report and writes its rows in `format`, a page at a time: each page of a connection is
 * written before the next is asked for, so memory stays flat however many rows there are.
 * Paging needs the query to declare `$after` and select `pageInfo { hasNextPage endCursor }`.
 * @returns the number of rows written.
 */
export async function runReport(report: ReportDocument, options: RunOptions): Promise<number> {
  const variables = await variablesFor(report, options);
  if (report.rowsPaths.length > 1) return runSections(report, options, variables);
  const writer = rowWriter(options.format, options.out);
  let columns: Column[] | undefined;
  let written = 0;
  let total: number | undefined;
  for (;;) {
    const data = await request(options, { name: report.name, text: report.text, operationName: report.operation.name?.value }, variables);
    const located = locateRows(data, report.rowsPaths[0]);
    columns ??= columnsOf(report, located.keys);
    await writer.page(located.rows, columns);
    written += located.rows.length;
    total = located.connection?.totalCount ?? total;
    options.onProgress?.(written, total);
    const { hasNextPage, endCursor } = located.connection ?? {};
    if (!hasNextPage || !endCursor) break;
    if (!report.variables.has('after')) {
      process.stderr.write(`note: report "${report.name}" has more rows than one page; declare $after (and select pageInfo) to get them all\n`);
      break;
    }
    variables.after = endCursor;
    // Counting every visible row again on each page is most of a long export's time: a document
    // that declares $withTotal (totalCount @include(if: $withTotal)) counts on the first page only.
    if (report.variables.has('withTotal')) variables.withTotal = false;
  }
  await writer.end();
  return written;
}

/** `value` without what lies at `path` (a nested section's rows, which its own section shows). */
function without(value: unknown, path: readonly string[]): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || !path.length) return value;
  const { [path[0]]: inner, ...rest } = value as Record<string, unknown>;
  return path.length === 1 || inner === undefined ? rest : { ...rest, [path[0]]: without(inner, path.slice(1)) };
}

/** Whether `inner` lies under `outer` (a section inside another: its columns are its own). */
function under(outer: readonly string[], inner: readonly string[]): boolean {
  return inner.length > outer.length && outer.every((k, i) => inner[i] === k);
}

/** Compares cells left to right: figures as numbers, text as text, empty cells last. */
function compareCells(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (a[i] === '') return 1;
    if (b[i] === '') return -1;
    const [x, y] = [Number(a[i]), Number(b[i])];
    const order = Number.isFinite(x) && Number.isFinite(y) ? x - y : a[i].localeCompare(b[i], 'en-GB');
    if (order) return order;
  }
  return 0;
}

/**
 * Rows ordered by their columns from the left, which in a report are its keys (organisation,
 * year, quarter...) before its figures: the same report gives the same file every time.
 */
function sortedRows(rows: readonly unknown[], columns: readonly Column[]): unknown[] {
  return rows
    .map((row) => ({ row, key: cells(row, columns) }))
    .sort((a, b) => compareCells(a.key, b.key))
    .map((r) => r.row);
}

interface Section {
  title: string;
  rows: unknown[];
  columns: Column[];
}

async function writeSection(format: Format, out: Writable, section: Section): Promise<void> {
  const writer = rowWriter(format, out);
  await writer.page(section.rows, section.columns);
  await writer.end();
}

/**
 * A report of several sections (several `# rows:` lines): one request, then each section as
 * its own table, its rows sorted. JSON: one object keyed by section; a table: each under a
 * `# section` line; CSV, which holds one table: one file per section, or the one `--section` picks.
 */
async function runSections(report: ReportDocument, options: RunOptions, variables: Record<string, unknown>): Promise<number> {
  const titles = report.rowsPaths.map((path) => path.join('.'));
  if (options.section !== undefined && !titles.includes(options.section)) {
    throw new ReportError(`--section: report "${report.name}" has the sections ${titles.join(', ')}`);
  }
  if (options.format === 'csv' && options.section === undefined && !options.openSectionFile) {
    throw new ReportError(`report "${report.name}" has several tables (${titles.join(', ')}) and a CSV file holds one: pick one with --section, or give --out FILE to write each to a file of its own`);
  }
  const data = await request(options, { name: report.name, text: report.text, operationName: report.operation.name?.value }, variables);
  const sections: Section[] = report.rowsPaths.map((path) => {
    const located = locateRows(data, path);
    const nested = report.rowsPaths.filter((other) => under(path, other)).map((other) => other.slice(path.length).join('.'));
    const columns = columnsOf(report, located.keys).filter((c) => !nested.some((n) => c.header === n || c.header.startsWith(`${n}.`)));
    const rows = located.rows.map((row) => nested.reduce((r, n) => without(r, n.split('.')), row));
    return { title: path.join('.'), rows: sortedRows(rows, columns), columns };
  });
  const chosen = options.section === undefined ? sections : sections.filter((s) => s.title === options.section);
  const total = chosen.reduce((n, s) => n + s.rows.length, 0);
  if (options.section !== undefined) {
    await writeSection(options.format, options.out, chosen[0]);
  } else if (options.format === 'json') {
    await write(options.out, `${JSON.stringify(Object.fromEntries(sections.map((s) => [s.title, s.rows])), null, 2)}\n`);
  } else if (options.format === 'csv') {
    for (const section of sections) await writeSection('csv', options.openSectionFile!(section.title), section);
  } else {
    for (const [i, section] of sections.entries()) {
      await write(options.out, `${i ? '\n' : ''}# ${section.title}\n`);
      await writeSection(options.format, options.out, section);
    }
  }
  options.onProgress?.(total, total);
  return total;
}
