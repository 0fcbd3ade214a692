import type { Knex } from '@mikro-orm/postgresql';
import { onlyReadable } from '../../access/policy';
import { toGlobalId } from '../../graphql/global-id';
import { mapShared, sharedColumns } from '../../shared/shared-record';
import { asDate } from '../../shared/sql';
import type { EvidenceRating, PracticeStage } from './practice.enums';
import type { PracticeEndorsement, PracticeEntry } from './practice.types';
import type { ReadScope } from '../../access/read-scope';

/** Reads for the practice register: plain SQL, one statement per level of a page. */

const PRACTICE_COLUMNS = [
  ...sharedColumns('p'),
  'p.title', 'p.aim', 'p.description', 'p.topics', 'p.partners', 'p.stage', 'p.evidence_rating', 'p.contact',
];

/** The alias of the search query joined in when there is text: order terms can rank by it. */
export const SEARCH_RANK = 'ts_rank(p.search, pq)';
export const ENDORSEMENT_COUNT = '(select count(*) from practice_endorsement e where e.entry_id = p.id)';

export function mapPractice(row: Record<string, any>): PracticeEntry {
  return Object.assign(mapShared('PracticeEntry', (id) => toGlobalId('PracticeEntry', id), row), {
    title: row.title,
    aim: row.aim,
    description: row.description,
    topics: row.topics ?? [],
    partnerIds: row.partners ?? [],
    stage: row.stage,
    evidenceRating: row.evidence_rating,
    contact: row.contact,
  });
}

export interface PracticeCriteria {
  text?: string;
  topics?: string[];
  stages?: PracticeStage[];
  evidenceRatings?: EvidenceRating[];
  organisationIds?: string[];
}

/** Whether a search for `text` will join the parsed query (alias pq), so RELEVANCE can use it. */
export function hasSearchText(c: PracticeCriteria): boolean {
  return !!c.text?.trim();
}

/**
 * A query over practice_entry (alias p). Text is matched with websearch_to_tsquery against the
 * generated, GIN-indexed `search` column (title and topics weigh most, then aim, then description).
 */
export function practiceQuery(scope: ReadScope, c: PracticeCriteria = {}): Knex.QueryBuilder {
  const { knex } = scope;
  const q = onlyReadable(knex('practice_entry as p').select(PRACTICE_COLUMNS), scope, 'PRACTICE', 'p');
  if (hasSearchText(c)) {
    q.joinRaw(`cross join websearch_to_tsquery('english', ?) as pq`, [c.text!.trim()]).whereRaw('p.search @@ pq');
  }
  if (c.topics?.length) q.whereRaw('p.topics && ?::text[]', [c.topics]);
  if (c.stages?.length) q.whereIn('p.stage', c.stages);
  if (c.evidenceRatings?.length) q.whereIn('p.evidence_rating', c.evidenceRatings);
  if (c.organisationIds?.length) {
    const ids = c.organisationIds;
    q.where((w) => w.whereIn('p.owning_organisation_id', ids).orWhereRaw('p.partners && ?::uuid[]', [ids]));
  }
  return q;
}

export async function practicesByIds(scope: ReadScope, ids: readonly string[]): Promise<PracticeEntry[]> {
  return (await practiceQuery(scope).whereIn('p.id', ids as string[])).map(mapPractice);
}

function mapEndorsement(row: Record<string, any>): PracticeEndorsement {
  return {
    __typename: 'PracticeEndorsement',
    id: toGlobalId('PracticeEndorsement', row.id),
    dbId: row.id,
    entryId: row.entry_id,
    userId: row.user_id,
    organisationId: row.organisation_id,
    comment: row.comment,
    at: asDate(row.at),
  };
}

/** Endorsements, oldest first. */
export async function endorsementsBy(scope: ReadScope, column: 'entry_id' | 'id', ids: readonly string[]): Promise<PracticeEndorsement[]> {
  const { knex } = scope;
  return (await knex('practice_endorsement').select('*').whereIn(column, ids as string[]).orderBy(['at', 'id'])).map(mapEndorsement);
}
