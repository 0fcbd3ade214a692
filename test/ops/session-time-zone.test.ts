import pg from 'pg';
import { adminQuery } from '../support/database';
import { createTestApp, type TestApp } from '../support/test-app';
import { expectData, orgId } from '../support/factories';

/**
 * Every database session runs in UTC (db/orm.ts), whatever time zone the database itself is set
 * to: SQL's `current_date` (agreements in force, days left, row-level security) must be the day
 * the server dates things by (db/clock.ts, UTC). At any moment at least one of these two zones,
 * 25 hours apart, is on another calendar day than UTC, so without the setting this test fails
 * whatever the time it runs.
 */
const ZONES = ['Pacific/Kiritimati', 'Pacific/Pago_Pago'];

const CREATE = `mutation ($input: CreateSharingAgreementInput!) {
  createSharingAgreement(input: $input) { id expiresOn expiresInDays isInForce } }`;
const READ = 'query ($id: ID!) { node(id: $id) { ... on InformationSharingAgreement { expiresInDays isInForce } } }';

/** Today in UTC and in the database's own zone, read by a plain session with no start-up options. */
async function calendars(url: string): Promise<{ utc: string; local: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`select (now() at time zone 'UTC')::date::text as utc, current_date::text as local`);
    return rows[0];
  } finally {
    await client.end();
  }
}

const plusDays = (date: string, days: number) => new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);

describe.each(ZONES)('a database whose time zone is %s', (zone) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ prepareDatabase: (db) => adminQuery(`alter database ${db.name} set timezone to '${zone}'`).then(() => undefined) });
  }, 120_000);
  afterAll(() => app?.stop());

  it('still counts an agreement\'s days left and whether it is in force by the UTC calendar', async () => {
    const before = await calendars(app.db.url);
    const input = {
      title: `Agreement in ${zone}`,
      partyIds: [await orgId(app, 'TVP'), await orgId(app, 'OXON_CS')],
      legalGateways: ['CRIME_AND_DISORDER_ACT_1998_S115'],
      purposes: ['SAFEGUARDING'],
      dataCategories: ['THREAT'],
      maxProtectiveMarking: 'OFFICIAL',
      // Starts tomorrow by UTC: in force nowhere yet. In a zone a day ahead it would be "today".
      effectiveFrom: plusDays(before.utc, 1),
      expiresOn: plusDays(before.utc, 10),
      status: 'ACTIVE',
    };
    const created = expectData(await app.gql('serocu.admin', CREATE, { input })).createSharingAgreement;
    const { node } = expectData(await app.gql('serocu.admin', READ, { id: created.id }));
    const after = await calendars(app.db.url);
    // A run that crosses midnight UTC between the two readings may count from either day.
    const expected = [before.utc, after.utc].map((day) => Math.round((Date.parse(input.expiresOn) - Date.parse(day)) / 86_400_000));
    expect(expected).toContain(node.expiresInDays);
    expect(expected).toContain(created.expiresInDays);
    if (before.utc === after.utc) expect(node.isInForce).toBe(false);
  });

  it('is a zone whose sessions would otherwise see another calendar', async () => {
    // Proves the setup bites: the database's own sessions (no start-up options) are in the zone.
    const client = new pg.Client({ connectionString: app.db.url });
    await client.connect();
    try {
      expect((await client.query('show timezone')).rows[0].TimeZone).toBe(zone);
    } finally {
      await client.end();
    }
  });
});

it('at least one of the zones is on another day than UTC right now (so the test above can fail)', () => {
  const now = new Date();
  const days = ZONES.map((timeZone) => now.toLocaleDateString('en-CA', { timeZone }));
  expect(days.some((day) => day !== now.toISOString().slice(0, 10))).toBe(true);
});
