/**
 * SQLSTATE codes that mean "the connection or the server went away, or the server cannot write
 * now", not "your query was wrong": a client should try again later. Besides shutdowns and
 * connection limits: the whole of class 53 (disk full, out of memory), a read-only transaction
 * (a database failed over to a standby, or set read-only), an I/O error, and a statement that
 * ran or waited for a lock past the request's limits (57014, 55P03: RequestTimeouts).
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '25006', '58030', '57014', '55P03']);
const UNAVAILABLE_CLASSES = ['08', '53'];
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection error',
  'not queryable',
  'timeout exceeded when trying to connect',
  'Knex: Timeout acquiring a connection',
  'terminating connection',
  'the database system is',
  // knex, when the connection under a transaction has died and a later statement tries to use it
  'Transaction query already complete',
];

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err, depth = 0; e && depth < 5; depth++) {
    chain.push(e);
    e = (e as { originalError?: unknown; cause?: unknown }).originalError ?? (e as { cause?: unknown }).cause;
  }
  return chain;
}

/** Whether `err` (or what it wraps) is the database being unreachable, restarting, or out of connections. */
export function isDatabaseUnavailable(err: unknown): boolean {
  return causes(err).some((e) => {
    const { code, name, message } = (e ?? {}) as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CLASSES.includes(code.slice(0, 2)) || UNAVAILABLE_STATES.has(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
    if (name === 'KnexTimeoutError') return true;
    return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.includes(m));
  });
}
