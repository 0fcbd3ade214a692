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

  it('is open to every signed-in person, whatever their roles', async () => {
    for (const username of ['oxon.mash', 'serocu.auditor', 'serocu.admin']) {
      expect(expectData(await app.gql(username, STATE, { purpose: 'AUDIT' }, { purpose: 'AUDIT' })).statePurpose).toEqual({ purpose: 'AUDIT', previous: null });
    }
  });
});
