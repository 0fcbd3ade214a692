import { randomReference } from '../../../shared/reference';
import { daysBefore } from './random';
import { insertAll, org, shared, user, type World } from './generate';

/**
 * Analytical requests made to SEROCU's analysts over the last six months: some delivered (one
 * late), some in hand, some waiting, and several declined for lack of capacity (the figure the
 * inspection's first finding needs). Requested by forces about their own threats; no request
 * from Sussex, so its users see "none shared with you". All questions and people are fictional.
 */
interface DemoRequest {
  by: 'hiow.analyst' | 'tvp.investigator' | 'surrey.investigator';
  product: 'PROFILE' | 'NETWORK_CHART' | 'PROBLEM_PROFILE' | 'TACTICAL_ASSESSMENT';
  priority: 'HIGH' | 'MEDIUM' | 'LOW';
  question: string;
  /** Days ago the request was made, and days after that it was due. */
  madeDaysAgo: number;
  dueAfterDays: number;
  /** What became of it, and when (days after it was made). */
  outcome: { status: 'REQUESTED' } | { status: 'ACCEPTED' | 'IN_PROGRESS'; acceptedAfter: number } | { status: 'DELIVERED'; acceptedAfter: number; deliveredAfter: number } | { status: 'DECLINED'; reason: string; explanation: string; declinedAfter: number };
}

const CAPACITY = 'Both analysts are committed to the region\'s priority operations until the end of the month; resubmit if it is still needed then.';

const REQUESTS: DemoRequest[] = [
  { by: 'hiow.analyst', product: 'NETWORK_CHART', priority: 'HIGH', question: 'Who supplies the line into Southsea, and how are its runners recruited?', madeDaysAgo: 170, dueAfterDays: 21, outcome: { status: 'DELIVERED', acceptedAfter: 2, deliveredAfter: 18 } },
  { by: 'tvp.investigator', product: 'PROFILE', priority: 'MEDIUM', question: 'A profile of the group\'s use of short-term lets in Reading.', madeDaysAgo: 150, dueAfterDays: 28, outcome: { status: 'DECLINED', reason: 'LACK_OF_CAPACITY', explanation: CAPACITY, declinedAfter: 3 } },
  { by: 'surrey.investigator', product: 'TACTICAL_ASSESSMENT', priority: 'HIGH', question: 'Which disruption options would most affect the group\'s cash collection in Guildford?', madeDaysAgo: 120, dueAfterDays: 14, outcome: { status: 'DELIVERED', acceptedAfter: 1, deliveredAfter: 20 } },
  { by: 'hiow.analyst', product: 'PROBLEM_PROFILE', priority: 'LOW', question: 'A problem profile of cuckooing in Havant over the last two years.', madeDaysAgo: 95, dueAfterDays: 42, outcome: { status: 'DECLINED', reason: 'LACK_OF_CAPACITY', explanation: CAPACITY, declinedAfter: 5 } },
  { by: 'tvp.investigator', product: 'NETWORK_CHART', priority: 'HIGH', question: 'Chart the phones linked to the Banbury deal line.', madeDaysAgo: 70, dueAfterDays: 14, outcome: { status: 'DELIVERED', acceptedAfter: 1, deliveredAfter: 12 } },
  { by: 'surrey.investigator', product: 'PROFILE', priority: 'LOW', question: 'A profile of a nail bar suspected of laundering cash.', madeDaysAgo: 60, dueAfterDays: 30, outcome: { status: 'DECLINED', reason: 'OUT_OF_SCOPE', explanation: 'A trading standards and force matter; the force\'s own analysts hold the picture.', declinedAfter: 4 } },
  { by: 'hiow.analyst', product: 'TACTICAL_ASSESSMENT', priority: 'MEDIUM', question: 'What is known of the group\'s movement between Portsmouth and the Isle of Wight ferries?', madeDaysAgo: 40, dueAfterDays: 21, outcome: { status: 'DECLINED', reason: 'LACK_OF_CAPACITY', explanation: CAPACITY, declinedAfter: 2 } },
  { by: 'tvp.investigator', product: 'PROBLEM_PROFILE', priority: 'HIGH', question: 'A problem profile of child exploitation linked to the Oxford lines.', madeDaysAgo: 30, dueAfterDays: 21, outcome: { status: 'IN_PROGRESS', acceptedAfter: 2 } },
  { by: 'surrey.investigator', product: 'NETWORK_CHART', priority: 'MEDIUM', question: 'Chart the associates of the prisoner directing supply from custody.', madeDaysAgo: 12, dueAfterDays: 28, outcome: { status: 'ACCEPTED', acceptedAfter: 3 } },
  { by: 'hiow.analyst', product: 'PROFILE', priority: 'HIGH', question: 'A profile of the lock-up named in recent calls, and who uses it.', madeDaysAgo: 4, dueAfterDays: 14, outcome: { status: 'REQUESTED' } },
  { by: 'tvp.investigator', product: 'TACTICAL_ASSESSMENT', priority: 'MEDIUM', question: 'Tactical options against the car wash\'s cash deposits.', madeDaysAgo: 2, dueAfterDays: 30, outcome: { status: 'REQUESTED' } },
];

const at = (date: string, hour = 10) => `${date}T${String(hour).padStart(2, '0')}:00:00Z`;

export async function generateAnalyticalRequests(world: World): Promise<void> {
  const serocu = org(world, 'SEROCU');
  const analyst = user(world, 'serocu.analyst');
  const manager = user(world, 'serocu.sro');
  const rows = REQUESTS.map((r, i) => {
    const requester = world.users.get(r.by)!;
    // A threat the requesting force owns, so the requester may read what the request supports.
    const own = world.threats.filter((t) => t.ownerId === requester.organisationId);
    const threat = own[i % own.length] ?? world.threats[i % world.threats.length];
    const made = daysBefore(world.today, r.madeDaysAgo);
    const after = (days: number) => at(daysBefore(made, -days));
    const o = r.outcome;
    const accepted = 'acceptedAfter' in o ? after(o.acceptedAfter) : null;
    return {
      reference: randomReference('AR', made.slice(0, 4)),
      question: r.question,
      product_type: r.product,
      priority: r.priority,
      due_on: daysBefore(made, -r.dueAfterDays),
      status: o.status,
      threat_id: threat.id,
      assigned_analyst_id: accepted ? analyst : null,
      accepted_at: accepted,
      delivered_at: 'deliveredAfter' in o ? after(o.deliveredAfter) : null,
      declined_at: 'declinedAfter' in o ? after(o.declinedAfter) : null,
      decline_reason: 'reason' in o ? o.reason : null,
      decline_explanation: 'explanation' in o ? o.explanation : null,
      ...shared(world, requester.organisationId, 'OFFICIAL_SENSITIVE', 'NAMED_ORGANISATIONS', requester.id, made),
      shared_with: [serocu],
      updated_by: o.status === 'REQUESTED' ? requester.id : o.status === 'DECLINED' || o.status === 'ACCEPTED' ? manager : analyst,
    };
  });
  await insertAll(world.knex, 'analytical_request', rows);
}
