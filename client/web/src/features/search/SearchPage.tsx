import { Link, useSearchParams } from 'react-router-dom';
import { useQuery } from 'urql';
import { Loaded } from '../../lib/ui';
import { FindAnythingDocument, groupsOf } from './searchResults';

/** Every kind of record matching the words, up to 20 of each: where Enter in the header's box leads. */
export function SearchPage() {
  const [params] = useSearchParams();
  const text = (params.get('q') ?? '').trim();
  const [{ data, fetching, error }] = useQuery({ query: FindAnythingDocument, variables: { text, first: 20 }, pause: text.length < 2 });
  return (
    <>
      <h1>Search results for “{text}”</h1>
      {text.length < 2 ? (
        <p>Type at least two characters in the search box.</p>
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
                      {g.heading} ({g.total > g.hits.length ? `${g.hits.length} of ${g.total}` : g.total})
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
