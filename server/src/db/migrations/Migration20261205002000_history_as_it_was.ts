import { Migration } from '@mikro-orm/migrations';
import { SHARED_TABLES } from './Migration20261125000800_access';

/**
 * History as it was, in the database layer too (issue 13; the application layer's rule is
 * shared/history-as-it-was.ts). Until now a `record_version` row was readable by whoever can read
 * the record today, so a threat created SECRET and OWNER_ONLY, cleaned, lowered and shared showed
 * its SECRET text to its later readers whenever the application layer was not there to stop it.
 *
 * Each history row now carries the record's access state (marking, sharing, named organisations)
 * before and after the change: from the row itself for a change to the record, from the record
 * at that moment for a change to one of its parts. The read policy shows a row only to someone
 * who could read the record in that state, and, for a change to the record itself, also in the
 * state before it: a change that lowered or shared the record is shown to its new readers only
 * when it changed nothing else (its other earlier values are the record's hidden past; the
 * application layer also blanks the earlier marking and sharing).
 *
 * Rows can no longer be forged: the application role may insert into `record_version` only from
 * inside a trigger (the history trigger, which writes what actually changed).
 */
const ACCESS_STATE = (row: string) =>
  `case when ${row} ? 'protective_marking' then jsonb_build_object('marking', ${row} ->> 'protective_marking', 'sharing', ${row} ->> 'sharing', 'shared_with', ${row} -> 'shared_with') end`;

/** The change only lowered, raised or widened the record's access (shown to its new readers as such). */
const ONLY_ACCESS_CHANGED = `(select bool_and(k in ('protective_marking', 'sharing', 'shared_with')) from jsonb_object_keys(record_version.changes) k)`;

const PARENT_TABLE = `case tg_argv[0] ${SHARED_TABLES.map(({ table, recordType }) => `when '${recordType}' then '${table}'`).join(' ')} end`;

export class Migration20261205002000_history_as_it_was extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table record_version add column access_before jsonb, add column access_after jsonb');
    this.historyTrigger();
    this.backfill();
    this.readPolicy();
    this.addSql('drop policy record_version_write on record_version');
    this.addSql('create policy record_version_write on record_version for insert to soc_app with check (pg_trigger_depth() > 0)');
  }

  private historyTrigger(): void {
    this.addSql(`
      create or replace function record_history() returns trigger
      language plpgsql as $$
      declare
        old_row jsonb := case when tg_op <> 'INSERT' then to_jsonb(old) end;
        new_row jsonb := case when tg_op <> 'DELETE' then to_jsonb(new) end;
        row_data jsonb := coalesce(new_row, old_row);
        changed jsonb := jsonb_changes(old_row, new_row);
        is_part boolean := tg_nargs > 1;
        actor uuid := nullif(current_setting('soc.user_id', true), '')::uuid;
        parent_table text := ${PARENT_TABLE};
        state_before jsonb := ${ACCESS_STATE('old_row')};
        state_after jsonb := ${ACCESS_STATE('coalesce(new_row, old_row)')};
      begin
        if tg_op = 'UPDATE' and changed = '{}'::jsonb then
          return new;
        end if;
        if is_part and parent_table is not null then
          -- A part follows its record as the record is at this moment.
          execute format('select jsonb_build_object(''marking'', protective_marking, ''sharing'', sharing, ''shared_with'', to_jsonb(shared_with)) from %I where id = $1', parent_table)
            into state_after using (row_data ->> tg_argv[1])::uuid;
          state_before := state_after;
        end if;
        insert into record_version (record_type, record_id, version, action, part, part_id, changes, actor_id, access_before, access_after)
        values (
          tg_argv[0],
          case when is_part then (row_data ->> tg_argv[1])::uuid else (row_data ->> 'id')::uuid end,
          case when is_part then null else (row_data ->> 'version')::integer end,
          case tg_op when 'INSERT' then 'CREATE' when 'UPDATE' then 'UPDATE' else 'DELETE' end,
          case when is_part then tg_argv[2] end,
          case when is_part then (row_data ->> 'id')::uuid end,
          changed,
          actor,
          state_before,
          state_after);
        return coalesce(new, old);
      end
      $$`);
  }

  /** Existing rows: the state replayed from the history itself, record by record, oldest first. */
  private backfill(): void {
    this.addSql('alter table record_version no force row level security');
    this.addSql(`
      do $$
      declare
        v record;
        current_record uuid;
        state jsonb;
        before jsonb;
        key text;
      begin
        for v in select id, record_id, part, changes from record_version order by record_id, id loop
          if current_record is distinct from v.record_id then
            current_record := v.record_id;
            state := '{}'::jsonb;
          end if;
          before := state;
          if v.part is null then
            foreach key in array array['protective_marking', 'sharing', 'shared_with'] loop
              if v.changes ? key then
                state := state || jsonb_build_object(case key when 'protective_marking' then 'marking' else key end, v.changes -> key -> 'to');
              end if;
            end loop;
          else
            before := state;
          end if;
          update record_version
             set access_before = case when v.part is null and before = '{}'::jsonb then null else before end,
                 access_after = case when state = '{}'::jsonb then null else state end
           where id = v.id;
        end loop;
      end
      $$`);
    this.addSql('alter table record_version force row level security');
  }

  private readPolicy(): void {
    // Whether the caller could read a record of `owner` in `state`: clearance, then reach. A
    // referral's parties, and a partner's own claims and contributions, reach it whatever its
    // sharing said (today's reach is checked by the record's own policy). Unknown: denied.
    this.addSql(`
      create function soc_could_read_then(record_type text, owner uuid, state jsonb) returns boolean
      language sql stable as $$
        select coalesce(state ? 'marking' and soc_marking_rank(state ->> 'marking') <= soc_caller_clearance_rank()
          and (owner = soc_caller_org()
            or record_type = 'SafeguardingReferral'
            or (record_type = 'Disruption' and not soc_caller_is_law_enforcement())
            or case state ->> 'sharing'
                 when 'ALL_PARTNERS' then true
                 when 'REGIONAL_LAW_ENFORCEMENT' then soc_caller_is_law_enforcement()
                 when 'NAMED_ORGANISATIONS' then soc_caller_org()::text in (select jsonb_array_elements_text(state -> 'shared_with'))
                 else false
               end), false)
      $$`);
    const asItWas = (recordType: string) =>
      `soc_could_read_then('${recordType}', r.owning_organisation_id, record_version.access_after)
       and (record_version.action = 'CREATE' or record_version.part is not null or ${ONLY_ACCESS_CHANGED}
            or soc_could_read_then('${recordType}', r.owning_organisation_id, record_version.access_before))`;
    const visibleAsItWas = SHARED_TABLES.map(
      ({ table, recordType }) => `when '${recordType}' then exists (select 1 from ${table} r where r.id = record_version.record_id and ${asItWas(recordType)})`,
    ).join(' ');
    this.addSql('drop policy record_version_read on record_version');
    this.addSql(`create policy record_version_read on record_version for select to soc_app using (case record_type ${visibleAsItWas} else false end)`);
  }

  override async down(): Promise<void> {
    const visibleRecord = SHARED_TABLES.map(({ table, recordType }) => `when '${recordType}' then exists (select 1 from ${table} r where r.id = record_version.record_id)`).join(' ');
    this.addSql('drop policy record_version_read on record_version');
    this.addSql(`create policy record_version_read on record_version for select to soc_app using (case record_type ${visibleRecord} else false end)`);
    this.addSql('drop policy record_version_write on record_version');
    this.addSql('create policy record_version_write on record_version for insert to soc_app with check (true)');
    this.addSql('drop function soc_could_read_then');
    this.addSql('alter table record_version drop column access_before, drop column access_after');
  }
}
