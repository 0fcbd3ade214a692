import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { createTestApp, type GqlOptions, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId, userId } from '../support/factories';
import { createReferral, referralInput } from '../support/referral-factories';
import { AuditCollector } from '../../server/src/audit';
import { chainAuditEvents } from '../../server/src/audit/sequencer';
import { statementsSentDuring } from '../support/statements';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
  // A force's own auditor, to show that they see their organisation's events only.
  await sql(`insert into app_user (username, display_name, organisation_id, roles, clearance)
             select 'tvp.auditor', 'Fictional TVP Auditor', id, '{AUDITOR}', 'OFFICIAL_SENSITIVE' from organisation where code = 'TVP'`);
});
afterAll(() => app.stop());

/** As the connecting superuser: sees every row, bypassing row-level security. */
const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
/** Links every committed event into the chain now, as the sequencer does on its timer (audit/sequencer.ts). */
const chainNow = () => sql('select audit_chain_extend()');
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

/** Runs an operation with its own request id and returns the result and the events it left. */
async function audited(as: string, query: string, variables: Record<string, unknown> = {}, options: GqlOptions = {}) {
  const requestId = randomUUID();
  const result = await app.gql(as, query, variables, { ...options, headers: { 'x-request-id': requestId, ...options.headers } });
  const events = await sql('select * from audit_event where request_id = ? order by id', [requestId]);
  return { result, events, requestId };
}

const THREAT = `mutation CreateJuniper($input: CreateThreatInput!) { createThreat(input: $input) { id version protectiveMarking } }`;
const SENSITIVE = { access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } };
const OFFICIAL = { access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } };

async function threatInput(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Operation Juniper',
    subjectType: 'ORGANISED_CRIME_GROUP',
    leadOrganisationId: await orgId(app, 'TVP'),
    taskingLevel: 'FORCE',
    geographicScope: 'REGIONAL',
    criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'COUNTY_LINES', description: 'Class A supply.', firstIdentified: '2025-06-01' }],
    ...SENSITIVE,
    ...overrides,
  };
}

describe('what is recorded', () => {
  it('records a mutation: CREATE with the user, organisation, purpose, operation name, record id, request id and client address', async () => {
    const { result, events, requestId } = await audited('tvp.investigator', THREAT, { input: await threatInput() }, { purpose: 'SAFEGUARDING' });
    const threat = expectData(result).createThreat;
    const [tvp] = await sql(`select id from organisation where code = 'TVP'`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'CREATE',
      record_type: 'SocThreat',
      record_ids: [dbId(threat.id)],
      username: 'tvp.investigator',
      user_id: dbId(await userId(app, 'tvp.investigator')),
      organisation_id: tvp.id,
      purpose: 'SAFEGUARDING',
      operation: 'CreateJuniper',
      request_id: requestId,
      detail: { mutations: ['createThreat'] },
    });
    expect(events[0].client_address).toMatch(/127\.0\.0\.1|::1/);
  });

  it('records UPDATE for a change, by the mutation name', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const { result, events } = await audited(
      'tvp.investigator',
      `mutation Rename($input: UpdateThreatInput!) { updateThreat(input: $input) { id version } }`,
      { input: { id: threat.id, expectedVersion: threat.version, name: 'Operation Juniper II' } },
    );
    expectData(result);
    expect(events.map((e: any) => [e.action, e.record_type, e.record_ids, e.operation])).toEqual([['UPDATE', 'SocThreat', [dbId(threat.id)], 'Rename']]);
  });

  it('records one READ event per record type per request, holding every sensitive id read, and none for OFFICIAL records', async () => {
    const sensitive = [await createThreat(app, 'surrey.investigator', { name: 'Op Alder' }), await createThreat(app, 'surrey.investigator', { name: 'Op Birch' })];
    const official = await createThreat(app, 'surrey.investigator', { ...OFFICIAL, name: 'Op Cedar' });
    const { result, events } = await audited(
      'surrey.investigator',
      `query SurreyThreats($ids: [ID!]!) { threats(first: 100, filter: { owningOrganisationIds: $ids }) { edges { node { id name } } } }`,
      { ids: [await orgId(app, 'SURREY')] },
      { purpose: 'SAFEGUARDING' },
    );
    const listed = expectData(result).threats.edges.map((e: any) => e.node.id);
    expect(listed).toEqual(expect.arrayContaining([...sensitive.map((t) => t.id), official.id]));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'READ', record_type: 'SocThreat', purpose: 'SAFEGUARDING', operation: 'SurreyThreats' });
    expect([...events[0].record_ids].sort()).toEqual(sensitive.map((t) => dbId(t.id)).sort());
  });

  it('catches nested reads and node/nodes: a referral and the sensitive threat linked to it', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const referral = await createReferral(app, { linkedThreatIds: [threat.id] });
    const { result, events } = await audited(
      'tvp.safeguarding',
      `query Referral($ids: [ID!]!) { nodes(ids: $ids) { id ... on SafeguardingReferral { reference linkedThreats { id } } } }`,
      { ids: [referral.id] },
      { purpose: 'SAFEGUARDING' },
    );
    expect(expectData(result).nodes[0].linkedThreats).toEqual([{ id: threat.id }]);
    const reads = events.map((e: any) => [e.action, e.record_type, e.record_ids, e.purpose]).sort();
    expect(reads).toEqual([
      ['READ', 'SafeguardingReferral', [dbId(referral.id)], 'SAFEGUARDING'],
      ['READ', 'SocThreat', [dbId(threat.id)], 'SAFEGUARDING'],
    ]);
  });

  it('writes a request\'s events in the same message as its COMMIT: no round trip of their own', async () => {
    const threat = await createThreat(app, 'tvp.investigator'); // OFFICIAL_SENSITIVE: reading it is audited
    // Two fields: the threat's read is not the request's last statement (graphql/node.ts, LastRead).
    const { result, sql: sent, roundTrips } = await statementsSentDuring(app, () =>
      app.gql('tvp.investigator', `query ReadOne($id: ID!) { node(id: $id) { id } again: node(id: $id) { id } }`, { id: threat.id }),
    );
    expect(result.data?.node).toEqual({ id: threat.id });
    expect(sent.slice(-2).map((s) => s.slice(0, 25).toLowerCase())).toEqual(['insert into "audit_event"', 'commit;']);
    // BEGIN with the remembered account's check (it created the threat just now), the caller's
    // settings and the reads; the events with COMMIT.
    expect(roundTrips).toBe(2);
    const events = await sql(`select action, record_ids from audit_event where operation = 'ReadOne'`);
    expect(events).toEqual([{ action: 'READ', record_ids: [dbId(threat.id)] }]);
  });

  it('writes the READ of a threat read alone by node(id) in the read\'s own statement, with COMMIT: one round trip in all', async () => {
    const threat = await createThreat(app, 'tvp.investigator'); // OFFICIAL_SENSITIVE: reading it is audited
    const { result, sql: sent, roundTrips } = await statementsSentDuring(app, () => app.gql('tvp.investigator', `query ReadAlone($id: ID!) { node(id: $id) { id } }`, { id: threat.id }));
    expect(result.data?.node).toEqual({ id: threat.id });
    expect(sent.filter((s) => /insert into "?audit_event/i.test(s))).toEqual([expect.stringMatching(/^with compiled_node/)]);
    expect(sent[sent.length - 1].toLowerCase()).toBe('commit;');
    expect(roundTrips).toBe(1);
    const events = await sql(`select action, record_type, record_ids, username, purpose from audit_event where operation = 'ReadAlone'`);
    expect(events).toEqual([{ action: 'READ', record_type: 'SocThreat', record_ids: [dbId(threat.id)], username: 'tvp.investigator', purpose: 'INVESTIGATION' }]);
  });

  it('records a FORBIDDEN mutation as DENIED with the record asked for', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const { result, events } = await audited(
      'surrey.investigator',
      `mutation Meddle($input: UpdateThreatInput!) { updateThreat(input: $input) { id } }`,
      { input: { id: threat.id, expectedVersion: threat.version, name: 'Not yours' } },
    );
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'DENIED', record_type: 'SocThreat', record_ids: [dbId(threat.id)], username: 'surrey.investigator', operation: 'Meddle' });
    expect(events[0].detail.refusals[0]).toMatchObject({ code: 'FORBIDDEN', field: 'updateThreat' });
  });

  it('records NOT_FOUND on a mutation as DENIED (a record the caller may not see)', async () => {
    const hidden = await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
    const { result, events } = await audited(
      'hiow.analyst',
      `mutation Probe($input: UpdateThreatInput!) { updateThreat(input: $input) { id } }`,
      { input: { id: hidden.id, expectedVersion: 1, name: 'Probe' } },
    );
    expect(result.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(events.map((e: any) => [e.action, e.record_type, e.record_ids, e.detail.refusals[0].code])).toEqual([['DENIED', 'SocThreat', [dbId(hidden.id)], 'NOT_FOUND']]);
  });

  it("records a non-auditor's attempt to read the trail as DENIED", async () => {
    const { result, events } = await audited('tvp.investigator', `query Peek { auditEvents(first: 1) { totalCount } }`);
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(events.map((e: any) => [e.action, e.record_type, e.username])).toEqual([['DENIED', 'AuditEvent', 'tvp.investigator']]);
  });

  it('provides EXPORT as an action (reports and exports record it through the collector)', async () => {
    const collector = new AuditCollector({ userId: 'u', username: 'x', organisationId: 'o', purpose: null, clientAddress: null, requestId: 'r' });
    collector.exported('SocThreat', ['a', 'b'], 'CSV');
    collector.exported('SocThreat', ['b', 'c'], 'CSV');
    expect(collector.drain()).toEqual([expect.objectContaining({ action: 'EXPORT', record_type: 'SocThreat', record_ids: ['a', 'b', 'c'], detail: { formats: ['CSV'] } })]);
    const [{ ok }] = await sql(`select 'EXPORT' = any (string_to_array(regexp_replace(pg_get_constraintdef(oid), '[^A-Z_,]', '', 'g'), ',')) as ok
                                from pg_constraint where conname = 'audit_event_action_check'`);
    expect(ok).toBe(true);
  });
});

describe('purpose', () => {
  it('refuses a sensitive read without a purpose: PURPOSE_REQUIRED naming X-Purpose and the purposes the caller may state, and a DENIED event', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const { result, events } = await audited('tvp.investigator', `query One($id: ID!) { node(id: $id) { id ... on SocThreat { name } } }`, { id: threat.id }, { purpose: null });
    expect(result.data?.node).toBeNull();
    const error = result.errors![0];
    expect(error.extensions?.code).toBe('PURPOSE_REQUIRED');
    expect(error.message).toContain('X-Purpose');
    // An investigator's own purposes (server/src/access/purpose-roles.ts), not all six.
    expect(error.message).toContain('one of INVESTIGATION, SAFEGUARDING.');
    expect(error.extensions?.allowedPurposes).toEqual(['INVESTIGATION', 'SAFEGUARDING']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'DENIED', record_type: 'SocThreat', record_ids: [dbId(threat.id)], purpose: null, operation: 'One' });
    expect(events[0].detail.refusals[0]).toMatchObject({ code: 'PURPOSE_REQUIRED', field: 'node' });
  });

  it('undoes a mutation whose answer holds a sensitive record the caller stated no purpose for, and says nothing was saved', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const summary = `Unsaid referral ${randomUUID().slice(0, 8)}`;
    const mutation = `mutation Refer($input: CreateReferralInput!) { createReferral(input: $input) { id linkedThreats { id name } } }`;
    const input = { ...(await referralInput(app, { summary, protectiveMarking: 'OFFICIAL' })), linkedThreatIds: [threat.id] };
    const { result, events } = await audited('tvp.safeguarding', mutation, { input }, { purpose: null });
    expect(result.data).toBeNull();
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['PURPOSE_REQUIRED']);
    expect(result.errors![0].message).toMatch(/^Nothing was saved\./);
    expect(await sql('select id from safeguarding_referral where summary = ?', [summary])).toEqual([]);
    // The refusal is on the trail, marked as rolled back with the attempt.
    expect(events.map((e: any) => e.action).sort()).toEqual(['CREATE', 'DENIED']);
    for (const e of events) expect(e.detail.requestRolledBack).toEqual([true]);
  });

  it('refuses a page containing sensitive records with one error, and every referral whatever its marking', async () => {
    await createThreat(app, 'sussex.investigator');
    const list = await audited('sussex.investigator', `query Page { threats(first: 100) { edges { node { id } } } }`, {}, { purpose: null });
    expect(list.result.errors?.map((e) => e.extensions?.code)).toEqual(['PURPOSE_REQUIRED']);
    expect(list.events.map((e: any) => e.action)).toEqual(['DENIED']);

    const referral = await createReferral(app, { protectiveMarking: 'OFFICIAL' });
    expect(referral.protectiveMarking).toBe('OFFICIAL');
    const read = await audited('tvp.safeguarding', `query R($id: ID!) { node(id: $id) { id } }`, { id: referral.id }, { purpose: null });
    expect(read.result.errors?.[0].extensions?.code).toBe('PURPOSE_REQUIRED');
    expect(read.events.map((e: any) => [e.action, e.record_type, e.record_ids])).toEqual([['DENIED', 'SafeguardingReferral', [dbId(referral.id)]]]);
  });

  it('needs no purpose for OFFICIAL records, and records nothing for reading them', async () => {
    const threat = await createThreat(app, 'tvp.investigator', OFFICIAL);
    const { result, events } = await audited('tvp.investigator', `query Plain($id: ID!) { node(id: $id) { id ... on SocThreat { name } } }`, { id: threat.id }, { purpose: null });
    expect(expectData(result).node).toEqual({ id: threat.id, name: 'Operation Juniper' });
    expect(events).toEqual([]);
  });

  it('refuses a purpose that is not one of the six at once (BAD_USER_INPUT, HTTP 400), before anything runs', async () => {
    const { result, events } = await audited('tvp.investigator', THREAT, { input: await threatInput({ name: 'Operation Curiosity' }) }, { purpose: 'CURIOSITY' });
    expect(result.status).toBe(400);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toContain('INVESTIGATION');
    expect(events).toEqual([]);
    const [{ n }] = await sql(`select count(*)::int as n from soc_threat where name = 'Operation Curiosity'`);
    expect(n).toBe(0);
  });

  it('takes the purpose from connection_init on a WebSocket, and refuses a bad one with close code 4400', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    const token = await app.tokenFor('tvp.investigator');
    const requestId = randomUUID();
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const done = new Promise<any>((resolve) => {
      socket.on('message', (raw) => {
        const message = JSON.parse(String(raw));
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: `query OverSocket($id: ID!) { node(id: $id) { id } }`, variables: { id: threat.id } } }));
        }
        if (message.type === 'next') resolve(message.payload);
      });
    });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, purpose: 'SAFEGUARDING' } })));
    expect((await done).data.node).toEqual({ id: threat.id });
    socket.close();
    let events: any[] = [];
    for (let i = 0; i < 50 && !events.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      events = await sql(`select * from audit_event where operation = 'OverSocket' and ? = any (record_ids)`, [dbId(threat.id)]);
    }
    expect(events.map((e: any) => [e.action, e.purpose, e.username])).toEqual([['READ', 'SAFEGUARDING', 'tvp.investigator']]);

    const closeCode = await new Promise<number>((resolve) => {
      const bad = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      bad.on('open', () => bad.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, purpose: 'NOSEY' } })));
      bad.on('close', (code) => resolve(code));
    });
    expect(closeCode).toBe(4400);
  });
});

describe('the table is append-only', () => {
  /** A transaction as the application role with `username` as the caller. */
  async function asApplication<T>(username: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    try {
      const { rows } = await client.query(`select u.id, u.organisation_id from app_user u where username = $1`, [username]);
      await client.query('begin');
      await client.query(`select set_config('soc.user_id', $1, true), set_config('soc.organisation_id', $2, true), set_config('soc.roles', '{AUDITOR}', true), set_config('role', 'soc_app', true)`, [rows[0].id, rows[0].organisation_id]);
      return await work(client);
    } finally {
      await client.query('rollback').catch(() => undefined);
      await client.end();
    }
  }

  beforeAll(() => createThreat(app, 'tvp.investigator'));

  it.each(['update audit_event set purpose = null', 'delete from audit_event', 'truncate audit_event'])('refuses "%s" to the application role (no grant)', async (statement) => {
    await expect(asApplication('serocu.auditor', (c) => c.query(statement))).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/permission denied/) });
  });

  it.each(['update audit_event set purpose = null', 'delete from audit_event', 'truncate audit_event'])('refuses "%s" to anyone, the superuser included (trigger)', async (statement) => {
    await expect(sql(statement)).rejects.toThrow(/append-only/);
    const [{ n }] = await sql('select count(*)::int as n from audit_event where purpose is not null');
    expect(n).toBeGreaterThan(0);
  });

  it('lets the application role append only as the caller', async () => {
    const [other] = await sql(`select id, organisation_id from app_user where username = 'surrey.investigator'`);
    await expect(
      asApplication('tvp.investigator', (c) => c.query(`insert into audit_event (user_id, username, organisation_id, action, request_id, prev_hash, hash) values ($1, 'x', $2, 'READ', 'forged', '', '')`, [other.id, other.organisation_id])),
    ).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/row-level security/) });
  });

  it('computes the hashes itself, whatever the inserter sends, when it chains the event after commit', async () => {
    const [written, chained] = await asApplication('tvp.investigator', async (c) => {
      const [me] = (await c.query(`select soc_caller_user() as id, soc_caller_org() as org`)).rows;
      await c.query(`insert into audit_event (user_id, username, organisation_id, action, request_id, prev_hash, hash, chain_seq, at) values ($1, 'someone.else', $2, 'READ', 'forged-hash', 'aa', 'bb', 1, '2000-01-01')`, [me.id, me.org]);
      // soc_app cannot read back what it wrote unless it audits: switch to the owner to look.
      await c.query('reset role');
      const before = (await c.query(`select * from audit_event where request_id = 'forged-hash'`)).rows[0];
      await c.query('select audit_chain_extend()'); // what the sequencer does (audit/sequencer.ts)
      return [before, (await c.query(`select * from audit_event where request_id = 'forged-hash'`)).rows[0]];
    });
    // Written unchained, whatever was sent: only the sequencer links an event into the chain.
    expect(written).toMatchObject({ prev_hash: null, hash: null, chain_seq: null, username: 'tvp.investigator' });
    expect(new Date(written.at).getFullYear()).toBeGreaterThan(2000);
    expect(chained.prev_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chained.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(chained.chain_seq)).toBeGreaterThan(Number(chained.id));
  });

  it('lets the chaining fill an unchained event\'s chain fields once and change nothing else, even for the owner', async () => {
    await asApplication('tvp.investigator', async (c) => {
      const [me] = (await c.query(`select soc_caller_user() as id, soc_caller_org() as org`)).rows;
      await c.query(`insert into audit_event (user_id, username, organisation_id, action, request_id) values ($1, 'x', $2, 'READ', 'to-chain')`, [me.id, me.org]);
      await c.query('reset role');
      const [unchained] = (await c.query(`select id from audit_event where request_id = 'to-chain'`)).rows;
      const [chained] = (await c.query(`select id from audit_event where hash is not null order by id desc limit 1`)).rows;
      // The switch audit_chain_extend() sets, set by hand:
      await c.query(`select set_config('soc.audit_chaining', 'on', true)`);
      const attempt = async (statement: string, id: string) => {
        await c.query('savepoint attempt');
        try {
          await c.query(statement, [id]);
          return 'allowed';
        } catch (err) {
          await c.query('rollback to savepoint attempt');
          return (err as Error).message;
        }
      };
      expect(await attempt(`update audit_event set hash = 'x' where id = $1`, chained.id)).toMatch(/append-only/);
      expect(await attempt(`update audit_event set purpose = 'AUDIT', hash = 'x' where id = $1`, unchained.id)).toMatch(/append-only/);
      expect(await attempt(`update audit_event set hash = 'x' where id = $1`, unchained.id)).toBe('allowed');
    });
  });
});

describe('auditEvents', () => {
  const EVENTS = `query Trail($first: Int, $after: String, $filter: AuditEventFilter) {
    auditEvents(first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node { id at username operation action recordType recordIds purpose requestId detail prevHash hash user { username } organisation { code } } }
    } }`;

  it('lists the region for the SEROCU auditor, newest first, filtered by user, organisation, record, purpose, action and time', async () => {
    const before = new Date(Date.now() - 1000).toISOString();
    const threat = await createThreat(app, 'hiow.analyst');
    await app.gql('hiow.analyst', `query Look($id: ID!) { node(id: $id) { id } }`, { id: threat.id }, { purpose: 'REPORTING' });

    const all = expectData(await app.gql('serocu.auditor', EVENTS, { first: 100 }, { purpose: 'AUDIT' })).auditEvents;
    const ids = all.edges.map((e: any) => Number(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const codes = new Set(all.edges.map((e: any) => e.node.organisation.code));
    expect([...codes]).toEqual(expect.arrayContaining(['TVP', 'SURREY', 'HIOW']));

    const byRecord = expectData(await app.gql('serocu.auditor', EVENTS, { filter: { recordId: threat.id } })).auditEvents;
    expect(byRecord.edges.map((e: any) => [e.node.action, e.node.operation, e.node.purpose, e.node.recordIds])).toEqual([
      ['READ', 'Look', 'REPORTING', [threat.id]],
      ['CREATE', null, 'INVESTIGATION', [threat.id]],
    ]);

    const filter = {
      userIds: [await userId(app, 'hiow.analyst')],
      organisationIds: [await orgId(app, 'HIOW')],
      purpose: ['REPORTING'],
      action: ['READ'],
      from: before,
      to: new Date(Date.now() + 60_000).toISOString(),
    };
    const filtered = expectData(await app.gql('serocu.auditor', EVENTS, { filter })).auditEvents;
    expect(filtered.totalCount).toBe(1);
    expect(filtered.edges[0].node).toMatchObject({ username: 'hiow.analyst', user: { username: 'hiow.analyst' }, organisation: { code: 'HIOW' }, action: 'READ', recordIds: [threat.id] });
    const tooLate = expectData(await app.gql('serocu.auditor', EVENTS, { filter: { ...filter, from: new Date(Date.now() + 60_000).toISOString(), to: null } })).auditEvents;
    expect(tooLate.totalCount).toBe(0);
  });

  it('pages by event number, so events written meanwhile (reading the trail is one) never shift a page', async () => {
    const PAGE = `query Page($first: Int, $after: String, $last: Int, $before: String) {
      auditEvents(first: $first, after: $after, last: $last, before: $before) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } } }`;
    for (let i = 0; i < 4; i++) await createThreat(app, 'tvp.investigator');
    const first = expectData(await app.gql('serocu.auditor', PAGE, { first: 2 })).auditEvents;
    expect(first.edges).toHaveLength(2);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const next = expectData(await app.gql('serocu.auditor', PAGE, { first: 2, after: first.pageInfo.endCursor })).auditEvents;
    const expected = await sql('select id::text as id from audit_event e where e.id < ? order by e.id desc limit 2', [first.edges[1].node.id]);
    expect(next.edges.map((e: any) => e.node.id)).toEqual(expected.map((r: any) => r.id));
    expect(next.pageInfo.hasPreviousPage).toBe(true);
    const back = expectData(await app.gql('serocu.auditor', PAGE, { last: 2, before: next.pageInfo.startCursor })).auditEvents;
    expect(back.edges.map((e: any) => e.node.id)).toEqual(first.edges.map((e: any) => e.node.id));
    expect((await app.gql('serocu.auditor', PAGE, { first: 101 })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await app.gql('serocu.auditor', PAGE, { first: 1, after: 'bogus' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("gives a force's auditor their own organisation's events only, in the application and in the database", async () => {
    await createThreat(app, 'surrey.investigator');
    const [{ tvp }] = await sql(`select count(*)::int as tvp from audit_event e join organisation o on o.id = e.organisation_id where o.code = 'TVP'`);
    const own = expectData(await app.gql('tvp.auditor', EVENTS, { first: 100 })).auditEvents;
    expect(own.totalCount).toBeGreaterThan(0);
    expect(new Set(own.edges.map((e: any) => e.node.organisation.code))).toEqual(new Set(['TVP']));
    expect(own.totalCount).toBe(tvp);

    // Row-level security alone: the same rule holds for a bare query as the application role.
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    try {
      const [auditor] = (await client.query(`select id, organisation_id from app_user where username = 'tvp.auditor'`)).rows;
      await client.query('begin');
      await client.query(`select set_config('soc.user_id', $1, true), set_config('soc.organisation_id', $2, true), set_config('soc.roles', '{AUDITOR}', true), set_config('role', 'soc_app', true)`, [auditor.id, auditor.organisation_id]);
      const seen = (await client.query(`select distinct organisation_id from audit_event`)).rows.map((r) => r.organisation_id);
      expect(seen).toEqual([auditor.organisation_id]);
      await client.query(`select set_config('soc.roles', '{INVESTIGATOR}', true)`);
      expect((await client.query(`select count(*)::int as n from audit_event`)).rows[0].n).toBe(0);
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });

  it('is refused to anyone who is not an auditor', async () => {
    for (const user of ['serocu.admin', 'serocu.analyst']) {
      const result = await app.gql(user, EVENTS, {});
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      expect((await app.gql(user, '{ verifyAuditChain { valid } }')).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('the hash chain', () => {
  const VERIFY = '{ verifyAuditChain { valid eventsChecked firstBrokenEventId } }';
  const CHAIN_ORDER = 'select id, prev_hash, hash from audit_event where hash is not null order by coalesce(chain_seq, id)';

  /** A superuser connection with triggers off, as a tamperer with database access would have. */
  async function tamper(statements: (client: pg.Client) => Promise<void>): Promise<void> {
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    try {
      await client.query(`set session_replication_role = replica`);
      await statements(client);
    } finally {
      await client.end();
    }
  }

  it('links every event to the one before, and verifies', async () => {
    await createThreat(app, 'tvp.investigator');
    await chainNow();
    const rows = await sql(CHAIN_ORDER);
    expect(rows[0].prev_hash).toBe('0'.repeat(64));
    rows.slice(1).forEach((row: any, i: number) => expect(row.prev_hash).toBe(rows[i].hash));
    const result = expectData(await app.gql('tvp.auditor', VERIFY)).verifyAuditChain;
    expect(result).toEqual({ valid: true, eventsChecked: expect.any(Number), firstBrokenEventId: null });
    expect(result.eventsChecked).toBeGreaterThanOrEqual(rows.length);
  });

  it('detects an edited event, and a removed last event', async () => {
    const threat = await createThreat(app, 'tvp.investigator');
    // Chained events are what the chain protects (a superuser can alter an event in the moment
    // before the sequencer chains it, as they could alter it before its commit).
    await chainNow();
    const [target] = await sql(`select * from audit_event where ? = any (record_ids) and action = 'CREATE'`, [dbId(threat.id)]);
    await tamper((c) => c.query(`update audit_event set purpose = 'AUDIT' where id = $1`, [target.id]).then(() => undefined));
    const edited = expectData(await app.gql('serocu.auditor', VERIFY)).verifyAuditChain;
    expect(edited).toMatchObject({ valid: false, firstBrokenEventId: String(target.id) });
    await tamper((c) => c.query(`update audit_event set purpose = $2 where id = $1`, [target.id, target.purpose]).then(() => undefined));
    expect(expectData(await app.gql('serocu.auditor', VERIFY)).verifyAuditChain.valid).toBe(true);

    // Rewriting the hash too does not help: the next event still points at the old one.
    await tamper(async (c) => {
      await c.query(`update audit_event set purpose = 'AUDIT' where id = $1`, [target.id]);
      await c.query(`update audit_event e set hash = audit_event_hash(e.prev_hash, e) where id = $1`, [target.id]);
    });
    const rehashed = expectData(await app.gql('serocu.auditor', VERIFY)).verifyAuditChain;
    expect(rehashed.valid).toBe(false);
    expect(Number(rehashed.firstBrokenEventId)).toBeGreaterThan(Number(target.id));
    await tamper((c) => c.query(`update audit_event set purpose = $2, hash = $3 where id = $1`, [target.id, target.purpose, target.hash]).then(() => undefined));
    expect(expectData(await app.gql('serocu.auditor', VERIFY)).verifyAuditChain.valid).toBe(true);

    await chainNow();
    const [last] = await sql('select id from audit_event where hash is not null order by coalesce(chain_seq, id) desc limit 1');
    await tamper(async (c) => {
      await c.query('create table tampered_audit_event as select * from audit_event where id = $1', [last.id]);
      await c.query('delete from audit_event where id = $1', [last.id]);
    });
    const truncated = expectData(await app.gql('serocu.auditor', VERIFY)).verifyAuditChain;
    expect(truncated).toMatchObject({ valid: false, firstBrokenEventId: String(last.id) });
    await tamper(async (c) => {
      await c.query('insert into audit_event select * from tampered_audit_event');
      await c.query('drop table tampered_audit_event');
    });
    expect(expectData(await app.gql('serocu.auditor', VERIFY)).verifyAuditChain.valid).toBe(true);
  });

  it('stays valid under 20 concurrent mutations, each recorded once', async () => {
    const input = await threatInput({ name: 'Operation Parallel' });
    const results = await Promise.all(Array.from({ length: 20 }, () => app.gql('sussex.investigator', THREAT, { input })));
    const created = results.map((r) => dbId(expectData(r).createThreat.id));
    const events = (await sql(`select record_ids[1]::text as id from audit_event where action = 'CREATE'`)).filter((e: any) => created.includes(e.id));
    expect(events.map((e: any) => e.id).sort()).toEqual([...created].sort());
    await chainNow();
    const rows = await sql(CHAIN_ORDER);
    rows.slice(1).forEach((row: any, i: number) => expect(row.prev_hash).toBe(rows[i].hash));
    expect(expectData(await app.gql('serocu.auditor', VERIFY)).verifyAuditChain).toMatchObject({ valid: true, firstBrokenEventId: null });
  });
});

describe('the chain is extended after commit (audit/sequencer.ts)', () => {
  const VERIFY = '{ verifyAuditChain { valid eventsChecked eventsUnchained firstBrokenEventId } }';
  let idle: TestApp;
  // An instance whose sequencer's timer never fires within the test: as if it crashed right
  // after committing its requests, before chaining their events.
  beforeAll(async () => (idle = await createTestApp({ env: { AUDIT_CHAIN_INTERVAL_MS: '60000' } })));
  afterAll(() => idle.stop());
  const idleSql = (text: string, params: unknown[] = []) => idle.app.orm.em.getConnection().execute(text, params);

  it('keeps every committed event, unchained, until the chain is extended, and then verifies', async () => {
    await idleSql('select audit_chain_extend()');
    const threat = await createThreat(idle, 'tvp.investigator');
    const [event] = await idleSql(`select * from audit_event where ? = any (record_ids) and action = 'CREATE'`, [dbId(threat.id)]);
    expect(event).toMatchObject({ hash: null, prev_hash: null });
    const [{ n }] = await idleSql('select count(*)::int as n from audit_event where hash is null');
    expect(n).toBeGreaterThan(0);
    // Checking the chain chains what has committed first: nothing was lost in between.
    const result = expectData(await idle.gql('serocu.auditor', VERIFY)).verifyAuditChain;
    expect(result).toMatchObject({ valid: true, firstBrokenEventId: null, eventsUnchained: 0 });
    const [after] = await idleSql('select hash from audit_event where id = ?', [event.id]);
    expect(after.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  // Housekeeping runs outside any request, so no request's timeout bounds it (driver-internals.ts, queryWithin).
  it('gives up chaining, rolled back and with its connection whole, when the chain stays locked past its time', async () => {
    const knex = idle.app.orm.em.getConnection().getKnex();
    const holder = new pg.Client({ connectionString: idle.db.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from audit_chain_head for update');
      const started = Date.now();
      await expect(chainAuditEvents(knex, 300)).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(10_000);
      await holder.query('rollback');
      // The connection went back to the pool outside any transaction: the next call chains.
      await createThreat(idle, 'tvp.investigator');
      expect(await chainAuditEvents(knex, 10_000)).toBeGreaterThan(0);
    } finally {
      await holder.end();
    }
  });

  it('never chains an event twice when several instances chain at once, while events are written', async () => {
    const input = await threatInput({ name: 'Operation Sequencer', leadOrganisationId: await orgId(idle, 'TVP') });
    const chainers = Array.from({ length: 4 }, async () => {
      const client = new pg.Client({ connectionString: idle.db.url });
      await client.connect();
      try {
        for (let i = 0; i < 15; i++) await client.query('select audit_chain_extend(3)');
      } finally {
        await client.end();
      }
    });
    await Promise.all([...chainers, ...Array.from({ length: 15 }, () => idle.gql('sussex.investigator', THREAT, { input }).then(expectData))]);
    await idleSql('select audit_chain_extend()');
    const [{ events, seqs }] = await idleSql('select count(*)::int as events, count(distinct chain_seq)::int as seqs from audit_event where chain_seq is not null');
    expect(seqs).toBe(events);
    const rows = await idleSql('select prev_hash, hash from audit_event where hash is not null order by coalesce(chain_seq, id)');
    rows.slice(1).forEach((row: any, i: number) => expect(row.prev_hash).toBe(rows[i].hash));
    expect(expectData(await idle.gql('serocu.auditor', VERIFY)).verifyAuditChain).toMatchObject({ valid: true, firstBrokenEventId: null });
  });
});

describe('anchors of the hash chain', () => {
  const VERIFY = '{ verifyAuditChain { valid firstBrokenEventId anchorsChecked firstBrokenAnchorEventId } }';
  let anchored: TestApp;
  beforeAll(async () => (anchored = await createTestApp({ env: { AUDIT_ANCHOR_INTERVAL_MS: '1000' } })));
  afterAll(() => anchored.stop());

  const anchorFile = () => fs.readdirSync(anchored.config.dataDir).find((f) => f.startsWith('audit-anchors.'));
  // The server appends to the file as the test reads it: only lines already ended are anchors (a
  // read between the file's creation and its first write found it empty, at load 19).
  const completeLines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').slice(0, -1).map((l) => JSON.parse(l));
  const anchors = () => (anchorFile() ? completeLines(path.join(anchored.config.dataDir, anchorFile()!)) : []);

  async function anchoredHead(): Promise<{ lastEventId: string; lastHash: string }> {
    await createThreat(anchored, 'tvp.investigator');
    const [{ id }] = await anchored.app.orm.em.getConnection().execute('select max(id)::text as id from audit_event');
    for (let i = 0; i < 100 && !anchors().some((a) => Number(a.lastEventId) >= Number(id)); i++) await new Promise((r) => setTimeout(r, 100));
    return anchors().at(-1);
  }

  it('publishes signed chain heads to a file, and finds a chain rewritten and recomputed by a superuser', async () => {
    const head = await anchoredHead();
    expect(head).toMatchObject({ lastEventId: expect.any(String), lastHash: expect.stringMatching(/^[0-9a-f]{64}$/), signature: expect.any(String) });
    expect(expectData(await anchored.gql('serocu.auditor', VERIFY)).verifyAuditChain).toMatchObject({ valid: true, firstBrokenAnchorEventId: null });

    // A superuser edits an early event and recomputes every hash after it, and the chain's head:
    // the chain alone verifies again, but no longer matches what was published.
    const client = new pg.Client({ connectionString: anchored.db.url });
    await client.connect();
    try {
      await client.query('set session_replication_role = replica');
      await client.query(`update audit_event set purpose = 'AUDIT' where id = (select min(id) from audit_event)`);
      // The head is locked first, as audit_chain_extend() locks it: the server's sequencer chains the
      // events of the request above meanwhile, and one chained in the middle of the rewrite kept the
      // old head's hash and broke the chain (a loaded CI run found event 3 broken).
      await client.query(`do $$ declare e record; prev text := repeat('0', 64); begin
        perform 1 from audit_chain_head for update;
        for e in select id from audit_event where hash is not null order by coalesce(chain_seq, id) loop
          update audit_event set prev_hash = prev where id = e.id;
          update audit_event x set hash = audit_event_hash(prev, x) where x.id = e.id returning x.hash into prev;
        end loop;
        update audit_chain_head set last_hash = prev; end $$`);
    } finally {
      await client.end();
    }
    const result = expectData(await anchored.gql('serocu.auditor', VERIFY)).verifyAuditChain;
    expect(result.firstBrokenEventId).toBeNull(); // the recomputed chain hangs together...
    expect(result).toMatchObject({ valid: false, firstBrokenAnchorEventId: anchors()[0].lastEventId }); // ...but not with its anchors
    expect(result.anchorsChecked).toBeGreaterThan(0);
  });

  it('refuses an anchor whose signature does not match (the file edited to fit a rewritten chain)', async () => {
    const file = path.join(anchored.config.dataDir, anchorFile()!);
    const lines = completeLines(file);
    const [{ hash }] = await anchored.app.orm.em.getConnection().execute('select hash from audit_event where id = ?', [lines[0].lastEventId]);
    fs.writeFileSync(file, lines.map((a, i) => JSON.stringify(i === 0 ? { ...a, lastHash: hash } : a)).join('\n') + '\n');
    const result = expectData(await anchored.gql('serocu.auditor', VERIFY)).verifyAuditChain;
    expect(result).toMatchObject({ valid: false, firstBrokenAnchorEventId: lines[0].lastEventId });
  });
});
