import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { EvidenceRating, PracticeOrderField, PracticeStage } from '../../gql/graphql';
import { evidenceRatings, practiceStages } from '../../lib/enums';
import { enumOptions, Loaded, Pager } from '../../lib/ui';
import { PracticeCard } from './PracticeCard';

const PracticesDocument = graphql(`
  query Practices($filter: PracticeFilter, $orderBy: [PracticeOrder!], $after: String) {
    practices(first: 20, after: $after, filter: $filter, orderBy: $orderBy) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...PracticeCardFields
        }
      }
    }
  }
`);

/** The innovative practice register: full-text search, filters, endorsements. */
export function PracticeRegister() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const [trail, setTrail] = useState<(string | null)[]>([null]);
  const q = params.get('q') || undefined;
  const filter = {
    text: q,
    stage: params.get('stage') ? [params.get('stage') as PracticeStage] : undefined,
    evidenceRating: params.get('rating') ? [params.get('rating') as EvidenceRating] : undefined,
  };
  const orderBy = [{ field: (q ? 'RELEVANCE' : 'UPDATED_AT') as PracticeOrderField }];
  const [{ data, fetching, error }] = useQuery({ query: PracticesDocument, variables: { filter, orderBy, after: trail.at(-1) } });
  const update = (changes: Record<string, string>) => {
    const next = new URLSearchParams(params);
    Object.entries(changes).forEach(([k, v]) => (v ? next.set(k, v) : next.delete(k)));
    setParams(next, { replace: true });
    setTrail([null]);
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    update({ q: text.trim() });
  };

  return (
    <>
      <h1>Practice register</h1>
      <form role="search" className="filters" onSubmit={search}>
        <label>
          Search{' '}
          <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder='e.g. cuckooing "county lines"' />
        </label>
        <button type="submit">Search</button>
        <label>
          Stage{' '}
          <select value={params.get('stage') ?? ''} onChange={(e) => update({ stage: e.target.value })}>
            <option value="">Any</option>
            {enumOptions(practiceStages)}
          </select>
        </label>
        <label>
          Evidence{' '}
          <select value={params.get('rating') ?? ''} onChange={(e) => update({ rating: e.target.value })}>
            <option value="">Any</option>
            {enumOptions(evidenceRatings)}
          </select>
        </label>
      </form>
      <Loaded data={data?.practices} fetching={fetching} error={error}>
        {(practices) => (
          <>
            {practices.totalCount === 0 && <p>No practice matches.</p>}
            <div className="cards">
              {practices.edges.map(({ node }) => (
                <PracticeCard key={node.id} practice={node} />
              ))}
            </div>
            <Pager pageInfo={practices.pageInfo} total={practices.totalCount} shown={practices.edges.length} trail={trail} onMove={setTrail} />
          </>
        )}
      </Loaded>
    </>
  );
}
