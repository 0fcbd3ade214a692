import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { createApiKey, listApiKeys, revokeApiKey } from '../../server/src/auth/api-keys';
import { createThreat, expectData } from '../support/factories';
import { dbId, sql } from '../support/disruption-factories';
import { sharingAgreement } from '../support/access-factories';
import { createTestApp, type GraphQLResponse, type TestApp } from '../support/test-app';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.stop());

const knex = () => app.app.orm.em.getConnection().getKnex();

/** A GraphQL request made with an API key (no purpose unless given), over real HTTP. */
async function withKey(key: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) } as GraphQLResponse;
}

const VIEWER = '{ viewer { username roles clearance organisation { code } } }';
const THREAT_IDS = 'query ThreatIds { threats(first: 100) { totalCount edges { node { id } } } }';
const threatIds = (r: GraphQLResponse) => expectData(r).threats.edges.map((e: any) => e.node.id).sort();

describe('creating, listing, revoking and expiry', () => {
  it('creates a key shown once, stores only a hash, and signs in as its service account', async () => {
    const created = await createApiKey(knex(), { organisationCode: 'SEROCU', name: 'quarterly returns', createdBy: 'test' });
    expect(created.key).toMatch(/^soc_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    const [row] = await sql(app, 'select * from api_key where id = ?', [created.id]);
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.key.slice(37));
    const viewer = expectData(await withKey(created.key, VIEWER)).viewer;
    expect(viewer).toEqual({ username: created.username, roles: ['ANALYST'], clearance: 'OFFICIAL_SENSITIVE', organisation: { code: 'SEROCU' } });
    const listed = (await listApiKeys(knex(), 'SEROCU')).find((k) => k.id === created.id);
    expect(listed).toMatchObject({ name: 'quarterly returns', organisation: 'SEROCU', state: 'ACTIVE', revokedAt: null });
    expect(listed!.lastUsedAt).toBeInstanceOf(Date);
    expect((await listApiKeys(knex(), 'TVP')).some((k) => k.id === created.id)).toBe(false);
  });

  it('refuses a revoked key at once, with the same UNAUTHENTICATED error as an unknown or forged key', async () => {
    const { id, key } = await createApiKey(knex(), { organisationCode: 'TVP', name: 'to revoke' });
    expectData(await withKey(key, VIEWER));
    expect(await revokeApiKey(knex(), id)).toBe(true);
    const revoked = await withKey(key, VIEWER);
    const forged = await withKey(key.slice(0, -4) + 'AAAA', VIEWER);
    const unknown = await withKey(`soc_${randomUUID().replace(/-/g, '')}_${key.slice(-43)}`, VIEWER);
    for (const r of [revoked, forged, unknown]) {
      expect(r.status).toBe(401);
      expect(r.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
      expect(r.errors![0].message).toBe(revoked.errors![0].message);
    }
    expect((await listApiKeys(knex(), 'TVP')).find((k) => k.id === id)!.state).toBe('REVOKED');
    expect(await revokeApiKey(knex(), randomUUID())).toBe(false);
  });

  it('refuses an expired key, and refuses creating one that expires in the past', async () => {
    const { id, key } = await createApiKey(knex(), { organisationCode: 'HIOW', name: 'expiring', expiresOn: '2099-01-01' });
    expectData(await withKey(key, VIEWER));
    await sql(app, `update api_key set created_at = now() - interval '2 days', expires_at = now() - interval '1 second' where id = ?`, [id]);
    const r = await withKey(key, VIEWER);
    expect(r.status).toBe(401);
    expect(r.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect((await listApiKeys(knex(), 'HIOW')).find((k) => k.id === id)!.state).toBe('EXPIRED');
    await expect(createApiKey(knex(), { organisationCode: 'HIOW', name: 'x', expiresOn: '2020-01-01' })).rejects.toThrow(/not in the future/);
    await expect(createApiKey(knex(), { organisationCode: 'NOPE', name: 'x' })).rejects.toThrow(/no organisation/);
  });

  it('a token naming a service account is refused: service accounts use their key', async () => {
    const { username } = await createApiKey(knex(), { organisationCode: 'SEROCU', name: 'no tokens' });
    const r = await app.gql(username, VIEWER);
    expect(r.status).toBe(401);
    expect(r.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });
});

describe('read-only', () => {
  it('refuses every mutation with FORBIDDEN (reason API_KEY_READ_ONLY), changes nothing, and records the refusal', async () => {
    const { key } = await createApiKey(knex(), { organisationCode: 'TVP', name: 'read only' });
    const before = await sql(app, 'select count(*)::int as n from soc_threat');
    const requestId = randomUUID();
    const r = await withKey(
      key,
      `mutation Sneaky($input: CreateThreatInput!) { createThreat(input: $input) { id } }`,
      {
        input: {
          name: 'Operation Nope',
          subjectType: 'ORGANISED_CRIME_GROUP',
          leadOrganisationId: Buffer.from(`Organisation:${randomUUID()}`).toString('base64url'),
          taskingLevel: 'FORCE',
          geographicScope: 'REGIONAL',
          criminalActivities: [{ category: 'FRAUD', description: 'x', firstIdentified: '2025-01-01' }],
          access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' },
        },
      },
      { 'x-request-id': requestId },
    );
    expect(r.data).toBeNull();
    expect(r.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'API_KEY_READ_ONLY' });
    expect(await sql(app, 'select count(*)::int as n from soc_threat')).toEqual(before);
    const events = await sql(app, 'select action, purpose, operation from audit_event where request_id = ? order by id', [requestId]);
    expect(events).toEqual(
      expect.arrayContaining([
        { action: 'DENIED', purpose: 'REPORTING', operation: 'Sneaky' },
        { action: 'EXPORT', purpose: 'REPORTING', operation: 'Sneaky' },
      ]),
    );
  });
});

describe("a key carries its organisation's access and nothing more", () => {
  beforeAll(async () => {
    await createThreat(app, 'tvp.investigator', { name: 'TVP own', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
    await createThreat(app, 'tvp.investigator', { name: 'TVP regional', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
    await createThreat(app, 'serocu.analyst', { name: 'SEROCU own', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
    await createThreat(app, 'hiow.analyst', { name: 'HIOW to all', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    await createThreat(app, 'tvp.investigator', { name: 'TVP to all, sensitive', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'ALL_PARTNERS' } });
    // So that the partner sees something: HIOW's OFFICIAL threat, not TVP's sensitive one (its clearance is OFFICIAL).
    await sharingAgreement(app, { parties: ['HIOW', 'TVP', 'OXON_CS'] });
  });

  it.each([
    ['SEROCU', 'serocu.analyst', 'tvp.investigator'],
    ['TVP', 'tvp.investigator', 'serocu.analyst'],
    ['OXON_CS', 'oxon.mash', 'tvp.investigator'],
  ])('a %s key sees what %s sees, not what %s sees', async (org, sameOrg, otherOrg) => {
    const { key } = await createApiKey(knex(), { organisationCode: org, name: `access ${org}` });
    const asKey = threatIds(await withKey(key, THREAT_IDS));
    expect(asKey.length).toBeGreaterThan(0);
    expect(asKey).toEqual(threatIds(await app.gql(sameOrg, THREAT_IDS)));
    expect(asKey).not.toEqual(threatIds(await app.gql(otherOrg, THREAT_IDS)));
  });

  it("the application role reads only its own organisation's keys, and never a hash", async () => {
    const serocu = await createApiKey(knex(), { organisationCode: 'SEROCU', name: 'rls serocu' });
    const tvp = await createApiKey(knex(), { organisationCode: 'TVP', name: 'rls tvp' });
    const [{ id: serocuOrg }] = await sql(app, `select id from organisation where code = 'SEROCU'`);
    const asApp = async (query: string) =>
      knex().transaction(async (trx) => {
        await trx.raw(`select set_config('soc.organisation_id', ?, true), set_config('role', 'soc_app', true)`, [serocuOrg]);
        return (await trx.raw(query)).rows;
      });
    const ids = (await asApp('select id from api_key')).map((r: any) => r.id);
    expect(ids).toContain(serocu.id);
    expect(ids).not.toContain(tvp.id);
    await expect(asApp('select secret_hash from api_key')).rejects.toThrow(/permission denied/);
  });
});

describe('audit', () => {
  it('puts every use on the trail with purpose REPORTING, reads of sensitive records too', async () => {
    const { id, key } = await createApiKey(knex(), { organisationCode: 'SEROCU', name: 'audited' });
    const threat = await createThreat(app, 'serocu.analyst', { name: 'Audited threat' });
    const requestId = randomUUID();
    expectData(await withKey(key, `query AuditedRead { threats(first: 100) { edges { node { id name } } } }`, {}, { 'x-request-id': requestId }));
    const events = await sql(app, 'select action, purpose, operation, record_type, record_ids from audit_event where request_id = ? order by id', [requestId]);
    expect(events).toContainEqual({ action: 'EXPORT', purpose: 'REPORTING', operation: 'AuditedRead', record_type: 'ApiKey', record_ids: [id] });
    const read = events.find((e: any) => e.action === 'READ');
    expect(read).toMatchObject({ purpose: 'REPORTING', record_type: 'SocThreat' });
    expect(read.record_ids).toContain(dbId(threat.id));

    // A request that reads nothing sensitive is on the trail too.
    const quiet = randomUUID();
    expectData(await withKey(key, VIEWER, {}, { 'x-request-id': quiet }));
    expect(await sql(app, 'select action, purpose from audit_event where request_id = ?', [quiet])).toEqual([{ action: 'EXPORT', purpose: 'REPORTING' }]);
  });

  it('accepts X-Purpose: REPORTING and refuses any other stated purpose', async () => {
    const { key } = await createApiKey(knex(), { organisationCode: 'SEROCU', name: 'purposes' });
    expectData(await withKey(key, VIEWER, {}, { 'x-purpose': 'REPORTING' }));
    const r = await withKey(key, VIEWER, {}, { 'x-purpose': 'INVESTIGATION' });
    expect(r.status).toBe(400);
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'X-Purpose' }] });
  });
});

describe('over WebSocket', () => {
  /** Runs one operation on an open graphql-ws client; resolves with its result or its error. */
  function execute(client: ReturnType<typeof createClient>, query: string): Promise<any> {
    return new Promise((resolve) => {
      let result: any;
      client.subscribe({ query }, { next: (v) => (result = v), error: (e) => resolve({ error: e }), complete: () => resolve(result) });
    });
  }

  it('a key works in connection_init, stays read-only, and is refused on the next operation once revoked', async () => {
    const { id, key } = await createApiKey(knex(), { organisationCode: 'SEROCU', name: 'socket' });
    let closeCode: number | undefined;
    const client = createClient({
      url: `${app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
      on: { closed: (event: any) => (closeCode = event?.code) },
    });
    try {
      expect((await execute(client, VIEWER)).data.viewer.organisation.code).toBe('SEROCU');
      const mutation = await execute(client, `mutation { addPlanPartner(input: { planId: "x", expectedVersion: 1, organisationId: "y", strands: [PREVENT] }) { id } }`);
      expect(mutation.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'API_KEY_READ_ONLY' });
      await revokeApiKey(knex(), id);
      await new Promise((r) => setTimeout(r, 1100)); // past the per-connection recheck interval
      const after = await execute(client, VIEWER);
      expect(after?.data).toBeUndefined();
      // 4401 when the next operation finds the key revoked; 4403 if the live hub closed the
      // socket first, on hearing that the service account was deactivated.
      expect([4401, 4403]).toContain(closeCode);
    } finally {
      await client.dispose();
    }
  });
});

describe('npm run apikey', () => {
  const script = path.resolve(__dirname, '../../dist/server/scripts/apikey.js');
  const apikey = (...args: string[]) =>
    promisify(execFile)(process.execPath, [script, ...args], {
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', DATABASE_URL: app.db.url, DATA_DIR: path.join(app.config.dataDir) },
    });

  it('creates (printing the key once, on stdout alone), lists without secrets, and revokes', async () => {
    const created = await apikey('create', '--org', 'tvp', '--name', 'cli made', '--expires', '2099-01-01');
    const key = created.stdout.trim();
    expect(key).toMatch(/^soc_[0-9a-f]{32}_/);
    expect(created.stderr).toMatch(/Created API key ([0-9a-f-]{36}) for TVP \("cli made"\), acting as svc\.tvp\.[0-9a-f]{8} \(ANALYST, cleared to OFFICIAL_SENSITIVE\), expiring 2099-01-01/);
    const id = /Created API key ([0-9a-f-]{36})/.exec(created.stderr)![1];
    expectData(await withKey(key, VIEWER));

    const listed = (await apikey('list', '--org', 'TVP')).stdout;
    expect(listed).toMatch(new RegExp(`^${id} +TVP +cli made +ACTIVE `, 'm'));
    expect(listed).not.toContain(key.slice(37));

    expect((await apikey('revoke', id)).stdout.trim()).toBe(`revoked ${id}`);
    expect((await withKey(key, VIEWER)).status).toBe(401);
    expect((await apikey('list')).stdout).toMatch(new RegExp(`^${id} +TVP +cli made +REVOKED `, 'm'));
    await expect(apikey('create', '--org', 'TVP')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('create needs --org and --name') });
  });
});

