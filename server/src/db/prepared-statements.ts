import { createHash } from 'node:crypto';

/**
 * The statements a pooled connection has prepared (SQL `PREPARE`), so that PostgreSQL parses,
 * rewrites and plans a statement that repeats with only its parameters changed once per
 * connection instead of once per request (a request's statements share simple-protocol messages,
 * where pg's named statements cannot go: `BEGIN; <caller's settings>; EXECUTE name(...)`).
 *
 * A statement is prepared once it has been seen twice on the connection (one-off statements,
 * such as a search's, are not worth a prepared plan), at most {@link MAX_PREPARED} per
 * connection, and only outside a transaction, alone in its message: a PREPARE that fails (a
 * parameter whose type nothing decides) then aborts nothing and is known to have failed, and the
 * statement goes on being sent with its parameters written as literals. Row-level security stays
 * whole: PostgreSQL rewrites a prepared statement again for each role that executes it, and the
 * policies read the caller's settings when the statement runs, not when it is planned.
 */
export const MAX_PREPARED = 64;

/** Sightings kept before starting over: statements that never repeat must not grow the map. */
const MAX_SIGHTINGS = 500;

/** What PREPARE takes (not BEGIN, COMMIT, SAVEPOINT...). */
const PREPARABLE = /^\s*(select|insert|update|delete|with|values)\b/i;

/** A statement to prepare: `prepare <name> as <text>`, taking `parameters` values. */
export interface DueStatement {
  text: string;
  name: string;
  parameters: number;
}

export interface Prepared {
  name: string;
  parameters: number;
}

export class PreparedStatements {
  private readonly prepared = new Map<string, Prepared>();
  private readonly sightings = new Map<string, number>();
  private readonly due: string[] = [];
  private readonly refused = new Set<string>();

  /** How `text` is prepared here, if it is; otherwise the sighting is counted (twice: due). */
  find(text: string): Prepared | undefined {
    const prepared = this.prepared.get(text);
    if (!prepared) this.sighted(text);
    return prepared;
  }

  private sighted(text: string): void {
    if (!PREPARABLE.test(text) || this.refused.has(text) || this.prepared.size + this.due.length >= MAX_PREPARED) return;
    const seen = (this.sightings.get(text) ?? 0) + 1;
    if (seen === 2) {
      this.sightings.delete(text);
      this.due.push(text);
      return;
    }
    if (this.sightings.size >= MAX_SIGHTINGS) this.sightings.clear();
    this.sightings.set(text, seen);
  }

  hasDue(): boolean {
    return this.due.length > 0;
  }

  /** The next statement to prepare, if one is due: send it alone, outside a transaction, then {@link settle} it. */
  next(): DueStatement | undefined {
    const text = this.due.shift();
    return text === undefined ? undefined : { text, name: `soc_${createHash('sha1').update(text).digest('hex').slice(0, 32)}`, parameters: parameterCount(text) };
  }

  /** Records how the PREPARE of `statement` went: a refused statement is never tried again. */
  settle(statement: DueStatement, prepared: boolean): void {
    if (prepared) this.prepared.set(statement.text, { name: statement.name, parameters: statement.parameters });
    else if (this.refused.size < MAX_SIGHTINGS) this.refused.add(statement.text);
  }

  /** Forgets every prepared statement (PostgreSQL said one did not exist: something deallocated them). */
  forget(): void {
    this.prepared.clear();
  }
}

/** `execute <name>(<literals>)`: the prepared statement with these values (already quoted), if they are as many as it takes. */
export function executeText(prepared: Prepared, literals: readonly string[]): string | undefined {
  if (prepared.parameters !== literals.length) return undefined;
  return `execute ${prepared.name}${literals.length ? `(${literals.join(', ')})` : ''}`;
}

/** The parameters a statement takes: its highest `$n` (knex numbers them from $1 with none left out). */
function parameterCount(text: string): number {
  let highest = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) highest = Math.max(highest, Number(match[1]));
  return highest;
}
