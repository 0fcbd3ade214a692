import { stringify } from 'csv-stringify/sync';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { Column } from './documents';
import { cells } from './rows';

export const FORMATS = ['table', 'csv', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** Writes with backpressure: a slow disk or pipe holds the next page back instead of filling memory. */
export async function write(out: Writable, text: string): Promise<void> {
  if (text && !out.write(text)) await once(out, 'drain');
}

/** Receives a report's rows a page at a time. */
export interface RowWriter {
  page(rows: readonly unknown[], columns: readonly Column[]): Promise<void>;
  end(): Promise<void>;
}

/** CSV (RFC 4180, via csv-stringify): the header, then each page's rows as soon as it arrives. */
function csvWriter(out: Writable): RowWriter {
  let headerWritten = false;
  return {
    async page(rows, columns) {
      const header = !headerWritten;
      headerWritten = true;
      const records = rows.map((r) => cells(r, columns));
      await write(out, stringify(records, { header, columns: columns.map((c) => c.header) }));
    },
    async end() {},
  };
}

/** A JSON array of the rows as the API returned them (nested, not flattened), streamed. */
function jsonWriter(out: Writable): RowWriter {
  let count = 0;
  return {
    async page(rows) {
      const text = rows.map((r) => `${count++ === 0 ? '[\n' : ',\n'}  ${JSON.stringify(r)}`).join('');
      await write(out, text);
    },
    async end() {
      await write(out, count === 0 ? '[]\n' : '\n]\n');
    },
  };
}

/**
 * A table for a person to read: columns padded to their widest cell. It needs every row to
 * know the widths, so it holds them; use csv or json for large exports.
 */
function tableWriter(out: Writable): RowWriter {
  let headers: string[] = [];
  const lines: string[][] = [];
  return {
    async page(rows, columns) {
      headers = columns.map((c) => c.header);
      for (const r of rows) lines.push(cells(r, columns).map((c) => c.replace(/\s+/g, ' ')));
    },
    async end() {
      if (!headers.length) return write(out, '(no rows)\n');
      const widths = headers.map((h, i) => Math.min(60, Math.max(h.length, ...lines.map((l) => l[i].length))));
      // Figures line up on the right.
      const numeric = headers.map((_, i) => lines.length > 0 && lines.every((l) => /^-?\d+(\.\d+)?$/.test(l[i])));
      const pad = (c: string, i: number) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]));
      const format = (cellsOfLine: string[]) =>
        cellsOfLine.map((c, i) => (c.length > widths[i] ? c.slice(0, widths[i] - 1) + '…' : pad(c, i))).join('  ').trimEnd();
      const text = [format(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n');
      await write(out, `${text}\n(${lines.length} row${lines.length === 1 ? '' : 's'})\n`);
    },
  };
}

export function rowWriter(format: Format, out: Writable): RowWriter {
  return format === 'csv' ? csvWriter(out) : format === 'json' ? jsonWriter(out) : tableWriter(out);
}
