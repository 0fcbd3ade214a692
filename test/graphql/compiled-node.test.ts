import pg from 'pg';
import { statementsSentDuring } from '../support/statements';
import { fromGlobalId, toGlobalId } from '../../server/src/graphql/global-id';
import type { AccessLayers } from '../../server/src/access/layers';
import { createTestApp, type TestApp } from '../support/test-app';
import { COMPARED_USERS, EVERY_THREAT_FIELD, FORCE_RESOLVERS, withoutForced } from '../support/compiled-answers';

/**
 * `node(id)` of a threat compiled into one statement that answers as JSON
 * (server/src/modules/threats/threat.compiled.ts, compiledThreatNode) against the fetcher and
 * resolvers, which answer when the selection asks for anything the compiler does not write. Each
 * document is sent for each id twice as each user: as it is (compiled), and with one field the
 * compiler does not write (`forceResolvers: createdAt`, taken out of the answer before comparing).
 * The answers must be identical, errors included, and so must the audit events each request
 * writes. The ids are threats of every owner and marking in the demo data (so each user reads
 * some and is refused others), one that does not exist and one that is not an id at all; one
 * statement text serves every id (it is remembered with the id bound at each use), so each id
 * after the first also shows that statement answering for its own id.
 */

const USERS = COMPARED_USERS;
const FORCE = FORCE_RESOLVERS;

/** Documents with `#NODE#` where the threat's selection may take the forcing field. */
const DOCUMENTS: Record<string, string> = {
  // The benchmark's (server/scripts/bench/scenarios.ts).
  bench: `query B($id: ID!) { node(id: $id) { __typename id ... on SocThreat { #NODE#
    urn name status priority riskScore identifiedOn leadOrganisation { id code name } } } }`,
  everyField: `query F($id: ID!) { thing: node(id: $id) { kind: __typename ... on Nominal { name } ...T } }
    fragment T on SocThreat { #NODE# ${EVERY_THREAT_FIELD} }`,
  typenameOnly: `query T($id: ID!) { node(id: $id) { __typename ... on SocThreat { __typename #NODE# } } }`,
};

/** A threat of each owner and marking in the demo data, one that does not exist, and one that is no ID. */
async function threatIds(app: TestApp): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: app.db.url, max: 1 });
  try {
    const { rows } = await pool.query<{ id: string }>(
      `select distinct on (owning_organisation_id, protective_marking) id from soc_threat order by owning_organisation_id, protective_marking, urn`,
    );
    return [...rows.map((r) => toGlobalId('SocThreat', r.id)), toGlobalId('SocThreat', '00000000-0000-4000-8000-000000000000'), 'not an id'];
  } finally {
    await pool.end();
  }
}

function compiledNodeSuite(title: string, accessLayers?: AccessLayers) {
  describe(title, () => {
    let app: TestApp;
    let pool: pg.Pool;
    let ids: string[] = [];
    beforeAll(async () => {
      app = await createTestApp({ seed: 'demo', accessLayers });
      pool = new pg.Pool({ connectionString: app.db.url, max: 1 });
      ids = await threatIds(app);
    });
    afterAll(async () => {
      await pool.end();
      await app.stop();
    });

    /** Sends the document as `username`: the answer, whether the compiled statement gave it, and the round trips it cost. */
    async function send(username: string, document: string, operation: string, id: string) {
      const sent = await statementsSentDuring(app, () => app.gql(username, document.replace(/query [A-Z]\(/, `query ${operation}(`), { id }));
      return { answer: sent.result, compiled: sent.sql.some((s) => s.includes(`'__compiled'`)), roundTrips: sent.roundTrips };
    }

    /** The audit events one operation wrote: what was read (or refused), of which records. */
    const auditOf = async (operation: string) =>
      (
        await pool.query(
          `select action, record_type, purpose, array(select unnest(record_ids) order by 1) as ids, detail, user_id, username, organisation_id, client_address, request_id is not null as has_request_id
           from audit_event where operation = $1 order by action, record_type`,
          [operation],
        )
      ).rows;

    const officialThreat = async () => (await pool.query<{ id: string }>(`select id from soc_threat where protective_marking = 'OFFICIAL' order by urn limit 1`)).rows[0].id;

    let serial = 0;
    it.each(USERS.flatMap((user) => Object.keys(DOCUMENTS).map((name) => [user, name] as const)))(
      'gives %s the same answers and audit compiled as through the resolvers, for threats of every owner and marking: %s',
      async (username, name) => {
        let found = 0;
        for (const id of ids) {
          const n = `${++serial}`;
          const compiled = await send(username, DOCUMENTS[name].replaceAll('#NODE#', ''), `Compiled${n}`, id);
          const resolved = await send(username, DOCUMENTS[name].replaceAll('#NODE#', FORCE), `Resolved${n}`, id);
          expect(resolved.compiled).toBe(false);
          // Anything that parses as a threat's ID is answered by the statement; anything else never reaches it.
          expect({ id, compiled: compiled.compiled }).toEqual({ id, compiled: id !== 'not an id' });
          expect({ id, answer: compiled.answer }).toEqual({ id, answer: withoutForced(resolved.answer) });
          expect(JSON.stringify(compiled.answer)).toBe(JSON.stringify(withoutForced(resolved.answer)));
          expect({ id, audit: await auditOf(`Compiled${n}`) }).toEqual({ id, audit: await auditOf(`Resolved${n}`) });
          if (Object.values((compiled.answer as { data: Record<string, unknown> }).data)[0]) found++;
        }
        // Something to compare: every user reads some of these threats (a partner is refused others: below),
        // except the administrator, whose roles read no threats.
        expect({ username, readsSome: found > 0 }).toEqual({ username, readsSome: username !== 'serocu.admin' });
      },
    );

    if (accessLayers) return;

    it('has something to compare: a sensitive read audited, a partner shown withheld fields, hidden threats null', async () => {
      const threatOf = (answer: unknown) => (answer as { data: { thing: any } }).data.thing;
      const existing = ids.slice(0, -2);
      const threats: any[] = [];
      for (const [i, id] of existing.entries()) threats.push(threatOf((await send('oxon.mash', DOCUMENTS.everyField.replace('#NODE#', ''), `Sample${i}`, id)).answer));
      expect(threats.some((t) => t === null)).toBe(true);
      expect(threats.some((t) => t?.withheld.length && t.priority === null && t.summary === null)).toBe(true);
      const police = await send('serocu.analyst', DOCUMENTS.everyField.replace('#NODE#', ''), 'SamplePolice', existing[0]);
      expect(threatOf(police.answer)).not.toBeNull();
      const events = await pool.query(`select action from audit_event where operation like 'Compiled%' and action = 'READ' and record_type = 'SocThreat'`);
      expect(events.rowCount).toBeGreaterThan(0);
    });

    it('refuses a sensitive threat without a purpose as the resolvers do, with the same DENIED events', async () => {
      const sensitive = (await pool.query<{ id: string }>(`select id from soc_threat where protective_marking <> 'OFFICIAL' order by urn limit 1`)).rows[0].id;
      const id = toGlobalId('SocThreat', sensitive);
      const { result: compiled, sql } = await statementsSentDuring(app, () =>
        app.gql('serocu.analyst', DOCUMENTS.bench.replace('#NODE#', '').replace('query B(', 'query NoPurposeCompiled('), { id }, { purpose: null }),
      );
      const wasCompiled = sql.some((s) => s.includes(`'__compiled'`));
      const resolved = await app.gql('serocu.analyst', DOCUMENTS.bench.replace('#NODE#', FORCE).replace('query B(', 'query NoPurposeResolved('), { id }, { purpose: null });
      expect(wasCompiled).toBe(true);
      expect((compiled as any).errors[0].extensions.code).toBe('PURPOSE_REQUIRED');
      expect(compiled).toEqual(withoutForced(resolved));
      expect(await auditOf('NoPurposeCompiled')).toEqual(await auditOf('NoPurposeResolved'));
    });

    // Read again in a subquery of its own, the row was looked up and its policies checked twice
    // (threat.compiled.ts, threatNodeStatement).
    it('reads the threat in one scan of soc_threat', async () => {
      for (const username of ['serocu.analyst', 'oxon.mash']) {
        const { sql } = await statementsSentDuring(app, () => app.gql(username, DOCUMENTS.bench.replace('#NODE#', ''), { id: ids[0] }));
        const read = sql.filter((s) => s.includes(`'__compiled'`));
        expect(read).toHaveLength(1);
        expect(read[0].match(/\bsoc_threat\b/g)).toHaveLength(1);
      }
    });

    // For an account already remembered (the warm-up): BEGIN with the account's check, the
    // caller's settings, the statement (writing the READ event of a sensitive threat) and COMMIT
    // in one message (graphql/node.ts, LastRead).
    it('costs one statement and one round trip for a threat alone, the READ of a sensitive threat written once, by that statement', async () => {
      const sensitive = (await pool.query<{ id: string }>(`select id from soc_threat where protective_marking <> 'OFFICIAL' order by urn limit 1`)).rows[0].id;
      const official = toGlobalId('SocThreat', await officialThreat());
      let operation = 0;
      for (const username of ['serocu.analyst', 'oxon.mash']) {
        for (const id of [official, toGlobalId('SocThreat', sensitive)]) {
          await send(username, DOCUMENTS.bench.replace('#NODE#', ''), 'Warm', id);
          const name = `OneTrip${++operation}`;
          const { compiled, roundTrips, answer } = await send(username, DOCUMENTS.bench.replace('#NODE#', ''), name, id);
          expect(compiled).toBe(true);
          expect(roundTrips).toBe(1);
          const read = (answer as { data: { node: unknown } }).data.node;
          const events = await auditOf(name);
          if (id === official || !read) expect(events).toEqual([]);
          else expect(events).toEqual([expect.objectContaining({ action: 'READ', record_type: 'SocThreat', ids: [sensitive], purpose: 'INVESTIGATION', username, detail: {}, has_request_id: true })]);
        }
      }
      // Something to compare: the police analyst reads the sensitive threat.
      expect(await auditOf('OneTrip2')).toHaveLength(1);
    });

    // Its plan is a record of its own, sensitive in the demo data: the statement writes only the
    // threat's READ, so the request's collector writes them all, with COMMIT, at its end.
    it('leaves the events and COMMIT to the end of the request when the answer can hold other records', async () => {
      const withPlan = (await pool.query<{ id: string }>(`select t.id from soc_threat t join fourp_plan p on p.threat_id = t.id where p.protective_marking <> 'OFFICIAL' order by t.urn limit 1`)).rows[0].id;
      const id = toGlobalId('SocThreat', withPlan);
      await send('serocu.analyst', DOCUMENTS.everyField.replace('#NODE#', ''), 'Warm', id);
      const { compiled, roundTrips, answer } = await send('serocu.analyst', DOCUMENTS.everyField.replace('#NODE#', ''), 'WithItsPlan', id);
      expect(compiled).toBe(true);
      expect(roundTrips).toBe(2);
      expect((answer as any).data.thing.plan).not.toBeNull();
      const events = await auditOf('WithItsPlan');
      expect(events.map((e) => [e.action, e.record_type])).toContainEqual(['READ', 'FourPPlan']);
      expect(events.filter((e) => e.detail.requestRolledBack)).toEqual([]);
    });

    // Anything else the request does may need its transaction after the read: the statement then
    // writes no event, and the events and COMMIT take their round trip as for any request.
    it('leaves the transaction to the end of the request when node is not all the request asks, or no purpose is stated', async () => {
      const sensitive = toGlobalId('SocThreat', (await pool.query<{ id: string }>(`select id from soc_threat where protective_marking <> 'OFFICIAL' order by urn limit 1`)).rows[0].id);
      const withViewer = `query WithViewer($id: ID!) { viewer { username } node(id: $id) { id ... on SocThreat { name } } other: node(id: $id) { id } }`;
      const { result, sql, roundTrips } = await statementsSentDuring(app, () => app.gql('serocu.analyst', withViewer, { id: sensitive }));
      expect((result as any).data.node.name).toEqual(expect.any(String));
      expect(sql.filter((s) => s.includes(`'__compiled'`))).toHaveLength(2);
      expect(sql.filter((s) => /insert into "?audit_event/i.test(s))).toHaveLength(1);
      expect(sql.filter((s) => /^\s*with compiled_node/i.test(s))).toEqual([]);
      expect(roundTrips).toBe(2);
      // Both reads in the one READ event the request's collector writes.
      expect(await auditOf('WithViewer')).toEqual([expect.objectContaining({ action: 'READ', record_type: 'SocThreat', ids: [fromGlobalId(sensitive)!.id] })]);

      const official = toGlobalId('SocThreat', await officialThreat());
      const noPurpose = await statementsSentDuring(app, () => app.gql('serocu.analyst', DOCUMENTS.bench.replace('#NODE#', '').replace('query B(', 'query OfficialNoPurpose('), { id: official }, { purpose: null }));
      expect((noPurpose.result as any).data.node).not.toBeNull();
      expect(noPurpose.roundTrips).toBe(2);
    });
  });
}

compiledNodeSuite('node(id) of a threat compiled into one statement');
// Row-level security off: the application's policy alone must hide in the compiled statement what it hides from the fetcher.
compiledNodeSuite('node(id) of a threat compiled into one statement, with the application policy alone', { database: false, application: true });
