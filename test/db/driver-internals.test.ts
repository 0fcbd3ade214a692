import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { openOrm } from '../../server/src/db/orm';
import {
  DRIVER_VERSIONS,
  announceQuery,
  interceptQueries,
  parameterText,
  poolOf,
  transactionOutcome,
  transactionWithOwnBegin,
  withPooledConnection,
  type PgConnection,
} from '../../server/src/db/driver-internals';

/**
 * Pins server/src/db/driver-internals.ts to the pg and knex it was written against: an upgrade
 * that changes a version fails here first, and one that breaks an internal it relies on fails the
 * behaviour checks below, on a real connection, not in production.
 */
const FILE = 'server/src/db/driver-internals.ts';

/** The version the server actually loads: knex as MikroORM resolves it, pg as knex resolves it. */
function installedVersion(name: keyof typeof DRIVER_VERSIONS): string {
  const from = name === 'knex' ? require.resolve('@mikro-orm/knex') : require.resolve('knex', { paths: [require.resolve('@mikro-orm/knex')] });
  return (require(require.resolve(`${name}/package.json`, { paths: [from] })) as { version: string }).version;
}

describe('the driver versions the internals were written against', () => {
  it.each(Object.keys(DRIVER_VERSIONS) as (keyof typeof DRIVER_VERSIONS)[])('%s is the version checked', (name) => {
    const installed = installedVersion(name);
    const expected = DRIVER_VERSIONS[name];
    if (installed !== expected) {
      throw new Error(
        `${name} is ${installed}, but ${FILE} was written against ${name} ${expected}: re-check each internal it uses ` +
          `(the source files named there) in ${name} ${installed}, then update DRIVER_VERSIONS.`,
      );
    }
  });
});

describe('the driver internals, on a real connection', () => {
  let db: TestDatabase;
  let orm: MikroORM;
  const knex = () => orm.em.getConnection().getKnex();
  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await openOrm({ databaseUrl: db.url, poolMax: 2 });
  });
  afterAll(async () => {
    await orm.close(true);
    await db.drop();
  });

  /** Runs text on a pg connection through its callback-style query, as knex and the connection queue do. */
  const send = (query: (...args: unknown[]) => unknown, text: string) =>
    new Promise<any>((resolve, reject) => query(text, (err: unknown, result: unknown) => (err ? reject(err) : resolve(result))));

  it('writes parameters as the text pg sends, which read as literals give the same values', async () => {
    const values: [unknown, string][] = [
      [new Date('2026-12-05T14:05:06.789Z'), 'timestamptz'],
      [['a', "O'Brien", 'c,d'], 'text[]'],
      [{ nested: { n: 1 } }, 'jsonb'],
      ["it's \\ here", 'text'],
      [42, 'int'],
      [true, 'boolean'],
    ];
    await withPooledConnection(knex(), async (connection) => {
      for (const [value, type] of values) {
        const text = parameterText(value);
        expect(typeof text).toBe('string');
        const literal = (connection as unknown as PgConnection).escapeLiteral(text as string);
        const { rows } = await connection.query<{ same: boolean }>(`select $1::${type} is not distinct from ${literal}::${type} as same`, [value]);
        expect([value, rows[0].same]).toEqual([value, true]);
      }
    });
    expect(parameterText(null)).toBeNull();
    expect(Buffer.isBuffer(parameterText(Buffer.from('x')))).toBe(true);
  });

  it('begins a transaction its own way on the connection whose queries it intercepts, where knex then sends its statements', async () => {
    const seen: unknown[][] = [];
    const trx = await transactionWithOwnBegin(knex(), async (connection) => {
      const original = interceptQueries(connection, (args) => {
        // As they are when called (pg then adds its callback to the config object).
        seen.push(args.map((arg) => (typeof arg === 'object' ? { ...arg } : arg)));
        return original(...args);
      });
      await send(original, "begin; select set_config('soc.driver_test', 'began here', true)");
    });
    const { rows } = await trx.raw("select current_setting('soc.driver_test', true) as setting, ?::int as n", [7]);
    expect(rows).toEqual([{ setting: 'began here', n: 7 }]);
    // knex's form: one config object with text and values, then a callback.
    expect(seen[0]).toEqual([{ text: "select current_setting('soc.driver_test', true) as setting, $1::int as n", values: [7] }, expect.any(Function)]);
    await trx.commit();
    await transactionOutcome(trx);
    expect(poolOf(knex())?.numUsed()).toBe(0);
    // The setting was the transaction's: it ended with it.
    expect((await knex().raw("select current_setting('soc.driver_test', true) as setting")).rows[0].setting).toBe('');
  });

  it('rejects and gives the connection back when its own begin fails', async () => {
    await expect(transactionWithOwnBegin(knex(), () => Promise.reject(new Error('begin refused')))).rejects.toThrow('begin refused');
    expect(poolOf(knex())?.numUsed()).toBe(0);
  });

  it('settles the outcome of a transaction with the failure of its COMMIT', async () => {
    const trx = await transactionWithOwnBegin(knex(), (connection) => send(connection.query.bind(connection), 'begin'));
    await trx.raw('create temp table once_only (x int unique deferrable initially deferred)');
    await trx.raw('insert into once_only values (1), (1)');
    const outcome = transactionOutcome(trx);
    await trx.commit().catch(() => undefined); // whether commit() rejects or not, the outcome must
    await expect(outcome).rejects.toMatchObject({ code: '23505' });
  });

  it('announces a statement sent outside the query builder as knex announces its own', async () => {
    const announced: unknown[] = [];
    const listen = (query: unknown) => announced.push(query);
    knex().on('query', listen);
    try {
      announceQuery(knex(), 'select $1', [1]);
    } finally {
      knex().removeListener('query', listen);
    }
    expect(announced).toEqual([expect.objectContaining({ sql: 'select $1', bindings: [1], method: 'raw' })]);
  });

  it('answers several statements in one message with a result each, and a COMMIT after a failure with ROLLBACK', async () => {
    await withPooledConnection(knex(), async (connection) => {
      expect(poolOf(knex())?.numUsed()).toBe(1);
      const query = connection.query.bind(connection) as (...args: unknown[]) => unknown;
      const results = await send(query, 'select 1 as a; select 2 as b');
      expect(results.map((r: any) => r.rows)).toEqual([[{ a: 1 }], [{ b: 2 }]]);
      await send(query, 'begin');
      await expect(send(query, 'select 1 / 0')).rejects.toMatchObject({ code: '22012' });
      // No error: the connection queue (request-db.ts) must make one of it.
      expect((await send(query, 'commit')).command).toBe('ROLLBACK');
    });
    expect(poolOf(knex())?.numUsed()).toBe(0);
  });
});
