import { useState } from 'react';
import type { HistoryAction } from '../../gql/graphql';
import { formatDateTime, label, Value, Withheld } from '../../lib/ui';
import { assessmentChanges, type ShownChange } from '../assessments/history';

export interface HistoryEntry {
  at: unknown;
  action: HistoryAction;
  part?: string | null;
  version?: number | null;
  actor?: { displayName: string } | null;
  changes: { field: string; from?: unknown; to?: unknown }[];
}

const show = (value: unknown) => (value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value));

/** The entry's changes as shown; an assessment's in plain words (features/assessments/history.ts). */
function rowsOf(e: HistoryEntry): ShownChange[] {
  if (e.part && /assessment$/i.test(e.part)) return assessmentChanges(e.changes);
  return e.changes.map((c) => ({ key: c.field, label: c.field, from: show(c.from), to: show(c.to) }));
}

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
            {rowsOf(e).length > 0 && (
              <ul>
                {rowsOf(e).slice(0, 6).map((c) => (
                  <li key={c.key}>
                    {c.label}: <Value empty="—">{c.from}</Value> → <Value empty="—">{c.to}</Value>
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
