import { useState } from 'react';
import type { HistoryAction } from '../../gql/graphql';
import { formatDateTime, label, Value, Withheld } from '../../lib/ui';

export interface HistoryEntry {
  at: unknown;
  action: HistoryAction;
  part?: string | null;
  version?: number | null;
  actor?: { displayName: string } | null;
  changes: { field: string; from?: unknown; to?: unknown }[];
}

const show = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** Said when the server withholds history without listing why (types with no `withheld` field). */
const unexplained = 'the change history is not shown to your organisation.';

/**
 * Every change to a shared record, newest first, folded after the first few. `entries` is null
 * when the history is withheld from you: the notice, with `withheld` (the reason) if known, shows instead.
 */
export function History({ entries, withheld }: { entries: HistoryEntry[] | null; withheld?: string | null }) {
  if (!entries || withheld) {
    return (
      <section aria-labelledby="history">
        <h2 id="history">History</h2>
        <p>
          <Withheld reason={withheld ?? unexplained} />
        </p>
      </section>
    );
  }
  return <Entries entries={entries} />;
}

function Entries({ entries }: { entries: HistoryEntry[] }) {
  const [all, setAll] = useState(false);
  const newestFirst = [...entries].reverse();
  const shown = all ? newestFirst : newestFirst.slice(0, 8);
  return (
    <section aria-labelledby="history">
      <h2 id="history">History ({entries.length})</h2>
      <ol className="history">
        {shown.map((e, i) => (
          <li key={i}>
            <strong>{formatDateTime(e.at)}</strong> {e.actor?.displayName ?? 'system'}: {label(e.action)} {e.part ? label(e.part) : 'record'}
            {e.version ? ` (version ${e.version})` : ''}
            {e.changes.length > 0 && (
              <ul>
                {e.changes.slice(0, 6).map((c) => (
                  <li key={c.field}>
                    {c.field}: <Value empty="—">{show(c.from)}</Value> → <Value empty="—">{show(c.to)}</Value>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {!all && entries.length > shown.length && (
        <button type="button" onClick={() => setAll(true)}>
          Show all {entries.length} changes
        </button>
      )}
    </section>
  );
}
