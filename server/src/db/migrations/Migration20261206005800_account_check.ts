import { Migration } from '@mikro-orm/migrations';

/**
 * The refusal of a remembered account (db/request-db.ts, AccountCache): a request whose account
 * was read by an earlier request does not read it again; its transaction's first message checks
 * instead, ahead of BEGIN's settings, that the account is still active and unchanged (the row
 * versions of the user and their organisation that the server remembers), and calls this when it
 * is not. The error fails the message, so nothing of the request is read or written under the
 * old account; its own SQLSTATE tells the server to forget the account and answer the request
 * again from a fresh lookup (refused as deactivated, or served as the account now is).
 */
export class Migration20261206005800_account_check extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function soc_refuse_changed_account(username text) returns void
      language plpgsql as $$
      begin
        raise exception 'the account "%" changed or was deactivated since this server last read it', username using errcode = 'SOCA1';
      end $$`);
  }

  override async down(): Promise<void> {
    this.addSql('drop function soc_refuse_changed_account(text)');
  }
}
