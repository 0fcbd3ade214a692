import { daysBefore } from './random';
import { insertAll, org, shared, user, type World } from './generate';

/**
 * Graded intelligence (3x5x2) behind the first threats: every grading kind, one 3E the entry
 * rules flag, handling codes P and C, and two disseminations to a children's services partner.
 * Each mentions crime categories, some of which its threat does not list (the insight finds them).
 * All people, nicknames, places of work and sources are fictional.
 */
const REPORTS = [
  {
    owner: 'TVP', by: 'tvp.investigator', source: 'RELIABLE', assessment: 'A', code: 'P', conditions: null, marking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT', mentions: ['ILLEGAL_DRUGS'],
    reference: 'Source TV-0417', sanitised: 'The line holder known as "Kestrel" collects cash from runners in person on Friday evenings.',
    original: 'Source TV-0417 was present when "Kestrel" took cash from two runners at the flat on Friday and heard him name the next drop.',
  },
  {
    owner: 'TVP', by: 'tvp.investigator', source: 'UNTESTED', assessment: 'C', code: 'C', conditions: 'For safeguarding the children named only; not to be disclosed to their families or schools.',
    marking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT', mentions: ['ILLEGAL_DRUGS', 'MODERN_SLAVERY_HUMAN_TRAFFICKING'], disseminateTo: 'OXON_CS',
    reference: 'Community contact CC-88', sanitised: 'Two children from the area are said to be travelling to the coast at weekends to sell drugs for the line.',
    original: 'A community contact heard from a neighbour that two local boys (names given) go to the coast every weekend "working the line".',
  },
  {
    owner: 'SEROCU', by: 'serocu.analyst', source: 'RELIABLE', assessment: 'B', code: 'P', conditions: null, marking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT', mentions: ['MONEY_LAUNDERING'],
    reference: 'Financial intelligence FI-2031', sanitised: 'Cash deposits at a car wash far exceed what its trade could produce, corroborated by a second report.',
    original: 'Suspicious activity reports on the car wash account, corroborated by a test purchase; deposits exceed plausible trade by several times.',
  },
  {
    owner: 'HIOW', by: 'hiow.analyst', source: 'NOT_RELIABLE', assessment: 'E', code: 'P', conditions: null, marking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT', mentions: ['ILLEGAL_FIREARMS'],
    reference: 'Anonymous call AC-5512', sanitised: 'A caller alleged that the group stores firearms at a lock-up; previous calls from the same line proved false.',
    original: 'Anonymous caller (same number as three earlier false reports) said the group keeps guns at a lock-up behind the parade.',
  },
  {
    owner: 'SURREY', by: 'surrey.investigator', source: 'UNTESTED', assessment: 'D', code: 'C', conditions: 'Not to be used in evidence or disclosed outside policing without the owner\'s consent.',
    marking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT', mentions: ['ILLEGAL_DRUGS'],
    reference: 'Prison intelligence PI-301', sanitised: 'A prisoner is reported to be directing supply from custody through a contraband phone.',
    original: 'Prison staff overheard a prisoner on a contraband phone giving a runner addresses; the source of the phone is not known.',
  },
  {
    owner: 'SUSSEX', by: 'sussex.investigator', source: 'RELIABLE', assessment: 'C', code: 'P', conditions: null, marking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT', mentions: ['MODERN_SLAVERY_HUMAN_TRAFFICKING'], disseminateTo: 'WSX_CS',
    reference: 'Source SX-0090', sanitised: 'Young people are being recruited outside a college through a gaming chat group.',
    original: 'Source SX-0090 was told by a student that older youths recruit runners through a gaming chat group after college.',
  },
] as const;

export async function generateIntelligence(world: World): Promise<void> {
  const reports: Record<string, unknown>[] = [];
  const disseminations: Record<string, unknown>[] = [];
  REPORTS.forEach((r, i) => {
    const threat = world.threats[i % world.threats.length];
    const nominals = world.nominals.filter((n) => n.threatId === threat.id).slice(0, 1);
    const id = world.random.uuid();
    const received = daysBefore(world.today, 10 + i * 17);
    reports.push({
      id,
      reference: world.knex.raw(`'INT-' || to_char(current_date, 'YYYY') || '-' || lpad(nextval('intelligence_report_reference_seq')::text, 6, '0')`),
      received_on: received,
      source_evaluation: r.source,
      intelligence_assessment: r.assessment,
      handling_code: r.code,
      handling_conditions: r.conditions,
      source_reference: r.reference,
      sanitised_text: r.sanitised,
      original_text: r.original,
      threat_ids: [threat.id],
      activity_ids: threat.activities.slice(0, 1).map((a) => a.id),
      nominal_ids: nominals.map((n) => n.id),
      crime_categories: [...r.mentions],
      ...shared(world, org(world, r.owner), r.marking, r.sharing, user(world, r.by), received),
    });
    if ('disseminateTo' in r) {
      disseminations.push({
        report_id: id,
        recipient_organisation_id: org(world, r.disseminateTo),
        handling_code: r.code,
        handling_conditions: r.conditions,
        sanitised_text: r.sanitised,
        disseminated_by: user(world, r.by),
        disseminated_at: `${daysBefore(received, -2)}T10:00:00Z`,
      });
    }
  });
  await insertAll(world.knex, 'intelligence_report', reports);
  await insertAll(world.knex, 'intelligence_dissemination', disseminations);
}
