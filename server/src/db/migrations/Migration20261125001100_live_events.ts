import { Migration } from '@mikro-orm/migrations';

/**
 * The live event log: a transactional outbox for subscriptions.
 *
 * Every history entry a user's change writes (record_version) also becomes one `live_event`
 * per changed record and transaction, written in that same transaction, so an event exists
 * exactly when its change committed. Sequence numbers are handed out at commit time (a deferred
 * constraint trigger) under the counter row's lock, so they follow commit order with no gaps:
 * a reader that has seen event N can never later find an N-1 it missed, which is what lets a
 * client resume from a cursor. NOTIFY carries only the number, as a doorbell.
 *
 * Changes made outside a request (seeding, migrations) carry no `soc.user_id` and publish
 * nothing. The application role cannot read or write the log: servers read it on their own
 * connection and re-authorise each event per subscriber.
 */
export class Migration20261125001100_live_events extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table live_event (
        seq bigint primary key,
        txid xid8 not null default pg_current_xact_id(),
        record_type text not null,
        record_id uuid not null,
        action text not null check (action in ('CREATE', 'UPDATE', 'DELETE')),
        changed_fields text[] not null default '{}',
        access_before jsonb,
        actor_id uuid,
        at timestamptz not null default clock_timestamp()
      )`);
    this.addSql('create index live_event_txid_idx on live_event (txid, record_id)');
    this.addSql('create index live_event_at_idx on live_event (at)');
    this.addSql(`create table live_event_counter (only_row boolean primary key default true check (only_row), last_seq bigint not null)`);
    this.addSql('insert into live_event_counter (last_seq) values (0)');
    this.addSql('alter table live_event enable row level security');
    this.addSql('alter table live_event force row level security');
    this.addSql('alter table live_event_counter enable row level security');
    this.addSql('alter table live_event_counter force row level security');
    this.addSql(`do $$ begin
      execute format('create policy live_event_owner on live_event for all to %I using (true) with check (true)', current_user);
      execute format('create policy live_event_counter_owner on live_event_counter for all to %I using (true) with check (true)', current_user);
    end $$`);
    this.publishFunction();
    this.addSql(`create constraint trigger record_version_live_event after insert on record_version
      deferrable initially deferred for each row execute function live_event_publish()`);
    this.userDoorbell();
    // Where the log is now, for a client that queries and then subscribes from that point.
    this.addSql(`create function live_event_head() returns bigint
      language sql stable security definer set search_path = public as $$ select last_seq from live_event_counter $$`);
    this.addSql('revoke all on function live_event_head() from public');
    this.addSql('grant execute on function live_event_head() to soc_app');
  }

  /**
   * Runs at commit for each history entry. The first entry of a record in a transaction takes
   * the next number and rings the doorbell; later ones (other fields, child rows) merge in.
   */
  private publishFunction(): void {
    this.addSql(`
      create function live_event_publish() returns trigger
      language plpgsql security definer set search_path = public as $$
      declare
        field_names text[];
        existing bigint;
        next_seq bigint;
        access_keys text[] := array['owning_organisation_id', 'protective_marking', 'sharing', 'shared_with'];
        before jsonb;
      begin
        if new.actor_id is null then
          return null;
        end if;
        select coalesce(array_agg(case when new.part is null then k else new.part end), '{}')
          into field_names from jsonb_object_keys(new.changes) k;
        select seq into existing from live_event where txid = pg_current_xact_id() and record_id = new.record_id;
        if found then
          update live_event
             set changed_fields = array(select distinct f from unnest(changed_fields || field_names) f order by f)
           where seq = existing;
          return null;
        end if;
        if new.part is null and new.action = 'UPDATE' and new.changes ?| access_keys then
          select jsonb_object_agg(k, new.changes -> k -> 'from') into before
            from unnest(access_keys) k where new.changes ? k;
        end if;
        update live_event_counter set last_seq = last_seq + 1 returning last_seq into next_seq;
        insert into live_event (seq, record_type, record_id, action, changed_fields, access_before, actor_id)
        values (next_seq, new.record_type, new.record_id,
                case when new.part is null then new.action else 'UPDATE' end,
                array(select distinct f from unnest(field_names) f order by f), before, new.actor_id);
        perform pg_notify('soc_live_event', next_seq::text);
        return null;
      end
      $$`);
  }

  /** A user's deactivation, or a change to their roles, clearance or organisation, closes or refreshes their sockets. */
  private userDoorbell(): void {
    this.addSql(`
      create function live_user_changed() returns trigger
      language plpgsql as $$
      begin
        perform pg_notify('soc_live_user', new.id::text);
        return null;
      end
      $$`);
    this.addSql(`create trigger app_user_live after update of active, roles, clearance, organisation_id on app_user
      for each row when ((old.active, old.roles, old.clearance, old.organisation_id) is distinct from (new.active, new.roles, new.clearance, new.organisation_id)) execute function live_user_changed()`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function live_event_head');
    this.addSql('drop trigger app_user_live on app_user');
    this.addSql('drop function live_user_changed');
    this.addSql('drop trigger record_version_live_event on record_version');
    this.addSql('drop function live_event_publish');
    this.addSql('drop table live_event_counter');
    this.addSql('drop table live_event');
  }
}
