import type { MikroORM } from '@mikro-orm/postgresql';
import { stringify } from 'csv-stringify/sync';
import type { Request, RequestHandler, Response } from 'express';
import { GraphQLError } from 'graphql';
import { buildContext, forOperation, type ContextDeps, type RequestContext } from '../graphql/context';
import { BadUserInputError, type FieldProblem } from '../graphql/errors';
import { toGlobalId } from '../graphql/global-id';
import { requestIdOf } from '../http/logging';
import { AuditAction, Purpose } from './audit.enums';
import { PURPOSE_HEADER } from './purpose';
import { commitWithAuditEvents } from './audit.writer';
import { requireAuditor, resolveFilter, scopedEvents } from './audit.service';
import type { AuditEventFilter } from './audit.types';
import { heldFilter, type TypedFilter } from './search-text';

/** Rows read per statement while streaming: memory stays flat however long the trail. */
const PAGE = 1000;

const HEADER = ['event', 'at', 'username', 'organisation', 'action', 'purpose', 'operation', 'record_type', 'record_ids', 'client_address', 'request_id'];

const HTTP_STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, PURPOSE_REQUIRED: 400, SERVICE_UNAVAILABLE: 503 };

/** A query-string value as a list (`?action=READ&action=EXPORT`, or one value). */
function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter(Boolean);
}

function oneOf<T extends string>(values: string[], allowed: Record<string, T>, field: string, problems: FieldProblem[]): T[] | undefined {
  const bad = values.filter((v) => !Object.values(allowed).includes(v as T));
  if (bad.length) problems.push({ field, message: `"${bad[0].slice(0, 40)}" is not one of ${Object.values(allowed).join(', ')}` });
  return values.length ? (values as T[]) : undefined;
}

function when(value: unknown, field: string, problems: FieldProblem[]): Date | undefined {
  const [text] = list(value);
  if (!text) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) problems.push({ field, message: 'is not a date and time (e.g. 2026-04-01T00:00:00Z)' });
  return date;
}

/** The filter's names, as the query string and auditEvents take them. */
const FILTER_FIELDS = ['userIds', 'organisationIds', 'recordId', 'record', 'user', 'purpose', 'action', 'from', 'to', 'hideOwnSearches'] as const;

/** The filter's fields as typed (nothing else the query string holds). */
function typedFilter(query: Request['query']): TypedFilter {
  return Object.fromEntries(FILTER_FIELDS.map((name) => [name, list(query[name])]));
}

/** The query string as the auditEvents filter: the same names, lists repeated. */
export function filterFromQuery(query: Request['query']): AuditEventFilter {
  const problems: FieldProblem[] = [];
  const filter: AuditEventFilter = {
    userIds: list(query.userIds).length ? list(query.userIds) : undefined,
    organisationIds: list(query.organisationIds).length ? list(query.organisationIds) : undefined,
    recordId: list(query.recordId)[0],
    record: list(query.record)[0],
    user: list(query.user)[0],
    purpose: oneOf(list(query.purpose), Purpose, 'purpose', problems),
    action: oneOf(list(query.action), AuditAction, 'action', problems),
    from: when(query.from, 'from', problems),
    to: when(query.to, 'to', problems),
    hideOwnSearches: list(query.hideOwnSearches)[0] === 'true',
  };
  if (problems.length) throw new BadUserInputError(problems);
  return filter;
}

function refuse(res: Response, err: unknown): void {
  if (!(err instanceof GraphQLError)) throw err;
  const code = String(err.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
  res.status(HTTP_STATUS[code] ?? 500).json({ errors: [{ message: err.message, extensions: { code, ...(err.extensions?.fields ? { fields: err.extensions.fields } : {}) } }] });
}

/** Writes a chunk, waiting when the client reads slower than the database answers. */
async function write(res: Response, chunk: string): Promise<void> {
  if (!res.write(chunk)) await new Promise<void>((resolve) => res.once('drain', resolve));
}

function csvRows(rows: Record<string, any>[]): string {
  return stringify(
    rows.map((r) => [
      r.id,
      new Date(r.at).toISOString(),
      r.username,
      r.organisation_code,
      r.action,
      r.purpose ?? '',
      r.operation ?? '',
      r.record_type ?? '',
      ((r.record_ids ?? []) as string[]).map((id) => toGlobalId(r.record_type ?? 'Record', id)).join(' '),
      r.client_address ?? '',
      r.request_id ?? '',
    ]),
    { escape_formulas: true },
  );
}

/** Streams every matching event, newest first, a page at a time (keyset on the event number). */
async function streamEvents(ctx: RequestContext, filter: Awaited<ReturnType<typeof resolveFilter>>, res: Response): Promise<number> {
  let before: string | undefined;
  let count = 0;
  for (;;) {
    const page = scopedEvents(ctx, filter).leftJoin('organisation as o', 'o.id', 'e.organisation_id').select('o.code as organisation_code');
    if (before) page.where('e.id', '<', before);
    const rows: Record<string, any>[] = await page.orderBy('e.id', 'desc').limit(PAGE);
    if (rows.length) await write(res, csvRows(rows));
    count += rows.length;
    if (rows.length < PAGE) return count;
    before = String(rows[rows.length - 1].id);
  }
}

/**
 * `GET /audit/export.csv`: an audit search (auditEvents' filter, as query parameters) as CSV,
 * streamed, for auditors, with a bearer token as for /graphql. The export is itself on the
 * trail, as EXPORT with its filter, committed before the first row leaves (an export that could
 * not be recorded is not made); the rows are then read in a transaction of their own.
 */
export function auditExportHandler(deps: ContextDeps, orm: MikroORM): RequestHandler {
  return async (req, res, next) => {
    const origin = { purpose: req.get(PURPOSE_HEADER), clientAddress: req.ip ?? null };
    let ctx: RequestContext;
    try {
      ctx = await buildContext(deps, req.headers.authorization, requestIdOf(res), origin);
    } catch (err) {
      return refuse(res, err);
    }
    let filter;
    try {
      requireAuditor(ctx);
      filter = await resolveFilter(ctx, filterFromQuery(req.query));
      ctx.audit.setOperation('auditExportCsv');
      ctx.audit.exported('AuditEvent', [], 'csv');
      // The filter's own fields only, its free text held apart for a time (search-text.ts).
      ctx.audit.record(AuditAction.EXPORT, 'AuditEvent', [], { filters: await heldFilter(ctx, typedFilter(req.query)) });
      await commitWithAuditEvents(ctx, orm);
    } catch (err) {
      if (err instanceof GraphQLError && err.extensions?.code === 'FORBIDDEN') {
        ctx.audit.setOperation('auditExportCsv');
        ctx.audit.denied('AuditEvent', [], { code: 'FORBIDDEN', field: '/audit/export.csv', message: err.message });
      }
      await commitWithAuditEvents(ctx, orm).catch(() => undefined);
      return refuse(res, err);
    }
    const reading = await forOperation(deps, ctx.viewer, ctx.requestId, origin);
    try {
      res.status(200);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
      res.setHeader('cache-control', 'no-store');
      await write(res, stringify([HEADER]));
      await streamEvents(reading, filter, res);
      res.end();
    } catch (err) {
      // Headers are gone: the client sees a cut-off file, never one that looks complete.
      res.destroy(err as Error);
      if (!res.headersSent) next(err);
    } finally {
      await reading.db.finish().catch(() => undefined);
    }
  };
}
