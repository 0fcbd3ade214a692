import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';
import { withPooledConnection, type PooledConnection } from '../../server/src/db/driver-internals';
import { openRequestDb } from '../../server/src/db/request-db';
import { MAX_PREPARED } from '../../server/src/db/prepared-statements';

/**
 * Statements that repeat with only their parameters are prepared once per pooled connection and
 * sent as `execute <name>(...)` (db/prepared-statements.ts): the account lookup and node(id)'s
 * read among them. Prepared plans must never carry one caller's access to another.
 */
describe('prepared statements', () => {
  let app: TestApp;
  const knex = () => app.app.orm.em.getConnection().getKnex();
  const NODE = `query ReadOne($id: ID!) { node(id: $id) { id ... on SocThreat { name priority } } }`;

  beforeAll(async () => {
    // Two connections (the least the configuration allows), both looked at below.
    app = await createTestApp({ env: { DB_POOL_MAX: '2' } });
  });
  afterAll(async () => app.stop());

  interface PreparedRow {
    name: string;
    statement: string;
    executions: number;
    generic_plans: number;
    custom_plans: number;
  }

  /** What each pooled connection has prepared (a session's prepared statements are its own), with their executions. */
  async function preparedPerConnection(): Promise<PreparedRow[][]> {
    const read = async (c: PooledConnection) =>
      (await c.query<PreparedRow>(`select name, statement, (generic_plans + custom_plans)::int as executions, generic_plans::int, custom_plans::int from pg_prepared_statements where name like 'soc\\_%'`)).rows;
    return withPooledConnection(knex(), async (first) => withPooledConnection(knex(), async (second) => [await read(first), await read(second)]));
  }
  const preparedOnEveryConnection = async () => (await preparedPerConnection()).flat();
  /**
   * node(id)'s read of a threat: one compiled statement (modules/threats/threat.compiled.ts,
   * compiledThreatNode), here the one that ends its request, writing the READ of a sensitive threat.
   */
  const NODE_READ = / as with compiled_node as \(select .*'__compiled'.* as answer, .* from "soc_threat" as "t" where /s;
  const isNodeRead = (p: { statement: string }) => NODE_READ.test(p.statement);

  it('prepares the account lookup and node(id)\'s read once they repeat, and executes them by name', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    for (let i = 0; i < 12; i++) expect(expectData(await app.gql('tvp.investigator', NODE, { id: threat.id })).node.name).toBe('Operation Juniper');
    const prepared = await preparedOnEveryConnection();
    const lookup = prepared.filter((p) => /from app_user u join organisation o on o\.id = u\.organisation_id where u\.username = \$1/.test(p.statement));
    const read = prepared.filter(isNodeRead);
    expect(lookup.length).toBeGreaterThanOrEqual(1);
    expect(read.length).toBeGreaterThanOrEqual(1);
    expect(lookup.reduce((n, p) => n + p.executions, 0)).toBeGreaterThan(0);
    expect(read.reduce((n, p) => n + p.executions, 0)).toBeGreaterThan(0);
  });

  it('keeps row-level security and redaction per caller under one prepared plan, generic plans included', async () => {
    const hidden = await createThreat(app, 'tvp.investigator', { name: 'Operation Hawthorn', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
    // Enough executions on both connections for PostgreSQL to settle on a generic plan.
    for (let i = 0; i < 16; i++) expect(expectData(await app.gql('tvp.investigator', NODE, { id: hidden.id })).node.name).toBe('Operation Hawthorn');
    const read = (await preparedOnEveryConnection()).filter(isNodeRead);
    expect(read.reduce((n, p) => n + p.generic_plans, 0)).toBeGreaterThan(0);
    // Another force, and a partner, through the same prepared statements: the owner-only threat is missing for both.
    for (let i = 0; i < 4; i++) {
      expect(expectData(await app.gql('surrey.investigator', NODE, { id: hidden.id })).node).toBeNull();
      expect(expectData(await app.gql('oxon.mash', NODE, { id: hidden.id }, { purpose: 'SAFEGUARDING' })).node).toBeNull();
    }
    // A regionally shared threat: the other force reads it whole, the owner still does.
    const shared = await createThreat(app, 'tvp.investigator', { name: 'Operation Rowan' });
    for (let i = 0; i < 4; i++) {
      expect(expectData(await app.gql('surrey.investigator', NODE, { id: shared.id })).node.name).toBe('Operation Rowan');
      expect(expectData(await app.gql('tvp.investigator', NODE, { id: hidden.id })).node.name).toBe('Operation Hawthorn');
    }
  });

  it('still audits a read made through a prepared statement', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Elder' });
    const query = `query AuditedPrepared($id: ID!) { node(id: $id) { id ... on SocThreat { name priority } } }`;
    for (let i = 0; i < 6; i++) expectData(await app.gql('tvp.investigator', query, { id: threat.id }));
    const { rows } = await knex().raw(`select count(*)::int as n from audit_event where operation = 'AuditedPrepared' and action = 'READ' and record_ids = array[?]::uuid[]`, [
      Buffer.from(threat.id, 'base64url').toString().split(':')[1],
    ]);
    expect(rows[0].n).toBe(6);
  });

  it('runs the header search\'s prepared statements with their generic plans only, finding the same within each caller\'s access', async () => {
    await createThreat(app, 'tvp.investigator', { name: 'Operation Sorrelgate' });
    await createThreat(app, 'tvp.investigator', { name: 'Operation Sorrelmoor', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
    const SEARCH = `query Find($text: String!) { search(text: $text) { threats { totalCount edges { node { name } } } people { totalCount } plans { totalCount } } }`;
    const found = async (as: string) => {
      const { threats } = expectData(await app.gql(as, SEARCH, { text: 'Sorrel' })).search;
      return { total: threats.totalCount, names: threats.edges.map((e: { node: { name: string } }) => e.node.name) };
    };
    // Enough searches for both connections to prepare the statements and run them several times:
    // left to itself, PostgreSQL plans a prepared statement for its values at least five times.
    for (let i = 0; i < 10; i++) {
      expect(await found('tvp.investigator')).toEqual({ total: 2, names: ['Operation Sorrelmoor', 'Operation Sorrelgate'] });
      expect(await found('surrey.investigator')).toEqual({ total: 1, names: ['Operation Sorrelgate'] });
    }
    const searches = (await preparedOnEveryConnection()).filter((p) => p.statement.includes('~~~*'));
    expect(searches.length).toBeGreaterThanOrEqual(3);
    expect(searches.reduce((n, p) => n + p.generic_plans, 0)).toBeGreaterThan(0);
    expect(searches.map((p) => p.custom_plans)).toEqual(searches.map(() => 0));
    // Other requests keep PostgreSQL's own choice: node(id)'s read was planned for its values before it settled.
    const read = (await preparedOnEveryConnection()).filter(isNodeRead);
    expect(read.reduce((n, p) => n + p.custom_plans, 0)).toBeGreaterThan(0);
  });

  it('sends a statement PostgreSQL will not prepare with its parameters written out, as before', async () => {
    const caller = { userId: '00000000-0000-0000-0000-000000000000', organisationId: '00000000-0000-0000-0000-000000000000', isLawEnforcement: false, roles: [], clearance: 'OFFICIAL' };
    // Nothing decides the type of `$1 is null` for PREPARE; written as a literal it is text.
    for (let i = 0; i < 6; i++) {
      const db = await openRequestDb(app.app.orm, caller);
      try {
        expect((await db.knex.raw('select ? is null as said', [`time ${i}`])).rows).toEqual([{ said: false }]);
      } finally {
        await db.finish();
      }
    }
    const prepared = await preparedOnEveryConnection();
    expect(prepared.filter((p) => /select \$1 is null as said/.test(p.statement))).toEqual([]);
  });

  it('prepares at most MAX_PREPARED statements on a connection', async () => {
    const caller = { userId: '00000000-0000-0000-0000-000000000000', organisationId: '00000000-0000-0000-0000-000000000000', isLawEnforcement: false, roles: [], clearance: 'OFFICIAL' };
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < MAX_PREPARED + 10; i++) {
        const db = await openRequestDb(app.app.orm, caller);
        try {
          expect((await db.knex.raw(`select ?::int + ${i} as n`, [round])).rows).toEqual([{ n: round + i }]);
        } finally {
          await db.finish();
        }
      }
    }
    const perConnection = await preparedPerConnection();
    // The statements above were prepared (each seen at least three times on one of the two connections)...
    expect(perConnection.flat().filter((p) => /as n$/.test(p.statement)).length).toBeGreaterThan(MAX_PREPARED / 2);
    // ...up to the bound on each connection.
    for (const prepared of perConnection) expect(prepared.length).toBeLessThanOrEqual(MAX_PREPARED);
  });

  it('answers again after something deallocated the connection\'s statements: at most one failed request per connection', async () => {
    const threat = await createThreat(app, 'tvp.investigator', { name: 'Operation Larch' });
    for (let i = 0; i < 6; i++) expectData(await app.gql('tvp.investigator', NODE, { id: threat.id }));
    await withPooledConnection(knex(), async (first) => withPooledConnection(knex(), async (second) => Promise.all([first.query('deallocate all'), second.query('deallocate all')])));
    const answers = [];
    for (let i = 0; i < 12; i++) answers.push(await app.gql('tvp.investigator', NODE, { id: threat.id }));
    // The first execute by name on each connection fails (its statement is gone); that connection then prepares again.
    const failed = answers.filter((a) => a.errors);
    expect(failed.length).toBeLessThanOrEqual(2);
    expect(answers.filter((a) => !a.errors).map((a) => a.data?.node?.name)).toEqual(Array(12 - failed.length).fill('Operation Larch'));
    expect((await preparedOnEveryConnection()).filter(isNodeRead).length).toBeGreaterThanOrEqual(1);
  });

  describe('with row-level security alone (the application\'s own filters off)', () => {
    let rlsOnly: TestApp;
    beforeAll(async () => (rlsOnly = await createTestApp({ env: { DB_POOL_MAX: '2' }, accessLayers: { database: true, application: false } })));
    afterAll(async () => rlsOnly.stop());

    it('hides a record from another caller through a statement prepared and executed by the owner\'s caller', async () => {
      const hidden = await createThreat(rlsOnly, 'tvp.investigator', { name: 'Operation Blackthorn', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
      for (let i = 0; i < 16; i++) expect(expectData(await rlsOnly.gql('tvp.investigator', NODE, { id: hidden.id })).node.name).toBe('Operation Blackthorn');
      const rlsKnex = rlsOnly.app.orm.em.getConnection().getKnex();
      const executed = await withPooledConnection(rlsKnex, async (first) =>
        withPooledConnection(rlsKnex, async (second) => {
          const read = (c: PooledConnection) => c.query<{ n: number }>(`select coalesce(sum(generic_plans + custom_plans), 0)::int as n from pg_prepared_statements where statement ~ ' as with compiled_node as \\(select .*''__compiled''.* as answer, .* from "soc_threat" as "t" where '`);
          return (await read(first)).rows[0].n + (await read(second)).rows[0].n;
        }),
      );
      expect(executed).toBeGreaterThan(0);
      for (let i = 0; i < 4; i++) {
        expect(expectData(await rlsOnly.gql('surrey.investigator', NODE, { id: hidden.id })).node).toBeNull();
        expect(expectData(await rlsOnly.gql('oxon.mash', NODE, { id: hidden.id }, { purpose: 'SAFEGUARDING' })).node).toBeNull();
      }
    });
  });
});
