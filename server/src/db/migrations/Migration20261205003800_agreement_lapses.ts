import { Migration } from '@mikro-orm/migrations';

/**
 * An agreement that lapses by date is announced on the live event log, as a suspension is.
 *
 * A suspension is a change someone makes, so its history entry becomes a live event and every
 * subscriber's screen is checked again. A lapse is no change at all: at 00:00 on `expires_on` (the
 * database's `current_date`, which the access rules compare it with) the agreement simply stops
 * granting, and nothing told a partner whose page still showed what it had granted. Every instance
 * now calls `agreement_lapses_announce()` on a timer (modules/sharing/agreement-lapses.ts): it
 * claims the ACTIVE agreements whose end date has come and whose lapse is not yet announced (row
 * locks, SKIP LOCKED, so instances do not wait on each other), records each lapse in
 * `agreement_lapse` (its primary key, the agreement and the end date, makes the claim once only
 * across instances), and writes one UPDATE event per lapse (`isInForce` changed) under the event
 * counter's lock, as live_event_publish() does. An agreement whose end date an administrator later
 * extends lapses again, once, on the new date.
 *
 * Only the database owner (the servers' own connection) may call it or read the lapses.
 */
export class Migration20261205003800_agreement_lapses extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table agreement_lapse (
      agreement_id uuid not null references information_sharing_agreement (id),
      expires_on date not null,
      announced_at timestamptz not null default clock_timestamp(),
      event_seq bigint,
      primary key (agreement_id, expires_on)
    )`);
    this.addSql('alter table agreement_lapse enable row level security');
    this.addSql('alter table agreement_lapse force row level security');
    this.addSql(`do $$ begin
      execute format('create policy agreement_lapse_owner on agreement_lapse for all to %I using (true) with check (true)', current_user);
    end $$`);
    this.addSql(`
      create function agreement_lapses_announce(max_count integer) returns integer
      language plpgsql set search_path = public as $$
      declare
        lapsed record;
        next_seq bigint;
        announced integer := 0;
      begin
        for lapsed in
          select a.id, a.expires_on
            from information_sharing_agreement a
           where a.status = 'ACTIVE' and a.expires_on <= current_date
             and not exists (select 1 from agreement_lapse l where l.agreement_id = a.id and l.expires_on = a.expires_on)
           order by a.expires_on, a.id
           limit max_count
             for update of a skip locked
        loop
          insert into agreement_lapse (agreement_id, expires_on) values (lapsed.id, lapsed.expires_on)
            on conflict do nothing;
          -- Announced by another instance since this one looked (its commit came between).
          continue when not found;
          -- The counter's lock is held from here to commit, as by live_event_publish(), so the
          -- numbers follow commit order.
          update live_event_counter set last_seq = last_seq + 1 returning last_seq into next_seq;
          update agreement_lapse set event_seq = next_seq where agreement_id = lapsed.id and expires_on = lapsed.expires_on;
          insert into live_event (seq, record_type, record_id, action, changed_fields, actor_id)
          values (next_seq, 'InformationSharingAgreement', lapsed.id, 'UPDATE', '{isInForce}', null);
          perform pg_notify('soc_live_event', next_seq::text);
          announced := announced + 1;
        end loop;
        return announced;
      end
      $$`);
    this.addSql('revoke all on function agreement_lapses_announce(integer) from public');
  }

  override async down(): Promise<void> {
    this.addSql('drop function agreement_lapses_announce(integer)');
    this.addSql('drop table agreement_lapse');
  }
}
