import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';
import { cursorNow, EVENT_FIELDS, LiveSubscription } from '../support/live-client';
import { metrics } from '../../server/src/http/metrics';

/**
 * A record followed by ID is withdrawn, live, when an agreement suspended takes it out of the
 * subscriber's reach, though no event about it had been sent before (issue 15). Until then the
 * hub announced WITHDRAWN only for records it had itself sent the subscription.
 */
let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const AGREEMENT_FIELDS = 'id version status';

async function subscribed(query: string, variables: Record<string, unknown>): Promise<LiveSubscription> {
  const before = (await metrics.liveSubscribers.get()).values[0]?.value ?? 0;
  // From the log's position now: the threat's creation, just before, is not heard (support/live-client.ts cursorNow).
  const after = await cursorNow(app, 'oxon.mash');
  const s = new LiveSubscription(app.url, await app.tokenFor('oxon.mash'), query, { ...variables, after }, 'SAFEGUARDING');
  // Registered with the hub (its followed records checked first): the gauge goes up.
  const deadline = Date.now() + 10_000;
  while (((await metrics.liveSubscribers.get()).values[0]?.value ?? 0) <= before) {
    if (Date.now() > deadline) throw new Error('the subscription was not registered');
    await new Promise((r) => setImmediate(r));
  }
  return s;
}

it.each([
  ['threatChanged(id)', (id: string) => [`subscription ($id: ID!, $after: String) { threatChanged(id: $id, after: $after) { ${EVENT_FIELDS} } }`, { id }] as const, 'threatChanged'],
  ['events(recordIds)', (id: string) => [`subscription ($ids: [ID!], $after: String) { events(recordIds: $ids, after: $after) { ${EVENT_FIELDS} } }`, { ids: [id] }] as const, 'events'],
])('%s: a partner following a threat hears WITHDRAWN when the agreement covering it is suspended', async (_name, subscription, field) => {
  const threat = await createThreat(app, 'tvp.investigator', { name: `Operation Followed ${field}`, access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
  const agreement = expectData(
    await app.gql('serocu.admin', `mutation ($input: CreateSharingAgreementInput!) { createSharingAgreement(input: $input) { ${AGREEMENT_FIELDS} } }`, {
      input: {
        title: `Followed ${field}`,
        partyIds: [await orgIdOf('TVP'), await orgIdOf('OXON_CS')],
        legalGateways: ['CHILDREN_ACT_2004_S11'],
        dataCategories: ['THREAT'],
        maxProtectiveMarking: 'OFFICIAL',
        effectiveFrom: '2020-01-01',
        expiresOn: '2099-12-31',
        status: 'ACTIVE',
      },
    }),
  ).createSharingAgreement;
  const read = await app.gql('oxon.mash', `query ($id: ID!) { node(id: $id) { id } }`, { id: threat.id }, { purpose: 'SAFEGUARDING' });
  expect(read.data.node).toEqual({ id: threat.id });

  const [query, variables] = subscription(threat.id);
  const partner = await subscribed(query, variables);
  try {
    expectData(
      await app.gql('serocu.admin', `mutation ($input: SuspendSharingAgreementInput!) { suspendSharingAgreement(input: $input) { ${AGREEMENT_FIELDS} } }`, {
        input: { id: agreement.id, expectedVersion: agreement.version, reason: 'Paused pending review.' },
      }),
    );
    const [message] = await partner.take(1);
    expect(message[field]).toMatchObject({ type: 'WITHDRAWN', recordType: 'SocThreat', recordId: threat.id, record: null });
  } finally {
    await partner.close();
    await app.gql('serocu.admin', `mutation ($input: AgreementStatusInput!) { expireSharingAgreement(input: $input) { id } }`, { input: { id: agreement.id, expectedVersion: agreement.version + 1 } });
  }
});

async function orgIdOf(code: string): Promise<string> {
  const data = expectData(await app.gql('serocu.admin', '{ organisations(first: 100) { edges { node { id code } } } }'));
  return data.organisations.edges.find((e: any) => e.node.code === code).node.id;
}
