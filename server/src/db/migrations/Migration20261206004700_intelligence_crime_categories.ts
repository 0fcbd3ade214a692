import { Migration } from '@mikro-orm/migrations';
import { CrimeCategory } from '../../modules/threats/threat.enums';

/**
 * The crime categories an intelligence report mentions (issue 19). A report about a group's
 * people may tell of crime the group's profile does not list yet: the part of its criminality an
 * assessment would miss (inspection finding 3). The "unlisted crime category" insight compares
 * the two. Row-level security is unchanged: the column is part of the report.
 */
export class Migration20261206004700_intelligence_crime_categories extends Migration {
  override async up(): Promise<void> {
    const categories = Object.values(CrimeCategory).map((c) => `'${c}'`).join(', ');
    this.addSql(`alter table intelligence_report add column crime_categories text[] not null default '{}'
      constraint intelligence_report_crime_categories_check check (crime_categories <@ array[${categories}]::text[])`);
  }
}
