import type { TestApp } from './test-app';

export interface AgreementOptions {
  parties: string[];
  categories?: string[];
  maxMarking?: string;
  status?: 'DRAFT' | 'ACTIVE' | 'SUSPENDED' | 'EXPIRED';
  effectiveFrom?: string;
  expiresOn?: string;
}

/**
 * An information sharing agreement between organisations (by code), written with SQL: without
 * one, a non-police partner reads nothing that police organisations share with it.
 * @returns the agreement's database id.
 */
export async function sharingAgreement(app: TestApp, options: AgreementOptions): Promise<string> {
  const [row] = await app.app.orm.em.getConnection().execute(
    `insert into information_sharing_agreement
       (title, parties, legal_gateways, purposes, data_categories, max_protective_marking, effective_from, expires_on, status)
     values (?, (select array_agg(id) from organisation where code = any (?::text[])), '{CRIME_AND_DISORDER_ACT_1998_S115}', '{SAFEGUARDING}', ?::text[], ?, ?, ?, ?)
     returning id`,
    [
      `Test agreement: ${options.parties.join(', ')}`,
      // Array literals, because the driver would spread a JavaScript array into separate values.
      `{${options.parties.join(',')}}`,
      `{${(options.categories ?? ['THREAT', 'NOMINAL', 'PLAN', 'DISRUPTION', 'REFERRAL', 'PRACTICE']).join(',')}}`,
      options.maxMarking ?? 'OFFICIAL_SENSITIVE',
      options.effectiveFrom ?? '2020-01-01',
      options.expiresOn ?? '2099-12-31',
      options.status ?? 'ACTIVE',
    ],
  );
  return row.id;
}

/**
 * Fault injected for tests: an update of a threat whose new name contains "raise me" is saved,
 * and then (by a trigger running as the table's owner, past row-level security) its marking is
 * raised to SECRET, so the editor cannot read it back and the mutation's answer fails after the
 * change was made. Returns the undo.
 */
export async function raiseMarkingOnUpdate(app: TestApp): Promise<() => Promise<void>> {
  const run = (sql: string) => app.app.orm.em.getConnection().execute(sql);
  await run(`create or replace function test_raise_marking() returns trigger language plpgsql security definer as $$
    begin update soc_threat set protective_marking = 'SECRET' where id = new.id; return null; end $$`);
  await run(`create trigger test_raise_marking after update on soc_threat for each row
    when (new.name like '%raise me%' and new.protective_marking <> 'SECRET') execute function test_raise_marking()`);
  return async () => void (await run('drop trigger test_raise_marking on soc_threat; drop function test_raise_marking()'));
}
