import { Problems } from '../../shared/validation';
import type { SearchResults } from './search.types';

/**
 * Three characters: the search indexes work on trigrams (Migration20261205003700_search_indexes),
 * and one or two characters give none, so every indexed row would be read and checked.
 */
export const SEARCH_MIN_LENGTH = 3;
export const SEARCH_MAX_LENGTH = 200;
export const SEARCH_DEFAULT_FIRST = 5;
export const SEARCH_MAX_FIRST = 20;
/** Each kind is counted this far and no further (one more means more than this). */
export const SEARCH_COUNT_LIMIT = 100;

/**
 * Why the search's statements run their generic plans (the resolver asks for them, RequestDb's
 * preferGenericPlans): each kind's statement names several tables (a plan's threat, objectives
 * and actions), each bringing its row-level security policies, and PostgreSQL planned every one
 * again for each search's words, keeping its custom plans. On the benchmark data, a connection's
 * seven prepared search statements took 100-190 ms a search with custom plans and 40-65 ms with
 * generic ones (load average 19); the generic plans look the words up in the same trigram indexes,
 * and found the same rows in the same order, for rare and common words alike.
 */

/**
 * Checks what was asked for; the lists themselves run only for the kinds the client selects
 * (field resolvers), so a search costs one statement (and a capped count) per kind shown, all
 * sent together.
 */
export function searchFor(text: string, first: number | null | undefined): SearchResults {
  const p = new Problems('');
  const trimmed = text.trim();
  p.when(trimmed.length < SEARCH_MIN_LENGTH, 'text', `type at least ${SEARCH_MIN_LENGTH} characters`);
  p.when(trimmed.length > SEARCH_MAX_LENGTH, 'text', `must be at most ${SEARCH_MAX_LENGTH} characters`);
  const n = first ?? SEARCH_DEFAULT_FIRST;
  p.when(!Number.isInteger(n) || n < 1 || n > SEARCH_MAX_FIRST, 'first', `must be between 1 and ${SEARCH_MAX_FIRST}`);
  p.throwIfAny();
  return { text: trimmed, first: n, countLimit: SEARCH_COUNT_LIMIT };
}
