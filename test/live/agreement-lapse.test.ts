import pg from 'pg';
import { createApp, type App } from '../../server/src/app';
import { announceAgreementLapses } from '../../server/src/modules/sharing/agreement-lapses';
import { openOrm } from '../../server/src/db/orm';
import { metrics } from '../../server/src/http/metrics';
import { createThreat, expectData, orgId } from '../support/factories';
import { cursorNow, EVENT_FIELDS, LiveSubscription } from '../support/live-client';
import { createTestApp, type TestApp } from '../support/test-app';

/**
 * An agreement whose end date comes withdraws, live, what it granted (issue 15). A lapse is no
 * change anyone makes, so no event followed it and a partner's open subscription kept the
 * record. Now every instance looks for lapses on a timer (modules/sharing/agreement-lapses.ts) and
 * the first to find one announces it: one UPDATE of the agreement per lapse, whatever the number
 * of instances, after which the hub withdraws what the partner no longer reaches.
 *
 * Two instances on one database, each checking every 100 ms; the lapse is made as the passing of
 * time makes it, by the database owner moving the end date to today with no user and so no event.
 */
let a: TestApp;
let b: App;
const open: LiveSubscription[] = [];

beforeAll(async () => {
  a = await createTestApp({ env: { AGREEMENT_LAPSE_CHECK_MS: '100' } });
  b = await createApp(a.config, a.db.url);
}, 60_000);
afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
  await b?.stop();
  await a?.stop();
});

async function owner<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: a.db.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A partner's subscription on `url`, registered with its hub (the subscriber gauge goes up). */
async function partnerFollowing(url: string, ids: string[]): Promise<LiveSubscription> {
  const before = (await metrics.liveSubscribers.get()).values[0]?.value ?? 0;
  // From the log's position now: the records' creation, just before, is not heard (support/live-client.ts cursorNow).
  const after = await cursorNow(a, 'oxon.mash');
  const s = new LiveSubscription(url, await a.tokenFor('oxon.mash'), `subscription ($ids: [ID!], $after: String) { events(recordIds: $ids, after: $after) { ${EVENT_FIELDS} } }`, { ids, after }, 'SAFEGUARDING');
  open.push(s);
  const deadline = Date.now() + 15_000;
  while (((await metrics.liveSubscribers.get()).values[0]?.value ?? 0) <= before) {
    if (Date.now() > deadline) throw new Error('the subscription was not registered');
    await new Promise((r) => setTimeout(r, 20));
  }
  return s;
}

it('a lapse by date is announced once across two instances and withdraws the record from the partner on each', async () => {
  const threat = await createThreat(a, 'tvp.investigator', { name: 'Operation Lapse', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
  const agreement = expectData(
    await a.gql('serocu.admin', 'mutation ($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { id version isInForce } }', {
      input: {
        title: 'Lapsing by date',
        partyIds: [await orgId(a, 'TVP'), await orgId(a, 'OXON_CS')],
        legalGateways: ['CHILDREN_ACT_2004_S11'],
        dataCategories: ['THREAT'],
        maxProtectiveMarking: 'OFFICIAL',
        effectiveFrom: '2020-01-01',
        expiresOn: '2099-12-31',
        status: 'ACTIVE',
      },
    }),
  ).createSharingAgreement;
  const partnerRead = async () => (await a.gql('oxon.mash', 'query ($id: ID!) { node(id: $id) { id } }', { id: threat.id }, { purpose: 'SAFEGUARDING' })).data?.node;
  expect(await partnerRead()).toEqual({ id: threat.id });

  const onA = await partnerFollowing(a.url, [threat.id, agreement.id]);
  const onB = await partnerFollowing(b.url, [threat.id, agreement.id]);

  // Midnight comes: the end date is today. Nobody changed anything, so the log says nothing.
  const dbId = await owner(async (c) => {
    const { rows } = await c.query(`update information_sharing_agreement set expires_on = current_date where title = 'Lapsing by date' returning id`);
    return rows[0].id as string;
  });
  expect(await partnerRead()).toBeNull();

  // Two more claimants racing the instances' timers: still one announcement.
  const orm = await openOrm({ databaseUrl: a.db.url, poolMax: 4 });
  try {
    const knex = orm.em.getConnection().getKnex();
    await Promise.all([announceAgreementLapses(knex), announceAgreementLapses(knex)]);

    for (const s of [onA, onB]) {
      await s.until(() => s.received.some((m) => m.events.type === 'WITHDRAWN'), 'the withdrawal', 30_000);
    }
    // Whoever announced it, there is nothing left to announce.
    expect(await announceAgreementLapses(knex)).toBe(0);
  } finally {
    await orm.close(true);
  }

  const events = await owner(async (c) => (await c.query(`select changed_fields, actor_id from live_event where record_id = $1 order by seq`, [dbId])).rows);
  // The creation (by the admin), then the one lapse.
  expect(events).toEqual([expect.objectContaining({ changed_fields: expect.any(Array) }), { changed_fields: ['isInForce'], actor_id: null }]);
  const lapses = await owner(async (c) => (await c.query(`select expires_on::text, event_seq is not null as numbered from agreement_lapse where agreement_id = $1`, [dbId])).rows);
  expect(lapses).toEqual([{ expires_on: expect.any(String), numbered: true }]);

  // A marker each subscription receives, made after: everything before it has been delivered.
  expectData(
    await a.gql('serocu.admin', 'mutation ($input: AgreementStatusInput!) { expireSharingAgreement(input: $input) { id } }', {
      input: { id: agreement.id, expectedVersion: agreement.version, reason: 'Ended: its end date has passed.' },
    }),
  );
  for (const s of [onA, onB]) {
    await s.take(3, 30_000);
    expect(s.errors).toEqual([]);
    expect(s.received.map((m) => [m.events.type, m.events.recordId, m.events.changedFields])).toEqual([
      ['UPDATED', agreement.id, ['isInForce']],
      ['WITHDRAWN', threat.id, []],
      ['UPDATED', agreement.id, expect.arrayContaining(['status'])],
    ]);
  }
  const state = expectData(await a.gql('oxon.mash', 'query ($id: ID!) { node(id: $id) { ... on InformationSharingAgreement { isInForce status } } }', { id: agreement.id })).node;
  expect(state).toEqual({ isInForce: false, status: 'EXPIRED' });
}, 120_000);
