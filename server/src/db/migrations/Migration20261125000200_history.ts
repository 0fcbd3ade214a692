import { Migration } from '@mikro-orm/migrations';

/**
 * History for every shared record, kept by the database itself so no code path can forget it.
 * Each insert, update or delete of a record (or of one of its child rows) appends one
 * `record_version` row naming who (from the transaction's `soc.user_id`), when, and what
 * changed, field by field. The application never updates or deletes these rows.
 */
export class Migration20261125000200_history extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table record_version (
        id bigserial primary key,
        record_type text not null,
        record_id uuid not null,
        version integer,
        action text not null check (action in ('CREATE', 'UPDATE', 'DELETE')),
        part text,
        part_id uuid,
        changes jsonb not null,
        actor_id uuid references app_user (id),
        at timestamptz not null default now()
      )`);
    this.addSql('create index record_version_record_idx on record_version (record_id, id)');

    // Column-by-column differences; bookkeeping columns are left out (they are on the entry itself).
    this.addSql(`
      create function jsonb_changes(old_row jsonb, new_row jsonb) returns jsonb
      language sql immutable as $$
        select coalesce(jsonb_object_agg(key, jsonb_build_object('from', old_row -> key, 'to', new_row -> key)), '{}'::jsonb)
        from (select key from jsonb_object_keys(coalesce(new_row, '{}'::jsonb) || coalesce(old_row, '{}'::jsonb)) as k(key)) keys
        where key not in ('id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by')
          and (old_row -> key) is distinct from (new_row -> key)
      $$`);

    // A record table: TG_ARGV[0] names its record type. A child table: TG_ARGV[0] is the parent's
    // record type, TG_ARGV[1] the column holding the parent's id, TG_ARGV[2] the part's name.
    this.addSql(`
      create function record_history() returns trigger
      language plpgsql as $$
      declare
        old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
        new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
        row_data jsonb := coalesce(new_row, old_row);
        changed jsonb := jsonb_changes(old_row, new_row);
        is_part boolean := tg_nargs > 1;
        actor uuid := nullif(current_setting('soc.user_id', true), '')::uuid;
      begin
        if tg_op = 'UPDATE' and changed = '{}'::jsonb then
          return new;
        end if;
        insert into record_version (record_type, record_id, version, action, part, part_id, changes, actor_id)
        values (
          tg_argv[0],
          case when is_part then (row_data ->> tg_argv[1])::uuid else (row_data ->> 'id')::uuid end,
          case when is_part then null else (row_data ->> 'version')::integer end,
          case tg_op when 'INSERT' then 'CREATE' when 'UPDATE' then 'UPDATE' else 'DELETE' end,
          case when is_part then tg_argv[2] end,
          case when is_part then (row_data ->> 'id')::uuid end,
          changed,
          actor);
        return coalesce(new, old);
      end
      $$`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function record_history');
    this.addSql('drop function jsonb_changes');
    this.addSql('drop table record_version');
  }
}
