import { statementsSharingRoundTrips } from '../../server/src/db/request-db';
import type { TestApp } from './test-app';

/** What the app sent to PostgreSQL while something ran, as its query builder saw it. */
export interface SentStatements<T> {
  /** What `run` returned. */
  result: T;
  /** Each statement's SQL, in the order sent: one per statement, however they were packed into messages. */
  sql: string[];
  /** Each statement's bindings, beside its SQL. */
  bindings: unknown[][];
  /** How many round trips they took: statements sent in the same message as others count once (db/request-db.ts). */
  roundTrips: number;
}

/**
 * The statements the app sends while `run` runs: what the tests of a request's cost in statements
 * and round trips count. Only this app's statements: a test's own queries go through other
 * connections. Run the request once before, so that one-time work (an account's lookup, a
 * statement being prepared) is not counted, unless that is what the test is about.
 */
export async function statementsSentDuring<T>(app: TestApp, run: () => Promise<T>): Promise<SentStatements<T>> {
  const knex = app.app.orm.em.getConnection().getKnex();
  const sql: string[] = [];
  const bindings: unknown[][] = [];
  const record = (q: { sql: string; bindings?: unknown[] }) => {
    sql.push(q.sql);
    bindings.push(q.bindings ?? []);
  };
  knex.on('query', record);
  const shared = statementsSharingRoundTrips();
  try {
    const result = await run();
    // Every request sends something (at least its account's lookup or check): none seen means
    // this counted the wrong app, and a test comparing two counts would pass on 0 = 0.
    if (!sql.length) throw new Error('no statement was seen while it ran: was it this app that answered?');
    return { result, sql, bindings, roundTrips: sql.length - (statementsSharingRoundTrips() - shared) };
  } finally {
    knex.removeListener('query', record);
  }
}
