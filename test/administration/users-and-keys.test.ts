import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId, userId } from '../support/factories';
import { LiveSubscription } from '../support/live-client';
import { addDays, today } from '../../server/src/shared/validation';

/**
 * Administration of users and API keys through the API (issue 15): administrators of an
 * organisation manage its people and keys; the regional unit's administrators those of every
 * organisation of the region. Every change is audited; validation names the field.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const sql = (text: string, params: unknown[] = []) => app.app.orm.em.getConnection().execute(text, params);

const USER = 'id username displayName roles clearance active organisation { code }';
const CREATE_USER = `mutation ($input: CreateUserInput!) { createUser(input: $input) { ${USER} } }`;
const ROLES = `mutation ($input: ChangeUserRolesInput!) { changeUserRoles(input: $input) { ${USER} } }`;
const CLEARANCE = `mutation ($input: ChangeUserClearanceInput!) { changeUserClearance(input: $input) { ${USER} } }`;
const DEACTIVATE = `mutation ($input: DeactivateUserInput!) { deactivateUser(input: $input) { ${USER} } }`;
const USERS = `query ($filter: UserFilter, $first: Int) { users(filter: $filter, first: $first) { totalCount edges { node { ${USER} } } } }`;
const KEY = 'id name state role clearance createdBy expiresAt revokedAt lastUsedAt organisation { code }';
const CREATE_KEY = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { ${KEY} } } }`;
const REVOKE_KEY = `mutation ($input: RevokeApiKeyInput!) { revokeApiKey(input: $input) { ${KEY} } }`;
const KEYS = `query ($filter: ApiKeyFilter) { apiKeys(filter: $filter) { ${KEY} } }`;

function badFields(result: { errors?: { extensions?: Record<string, any> }[] }): Record<string, string> {
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  return Object.fromEntries(result.errors![0].extensions!.fields.map((f: { field: string; message: string }) => [f.field, f.message]));
}

const codeOf = (result: { errors?: { extensions?: Record<string, any> }[] }) => result.errors?.[0]?.extensions?.code;
const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1];

let counter = 0;
async function createUser(overrides: Record<string, unknown> = {}, as = 'serocu.admin') {
  counter += 1;
  const input = { username: `tvp.new${counter}`, displayName: `New Person ${counter}`, organisationId: await orgId(app, 'TVP'), roles: ['ANALYST'], clearance: 'OFFICIAL', ...overrides };
  return expectData(await app.gql(as, CREATE_USER, { input })).createUser;
}

/** The audit events of one kind naming a record. */
async function auditOf(action: string, recordType: string, id: string) {
  return sql(`select username, operation, action from audit_event where action = ? and record_type = ? and record_ids @> array[?]::uuid[]`, [action, recordType, id]);
}

describe('users', () => {
  it('a regional administrator lists the people of the region, not national agencies, and never service accounts', async () => {
    const data = expectData(await app.gql('serocu.admin', USERS, { first: 100 })).users;
    const names = data.edges.map((e: any) => e.node.username);
    expect(names).toEqual(expect.arrayContaining(['tvp.investigator', 'oxon.mash', 'serocu.admin']));
    expect(names).not.toContain('hmrc.officer');
    expect(names.some((n: string) => n.startsWith('svc.'))).toBe(false);
    const surrey = expectData(await app.gql('serocu.admin', USERS, { filter: { organisationIds: [await orgId(app, 'SURREY')] } })).users;
    expect(surrey.edges.map((e: any) => e.node.username)).toEqual(['surrey.investigator']);
  });

  it('is refused to anyone who is not an administrator', async () => {
    expect(codeOf(await app.gql('serocu.auditor', USERS))).toBe('FORBIDDEN');
    const refused = await app.gql('serocu.analyst', CREATE_USER, {
      input: { username: 'tvp.nope', displayName: 'Nope', organisationId: await orgId(app, 'TVP'), roles: ['ANALYST'], clearance: 'OFFICIAL' },
    });
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(await sql(`select 1 from app_user where username = 'tvp.nope'`)).toHaveLength(0);
  });

  it('creates an account that can sign in at once, audited as the user created', async () => {
    const created = await createUser({ username: 'tvp.fresh', displayName: 'Fresh Analyst', roles: ['ANALYST', 'INVESTIGATOR'], clearance: 'OFFICIAL_SENSITIVE' });
    expect(created).toMatchObject({ username: 'tvp.fresh', roles: ['ANALYST', 'INVESTIGATOR'], clearance: 'OFFICIAL_SENSITIVE', active: true, organisation: { code: 'TVP' } });
    const viewer = expectData(await app.gql('tvp.fresh', '{ viewer { username organisation { code } } }')).viewer;
    expect(viewer).toEqual({ username: 'tvp.fresh', organisation: { code: 'TVP' } });
    expect(await auditOf('CREATE', 'User', dbId(created.id))).toEqual([{ username: 'serocu.admin', operation: null, action: 'CREATE' }]);
  });

  it('names every field at fault and writes nothing', async () => {
    const result = await app.gql('serocu.admin', CREATE_USER, {
      input: { username: 'TVP Analyst!', displayName: '  ', organisationId: await orgId(app, 'HMRC'), roles: [], clearance: 'SECRET' },
    });
    const fields = badFields(result);
    expect(Object.keys(fields).sort()).toEqual(['input.clearance', 'input.displayName', 'input.organisationId', 'input.roles', 'input.username']);
    expect(fields['input.clearance']).toMatch(/above your own clearance/);
    expect(fields['input.organisationId']).toMatch(/not an organisation whose users you administer/);
    const taken = badFields(await app.gql('serocu.admin', CREATE_USER, {
      input: { username: 'tvp.investigator', displayName: 'Again', organisationId: await orgId(app, 'TVP'), roles: ['ANALYST'], clearance: 'OFFICIAL' },
    }));
    expect(taken).toEqual({ 'input.username': '"tvp.investigator" is already taken' });
    const service = badFields(await app.gql('serocu.admin', CREATE_USER, {
      input: { username: 'svc.mine', displayName: 'Sneaky', organisationId: await orgId(app, 'TVP'), roles: ['ANALYST'], clearance: 'OFFICIAL' },
    }));
    expect(service['input.username']).toMatch(/kept for API keys/);
  });

  it('changes roles and clearance, effective on the next request, each audited', async () => {
    const user = await createUser();
    const changed = expectData(await app.gql('serocu.admin', ROLES, { input: { id: user.id, roles: ['SAFEGUARDING_PRACTITIONER', 'SAFEGUARDING_PRACTITIONER'] } })).changeUserRoles;
    expect(changed.roles).toEqual(['SAFEGUARDING_PRACTITIONER']);
    const cleared = expectData(await app.gql('serocu.admin', CLEARANCE, { input: { id: user.id, clearance: 'OFFICIAL_SENSITIVE' } })).changeUserClearance;
    expect(cleared.clearance).toBe('OFFICIAL_SENSITIVE');
    expect(expectData(await app.gql(user.username, '{ viewer { roles clearance } }')).viewer).toEqual({ roles: ['SAFEGUARDING_PRACTITIONER'], clearance: 'OFFICIAL_SENSITIVE' });
    expect(await auditOf('UPDATE', 'User', dbId(user.id))).toHaveLength(2);
    expect(badFields(await app.gql('serocu.admin', ROLES, { input: { id: user.id, roles: [] } }))).toEqual({ 'input.roles': 'give at least one role' });
    expect(Object.keys(badFields(await app.gql('serocu.admin', CLEARANCE, { input: { id: user.id, clearance: 'TOP_SECRET' } })))).toEqual(['input.clearance']);
  });

  it('an administrator cannot lock themselves out', async () => {
    const self = await userId(app, 'serocu.admin');
    expect(Object.keys(badFields(await app.gql('serocu.admin', ROLES, { input: { id: self, roles: ['AUDITOR'] } })))).toEqual(['input.roles']);
    expect(Object.keys(badFields(await app.gql('serocu.admin', DEACTIVATE, { input: { id: self } })))).toEqual(['input.id']);
  });

  it("a force's administrator manages its own people only: others' are as if they did not exist", async () => {
    const tvpAdmin = await createUser({ username: 'tvp.admin', roles: ['ADMIN'], clearance: 'OFFICIAL_SENSITIVE' });
    const listed = expectData(await app.gql(tvpAdmin.username, USERS, { first: 100 })).users.edges.map((e: any) => e.node.organisation.code);
    expect(new Set(listed)).toEqual(new Set(['TVP']));
    const sussex = await userId(app, 'sussex.investigator');
    const refused = await app.gql(tvpAdmin.username, ROLES, { input: { id: sussex, roles: ['ADMIN'] } });
    expect(codeOf(refused)).toBe('NOT_FOUND');
    expect(codeOf(await app.gql(tvpAdmin.username, DEACTIVATE, { input: { id: 'not-an-id' } }))).toBe('NOT_FOUND');
    expect(await auditOf('DENIED', 'User', dbId(sussex))).toHaveLength(1);
    const outside = badFields(await app.gql(tvpAdmin.username, CREATE_USER, {
      input: { username: 'sussex.new', displayName: 'New', organisationId: await orgId(app, 'SUSSEX'), roles: ['ANALYST'], clearance: 'OFFICIAL' },
    }));
    expect(Object.keys(outside)).toEqual(['input.organisationId']);
  });

  it('row-level security alone refuses an administrator changing another organisation’s people', async () => {
    const tvpAdmin = (await sql(`select id from app_user where username = 'tvp.admin'`))[0]?.id ?? dbId((await createUser({ username: 'tvp.admin', roles: ['ADMIN'] })).id);
    const tvp = dbId(await orgId(app, 'TVP'));
    const knex = app.app.orm.em.getConnection().getKnex();
    const changed: Record<string, number> = {};
    const rolledBack = new Error('rolled back on purpose');
    await knex
      .transaction(async (trx) => {
        await trx.raw(`select set_config('soc.organisation_id', ?, true), set_config('soc.roles', '{ADMIN}', true), set_config('soc.user_id', ?, true)`, [tvp, tvpAdmin]);
        await trx.raw('set local role soc_app');
        changed.sussex = await trx('app_user').where({ username: 'sussex.investigator' }).update({ roles: ['ADMIN'] });
        changed.own = await trx('app_user').where({ username: 'tvp.investigator' }).update({ display_name: trx.raw('display_name') });
        throw rolledBack;
      })
      .catch((err) => expect(err).toBe(rolledBack));
    expect(changed).toEqual({ sussex: 0, own: 1 });
  });

  it("deactivation takes effect at once: the user's requests are refused and open live sessions close with 4403", async () => {
    const user = await createUser();
    const cursor = expectData(await app.gql(user.username, '{ eventCursor }')).eventCursor;
    const live = new LiveSubscription(app.url, await app.tokenFor(user.username), 'subscription ($after: String) { events(after: $after) { cursor } }', { after: cursor }, await app.defaultPurpose(user.username));
    try {
      // An event delivered proves the subscription is open before the change.
      await createThreat(app, 'tvp.investigator', { access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
      await live.take(1);
      const deactivated = expectData(await app.gql('serocu.admin', DEACTIVATE, { input: { id: user.id } })).deactivateUser;
      expect(deactivated.active).toBe(false);
      await live.until(() => live.closeCode !== undefined, 'the socket to close');
      expect(live.closeCode).toBe(4403);
      const refused = await app.gql(user.username, '{ viewer { username } }');
      expect(codeOf(refused)).toBe('UNAUTHENTICATED');
      expect(await auditOf('UPDATE', 'User', dbId(user.id))).toEqual([{ username: 'serocu.admin', operation: null, action: 'UPDATE' }]);
    } finally {
      await live.close();
    }
  });
});

describe('API keys', () => {
  const VIEWER = '{ viewer { username organisation { code } } }';
  const withKey = async (key: string) => {
    const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify({ query: VIEWER }) });
    return { status: response.status, ...((await response.json()) as any) };
  };

  it('creates a key shown once, lists it with its expiry and last use, and revokes it at once; all audited', async () => {
    const expiresOn = addDays(today(), 30);
    const created = expectData(await app.gql('serocu.admin', CREATE_KEY, { input: { name: 'quarterly returns', expiresOn } })).createApiKey;
    expect(created.key).toMatch(/^soc_[0-9a-f]{32}_/);
    expect(created.apiKey).toMatchObject({ name: 'quarterly returns', state: 'ACTIVE', role: 'ANALYST', createdBy: 'serocu.admin', lastUsedAt: null, organisation: { code: 'SEROCU' } });
    expect(created.apiKey.expiresAt).toBe(`${expiresOn}T00:00:00.000Z`);
    expect(await auditOf('CREATE', 'ApiKey', dbId(created.apiKey.id))).toHaveLength(1);

    const used = await withKey(created.key);
    expect(used.data.viewer.organisation.code).toBe('SEROCU');
    const listed = expectData(await app.gql('serocu.admin', KEYS)).apiKeys.find((k: any) => k.id === created.apiKey.id);
    expect(listed.lastUsedAt).not.toBeNull();
    // The secret is base64url, which may itself contain '_': take everything after the key's id.
    const secret = created.key.replace(/^soc_[0-9a-f]{32}_/, '');
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const revoked = expectData(await app.gql('serocu.admin', REVOKE_KEY, { input: { id: created.apiKey.id } })).revokeApiKey;
    expect(revoked.state).toBe('REVOKED');
    expect(codeOf(await withKey(created.key))).toBe('UNAUTHENTICATED');
    expect(await auditOf('UPDATE', 'ApiKey', dbId(created.apiKey.id))).toHaveLength(1);
    const active = expectData(await app.gql('serocu.admin', KEYS, { filter: { state: ['ACTIVE'] } })).apiKeys.map((k: any) => k.id);
    expect(active).not.toContain(created.apiKey.id);
  });

  it('names the field at fault, and keeps other organisations’ keys out of reach', async () => {
    const fields = badFields(await app.gql('serocu.admin', CREATE_KEY, { input: { name: ' ', expiresOn: today(), organisationId: await orgId(app, 'NCA') } }));
    expect(Object.keys(fields).sort()).toEqual(['input.expiresOn', 'input.name', 'input.organisationId']);
    const serocuKey = expectData(await app.gql('serocu.admin', CREATE_KEY, { input: { name: 'regional' } })).createApiKey.apiKey;
    const tvpAdmin = (await sql(`select 1 from app_user where username = 'tvp.admin'`)).length ? 'tvp.admin' : (await createUser({ username: 'tvp.admin', roles: ['ADMIN'] })).username;
    expect(expectData(await app.gql(tvpAdmin, KEYS)).apiKeys.map((k: any) => k.id)).not.toContain(serocuKey.id);
    expect(codeOf(await app.gql(tvpAdmin, REVOKE_KEY, { input: { id: serocuKey.id } }))).toBe('NOT_FOUND');
    const tvpKey = expectData(await app.gql('serocu.admin', CREATE_KEY, { input: { name: 'for tvp', organisationId: await orgId(app, 'TVP') } })).createApiKey.apiKey;
    expect(expectData(await app.gql(tvpAdmin, KEYS)).apiKeys.map((k: any) => k.id)).toContain(tvpKey.id);
    expect(codeOf(await app.gql('serocu.analyst', KEYS))).toBe('FORBIDDEN');
  });
});
