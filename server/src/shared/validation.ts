import { databaseToday } from '../db/clock';
import { BadUserInputError, type FieldProblem } from '../graphql/errors';

/**
 * Collects every problem with an input so the caller hears about all of them in one response.
 * Field paths are written from the mutation's argument, e.g. `input.date`, `input.activities[1].category`
 * (or from the query's arguments with an empty prefix, e.g. `filter.priority`).
 */
export class Problems {
  private readonly list: FieldProblem[] = [];

  constructor(private readonly prefix = 'input') {}

  /** Records a problem when `failed` is true. Returns `failed`, so checks can be chained. */
  when(failed: boolean, field: string, message: string): boolean {
    if (failed) this.add(field, message);
    return failed;
  }

  add(field: string, message: string): void {
    this.list.push({ field: !this.prefix ? field : field ? `${this.prefix}.${field}` : this.prefix, message });
  }

  /** A required text: present and not only whitespace, at most `max` characters. */
  text(value: string | null | undefined, field: string, { required = true, max = 10_000 } = {}): void {
    if (value == null || value.trim() === '') {
      if (required) this.add(field, 'is required');
    } else if (value.length > max) {
      this.add(field, `must be at most ${max} characters`);
    }
  }

  get any(): boolean {
    return this.list.length > 0;
  }

  /** Throws BAD_USER_INPUT listing every problem, if there are any. */
  throwIfAny(): void {
    if (this.list.length) throw new BadUserInputError([...this.list]);
  }
}

/** Today's date (UTC) as YYYY-MM-DD, by the database's clock (db/clock.ts); dates in the domain are calendar dates. */
export function today(): string {
  return databaseToday();
}

/** A calendar date plus `days`, as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whether a string is a real calendar date in YYYY-MM-DD form. */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
