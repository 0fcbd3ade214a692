import { Migration } from '@mikro-orm/migrations';

/**
 * soc_caller_referral_parties(): for every referral to which the caller's organisation is a
 * party, its subject and each of its two parties (a row each), read past the referrals' own
 * row-level security.
 *
 * The application's policy (access/policy.ts, REFERRAL_SUBJECT) shows a person to an organisation
 * party to a referral about them whose other party owns them. It read the referrals as the
 * caller, under the referrals' row-level security, which also asks whether the caller's roles may
 * read referrals at all: with both layers on, a force's threat assessor (roles that read people
 * but not referrals) did not see a person their force had been referred, though the rule, the
 * database's own policy (soc_caller_referral_subjects, security definer for the same reason) and
 * docs/access.md all say they do; they were told "not found" where they should have been told
 * they may not change the person (test/access/write-property.test.ts found it with seed
 * 416856522). The facts the rule stands on must not depend on what the caller may see of the
 * table holding them. Like every soc_caller_* function it answers only for the caller's own
 * organisation; the application's policy still decides for itself who the parties must be. It
 * takes no argument, so that the policy asks it once per statement (an uncorrelated IN, hashed):
 * asked once per person, a list of people cost SEROCU twice the time it had.
 */
export class Migration20261206006000_referral_parties extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create function soc_caller_referral_parties()
        returns table (subject_id uuid, party_id uuid)
      language sql stable security definer parallel safe set search_path = public as $$
        select r.subject_id, party.id
          from safeguarding_referral r
          cross join lateral (values (r.referring_organisation_id), (r.receiving_organisation_id)) as party (id)
         where soc_caller_org() in (r.referring_organisation_id, r.receiving_organisation_id)
      $$`);
    this.addSql('revoke all on function soc_caller_referral_parties() from public');
    this.addSql('grant execute on function soc_caller_referral_parties() to soc_app');
  }

  override async down(): Promise<void> {
    this.addSql('drop function soc_caller_referral_parties()');
  }
}
