import pg from 'pg';

/**
 * The tests' clock is the server's: the database's (server/src/db/clock.ts). A test that checks a
 * date the server stamped asks PostgreSQL for `current_date`, never JavaScript's `new Date()`.
 * `days` later (or earlier, when negative) than today: read just before a test sends a date whose
 * sense depends on today ("not in the future", "not in the past"), which a date read when the
 * file loaded loses once a run crosses midnight UTC.
 */
export async function databaseToday(url: string, days = 0): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`select to_char(current_date + $1::int, 'YYYY-MM-DD') as today`, [days])).rows[0].today;
  } finally {
    await client.end();
  }
}

/**
 * Runs `work` between two readings of the database's date: whatever the server dated during it
 * is one of `dates` (two of them only when midnight UTC fell in between, so a run that crosses
 * midnight still passes).
 */
export async function databaseDate<T>(url: string, work: () => Promise<T>): Promise<{ value: T; dates: string[] }> {
  const before = await databaseToday(url);
  const value = await work();
  const after = await databaseToday(url);
  return { value, dates: before === after ? [before] : [before, after] };
}

/**
 * The dates, `days` from today by the database's clock, that a date the server stamped during the
 * last few minutes can be: one, or two in the first minutes after midnight UTC (stamped just
 * before it). For `expect(await stampedDays(url, 90)).toContain(plan.nextReviewDue)`.
 */
export async function stampedDays(url: string, days = 0): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select distinct to_char((t at time zone 'UTC')::date + $1::int, 'YYYY-MM-DD') as day from unnest(array[now(), now() - interval '5 minutes']) t`,
      [days],
    );
    return rows.map((r) => r.day as string);
  } finally {
    await client.end();
  }
}
