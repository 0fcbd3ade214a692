import { useState, type FormEvent } from 'react';
import { crimeCategories, priorityBands, threatOrderFields, threatStatuses } from '../../lib/enums';
import { enumOptions } from '../../lib/ui';

type Props = { params: URLSearchParams; onChange: (changes: Record<string, string>) => void; partner?: boolean };

/**
 * Search box (applied on Enter), filters and sort (applied at once). Partners get no priority
 * filter or risk sort: the server refuses both, as priority and risk are withheld from them.
 */
export function ThreatFilters({ params, onChange, partner = false }: Props) {
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
      {!partner && select('priority', 'Priority', priorityBands)}
      {select('status', 'Status', threatStatuses)}
      {select('category', 'Crime', crimeCategories)}
      {select('sort', 'Sort by', partner ? threatOrderFields.filter((f) => f !== 'RISK') : threatOrderFields, partner ? 'NAME' : 'RISK')}
      <label>
        Order{' '}
        <select value={params.get('dir') ?? (partner ? 'ASC' : 'DESC')} onChange={(e) => onChange({ dir: e.target.value })}>
          <option value="DESC">Descending</option>
          <option value="ASC">Ascending</option>
        </select>
      </label>
    </form>
  );
}
