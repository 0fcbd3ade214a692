import type { Knex, MikroORM } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context';
import { openRequestDb } from '../db/request-db';
import type { AuditEventRow } from './audit.collector';

function insert(knex: Knex, rows: AuditEventRow[]): Knex.QueryBuilder {
  return knex('audit_event').insert(rows.map((r) => ({ ...r, detail: JSON.stringify(r.detail) })));
}

/**
 * Ends the request: its audit events are written in its own transaction, in the same message as
 * its COMMIT (one round trip for both), so the events and the request's changes stand or fall
 * together. When that fails (the insert or the commit), nothing of the request was kept: the
 * events, denials above all, are then written in a transaction of their own marked rolled back,
 * and this rejects so that the caller does not report success.
 */
export async function commitWithAuditEvents(ctx: RequestContext, orm: MikroORM): Promise<void> {
  const rows = ctx.audit.drain();
  if (!rows.length) return ctx.db.finish();
  if (ctx.db.endedByLastRead) {
    // Its last read committed the transaction (graphql/node.ts, LastRead), which is only done
    // when nothing else can be recorded: should anything have been, it is written on its own.
    await ctx.db.finish();
    ctx.log.error({ events: rows.length }, 'audit events recorded after the request\'s last read: writing them on their own');
    return writeOnTheirOwn(ctx, orm, rows, false);
  }
  try {
    await ctx.db.finish(insert(ctx.db.knex, rows).toSQL().toNative());
  } catch (err) {
    // A remembered account found changed: nothing of the request ran, and it is answered again
    // from a fresh lookup, which records what that answer does (db/request-db.ts, AccountCache).
    if (ctx.db.accountChanged) throw err;
    await writeOnTheirOwn(ctx, orm, rows);
    throw err;
  }
}

/**
 * Writes what the request's collector holds, in the request's own transaction, just before it
 * commits: the events and the request's changes stand or fall together (one statement, no
 * savepoint: if it fails, the transaction fails and the request's changes are rolled back). When
 * that transaction has failed, the events, denials above all, are written in a transaction of
 * their own as the same caller.
 */
export async function writeAuditEvents(ctx: RequestContext | undefined, orm: MikroORM, sameCaller: RequestContext[] = [], moreRows: AuditEventRow[] = []): Promise<void> {
  // `sameCaller` and `moreRows`: contexts and rows sharing ctx's caller and transaction (a live
  // event delivered to several of one user's subscriptions), written in the same single statement.
  const rows = [...[ctx, ...sameCaller].flatMap((c) => c?.audit?.drain() ?? []), ...moreRows];
  if (!ctx || !rows.length) return;
  try {
    await insert(ctx.db.knex, rows);
    return;
  } catch (err) {
    ctx.log.warn({ err }, 'audit events could not be written in the request transaction; writing them on their own');
  }
  await writeOnTheirOwn(ctx, orm, rows);
}

/**
 * The events of a request whose transaction failed, in a transaction of their own as the same
 * caller, marked rolled back; `rolledBack` false: of a request whose transaction had already
 * committed when they were recorded (see commitWithAuditEvents).
 */
async function writeOnTheirOwn(ctx: RequestContext, orm: MikroORM, rows: AuditEventRow[], rolledBack = true): Promise<void> {
  try {
    const own = await openRequestDb(orm, ctx.access.caller, ctx.access.layers);
    try {
      // Said in the event, so that a CREATE written here is not read as a record that exists.
      await insert(own.knex, rolledBack ? rows.map((r) => ({ ...r, detail: { ...r.detail, requestRolledBack: [true] } })) : rows);
    } finally {
      await own.finish();
    }
  } catch (err) {
    ctx.log.error({ err, events: rows }, 'AUDIT EVENTS LOST: could not write them');
  }
}
