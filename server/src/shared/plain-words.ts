/**
 * API values inside messages people read (an access explanation, an insight), in plain words:
 * "OFFICIAL_SENSITIVE" is "official-sensitive", "THREAT_ASSESSOR" "threat assessor". The API's
 * fields keep their enum values; only the words on screen change, as plain-dates.ts does for dates.
 * Where the value's own spelling, lower-cased, is not what people say, it is written out here.
 */

const SPOKEN: Record<string, string> = {
  // Protective markings, as the Government Security Classifications write them.
  OFFICIAL_SENSITIVE: 'official-sensitive',
  // Roles known by their initials, written out.
  LRO: 'lead responsible officer',
  SRO: 'senior responsible officer',
  OCG_COORDINATOR: 'organised crime group coordinator',
  ADMIN: 'administrator',
  // Data categories, as the records they hold are called.
  NOMINAL: 'people',
  PLAN: '4P plan',
  PRACTICE: 'practice',
  // Sharing.
  OWNER_ONLY: 'with its owner only',
  NAMED_ORGANISATIONS: 'with named organisations',
  REGIONAL_LAW_ENFORCEMENT: 'with regional law enforcement',
  ALL_PARTNERS: 'with all partners',
  // Crime categories whose words need their conjunctions back.
  BRIBERY_CORRUPTION_SANCTIONS_EVASION: 'bribery, corruption and sanctions evasion',
  MODERN_SLAVERY_HUMAN_TRAFFICKING: 'modern slavery and human trafficking',
};

/** One API value (an enum's spelling) in plain lower-case words. */
export function plainWords(value: string): string {
  return SPOKEN[value] ?? value.toLowerCase().replace(/_/g, ' ');
}

/** Several values as one phrase: "analyst, threat assessor and auditor". */
export function plainList(values: readonly string[]): string {
  const words = values.map(plainWords);
  return words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
}

/** Statuses' own words where a record's differ from their spelling, as the web client shows them (a referral's DECISION is "decision made"). */
export type StatusWords = Readonly<Record<string, string>>;

/** A status in a sentence, in words and quoted as the web client quotes one: “under review”. */
export function quotedStatus(status: string, words: StatusWords = {}): string {
  return `“${words[status] ?? plainWords(status)}”`;
}

/** Statuses as alternatives: “submitted” or “rejected”. */
export function statusAlternatives(statuses: readonly string[], words: StatusWords = {}): string {
  const quoted = statuses.map((s) => quotedStatus(s, words));
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : (quoted[0] ?? '');
}

/**
 * A move along a record's lifecycle that is refused, in words, with the moves there are:
 * "this disruption is “draft”, so it cannot become “validated”; next it can only become
 * “submitted”". The input field at fault and the error's code say the same to programs.
 */
export function refusedMove(record: string, from: string, to: string, allowed: readonly string[], words: StatusWords = {}): string {
  const next = allowed.length ? `next it can only become ${statusAlternatives(allowed, words)}` : `${quotedStatus(from, words)} is final`;
  return `this ${record} is ${quotedStatus(from, words)}, so it cannot become ${quotedStatus(to, words)}; ${next}`;
}
