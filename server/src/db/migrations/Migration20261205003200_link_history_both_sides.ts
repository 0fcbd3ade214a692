import { Migration } from '@mikro-orm/migrations';
import { partHistoryTrigger } from './shared-record.sql';

/**
 * A link between two threats is part of both: its history (and so its live event) was written
 * only for the link row's `threat_id`, so the threat on the other side changed its links with no
 * history entry and no live event, and a page open on it did not update. The same trigger now
 * also writes it for `linked_threat_id`.
 */
export class Migration20261205003200_link_history_both_sides extends Migration {
  override async up(): Promise<void> {
    this.addSql(partHistoryTrigger('threat_link', 'SocThreat', 'linked_threat_id', 'linkedThreat').replace('create trigger threat_link_history ', 'create trigger threat_link_history_other_side '));
  }

  override async down(): Promise<void> {
    this.addSql('drop trigger threat_link_history_other_side on threat_link');
  }
}
