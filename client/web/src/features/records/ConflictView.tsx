import { useId, type ReactNode } from 'react';
import type { CombinedError } from 'urql';

/** A save refused because the record moved on: the version it is at now (from extensions.currentVersion). */
export interface Conflict {
  currentVersion: number | null;
  message: string;
}

/** The CONFLICT in a mutation's error, if that is why it failed. */
export function conflictIn(error: CombinedError | undefined): Conflict | null {
  const e = error?.graphQLErrors.find((g) => g.extensions?.code === 'CONFLICT');
  if (!e) return null;
  const version = e.extensions?.currentVersion;
  return { currentVersion: typeof version === 'number' ? version : null, message: e.message };
}

export interface ConflictRow {
  label: string;
  mine: ReactNode;
  theirs: ReactNode;
  /** Whether the two differ (highlighted), e.g. mine !== theirs for text. */
  differs: boolean;
}

/**
 * Shown when a save meets a newer version: the user's unsaved values beside the record as it is
 * now, and the two ways out. "Keep mine" saves the user's values again on the current version;
 * "Take theirs" drops the user's edits in favour of what is there now.
 */
export function ConflictView({
  what,
  changedBy,
  rows,
  busy = false,
  onKeepMine,
  onTakeTheirs,
}: {
  what: string;
  changedBy?: string | null;
  rows: ConflictRow[];
  busy?: boolean;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
}) {
  const titleId = useId();
  return (
    <section className="conflict" role="alert" aria-labelledby={titleId} data-testid="conflict">
      <h2 id={titleId}>Someone else changed this {what} while you were editing</h2>
      <p>
        {changedBy ? `${changedBy} saved a newer version.` : 'A newer version was saved.'} Nothing of yours was saved yet. Compare the two and choose which to keep.
      </p>
      <table className="list">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Your unsaved version</th>
            <th scope="col">Current version</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} className={r.differs ? 'differs' : undefined}>
              <th scope="row">
                {r.label}
                {r.differs && <span className="visually-hidden"> (differs)</span>}
              </th>
              <td data-testid="mine">{r.mine}</td>
              <td data-testid="theirs">{r.theirs}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="buttons">
        <button type="button" disabled={busy} onClick={onKeepMine}>
          Keep mine (save again on the new version)
        </button>
        <button type="button" disabled={busy} onClick={onTakeTheirs}>
          Take theirs
        </button>
      </div>
    </section>
  );
}
