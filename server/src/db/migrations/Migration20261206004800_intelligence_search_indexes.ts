import { Migration } from '@mikro-orm/migrations';

/**
 * The header's search finds intelligence reports too (by reference, sanitised text and, where the
 * caller is shown it, original text), through the leakproof `~~~*` operator of
 * Migration20261205003700_search_indexes, so these indexes can answer it before row-level
 * security checks each row, as they do for the other kinds.
 */
const INDEXED: [string, string][] = [
  ['reference', 'reference'],
  ['sanitised_text', 'sanitised_text'],
  ['original_text', 'original_text'],
];

export class Migration20261206004800_intelligence_search_indexes extends Migration {
  override async up(): Promise<void> {
    for (const [name, expression] of INDEXED) {
      this.addSql(`create index intelligence_report_${name}_search on intelligence_report using gin ((${expression}) soc_search_ops)`);
    }
  }

  override async down(): Promise<void> {
    for (const [name] of INDEXED) this.addSql(`drop index if exists intelligence_report_${name}_search`);
  }
}
