import { daysBefore } from './random';
import { insertAll, org, shared, user, type World } from './generate';

/**
 * Records due for their retention review (MoPI), for SEROCU's reviewers (serocu.lro,
 * serocu.sro): three people recorded years ago, one already kept once at an earlier review,
 * SEROCU's intelligence report, one of SEROCU's threats (a closed one where there is one), and a
 * safeguarding referral SEROCU made ten years ago. Everyone named is fictional.
 */
const PEOPLE = [
  { name: 'Corwin Ashbury', aliases: ['Cory'], dateOfBirth: '1979-06-15', dueDaysAgo: 40, flags: [] as string[], keptBefore: false },
  { name: 'Delphine Marchetti', aliases: [], dateOfBirth: '1985-03-02', dueDaysAgo: 95, flags: [], keptBefore: true },
  { name: 'Ivo Pennick', aliases: ['Pen'], dateOfBirth: '1990-10-21', dueDaysAgo: 10, flags: ['ADULT_AT_RISK'], keptBefore: false },
];

export async function generateRetentionReviews(world: World): Promise<void> {
  const serocu = org(world, 'SEROCU');
  const analyst = user(world, 'serocu.analyst');
  const people = PEOPLE.map((p) => ({
    id: world.random.uuid(),
    name: p.name,
    aliases: p.aliases,
    date_of_birth: p.dateOfBirth,
    vulnerability_flags: p.flags,
    next_review_on: daysBefore(world.today, p.dueDaysAgo),
    ...shared(world, serocu, 'OFFICIAL_SENSITIVE', 'REGIONAL_LAW_ENFORCEMENT', analyst, daysBefore(world.today, 365 * 6 + p.dueDaysAgo)),
  }));
  await insertAll(world.knex, 'nominal', people);
  const reviews = PEOPLE.flatMap((p, i) =>
    p.keptBefore
      ? [{
          record_type: 'Nominal',
          record_id: people[i].id,
          organisation_id: serocu,
          reviewed_by: user(world, 'serocu.sro'),
          reviewed_at: `${daysBefore(world.today, 365 * 3 + p.dueDaysAgo)}T11:00:00Z`,
          reason: 'Associate of a group under active investigation at the time.',
          next_review_on: daysBefore(world.today, p.dueDaysAgo),
        }]
      : [],
  );
  await insertAll(world.knex, 'retention_review', reviews);
  await world.knex('intelligence_report').update({ next_review_on: daysBefore(world.today, 20) }).where({ owning_organisation_id: serocu });
}

/** A child SEROCU referred to Oxfordshire children's services ten years ago, long since closed. */
const REFERRED = { name: 'Kit Lanyon', dateOfBirth: '2003-04-09', yearsAgo: 10, dueDaysAgo: 25 };

/** One of SEROCU's threats (closed first) and a referral SEROCU made, both due for review. */
export async function generateRetentionReviewsOfThreatsAndReferrals(world: World): Promise<void> {
  const serocu = org(world, 'SEROCU');
  const own = world.threats.filter((t) => t.ownerId === serocu);
  const threat = own.find((t) => t.status === 'ARCHIVED' || t.status === 'REJECTED') ?? own[0];
  if (threat) await world.knex('soc_threat').update({ next_review_on: daysBefore(world.today, 15) }).where({ id: threat.id });

  const lro = user(world, 'serocu.lro');
  const made = daysBefore(world.today, 365 * REFERRED.yearsAgo + REFERRED.dueDaysAgo);
  const subject = world.random.uuid();
  await insertAll(world.knex, 'nominal', [{
    id: subject,
    name: REFERRED.name,
    aliases: [],
    date_of_birth: REFERRED.dateOfBirth,
    vulnerability_flags: ['Child criminal exploitation'],
    ...shared(world, serocu, 'OFFICIAL', 'REGIONAL_LAW_ENFORCEMENT', lro, made),
  }]);
  const id = world.random.uuid();
  const oxon = org(world, 'OXON_CS');
  await insertAll(world.knex, 'safeguarding_referral', [{
    id,
    reference: `SR-${made.slice(0, 4)}-90001`,
    subject_id: subject,
    subject_is_child: true,
    referral_type: 'MASH_CONTACT',
    exploitation_types: ['COUNTY_LINES'],
    referring_organisation_id: serocu,
    receiving_organisation_id: oxon,
    urgency: 'AMBER',
    consent_obtained: false,
    summary: 'Child found running a line phone between two county lines addresses; returned home and referred.',
    status: 'CLOSED',
    outcome: 'CSC_ASSESSMENT',
    submitted_at: `${made}T10:00:00Z`,
    acknowledgement_due_at: `${made}T22:00:00Z`,
    acknowledged_at: `${made}T15:00:00Z`,
    next_review_on: daysBefore(world.today, REFERRED.dueDaysAgo),
    ...shared(world, serocu, 'OFFICIAL', 'NAMED_ORGANISATIONS', lro, made),
    shared_with: [oxon],
  }]);
  await insertAll(world.knex, 'referral_update', [
    { referral_id: id, at: `${made}T10:00:00Z`, by_user_id: lro, organisation_id: serocu, kind: 'SHARE', share_reason: 'Child at risk of significant harm: shared with safeguarding partners under the Children Act 2004.', shared_with_organisation_id: oxon },
    { referral_id: id, at: `${made}T10:00:00Z`, by_user_id: lro, organisation_id: serocu, kind: 'STATUS_CHANGE', from_status: null, to_status: 'SUBMITTED' },
  ]);
}
