import type { MikroORM } from '@mikro-orm/postgresql';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { openOrm } from '../../server/src/db/orm';
import {
  DRIVER_VERSIONS,
  announceQuery,
  interceptQueries,
  parameterText,
  poolOf,
  leaseConnection,
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

  it("gives a request's query builder a pooled connection whose queries it intercepts, where the request begins its transaction its own way", async () => {
    const seen: unknown[][] = [];
    const lease = await leaseConnection(knex());
    expect(poolOf(knex())?.numUsed()).toBe(1);
    const original = interceptQueries(lease.connection, (args) => {
      // As they are when called (pg then adds its callback to the config object).
      seen.push(args.map((arg) => (typeof arg === 'object' ? { ...arg } : arg)));
      return original(...args);
    });
    await send(original, "begin; select set_config('soc.driver_test', 'began here', true)");
    const { rows } = await lease.knex.raw("select current_setting('soc.driver_test', true) as setting, ?::int as n", [7]);
    expect(rows).toEqual([{ setting: 'began here', n: 7 }]);
    // knex's form: one config object with text and values, then a callback.
    expect(seen[0]).toEqual([{ text: "select current_setting('soc.driver_test', true) as setting, $1::int as n", values: [7] }, expect.any(Function)]);
    // The query builder works as knex's own, on that connection.
    expect(await lease.knex.select(lease.knex.raw("current_setting('soc.driver_test', true) as s"))).toEqual([{ s: 'began here' }]);
    await send(original, 'commit');
    await lease.release();
    expect(poolOf(knex())?.numUsed()).toBe(0);
    // The setting was the transaction's: it ended with it.
    expect((await knex().raw("select current_setting('soc.driver_test', true) as setting")).rows[0].setting).toBe('');
  });

  it("makes savepoints with the request's query builder: a failed one is undone alone, and siblings run one after another", async () => {
    const lease = await leaseConnection(knex());
    try {
      await lease.knex.raw('begin');
      await lease.knex.raw('create temp table saved (x int)');
      await expect(
        lease.knex.transaction(async (trx) => {
          await trx.raw('insert into saved values (1)');
          throw new Error('undo this part');
        }),
      ).rejects.toThrow('undo this part');
      const order: string[] = [];
      await Promise.all(
        ['first', 'second'].map((name) =>
          lease.knex.transaction(async (trx) => {
            order.push(`${name} began`);
            await trx.raw('insert into saved values (2)');
            order.push(`${name} ended`);
          }),
        ),
      );
      expect(order).toEqual(['first began', 'first ended', 'second began', 'second ended']);
      expect((await lease.knex.raw('select array_agg(x order by x) as xs from saved')).rows[0].xs).toEqual([2, 2]);
      await lease.knex.raw('rollback');
    } finally {
      await lease.release();
    }
  });

  it("refuses, once the request's lease has ended, every statement of its query builder and savepoints, so none runs in the next request's transaction on the connection", async () => {
    const first = await leaseConnection(knex());
    const lateQuery = first.knex.select(first.knex.raw("current_setting('soc.whose', true) as whose"));
    let resumeSavepoint!: () => void;
    const savepointResumed = new Promise<void>((resolve) => (resumeSavepoint = resolve));
    let savepointBegan!: () => void;
    const began = new Promise<void>((resolve) => (savepointBegan = resolve));
    await first.knex.raw('begin');
    const lateSavepoint = first.knex.transaction(async (trx) => {
      savepointBegan();
      await savepointResumed;
      return trx.raw("select current_setting('soc.whose', true) as whose");
    });
    lateSavepoint.catch(() => undefined);
    await began;
    await first.knex.raw('rollback');
    await first.release();
    // The next request on the same connection (the pool has two: the other is held meanwhile).
    const held = [];
    let second: Awaited<ReturnType<typeof leaseConnection>> | undefined;
    while (!second) {
      const lease = await leaseConnection(knex());
      if (lease.connection === first.connection) second = lease;
      else held.push(lease);
    }
    for (const lease of held) await lease.release();
    try {
      await second.knex.raw("begin; select set_config('soc.whose', 'the second request', true)");
      await expect(lateQuery).rejects.toThrow('Transaction query already complete');
      await expect(first.knex.raw('select 1')).rejects.toThrow('Transaction query already complete');
      resumeSavepoint();
      await expect(lateSavepoint).rejects.toThrow('Transaction query already complete');
      // Nothing of the first request ran in the second's transaction, which is intact.
      expect((await second.knex.raw("select current_setting('soc.whose', true) as whose")).rows[0].whose).toBe('the second request');
      await second.knex.raw('rollback');
    } finally {
      await second.release();
    }
    expect(poolOf(knex())?.numUsed()).toBe(0);
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
