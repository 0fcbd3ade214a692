import rules from '../../../modules/referrals/referral-rules.json';
import { daysBefore } from './random';
import { insertAll, org, shared, user, type DemoSize, type World } from './generate';

/** The two sides of the demo's referrals, each with a demo user who acts for it. */
const POLICE = [['TVP', 'tvp.safeguarding'], ['HIOW', 'hiow.analyst'], ['SURREY', 'surrey.investigator'], ['SUSSEX', 'sussex.investigator']] as const;
const CHILDRENS_SERVICES = ['OXON_CS', 'oxon.mash'] as const;
const STATUSES = ['SUBMITTED', 'ACKNOWLEDGED', 'IN_PROGRESS', 'DECISION', 'CLOSED'] as const;
const CHILD_TYPES = [['MASH_CONTACT', 5], ['NRM_REFERRAL', 2], ['EARLY_HELP', 1]] as const;
const ADULT_TYPES = [['NRM_REFERRAL', 2], ['DUTY_TO_NOTIFY_MS1', 1], ['ADULT_SAFEGUARDING_CONCERN', 2]] as const;

function outcomeFor(type: string, random: World['random']): string {
  if (type === 'NRM_REFERRAL') return random.pick(['REASONABLE_GROUNDS_POSITIVE', 'REASONABLE_GROUNDS_NEGATIVE', 'CONCLUSIVE_GROUNDS_POSITIVE']);
  return random.pick(['CSC_ASSESSMENT', 'EARLY_HELP_OR_OTHER_AGENCY', 'NO_FURTHER_ACTION']);
}

const at = (date: string, hour: number) => new Date(Date.parse(`${date}T00:00:00Z`) + hour * 3_600_000).toISOString();

/**
 * Referrals in every state, from the police to children's services and back, about the
 * children and adults the generated groups exploit: each with its timeline (the share and its
 * reason, then every status change), some waiting past their acknowledgement time.
 */
export async function generateReferrals(world: World, size: DemoSize): Promise<void> {
  const { random, today } = world;
  const referrals: Record<string, unknown>[] = [];
  const updates: Record<string, unknown>[] = [];
  // Referrals are about the people the groups exploit.
  const victims = world.nominals.filter((n) => n.role === 'EXPLOITED_VICTIM');
  const policeVictims = victims.filter((v) => POLICE.some(([code]) => org(world, code) === v.owner));
  for (let i = 0; i < size.referrals; i++) {
    // A referral is about a person one of its parties recorded (the API refuses any other: it
    // would pass the person on beyond their owner's sharing): here, the police side's. A force
    // that recorded no victims gives way to the force that recorded the person picked.
    const picked = random.pick(POLICE);
    const ownVictims = victims.filter((v) => v.owner === org(world, picked[0]));
    const subject = random.pick(ownVictims.length ? ownVictims : policeVictims);
    const [policeCode, policeUser] = POLICE.find(([code]) => org(world, code) === subject.owner) ?? picked;
    const fromPolice = random.chance(0.75);
    const [fromCode, fromUser] = fromPolice ? [policeCode, policeUser] : CHILDRENS_SERVICES;
    const [toCode, toUser] = fromPolice ? CHILDRENS_SERVICES : [policeCode, policeUser];
    // The subject's age decides the route: the API refuses a child flag that contradicts a date of birth.
    const isChild = subject.isChild;
    const type = isChild ? random.weighted(CHILD_TYPES) : random.weighted(ADULT_TYPES);
    const ms1 = type === 'DUTY_TO_NOTIFY_MS1';
    const consent = type === 'NRM_REFERRAL' && !isChild ? true : !isChild && !ms1 ? random.chance(0.7) : random.chance(0.3);
    const urgency = random.weighted([['RED', 1], ['AMBER', 3], ['GREEN', 2]] as const);
    const status = i < STATUSES.length ? STATUSES[i] : random.weighted([['SUBMITTED', 2], ['ACKNOWLEDGED', 2], ['IN_PROGRESS', 3], ['DECISION', 1], ['CLOSED', 4]] as const);
    const submittedOn = daysBefore(today, status === 'SUBMITTED' ? random.int(0, 3) : random.int(5, 540));
    const submittedAt = at(submittedOn, random.int(8, 17));
    const dueAt = new Date(Date.parse(submittedAt) + rules.acknowledgementHours[urgency] * 3_600_000).toISOString();
    const lateAck = random.chance(0.2);
    const acknowledgedAt = status === 'SUBMITTED' ? null : new Date(Date.parse(submittedAt) + rules.acknowledgementHours[urgency] * 3_600_000 * (lateAck ? 1.5 : 0.5)).toISOString();
    const id = random.uuid();
    referrals.push({
      id,
      reference: `SR-${submittedOn.slice(0, 4)}-${String(i + 1).padStart(5, '0')}`,
      subject_id: ms1 ? null : subject.id,
      subject_is_child: isChild && !ms1,
      referral_type: type,
      exploitation_types: isChild ? random.sample(['CHILD_CRIMINAL_EXPLOITATION', 'COUNTY_LINES', 'CUCKOOING', 'CHILD_SEXUAL_EXPLOITATION'], random.int(1, 2)) : random.sample(['CUCKOOING', 'MODERN_SLAVERY_FORCED_LABOUR', 'CRIMINAL_EXPLOITATION_ADULT'], 1),
      referring_organisation_id: org(world, fromCode),
      receiving_organisation_id: org(world, toCode),
      urgency,
      consent_obtained: ms1 ? false : consent,
      summary: ms1
        ? 'Adult potential victim of forced labour who did not consent to an NRM referral: duty to notify, no identifying details.'
        : isChild
          ? 'Child found at an address used for dealing; carrying a line phone and cash.'
          : 'Adult whose flat is being used by the group; says they are too frightened to refuse.',
      status,
      outcome: status === 'DECISION' || status === 'CLOSED' ? outcomeFor(type, random) : null,
      submitted_at: submittedAt,
      acknowledgement_due_at: dueAt,
      acknowledged_at: acknowledgedAt,
      feedback_to_referrer_at: status === 'CLOSED' && random.chance(0.7) ? at(daysBefore(submittedOn, -random.int(3, 20)), 12) : null,
      linked_threat_ids: ms1 ? [] : [subject.threatId],
      // OFFICIAL: the children's services practitioners who receive them are cleared to OFFICIAL.
      ...shared(world, org(world, fromCode), 'OFFICIAL', 'NAMED_ORGANISATIONS', user(world, fromUser), submittedOn),
      shared_with: [org(world, toCode)],
      created_at: submittedAt,
      updated_at: acknowledgedAt ?? submittedAt,
    });
    updates.push({
      referral_id: id,
      at: submittedAt,
      by_user_id: user(world, fromUser),
      organisation_id: org(world, fromCode),
      kind: 'SHARE',
      share_reason: consent
        ? 'Consent obtained.'
        : isChild
          ? 'Child at risk of significant harm: shared with safeguarding partners under the Children Act 2004.'
          : ms1
            ? 'Duty to notify the Home Office (Modern Slavery Act 2015, s52).'
            : 'Adult at risk of abuse or neglect: shared under the Care Act 2014 safeguarding duty.',
      shared_with_organisation_id: org(world, toCode),
    });
    updates.push({ referral_id: id, at: submittedAt, by_user_id: user(world, fromUser), organisation_id: org(world, fromCode), kind: 'STATUS_CHANGE', from_status: null, to_status: 'SUBMITTED' });
    const reached = STATUSES.indexOf(status);
    for (let s = 1; s <= reached; s++) {
      updates.push({
        referral_id: id,
        at: s === 1 ? acknowledgedAt : new Date(Date.parse(acknowledgedAt!) + s * 86_400_000).toISOString(),
        by_user_id: user(world, toUser),
        organisation_id: org(world, toCode),
        kind: 'STATUS_CHANGE',
        from_status: STATUSES[s - 1],
        to_status: STATUSES[s],
      });
    }
  }
  await insertAll(world.knex, 'safeguarding_referral', referrals);
  await world.knex.raw(`select setval('safeguarding_referral_ref_seq', greatest(?::bigint, 1))`, [size.referrals]);
  await insertAll(world.knex, 'referral_update', updates);
}
