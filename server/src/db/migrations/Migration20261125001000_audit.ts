import { Migration } from '@mikro-orm/migrations';

export const AUDIT_ACTIONS = ['READ', 'CREATE', 'UPDATE', 'DELETE', 'DENIED', 'EXPORT'] as const;
export const AUDIT_PURPOSES = ['INVESTIGATION', 'SAFEGUARDING', 'TASKING', 'ANALYSIS', 'REPORTING', 'AUDIT'] as const;

/** Any number would do; it only has to be the same everywhere the chain is extended. */
const CHAIN_LOCK_KEY = 7_400_125;
const GENESIS_HASH = '0'.repeat(64);

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The append-only audit trail (docs/domain.md, AuditEvent). Each event carries the hash of the one
 * before it, computed by a trigger so that no code path can skip or forge it; UPDATE and DELETE
 * are refused by a trigger whoever tries, and the application role has no grant for them either.
 */
export class Migration20261125001000_audit extends Migration {
  override async up(): Promise<void> {
    this.table();
    this.chain();
    this.appendOnly();
    this.verification();
    this.access();
  }

  private table(): void {
    this.addSql(`
      create table audit_event (
        id bigserial primary key,
        at timestamptz not null default clock_timestamp(),
        user_id uuid not null references app_user (id),
        username text not null,
        organisation_id uuid not null references organisation (id),
        operation text,
        action text not null check (action in (${list(AUDIT_ACTIONS)})),
        record_type text,
        record_ids uuid[] not null default '{}',
        purpose text check (purpose in (${list(AUDIT_PURPOSES)})),
        client_address text,
        request_id text,
        detail jsonb not null default '{}',
        prev_hash text not null,
        hash text not null
      )`);
    // Ids come from the chain trigger, under its lock, so that they run in the chain's order and a
    // column default does not burn a number for every event.
    this.addSql('alter table audit_event alter column id drop default');
    this.addSql('create index audit_event_organisation_idx on audit_event (organisation_id, id desc)');
    this.addSql('create index audit_event_user_idx on audit_event (user_id, id desc)');
    this.addSql('create index audit_event_records_idx on audit_event using gin (record_ids)');
    this.addSql('create index audit_event_at_idx on audit_event (at)');
    // The head of the chain: the last event's id and hash. Only the trigger (as the owner) touches
    // it; it also lets verification notice events removed from the end.
    this.addSql(`
      create table audit_chain_head (
        singleton boolean primary key default true check (singleton),
        last_id bigint,
        last_hash text not null
      )`);
    this.addSql(`insert into audit_chain_head (last_id, last_hash) values (null, '${GENESIS_HASH}')`);
  }

  /**
   * The canonical text of an event: a JSON array of its fields in a fixed order (JSON escapes
   * every separator, and jsonb prints `detail` with its keys in a stable order).
   */
  private chain(): void {
    this.addSql(`
      create function audit_event_hash(prev text, e audit_event) returns text
      language sql immutable set search_path = public, pg_catalog as $$
        select encode(sha256(convert_to(prev || jsonb_build_array(
          e.id, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), e.user_id, e.username, e.organisation_id,
          e.operation, e.action, e.record_type, e.record_ids, e.purpose, e.client_address, e.request_id, e.detail)::text, 'UTF8')), 'hex')
      $$`);
    // Security definer: the chain head is not the caller's to read or write. The advisory lock
    // (held to the end of the transaction) puts concurrent writers in one line, and the id is
    // drawn under it, so the chain's order is the ids' order.
    this.addSql(`
      create function audit_event_extend_chain() returns trigger
      language plpgsql security definer set search_path = public, pg_catalog as $$
      declare
        head audit_chain_head;
      begin
        perform pg_advisory_xact_lock(${CHAIN_LOCK_KEY});
        select * into strict head from audit_chain_head for update;
        new.id := nextval(pg_get_serial_sequence('audit_event', 'id'));
        new.at := clock_timestamp();
        new.username := (select u.username from app_user u where u.id = new.user_id);
        new.detail := coalesce(new.detail, '{}'::jsonb);
        new.record_ids := coalesce(new.record_ids, '{}');
        new.prev_hash := head.last_hash;
        new.hash := audit_event_hash(new.prev_hash, new);
        update audit_chain_head set last_id = new.id, last_hash = new.hash;
        return new;
      end $$`);
    this.addSql(`create trigger audit_event_chain before insert on audit_event for each row execute function audit_event_extend_chain()`);
  }

  private appendOnly(): void {
    this.addSql(`
      create function audit_event_refuse_change() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_event is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
      end $$`);
    this.addSql(`create trigger audit_event_append_only before update or delete on audit_event for each row execute function audit_event_refuse_change()`);
    this.addSql(`create trigger audit_event_no_truncate before truncate on audit_event for each statement execute function audit_event_refuse_change()`);
  }

  /**
   * Recomputes the whole chain in id order: each event must link to the one before and hash to
   * what it says; the last must be the recorded head. Auditors only. Security definer so that a
   * force's auditor, who may read only their own events, can still have the whole chain checked.
   */
  private verification(): void {
    this.addSql(`
      create function audit_verify_chain(out valid boolean, out events_checked bigint, out first_broken_event_id bigint)
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
        for e in select * from audit_event order by id loop
          events_checked := events_checked + 1;
          if valid and (e.prev_hash is distinct from expected or e.hash is distinct from audit_event_hash(e.prev_hash, e)) then
            valid := false;
            first_broken_event_id := e.id;
          end if;
          expected := e.hash;
          last_id := e.id;
        end loop;
        select * into head from audit_chain_head;
        if valid and (head.last_hash is distinct from expected or head.last_id is distinct from last_id) then
          valid := false;
          first_broken_event_id := coalesce(head.last_id, last_id);
        end if;
      end $$`);
  }

  /**
   * soc_app may read (as the policy allows) and append as itself, nothing else. Auditors read
   * events: a regional unit's auditor those of every organisation in its region, any other
   * auditor their own organisation's (docs/domain.md, the "audit" column).
   */
  private access(): void {
    this.addSql(`create function soc_caller_user() returns uuid language sql stable as $$ select nullif(current_setting('soc.user_id', true), '')::uuid $$`);
    this.addSql(`
      create function soc_caller_audits(org uuid) returns boolean language sql stable as $$
        select 'AUDITOR' = any (soc_caller_roles()) and (
          org = soc_caller_org()
          or exists (select 1 from organisation mine join organisation theirs on theirs.region = mine.region
                      where mine.id = soc_caller_org() and mine.type = 'ROCU' and theirs.id = org))
      $$`);
    this.addSql('revoke all on audit_event, audit_chain_head from public');
    this.addSql('grant select, insert on audit_event to soc_app');
    this.addSql('grant execute on function audit_verify_chain() to soc_app');
    this.addSql('alter table audit_event enable row level security');
    this.addSql('alter table audit_event force row level security');
    this.addSql('create policy audit_event_read on audit_event for select to soc_app using (soc_caller_audits(organisation_id))');
    this.addSql(`create policy audit_event_append on audit_event for insert to soc_app
      with check (user_id = soc_caller_user() and organisation_id = soc_caller_org())`);
    // The owner (whoever migrates) reads everything, so the definer functions work even when it
    // is not a superuser; it still cannot change a row (the triggers).
    this.addSql(`do $$ begin execute format('create policy audit_event_owner on audit_event for select to %I using (true)', current_user); end $$`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function audit_verify_chain');
    this.addSql('drop table audit_event, audit_chain_head cascade');
    this.addSql('drop function if exists audit_event_extend_chain, audit_event_refuse_change, audit_event_hash, soc_caller_audits, soc_caller_user');
  }
}
