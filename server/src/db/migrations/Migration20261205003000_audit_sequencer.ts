import { Migration } from '@mikro-orm/migrations';

/** The same lock key the chain trigger of Migration20261125001000 took. */
const CHAIN_LOCK_KEY = 7_400_125;
const GENESIS_HASH = '0'.repeat(64);

/**
 * The audit chain is extended after commit instead of inside every request's transaction.
 *
 * Before: each event was hashed by its insert trigger under a transaction-wide advisory lock, so
 * every request that wrote an audit event (every sensitive read) queued behind the others from
 * its insert to its COMMIT's disk flush: one writer at a time for the whole platform, 14% of a
 * SEROCU page's throughput under load. Now an event is inserted unchained (no lock: nothing is
 * read without its event, which still commits with the request), and `audit_chain_extend()`
 * chains the committed events in the order it finds them, one caller at a time under the same
 * lock, as transparency logs do. Every instance calls it every few hundred milliseconds
 * (audit/sequencer.ts); two never chain the same event (the lock, and only unchained rows are
 * taken). A crash between a commit and the chaining loses nothing: the events are there,
 * unchained, and the next call chains them.
 *
 * Order: events chained before this migration keep their place (their ids' order); events
 * chained by audit_chain_extend() follow in `chain_seq` order, drawn from the id sequence when
 * chained, so above every earlier id. Verification walks `coalesce(chain_seq, id)` and reports
 * the unchained tail.
 */
export class Migration20261205003000_audit_sequencer extends Migration {
  override async up(): Promise<void> {
    this.addSql('alter table audit_event add column chain_seq bigint');
    this.addSql('alter table audit_event alter column prev_hash drop not null, alter column hash drop not null');
    this.addSql('create unique index audit_event_chain_seq_idx on audit_event (chain_seq)');
    this.addSql('create index audit_event_unchained_idx on audit_event (id) where hash is null');
    this.insertUnchained();
    this.chainingMayUpdate();
    this.extend();
    this.verification();
  }

  /** The insert trigger fills what the caller may not choose, and leaves the chain fields empty. */
  private insertUnchained(): void {
    this.addSql(`
      create or replace function audit_event_extend_chain() returns trigger
      language plpgsql security definer set search_path = public, pg_catalog as $$
      begin
        new.id := nextval(pg_get_serial_sequence('audit_event', 'id'));
        new.at := clock_timestamp();
        new.username := (select u.username from app_user u where u.id = new.user_id);
        new.detail := coalesce(new.detail, '{}'::jsonb);
        new.record_ids := coalesce(new.record_ids, '{}');
        -- Whatever the caller sent: only audit_chain_extend() links an event into the chain.
        new.prev_hash := null;
        new.hash := null;
        new.chain_seq := null;
        return new;
      end $$`);
  }

  /**
   * Rows stay append-only: the one change allowed is audit_chain_extend() filling an unchained
   * event's chain fields, once, with nothing else changed.
   */
  private chainingMayUpdate(): void {
    this.addSql(`
      create or replace function audit_event_refuse_change() returns trigger language plpgsql as $$
      begin
        if tg_op = 'UPDATE' and current_setting('soc.audit_chaining', true) = 'on' and old.hash is null and old.chain_seq is null
           and (to_jsonb(new) - array['prev_hash', 'hash', 'chain_seq']) = (to_jsonb(old) - array['prev_hash', 'hash', 'chain_seq']) then
          return new;
        end if;
        raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
      end $$`);
  }

  /** Chains up to `max_events` committed, unchained events in id order; returns how many. */
  private extend(): void {
    this.addSql(`
      create function audit_chain_extend(max_events integer default 10000) returns integer
      language plpgsql security definer set search_path = public, pg_catalog as $$
      declare
        head audit_chain_head;
        e audit_event;
        chained integer := 0;
      begin
        perform pg_advisory_xact_lock(${CHAIN_LOCK_KEY});
        select * into strict head from audit_chain_head for update;
        perform set_config('soc.audit_chaining', 'on', true);
        for e in select * from audit_event where hash is null order by id limit max_events loop
          e.chain_seq := nextval(pg_get_serial_sequence('audit_event', 'id'));
          e.prev_hash := head.last_hash;
          e.hash := audit_event_hash(e.prev_hash, e);
          update audit_event set chain_seq = e.chain_seq, prev_hash = e.prev_hash, hash = e.hash where id = e.id;
          head.last_id := e.id;
          head.last_hash := e.hash;
          chained := chained + 1;
        end loop;
        perform set_config('soc.audit_chaining', 'off', true);
        if chained > 0 then
          update audit_chain_head set last_id = head.last_id, last_hash = head.last_hash;
        end if;
        return chained;
      end $$`);
    this.addSql('revoke all on function audit_chain_extend(integer) from public');
  }

  private verification(): void {
    this.addSql('drop function audit_verify_chain()');
    this.addSql(`
      create function audit_verify_chain(out valid boolean, out events_checked bigint, out first_broken_event_id bigint, out events_unchained bigint)
      language plpgsql stable security definer set search_path = public, pg_catalog as $$
      declare
        e audit_event;
        expected text := '${GENESIS_HASH}';
        last_id bigint;
        head audit_chain_head;
      begin
        if not ('AUDITOR' = any (soc_caller_roles())) then
          raise exception 'only auditors may verify the audit trail' using errcode = 'insufficient_privilege';
        end if;
        valid := true;
        events_checked := 0;
        for e in select * from audit_event where hash is not null order by coalesce(chain_seq, id) loop
          events_checked := events_checked + 1;
          if valid and (e.prev_hash is distinct from expected or e.hash is distinct from audit_event_hash(e.prev_hash, e)) then
            valid := false;
            first_broken_event_id := e.id;
          end if;
          expected := e.hash;
          last_id := e.id;
        end loop;
        select count(*) into events_unchained from audit_event where hash is null;
        select * into head from audit_chain_head;
        if valid and (head.last_hash is distinct from expected or head.last_id is distinct from last_id) then
          valid := false;
          first_broken_event_id := coalesce(head.last_id, last_id);
        end if;
      end $$`);
    this.addSql('grant execute on function audit_verify_chain() to soc_app');
  }

  override async down(): Promise<void> {
    throw new Error('Migration20261205003000_audit_sequencer cannot be undone: events chained after commit have no place in the old order');
  }
}
