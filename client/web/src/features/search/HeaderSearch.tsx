import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { useQuery } from 'urql';
import { useSettled } from '../threats/threatChanges';
import { FindAnythingDocument, SEARCH_MIN_LENGTH, foundInAll, groupsOf, type Hit } from './searchResults';

/**
 * The header's search box: one box for every kind of record, as a combobox with a grouped
 * listbox (WAI-ARIA 1.2 combobox pattern). Arrow keys move through the results, Enter opens the
 * one chosen (or, with none chosen, the full results page), Escape closes the list.
 */
export function HeaderSearch() {
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const settled = useSettled(text.trim(), 200);
  const searching = settled.length >= SEARCH_MIN_LENGTH;
  const [{ data, error }] = useQuery({ query: FindAnythingDocument, variables: { text: settled, first: 5 }, pause: !searching });
  const id = useId();
  const listId = `${id}-results`;
  const current = searching && data?.search.text === settled ? data.search : null;
  const groups = current ? groupsOf(current) : [];
  const hits: Hit[] = [...groups.flatMap((g) => g.hits), { id: 'all', to: `/search?q=${encodeURIComponent(settled)}`, text: `All results for “${settled}”`, hint: '' }];
  // Open while a search is on its way too (saying so, with the way to the full results), so that
  // the list does not close and reopen between one search and the next as the user types.
  const waiting = searching && !current && !error;
  const showing = open && searching;
  // A choice made among the options shown while waiting is not carried over to the results: the
  // same place in the list is then another record.
  useEffect(() => setActive(-1), [current]);
  const optionId = (i: number) => `${id}-option-${i}`;

  const go = (hit: Hit) => {
    setOpen(false);
    setActive(-1);
    navigate(hit.to);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      if (!searching) return;
      const n = hits.length;
      setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : a <= 0 ? n - 1 : a - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (active >= 0 && active < hits.length && searching) go(hits[active]);
      else if (text.trim().length >= SEARCH_MIN_LENGTH) go({ id: 'all', to: `/search?q=${encodeURIComponent(text.trim())}`, text: '', hint: '' });
    } else if (e.key === 'Escape') {
      if (open) e.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  };
  const activeIndex = active >= 0 && active < hits.length ? active : -1;
  let index = -1;
  const option = (hit: Hit) => {
    index += 1;
    const i = index;
    return (
      <div
        key={hit.id}
        id={optionId(i)}
        role="option"
        aria-selected={i === activeIndex}
        className={i === activeIndex ? 'search-option active' : 'search-option'}
        onMouseDown={(e) => e.preventDefault() /* keep focus in the box */}
        onClick={() => go(hit)}
      >
        {hit.text} {hit.hint && <span className="hint">{hit.hint}</span>}
      </div>
    );
  };

  return (
    <div className="header-search" role="search">
      <label htmlFor={`${id}-input`} className="visually-hidden">
        Find threats, people, plans, disruptions, referrals, practice and intelligence
      </label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        placeholder="Find anything…"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={showing}
        aria-controls={listId}
        aria-activedescendant={showing && activeIndex >= 0 ? optionId(activeIndex) : undefined}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <span className="visually-hidden" role="status" aria-live="polite">
        {showing && current ? (groups.length ? `${foundInAll(current, groups)} found; use the arrow keys to choose, Enter to open.` : `Nothing you can see matches ${settled}.`) : ''}
      </span>
      <div id={listId} role="listbox" aria-label="Search results" className="search-results" hidden={!showing}>
        {showing && waiting && (
          <div role="presentation" className="hint search-waiting">
            Searching for “{settled}”…
          </div>
        )}
        {showing && error && !current && <div role="presentation" className="error">The search failed: try again.</div>}
        {showing && current && groups.length === 0 && (
          <div role="presentation" className="hint search-none">
            Nothing you can see matches “{settled}”.
          </div>
        )}
        {showing &&
          current &&
          groups.map((g) => (
            <div key={g.kind} role="group" aria-labelledby={`${id}-${g.kind}`}>
              <div role="presentation" id={`${id}-${g.kind}`} className="search-group">
                {g.heading} ({g.count})
              </div>
              {g.hits.map(option)}
            </div>
          ))}
        {showing && option(hits[hits.length - 1])}
      </div>
    </div>
  );
}
