import { Migration } from '@mikro-orm/migrations';

/**
 * Limits shared by every instance on one database (limits/shared-limits.ts): the per-caller
 * request counts and the per-user WebSocket connections. Transient state, not records: in a schema
 * of its own (`runtime`, which backups leave out) and UNLOGGED (no WAL, so the per-batch upsert
 * costs little; a crash of PostgreSQL empties them, which only forgets a minute's counts).
 */
export class Migration20261205003300_shared_limits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create schema if not exists runtime`);
    this.addSql(`create unlogged table runtime.rate_limit (
      minute bigint not null,
      caller text not null,
      hits integer not null,
      primary key (minute, caller)
    )`);
    this.addSql(`create unlogged table runtime.live_instance (
      id uuid primary key,
      seen_at timestamptz not null
    )`);
    this.addSql(`create unlogged table runtime.live_connection (
      instance_id uuid not null,
      user_id text not null,
      connections integer not null,
      primary key (user_id, instance_id)
    )`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop schema runtime cascade`);
  }
}
