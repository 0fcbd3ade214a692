import { createThreat } from '../support/factories';
import { createTestApp, type TestApp } from '../support/test-app';
import { statementsSentDuring } from '../support/statements';

/**
 * A server remembers the accounts of earlier requests (server/src/db/request-db.ts, AccountCache)
 * and checks each in its request's first message instead of looking it up. A remembered account
 * deactivated or changed since must be refused, or served, exactly as a freshly looked-up one.
 */

const NODE = `query ($id: ID!) { node(id: $id) { id ... on SocThreat { name protectiveMarking } } }`;
const VIEWER = '{ viewer { username clearance roles organisation { name } } }';

async function post(app: TestApp, token: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('remembered accounts', () => {
  let app: TestApp;
  /** An OFFICIAL-SENSITIVE threat shared with regional law enforcement: every police user here reads it, and the read is audited. */
  let threatId: string;
  beforeAll(async () => {
    app = await createTestApp();
    threatId = (await createThreat(app, 'serocu.analyst')).id;
  });
  afterAll(() => app.stop());

  const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);
  const auditEventsOf = async (username: string) => Number((await sql('select count(*) as n from audit_event where username = ?', [username]))[0].n);

  it('refuses a remembered account deactivated between two node(id) reads with the same token, reads nothing for it and audits nothing of it', async () => {
    const username = 'sussex.investigator';
    const token = await app.tokenFor(username);
    const read = await post(app, token, NODE, { id: threatId });
    expect(read.status).toBe(200);
    expect(read.body.data.node.id).toBe(threatId); // the account is now remembered
    const audited = await auditEventsOf(username);

    await sql(`update app_user set active = false where username = ?`, [username]);
    try {
      const refused = await post(app, token, NODE, { id: threatId });
      expect(refused.status).toBe(401);
      expect(refused.body.data).toBeUndefined();
      expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      // In the same words as an account that never existed: nothing says it was deactivated.
      expect(refused.body).toEqual((await post(app, await app.tokenFor('nobody.anywhere'), NODE, { id: threatId })).body);
      expect(await auditEventsOf(username)).toBe(audited);
      // Refused again, and again, not served from memory.
      expect((await post(app, token, NODE, { id: threatId })).status).toBe(401);
    } finally {
      await sql(`update app_user set active = true where username = ?`, [username]);
    }
    const again = await post(app, token, NODE, { id: threatId });
    expect(again.status).toBe(200);
    expect(again.body.data.node.id).toBe(threatId);
  });

  it('serves a remembered account changed between two requests as it now is: clearance, roles and organisation at once', async () => {
    const username = 'surrey.investigator';
    const token = await app.tokenFor(username);
    const before = await post(app, token, VIEWER);
    expect(before.body.data.viewer.clearance).toBe('OFFICIAL_SENSITIVE');
    expect((await post(app, token, NODE, { id: threatId })).body.data.node.id).toBe(threatId);

    const [{ roles, organisation_id: organisationId }] = await sql('select roles, organisation_id from app_user where username = ?', [username]);
    const [{ name: organisationName }] = await sql('select name from organisation where id = ?', [organisationId]);
    await sql(`update app_user set clearance = 'OFFICIAL', roles = '{INVESTIGATOR}' where username = ?`, [username]);
    try {
      // Row-level security and the application's policy both see the new clearance on the very next request.
      const hidden = await post(app, token, NODE, { id: threatId });
      expect(hidden.status).toBe(200);
      expect(hidden.body.errors).toBeUndefined();
      expect(hidden.body.data.node).toBeNull();
      expect((await post(app, token, VIEWER)).body.data.viewer).toMatchObject({ clearance: 'OFFICIAL', roles: ['INVESTIGATOR'] });
      // A change to the organisation is a change to the account.
      await sql('update organisation set name = ? where id = ?', ['Renamed Constabulary', organisationId]);
      expect((await post(app, token, VIEWER)).body.data.viewer.organisation.name).toBe('Renamed Constabulary');
    } finally {
      await sql('update app_user set clearance = ?, roles = ?::text[] where username = ?', ['OFFICIAL_SENSITIVE', `{${roles.join(',')}}`, username]);
      await sql('update organisation set name = ? where id = ?', [organisationName, organisationId]);
    }
    expect((await post(app, token, NODE, { id: threatId })).body.data.node.id).toBe(threatId);
  });

  it('reads a node by a remembered account in one round trip: its check, BEGIN, settings, the read writing its audit event, and COMMIT', async () => {
    const username = 'serocu.analyst';
    const token = await app.tokenFor(username);
    expect((await post(app, token, NODE, { id: threatId })).status).toBe(200);
    expect((await post(app, token, NODE, { id: threatId })).status).toBe(200); // statements seen twice are prepared by now
    const audited = await auditEventsOf(username);
    const { result: read, sql: sent, roundTrips } = await statementsSentDuring(app, () => post(app, token, NODE, { id: threatId }));
    expect(read.body.data.node.id).toBe(threatId);
    expect(sent.filter((s) => /^begin;/.test(s))).toEqual([expect.stringMatching(/^begin; (select soc_refuse_changed_account|execute soc_)/)]);
    expect(sent.some((s) => /^select u\.\*/.test(s))).toBe(false); // no lookup
    // node(id) alone ends its request: its statement writes the READ (graphql/node.ts, LastRead).
    expect(sent.filter((s) => /insert into "?audit_event/.test(s))).toEqual([expect.stringMatching(/^with compiled_node/)]);
    expect(sent[sent.length - 1]).toMatch(/^commit/i);
    expect(roundTrips).toBe(1);
    expect(await auditEventsOf(username)).toBe(audited + 1);
  });
});
