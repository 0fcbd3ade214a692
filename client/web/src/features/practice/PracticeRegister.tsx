import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import type { EvidenceRating, PracticeCardFieldsFragment, PracticeOrderField, PracticeStage } from '../../gql/graphql';
import { evidenceRatings, practiceStages } from '../../lib/enums';
import { enumOptions, Loaded, Pager } from '../../lib/ui';
import { useViewer } from '../auth/viewer';
import { PracticeCard } from './PracticeCard';
import { mayAddPractice, PracticeNew } from './PracticeNew';

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

const PracticeAddedDocument = graphql(`
  query PracticeAdded($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on PracticeEntry {
        ...PracticeCardFields
      }
    }
  }
`);

/** The entry just added, kept up to date (an edit or endorsement shows on it). */
function JustAdded({ entry }: { entry: PracticeCardFieldsFragment }) {
  const [{ data }] = useQuery({ query: PracticeAddedDocument, variables: { id: entry.id } });
  const now = data?.node?.__typename === 'PracticeEntry' ? (data.node as PracticeCardFieldsFragment) : entry;
  return (
    <section aria-labelledby="just-added" className="cards">
      <h2 id="just-added" className="visually-hidden">
        Just added
      </h2>
      <PracticeCard practice={now} />
    </section>
  );
}

/** The innovative practice register: full-text search, filters, endorsements. */
export function PracticeRegister() {
  const viewer = useViewer();
  const [adding, setAdding] = useState(false);
  const [added, setAdded] = useState<PracticeCardFieldsFragment | null>(null);
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
      {mayAddPractice(viewer.roles) && !adding && (
        <p>
          <button type="button" onClick={() => setAdding(true)}>
            Add practice
          </button>
        </p>
      )}
      {adding && (
        <PracticeNew
          onCancel={() => setAdding(false)}
          onAdded={(entry) => {
            setAdding(false);
            setAdded(entry);
          }}
        />
      )}
      <div role="status">{added && <p className="good">Added “{added.title}” to the register.</p>}</div>
      {added && <JustAdded entry={added} />}
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
              {practices.edges.filter(({ node }) => node.id !== added?.id).map(({ node }) => (
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
