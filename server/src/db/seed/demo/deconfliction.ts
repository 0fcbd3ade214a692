import { daysBefore } from './random';
import { insertAll, org, shared, user, type World } from './generate';
import { normaliseIdentifier, type IdentifierKindName } from '../../../modules/deconfliction/normalise';
import { personIdentifiers, type DerivedIdentifier } from '../../../modules/deconfliction/derive';

/**
 * Identifiers that match across forces, for deconfliction (docs/domain.md, "Deconfliction"): a
 * phone number Thames Valley holds on a person only it may read, which Surrey holds too, written
 * another way; an address Surrey and Sussex both hold; a person Hampshire holds whom Sussex holds
 * with a misspelt name (a possible match); a person Surrey and Hampshire both hold, by name and
 * date of birth. Each force has its deconfliction contact. Identifiers typed by hand are here;
 * those a record's own fields give (every person's name and aliases with their date of birth, the
 * people a report is linked to) are taken by generateDerivedIdentifiers, once every person and
 * report exists, as the API takes them (modules/deconfliction/derive.ts). Every person,
 * number, registration and address is fictional: phone numbers in Ofcom's drama ranges, the
 * postcode ZZ99, registrations with the ZZ prefix, never issued in the current format.
 */
const CONTACTS: Record<string, string> = {
  TVP: 'TVP Force Intelligence Bureau, 01632 960417',
  SURREY: 'Surrey Police Intelligence Hub, 01632 960512',
  SUSSEX: 'Sussex Police Intelligence Unit, 01632 960633',
  HIOW: 'Hampshire and Isle of Wight Force Intelligence Bureau, 01632 960744',
  SEROCU: 'SEROCU Regional Intelligence Unit, 01632 960855',
};

const PEOPLE = [
  {
    owner: 'TVP', by: 'tvp.investigator', name: 'Corvin Aldmoor', born: '1988-11-23', marking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY',
    identifiers: [['PHONE', '07700 900417'], ['VEHICLE', 'ZZ19 KTE']],
  },
  {
    owner: 'SURREY', by: 'surrey.investigator', name: 'Dale Pemberton', born: '1993-05-09', marking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY',
    identifiers: [['PHONE', '+44 7700 900417'], ['ADDRESS', '12 Quarry Close, Guildford ZZ99 9ZZ']],
  },
  {
    owner: 'SUSSEX', by: 'sussex.investigator', name: 'Tamsin Halloway', born: '1990-01-17', marking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY',
    identifiers: [['ADDRESS', '12, Quarry Close, zz999zz'], ['PERSON', 'Jonathon Merriweather', '1990-07-30']],
  },
  {
    owner: 'HIOW', by: 'hiow.analyst', name: 'Jonathan Merriwether', born: '1990-07-30', marking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY',
    identifiers: [['PHONE', '07700 900733']],
  },
  {
    // The same person as Surrey's, by name and date of birth: found through the identifiers both forces' people are given.
    owner: 'HIOW', by: 'hiow.analyst', name: 'Dale Pemberton', born: '1993-05-09', marking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY',
    identifiers: [],
  },
] as const;

export async function generateDeconfliction(world: World): Promise<void> {
  for (const [code, contact] of Object.entries(CONTACTS)) await world.knex('organisation').update({ deconfliction_contact: contact }).where({ code });
  const nominals: Record<string, unknown>[] = [];
  const identifiers: Record<string, unknown>[] = [];
  PEOPLE.forEach((p, i) => {
    const id = world.random.uuid();
    const by = user(world, p.by);
    const at = daysBefore(world.today, 30 + i * 11);
    nominals.push({ id, name: p.name, aliases: [], date_of_birth: p.born, vulnerability_flags: [], ...shared(world, org(world, p.owner), p.marking, p.sharing, by, at) });
    for (const [kind, raw, born] of p.identifiers as readonly (readonly [IdentifierKindName, string, string?])[]) {
      const normalised = normaliseIdentifier(kind, raw);
      if (!normalised.ok) throw new Error(`demo identifier ${raw}: ${normalised.message}`);
      identifiers.push({ kind, raw_value: raw, normalised_value: normalised.value, date_of_birth: born ?? null, nominal_id: id, holder_organisation_id: org(world, p.owner), recorded_by: by, recorded_at: `${at}T12:00:00Z` });
    }
  });
  await insertAll(world.knex, 'nominal', nominals);
  await insertAll(world.knex, 'deconfliction_identifier', identifiers);
}

/** As deconfliction_identifier_once: an identifier once per record, whichever way it came. */
const ONCE = `(kind, normalised_value, coalesce(date_of_birth, '-infinity'::date), coalesce(nominal_id, intelligence_report_id))`;

const rowOf = (i: DerivedIdentifier, on: Record<string, string>, holder: string, by: string, at: string) => ({
  kind: i.kind, raw_value: i.raw, normalised_value: i.normalised, date_of_birth: i.dateOfBirth, derived_from: i.derivedFrom, source_nominal_id: i.sourceNominalId,
  ...on, holder_organisation_id: holder, recorded_by: by, recorded_at: at,
});

/**
 * The identifiers every demo person and report has from its own fields, as if each had been
 * written through the API (not checked: no one asked). Runs after every generator that adds people
 * or reports.
 */
export async function generateDerivedIdentifiers(world: World): Promise<void> {
  const people: Record<string, any>[] = await world.knex('nominal').select('id', 'name', 'aliases', world.knex.raw('date_of_birth::text as date_of_birth'), 'owning_organisation_id', 'created_by', 'created_at');
  const byId = new Map(people.map((p) => [p.id, p]));
  const rows = people.flatMap((p) =>
    personIdentifiers({ name: p.name, aliases: p.aliases, dateOfBirth: p.date_of_birth }).map((i) => rowOf(i, { nominal_id: p.id }, p.owning_organisation_id, p.created_by, p.created_at)),
  );
  const reports: Record<string, any>[] = await world.knex('intelligence_report').select('id', 'nominal_ids', 'owning_organisation_id', 'created_by', 'created_at');
  for (const r of reports) {
    for (const id of r.nominal_ids ?? []) {
      const p = byId.get(id);
      if (!p) continue;
      for (const i of personIdentifiers({ name: p.name, aliases: null, dateOfBirth: p.date_of_birth }, id)) rows.push(rowOf(i, { intelligence_report_id: r.id }, r.owning_organisation_id, r.created_by, r.created_at));
    }
  }
  for (let i = 0; i < rows.length; i += 500) await world.knex('deconfliction_identifier').insert(rows.slice(i, i + 500)).onConflict(world.knex.raw(ONCE)).ignore();
}
