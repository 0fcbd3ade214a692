/**
 * Dates and times inside messages people read (insights, the quality gate's problems, field
 * errors, "Who can see this?"), in plain British English: "5 December 2026", "5 December 2026
 * at 14:05 UTC". Machine-readable fields (LocalDate, DateTimeISO) stay ISO; only words change.
 * Dates in the domain are calendar dates, and times are stated in UTC, as the server keeps them.
 */

const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });

/** A calendar date ('YYYY-MM-DD') is that day; a timestamp (Date or ISO string) is its day in UTC. */
function instant(value: string | Date): Date {
  const d = value instanceof Date ? value : new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  // A wrong value here is a programming error: better a failure than "Invalid Date" on screen.
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${String(value)}`);
  return d;
}

/** "5 December 2026". */
export function plainDate(value: string | Date): string {
  return DATE.format(instant(value));
}

/** "5 December 2026 at 14:05 UTC". */
export function plainDateTime(value: string | Date): string {
  const d = instant(value);
  return `${DATE.format(d)} at ${TIME.format(d)} UTC`;
}
