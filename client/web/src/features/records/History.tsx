import { useState } from 'react';
import type { HistoryAction } from '../../gql/graphql';
import { formatDate, formatDateTime, label, Value, Withheld } from '../../lib/ui';
import { assessmentChanges, type ShownChange } from '../assessments/history';

export interface HistoryEntry {
  at: unknown;
  action: HistoryAction;
  part?: string | null;
  version?: number | null;
  actor?: { displayName: string } | null;
  changes: { field: string; from?: unknown; to?: unknown }[];
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const code = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$|^[A-Z]{2,}$/;

/** A recorded value in words: codes as labels (COUNTY_LINES → County lines), lists joined. */
const show = (value: unknown): string => {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(show).join(', ');
  if (typeof value === 'string') return code.test(value) ? label(value) : /^\d{4}-\d{2}-\d{2}$/.test(value) ? formatDate(value) : value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return typeof value === 'object' ? '(changed)' : String(value);
};

/** Bookkeeping the history records but people need not read: the record's own keys and ordering. */
const bookkeeping = new Set(['id', 'seq', 'threatId', 'planId', 'version']);
const fieldNames: Record<string, string> = { lroId: 'LRO', sroId: 'SRO', urn: 'URN' };

/** lastEvidenced → "Last evidenced", leadOrganisationId → "Lead organisation". */
const fieldName = (field: string) => fieldNames[field] ?? label(field.replace(/Ids?$/, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2'));

/** CriminalActivity → "criminal activity". */
const partName = (part: string) => part.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

/** Worth a line: not bookkeeping, and not recorded as empty before and after. */
const worthShowing = (c: { field: string; from?: unknown; to?: unknown }) => !bookkeeping.has(c.field) && show(c.from) !== show(c.to);

/** A reference to another record (an ID) is not shown as its raw key: only that it changed. */
const isReference = (c: { from?: unknown; to?: unknown }) => [c.from, c.to].some((v) => typeof v === 'string' && uuid.test(v));

/** The entry's changes as shown; an assessment's in plain words (features/assessments/history.ts). */
function rowsOf(e: HistoryEntry): (ShownChange & { reference?: boolean })[] {
  if (e.part && /assessment$/i.test(e.part)) return assessmentChanges(e.changes);
  return e.changes.filter(worthShowing).map((c) => ({ key: c.field, label: fieldName(c.field), from: show(c.from), to: show(c.to), reference: isReference(c) }));
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
            <strong>{formatDateTime(e.at)}</strong> {e.actor?.displayName ?? 'system'}: {label(e.action)} {e.part ? partName(e.part) : 'record'}
            {e.version ? ` (version ${e.version})` : ''}
            {rowsOf(e).length > 0 && (
              <ul>
                {rowsOf(e)
                  .slice(0, 6)
                  .map((c) =>
                    c.reference ? (
                      <li key={c.key}>{c.label} changed</li>
                    ) : (
                      <li key={c.key}>
                        {c.label}: <Value empty="—">{c.from}</Value> → <Value empty="—">{c.to}</Value>
                      </li>
                    ),
                  )}
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
