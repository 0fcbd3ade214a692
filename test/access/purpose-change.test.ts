import { createTestApp, type TestApp } from '../support/test-app';
import { expectData } from '../support/factories';
import { sql } from '../support/disruption-factories';

/** statePurpose: changing the stated purpose without signing out is on the audit trail. */
let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const STATE = `mutation ChangePurpose($purpose: Purpose!, $previous: Purpose) { statePurpose(purpose: $purpose, previous: $previous) { purpose previous } }`;

const userDbId = async (username: string) => (await sql(app, 'select id::text from app_user where username = ?', [username]))[0].id;

describe('changing the stated purpose', () => {
  it('records who changed from which purpose to which, under the new one', async () => {
    const done = expectData(await app.gql('serocu.analyst', STATE, { purpose: 'TASKING', previous: 'ANALYSIS' }, { purpose: 'TASKING' })).statePurpose;
    expect(done).toEqual({ purpose: 'TASKING', previous: 'ANALYSIS' });
    const rows = await sql(app, `select username, action, record_type, record_ids::text[] as record_ids, purpose, detail from audit_event where operation = 'ChangePurpose'`);
    expect(rows).toEqual([
      {
        username: 'serocu.analyst',
        action: 'UPDATE',
        record_type: 'StatedPurpose',
        record_ids: [await userDbId('serocu.analyst')],
        purpose: 'TASKING',
        detail: { mutations: ['statePurpose'], purposeChanges: [{ from: 'ANALYSIS', to: 'TASKING' }] },
      },
    ]);
  });

  it('refuses a change whose request does not carry the new purpose, naming the argument, and records no change', async () => {
    const refused = await app.gql('tvp.investigator', STATE, { purpose: 'SAFEGUARDING', previous: 'INVESTIGATION' }, { purpose: 'INVESTIGATION' });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'purpose' }] });
    const rows = await sql(app, `select count(*)::int as n from audit_event where operation = 'ChangePurpose' and username = 'tvp.investigator' and action = 'UPDATE'`);
    expect(rows[0].n).toBe(0);
  });

  it('is open to every signed-in person, for the purposes their roles allow', async () => {
    for (const [username, purpose] of [['oxon.mash', 'TASKING'], ['serocu.auditor', 'AUDIT'], ['serocu.admin', 'AUDIT'], ['serocu.validator', 'REPORTING']]) {
      expect(expectData(await app.gql(username, STATE, { purpose }, { purpose })).statePurpose).toEqual({ purpose, previous: null });
    }
  });

  it("refuses a change to a purpose the caller's roles do not allow (FORBIDDEN naming the argument), on the trail as DENIED, and records no change", async () => {
    // Sent under an allowed purpose, so that statePurpose itself decides (the header alone is refused before it runs).
    const refused = await app.gql('tvp.investigator', STATE, { purpose: 'AUDIT', previous: 'INVESTIGATION' }, { purpose: 'INVESTIGATION' });
    expect(refused.data).toBeNull();
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', fields: [{ field: 'purpose' }], allowedPurposes: ['INVESTIGATION', 'SAFEGUARDING'] });
    expect(refused.errors?.[0]?.message).toBe('Your roles do not allow you to work for the purpose audit: state one of investigation, safeguarding.');
    const rows = await sql(app, `select action, record_type, purpose, detail from audit_event where operation = 'ChangePurpose' and username = 'tvp.investigator' and (action = 'UPDATE' or detail->'refusals'->0->>'code' = 'FORBIDDEN')`);
    expect(rows.map((r: any) => [r.action, r.record_type, r.purpose, r.detail.refusals?.[0]?.field])).toEqual([['DENIED', 'StatedPurpose', 'INVESTIGATION', 'purpose']]);

    // With the header saying it too, the request is refused before statePurpose runs.
    const header = await app.gql('tvp.investigator', STATE, { purpose: 'AUDIT', previous: 'INVESTIGATION' }, { purpose: 'AUDIT' });
    expect(header.status).toBe(403);
    expect(header.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', fields: [{ field: 'X-Purpose' }] });
  });
});
