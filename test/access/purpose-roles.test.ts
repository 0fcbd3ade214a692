import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { createApiKey } from '../../server/src/auth/api-keys';
import { PURPOSE_ROLES } from '../../server/src/access/purpose-roles';
import { Role } from '../../server/src/modules/identity/identity.enums';
import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';
import { createReferral } from '../support/referral-factories';
import { sql } from '../support/disruption-factories';
import { openSocket } from '../support/live-client';

/**
 * Purposes bound to roles (server/src/access/purpose-roles.ts): a stated purpose none of the
 * caller's roles allows is refused before anything runs, over HTTP, in connection_init and by
 * statePurpose (test/access/purpose-change.test.ts), and audited as DENIED.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const PURPOSES = ['INVESTIGATION', 'SAFEGUARDING', 'TASKING', 'ANALYSIS', 'REPORTING', 'AUDIT'];
const VIEWER = `query Me { viewer { username allowedPurposes } }`;

/**
 * The table restated for the test, from docs/access.md (not from the implementation): which
 * purposes each role may state.
 */
const EXPECTED: Record<Role, string[]> = {
  ANALYST: ['INVESTIGATION', 'SAFEGUARDING', 'TASKING', 'ANALYSIS', 'REPORTING'],
  INTELLIGENCE_OFFICER: ['INVESTIGATION', 'TASKING', 'ANALYSIS'],
  INVESTIGATOR: ['INVESTIGATION', 'SAFEGUARDING'],
  LRO: ['INVESTIGATION', 'SAFEGUARDING', 'TASKING', 'REPORTING'],
  SRO: ['INVESTIGATION', 'TASKING', 'REPORTING'],
  OCG_COORDINATOR: ['INVESTIGATION', 'TASKING', 'ANALYSIS', 'REPORTING'],
  THREAT_ASSESSOR: ['TASKING', 'ANALYSIS'],
  DISRUPTION_VALIDATOR: ['REPORTING'],
  SAFEGUARDING_PRACTITIONER: ['SAFEGUARDING'],
  PARTNER_CONTRIBUTOR: ['SAFEGUARDING', 'TASKING'],
  AUDITOR: ['AUDIT'],
  ADMIN: ['AUDIT'],
};

/** A user of TVP holding exactly `roles`. */
async function userWith(roles: string[]): Promise<string> {
  const username = `purpose.${randomUUID().slice(0, 8)}`;
  await sql(
    app,
    `insert into app_user (username, display_name, organisation_id, roles, clearance)
     select ?, 'Test user', id, ?::text[], 'OFFICIAL_SENSITIVE' from organisation where code = 'TVP'`,
    [username, `{${roles.join(',')}}`],
  );
  return username;
}

const refusals = (username: string) =>
  sql(app, `select purpose, detail from audit_event where username = ? and action = 'DENIED' and record_type = 'StatedPurpose' order by at`, [username]);

describe('which purposes each role may state', () => {
  it('is the table docs/access.md states', () => {
    expect(Object.fromEntries(Object.entries(PURPOSE_ROLES).map(([role, purposes]) => [role, [...purposes].sort()]))).toEqual(
      Object.fromEntries(Object.entries(EXPECTED).map(([role, purposes]) => [role, [...purposes].sort()])),
    );
  });

  it.each(Object.values(Role))('over HTTP, %s: each allowed purpose works, each other is refused with FORBIDDEN naming X-Purpose, and audited', async (role) => {
    const username = await userWith([role]);
    for (const purpose of PURPOSES) {
      const answer = await app.gql(username, VIEWER, {}, { purpose });
      if (EXPECTED[role].includes(purpose)) {
        expect(answer.status).toBe(200);
        expect(expectData(answer).viewer).toEqual({ username, allowedPurposes: EXPECTED[role] });
      } else {
        expect(answer.status).toBe(403);
        expect(answer.data ?? null).toBeNull();
        expect(answer.errors?.[0].extensions).toEqual({ code: 'FORBIDDEN', fields: [{ field: 'X-Purpose', message: answer.errors![0].message }], allowedPurposes: EXPECTED[role] });
        expect(answer.errors?.[0].message).toContain(`purpose ${purpose.toLowerCase()}`);
      }
    }
    // One DENIED event per refused purpose, under no purpose (the stated one was not the caller's to state).
    const denied = await refusals(username);
    expect(denied).toHaveLength(PURPOSES.length - EXPECTED[role].length);
    for (const event of denied) {
      expect(event.purpose).toBeNull();
      expect(event.detail.refusals[0]).toMatchObject({ code: 'FORBIDDEN', field: 'X-Purpose' });
    }
  });

  it('refuses a purpose before anything runs: a mutation under it changes nothing', async () => {
    const name = `Operation ${randomUUID().slice(0, 8)}`;
    const threat = await createThreat(app, 'tvp.investigator');
    const answer = await app.gql(
      'tvp.investigator',
      `mutation Rename($input: UpdateThreatInput!) { updateThreat(input: $input) { id name } }`,
      { input: { id: threat.id, expectedVersion: threat.version, name } },
      { purpose: 'AUDIT' },
    );
    expect(answer.status).toBe(403);
    expect(answer.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await sql(app, 'select count(*)::int as n from soc_threat where name = ?', [name])).toEqual([{ n: 0 }]);
  });

  it('lets a user with no roles state no purpose, and tells them so plainly', async () => {
    const username = await userWith([]);
    expect(expectData(await app.gql(username, VIEWER, {}, { purpose: null })).viewer).toEqual({ username, allowedPurposes: [] });
    for (const purpose of PURPOSES) {
      const answer = await app.gql(username, VIEWER, {}, { purpose });
      expect(answer.status).toBe(403);
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', fields: [{ field: 'X-Purpose' }], allowedPurposes: [] });
      expect(answer.errors?.[0].message).toBe('Your roles do not allow you to state a purpose (you have none that allows one): send no purpose, or ask an administrator.');
    }
  });

  it("offers the caller's own purposes with PURPOSE_REQUIRED", async () => {
    const referral = await createReferral(app, { protectiveMarking: 'OFFICIAL' });
    const answer = await app.gql('oxon.mash', `query R($id: ID!) { node(id: $id) { id } }`, { id: referral.id }, { purpose: null });
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'PURPOSE_REQUIRED', allowedPurposes: ['SAFEGUARDING', 'TASKING'] });
    expect(answer.errors?.[0].message).toContain('with one of SAFEGUARDING, TASKING.');
  });

  it('keeps API keys reading for REPORTING, whatever their service account role allows a person', async () => {
    // A partner's key acts as a PARTNER_CONTRIBUTOR, a role a person could not state REPORTING with.
    const { key } = await createApiKey(app.app.orm.em.getConnection().getKnex(), { organisationCode: 'OXON_CS', name: 'partner returns' });
    for (const purpose of [undefined, 'REPORTING']) {
      const response = await fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, ...(purpose ? { 'x-purpose': purpose } : {}) },
        body: JSON.stringify({ query: `{ viewer { roles } }` }),
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as any).data.viewer.roles).toEqual(['PARTNER_CONTRIBUTOR']);
    }
  });
});

describe('over WebSocket', () => {
  /** connection_init with a purpose; resolves with the close code, or 'ack' once acknowledged. */
  async function connect(username: string, purpose: string): Promise<number | 'ack'> {
    const token = await app.tokenFor(username);
    return new Promise((resolve) => {
      const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, purpose } })));
      socket.on('message', (raw) => {
        if (JSON.parse(String(raw)).type === 'connection_ack') {
          socket.close();
          resolve('ack');
        }
      });
      socket.on('close', (code) => resolve(code));
    });
  }

  it('refuses in connection_init a purpose the roles do not allow (close 4400), audited; accepts an allowed one', async () => {
    const username = await userWith(['SAFEGUARDING_PRACTITIONER']);
    expect(await connect(username, 'SAFEGUARDING')).toBe('ack');
    expect(await connect(username, 'INVESTIGATION')).toBe(4400);
    let denied: any[] = [];
    for (let i = 0; i < 50 && !denied.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      denied = await refusals(username);
    }
    expect(denied.map((e) => e.detail.refusals[0].message)).toEqual([
      'Your roles do not allow you to work for the purpose investigation: state one of safeguarding.',
    ]);
  });

  it('refuses the next operation on an open socket once a role change takes away the purpose it stated', async () => {
    const username = await userWith(['ANALYST']);
    const token = await app.tokenFor(username);
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: any[] = [];
    let closeCode: number | undefined;
    socket.on('message', (raw) => messages.push(JSON.parse(String(raw))));
    socket.on('close', (code) => (closeCode = code));
    const until = async (done: () => boolean) => {
      for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
      expect(done()).toBe(true);
    };
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, purpose: 'ANALYSIS' } }));
    await until(() => messages.some((m) => m.type === 'connection_ack'));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: VIEWER } }));
    await until(() => messages.some((m) => m.id === '1' && m.type === 'complete'));
    expect(messages.find((m) => m.id === '1' && m.type === 'next').payload.data.viewer.allowedPurposes).toEqual(EXPECTED.ANALYST);

    await sql(app, `update app_user set roles = '{INVESTIGATOR}' where username = ?`, [username]);
    socket.send(JSON.stringify({ id: '2', type: 'subscribe', payload: { query: VIEWER } }));
    await until(() => messages.some((m) => m.id === '2') || closeCode !== undefined);
    expect(messages.some((m) => m.id === '2' && m.type === 'next')).toBe(false);
    // The account changed since connection_init: refused, and the socket closes (4403).
    expect(String(messages.find((m) => m.id === '2')?.payload?.[0]?.extensions?.code ?? closeCode)).toMatch(/^(UNAUTHENTICATED|4403)$/);
    socket.close();
  });
});
