import { useState, type FormEvent } from 'react';
import { crimeCategories, priorityBands, threatOrderFields, threatStatuses } from '../../lib/enums';
import { enumOptions } from '../../lib/ui';

type Props = { params: URLSearchParams; onChange: (changes: Record<string, string>) => void };

/** Search box (applied on Enter), filters and sort (applied at once). */
export function ThreatFilters({ params, onChange }: Props) {
  const [text, setText] = useState(params.get('q') ?? '');
  const search = (e: FormEvent) => {
    e.preventDefault();
    onChange({ q: text.trim() });
  };
  const select = (name: string, title: string, values: readonly string[], fallback = '') => (
    <label>
      {title}{' '}
      <select value={params.get(name) ?? fallback} onChange={(e) => onChange({ [name]: e.target.value })}>
        {!fallback && <option value="">Any</option>}
        {enumOptions(values)}
      </select>
    </label>
  );
  return (
    <form role="search" className="filters" onSubmit={search}>
      <label>
        Search{' '}
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Name, URN, activity…" />
      </label>
      <button type="submit">Search</button>
      {select('priority', 'Priority', priorityBands)}
      {select('status', 'Status', threatStatuses)}
      {select('category', 'Crime', crimeCategories)}
      {select('sort', 'Sort by', threatOrderFields, 'RISK')}
      <label>
        Order{' '}
        <select value={params.get('dir') ?? 'DESC'} onChange={(e) => onChange({ dir: e.target.value })}>
          <option value="DESC">Descending</option>
          <option value="ASC">Ascending</option>
        </select>
      </label>
    </form>
  );
}
