import { daysBefore } from './random';
import { insertAll, org, shared, user, type DemoSize, type World } from './generate';

/** Practice worth sharing (the inspection asked for it to be found and promoted); all fictional. */
const ENTRIES = [
  {
    title: 'Joint police and MASH visits to cuckooed addresses',
    aim: 'Find and safeguard exploited children and adults at the same visit as enforcement.',
    description: 'Officers and a children\'s services social worker visit addresses identified as cuckooed together, so that a child found there is safeguarded on the spot instead of referred days later.',
    topics: ['cuckooing', 'county lines', 'safeguarding'],
    owner: 'TVP', partners: ['OXON_CS'], stage: 'IMPLEMENTED', rating: 'PROMISING', contact: 'tvp.safeguarding', endorsers: ['oxon.mash', 'hiow.analyst'],
  },
  {
    title: 'Reachable moments: youth workers in custody suites',
    aim: 'Use the moment of arrest to offer a way out of exploitation.',
    description: 'Youth workers meet children arrested for drug supply while they are still in custody and offer mentoring, with follow-up for six months.',
    topics: ['child criminal exploitation', 'diversion', 'prevent'],
    owner: 'HIOW', partners: ['HANTS_CS'], stage: 'EVALUATED', rating: 'EFFECTIVE', contact: 'hiow.analyst', endorsers: ['serocu.analyst', 'tvp.investigator'],
  },
  {
    title: 'Financial profiling of cash businesses on the high street',
    aim: 'Spot laundering fronts early from licensing and business-rates data.',
    description: 'Trading standards, HMRC and the force share licensing and business-rates data to flag nail bars and car washes whose turnover does not fit their footfall.',
    topics: ['money laundering', 'partnership data', 'pursue'],
    owner: 'SEROCU', partners: ['HMRC', 'BUCKS_TS'], stage: 'PILOT', rating: 'PROMISING', contact: 'serocu.analyst', endorsers: ['hmrc.officer'],
  },
  {
    title: 'School assemblies on phone-based grooming by drug lines',
    aim: 'Teach children how lines recruit them through social media and gaming.',
    description: 'A short assembly and lesson plan, written with young people who were exploited, on how lines approach children online.',
    topics: ['education', 'prevent', 'child criminal exploitation'],
    owner: 'SURREY', partners: ['SURREY_CS'], stage: 'PILOT', rating: 'UNTESTED_NEW', contact: 'surrey.investigator', endorsers: [],
  },
  {
    title: 'Return home interviews shared with intelligence units',
    aim: 'Turn what missing children say on return into intelligence about the groups exploiting them.',
    description: 'Children\'s services share themes from return home interviews, with consent or a recorded reason, so that analysts can link missing episodes to county lines.',
    topics: ['missing children', 'intelligence', 'safeguarding'],
    owner: 'OXON_CS', partners: ['TVP'], stage: 'IMPLEMENTED', rating: 'PROMISING', contact: 'oxon.mash', endorsers: ['tvp.safeguarding', 'serocu.lro'],
  },
  {
    title: 'Rail station patrols timed to line runner journeys',
    aim: 'Intercept children travelling to run lines, using ticket data.',
    description: 'Patrols at stations on known routes are timed with analysis of ticket purchases, and children found are treated as victims first.',
    topics: ['county lines', 'transport', 'protect'],
    owner: 'SUSSEX', partners: ['WSX_CS'], stage: 'IDEA', rating: 'UNTESTED_NEW', contact: 'sussex.investigator', endorsers: ['serocu.sro'],
  },
] as const;

/** Practice entries with endorsements from other organisations; larger sizes repeat them with a number. */
export async function generatePractice(world: World, size: DemoSize): Promise<void> {
  const entries: Record<string, unknown>[] = [];
  const endorsements: Record<string, unknown>[] = [];
  for (let i = 0; i < size.practices; i++) {
    const e = ENTRIES[i % ENTRIES.length];
    const id = world.random.uuid();
    const round = Math.floor(i / ENTRIES.length);
    const created = daysBefore(world.today, world.random.int(10, 400));
    entries.push({
      id,
      title: round ? `${e.title} (${round + 1})` : e.title,
      aim: e.aim,
      description: e.description,
      topics: [...e.topics],
      partners: e.partners.map((p) => org(world, p)),
      stage: e.stage,
      evidence_rating: e.rating,
      contact: `Contact ${e.contact} through SOC Hub`,
      ...shared(world, org(world, e.owner), 'OFFICIAL', 'ALL_PARTNERS', user(world, e.contact), created),
    });
    for (const endorser of e.endorsers) {
      const u = world.users.get(endorser)!;
      endorsements.push({ entry_id: id, user_id: u.id, organisation_id: u.organisationId, comment: 'We have started doing this too.', at: `${daysBefore(created, -world.random.int(1, 9))}T11:00:00Z` });
    }
  }
  await insertAll(world.knex, 'practice_entry', entries);
  await insertAll(world.knex, 'practice_endorsement', endorsements);
}
