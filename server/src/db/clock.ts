/**
 * The one clock: the database's. What the server dates in JavaScript (a threat's adoption, a
 * review due date, "cannot be in the future") must agree with what PostgreSQL dates with
 * `now()` and `current_date`, and every instance must agree with the others; their own clocks may
 * be seconds apart. So each instance measures how far its clock is from the database's (the
 * shared limits' heartbeat, every 2 s, limits/shared-limits.ts) and reads the time through this.
 *
 * The error is at most half a round trip to the database (well under a millisecond on a local
 * network); until the first measurement the offset is 0 (the instance's own clock).
 */
let offsetMs = 0;

/** Milliseconds since the epoch by the database's clock. */
export function databaseNow(): number {
  return Date.now() + offsetMs;
}

/** Today's calendar date (UTC) by the database's clock, as YYYY-MM-DD. */
export function databaseToday(): string {
  return new Date(databaseNow()).toISOString().slice(0, 10);
}

/**
 * Records the database's time `databaseMs`, read by a statement sent at local time `sentAt` and
 * answered at `answeredAt`: the database read it somewhere in between, so the middle is used.
 */
export function observeDatabaseTime(databaseMs: number, sentAt: number, answeredAt: number): void {
  offsetMs = databaseMs - (sentAt + answeredAt) / 2;
}
