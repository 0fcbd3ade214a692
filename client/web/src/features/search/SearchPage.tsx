import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { Loaded } from '../../lib/ui';
import { FindAnythingDocument, SEARCH_MIN_LENGTH, groupsOf } from './searchResults';

/** Every kind of record matching the words, up to 20 of each: where Enter in the header's box leads. */
export function SearchPage() {
  const [params] = useSearchParams();
  const text = (params.get('q') ?? '').trim();
  const [{ data, fetching, error }] = useQuery({ query: FindAnythingDocument, variables: { text, first: 20 }, pause: text.length < SEARCH_MIN_LENGTH });
  return (
    <>
      <h1>Search results for “{text}”</h1>
      {text.length < SEARCH_MIN_LENGTH ? (
        <p>Type at least three characters in the search box.</p>
      ) : (
        <Loaded data={data} fetching={fetching} error={error}>
          {(d) => {
            const groups = groupsOf(d.search);
            if (!groups.length) return <p>Nothing you can see matches “{text}”.</p>;
            return (
              <div className="panels">
                {groups.map((g) => (
                  <section key={g.kind} aria-labelledby={`found-${g.kind}`}>
                    <h2 id={`found-${g.kind}`}>
                      {g.heading} ({g.count})
                    </h2>
                    <ul className="plain">
                      {g.hits.map((h) => (
                        <li key={h.id}>
                          <Link to={h.to}>{h.text}</Link> {h.hint && <span className="hint">{h.hint}</span>}
                        </li>
                      ))}
                    </ul>
                  </section>
                ))}
              </div>
            );
          }}
        </Loaded>
      )}
      <p className="hint">Only records shared with you are searched; partners are not matched on details withheld from them.</p>
    </>
  );
}
