import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData, orgId } from '../support/factories';
import { createReferral } from '../support/referral-factories';
import { sharingAgreement } from '../support/access-factories';
import { fromGlobalId, toGlobalId } from '../../server/src/graphql/global-id';
import { cursorNow, EVENT_FIELDS, LiveSubscription } from '../support/live-client';

const EVENTS = `subscription ($after: String, $types: [EventType!], $recordIds: [ID!]) {
  events(after: $after, types: $types, recordIds: $recordIds) { ${EVENT_FIELDS} } }`;

describe('live events (one instance)', () => {
  let app: TestApp;
  const open: LiveSubscription[] = [];
  beforeAll(async () => (app = await createTestApp()));
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(() => app.stop());

  async function subscribe(as: string, variables: Record<string, unknown> = {}, purpose: string | null = 'INVESTIGATION', query = EVENTS) {
    const s = new LiveSubscription(app.url, await app.tokenFor(as), query, { after: await cursorNow(app, as), ...variables }, purpose);
    open.push(s);
    return s;
  }

  async function updateThreat(as: string, threat: { id: string; version: number }, input: Record<string, unknown>) {
    return expectData(
      await app.gql(as, 'mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { id version sharing } }', {
        input: { id: threat.id, expectedVersion: threat.version, ...input },
      }),
    ).updateThreat;
  }

  it('delivers a change made over HTTP to a subscriber entitled to see it, with the record as they may see it', async () => {
    const surrey = await subscribe('surrey.investigator');
    const threat = await createThreat(app, 'serocu.analyst', { name: 'Operation Larch' });
    const [message] = await surrey.take(1);
    expect(message.events).toMatchObject({
      type: 'CREATED',
      recordType: 'SocThreat',
      recordId: threat.id,
      actor: { username: 'serocu.analyst' },
      record: { id: threat.id, name: 'Operation Larch' },
    });
    expect(message.events.changedFields).toContain('name');
  });

  it('sends nothing about a record the subscriber may not see', async () => {
    const partner = await subscribe('oxon.mash', {}, 'SAFEGUARDING');
    const police = await subscribe('surrey.investigator');
    await createThreat(app, 'serocu.analyst', { name: 'Operation Hidden', access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'REGIONAL_LAW_ENFORCEMENT' } });
    const referral = await createReferral(app);
    // Events are handed out in log order, so once the partner has the referral's event it has
    // been offered the threat's too. Surrey is police but not a party to the referral.
    const [first] = await partner.take(1);
    expect(first.events).toMatchObject({ type: 'CREATED', recordType: 'SafeguardingReferral', recordId: referral.id });
    expect(partner.received).toHaveLength(1);
    const [policeFirst] = await police.take(1);
    expect(policeFirst.events.record.name).toBe('Operation Hidden');
    expect(police.received.map((m) => m.events.recordType)).not.toContain('SafeguardingReferral');
  });

  it('sends exactly one WITHDRAWN when sharing is narrowed, and nothing after', async () => {
    const threat = await createThreat(app, 'serocu.analyst', { name: 'Operation Rowan' });
    const surrey = await subscribe('surrey.investigator', { recordIds: [threat.id] });
    const narrowed = await updateThreat('serocu.analyst', threat, { access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } });
    const again = await updateThreat('serocu.analyst', { id: threat.id, version: narrowed.version }, { summary: 'Still going: the line has moved to Reading.' });
    // A marker Surrey can see, after both changes, so we know they were processed.
    const marker = await createThreat(app, 'serocu.analyst', { name: 'Operation Marker' });
    const all = await subscribe('surrey.investigator', { recordIds: [marker.id] });
    await createThreat(app, 'serocu.analyst', { name: 'Operation After' });
    await updateThreat('serocu.analyst', marker, { summary: 'Marker changed.' });
    await all.take(1);
    await surrey.until(() => surrey.received.length >= 1, 'the withdrawal');
    await new Promise((r) => setTimeout(r, 300));
    expect(surrey.received.map((m) => m.events.type)).toEqual(['WITHDRAWN']);
    expect(surrey.received[0].events).toMatchObject({ recordId: threat.id, record: null, changedFields: [], actor: null });
    expect(again.version).toBe(narrowed.version + 1);
  });

  it('resumes from a cursor: every event missed, in order, once each, then live', async () => {
    const first = await subscribe('surrey.investigator', { types: ['CREATED'] });
    await createThreat(app, 'serocu.analyst', { name: 'Operation One' });
    const [one] = await first.take(1);
    await first.close();
    await createThreat(app, 'serocu.analyst', { name: 'Operation Two' });
    await createThreat(app, 'serocu.analyst', { name: 'Operation Three' });
    const resumed = new LiveSubscription(app.url, await app.tokenFor('surrey.investigator'), EVENTS, { after: one.events.cursor, types: ['CREATED'] });
    open.push(resumed);
    const caughtUp = await resumed.take(2);
    expect(caughtUp.map((m) => m.events.record.name)).toEqual(['Operation Two', 'Operation Three']);
    await createThreat(app, 'serocu.analyst', { name: 'Operation Four' });
    await resumed.take(3);
    expect(resumed.received.map((m) => m.events.record.name)).toEqual(['Operation Two', 'Operation Three', 'Operation Four']);
  });

  it('refuses a cursor the log no longer holds with CURSOR_EXPIRED, and a foreign one with BAD_USER_INPUT', async () => {
    const old = await cursorNow(app);
    await createThreat(app, 'serocu.analyst', { name: 'Operation Pruned' });
    await createThreat(app, 'serocu.analyst', { name: 'Operation Kept' });
    await app.app.orm.em.getConnection().execute('delete from live_event where seq <= (select max(seq) - 1 from live_event)');
    const expired = new LiveSubscription(app.url, await app.tokenFor('surrey.investigator'), EVENTS, { after: old });
    open.push(expired);
    await expired.until(() => expired.errors.length > 0, 'an error');
    expect((expired.errors[0] as any).extensions.code).toBe('CURSOR_EXPIRED');
    const foreign = new LiveSubscription(app.url, await app.tokenFor('surrey.investigator'), EVENTS, { after: 'not-a-cursor' });
    open.push(foreign);
    await foreign.until(() => foreign.errors.length > 0, 'an error');
    expect((foreign.errors[0] as any).extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'after' }] });
  });

  it('convenience subscriptions: threatChanged(id) follows one threat', async () => {
    const threat = await createThreat(app, 'serocu.analyst', { name: 'Operation Followed' });
    const other = await createThreat(app, 'serocu.analyst', { name: 'Operation Other' });
    const follower = await subscribe('tvp.investigator', { id: threat.id }, 'INVESTIGATION', `subscription ($id: ID!, $after: String) { threatChanged(id: $id, after: $after) { ${EVENT_FIELDS} } }`);
    await updateThreat('serocu.analyst', other, { summary: 'Not followed.' });
    await updateThreat('serocu.analyst', threat, { summary: 'Followed and changed.' });
    const [message] = await follower.take(1);
    expect(message.threatChanged).toMatchObject({ type: 'UPDATED', recordId: threat.id, changedFields: ['summary'] });
  });

  it('closes the sockets of a user who is deactivated with 4403', async () => {
    const s = await subscribe('sussex.investigator');
    // Accepted first: deactivated before the server had authenticated the socket, it is refused as
    // unauthenticated (4401) instead, which is what happened at load 19 when this waited 300 ms.
    await s.until(() => s.connected, 'the server to accept the connection');
    try {
      await app.app.orm.em.getConnection().execute(`update app_user set active = false where username = 'sussex.investigator'`);
      await s.until(() => s.closeCode !== undefined, 'the socket to close');
      expect(s.closeCode).toBe(4403);
    } finally {
      await app.app.orm.em.getConnection().execute(`update app_user set active = true where username = 'sussex.investigator'`);
    }
  });

  it('names the organisation a referral came from only to its parties (referralChanged)', async () => {
    const receiving = await subscribe('oxon.mash', {}, 'SAFEGUARDING', `subscription ($after: String) { referralChanged(after: $after) { ${EVENT_FIELDS} } }`);
    const referral = await createReferral(app, { receivingOrganisationId: await orgId(app, 'OXON_CS') });
    const [message] = await receiving.take(1);
    expect(message.referralChanged).toMatchObject({ type: 'CREATED', recordId: referral.id, record: { reference: referral.reference } });
  });

  it('suspending a sharing agreement withdraws, at once, what the partner was shown under it', async () => {
    const agreement = await sharingAgreement(app, { parties: ['SEROCU', 'OXON_CS'], categories: ['THREAT'], maxMarking: 'OFFICIAL' });
    const partner = await subscribe('oxon.mash', { types: ['CREATED', 'UPDATED'] }, 'SAFEGUARDING');
    const threat = await createThreat(app, 'serocu.analyst', { name: 'Operation Shared', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    const [created] = await partner.take(1);
    expect(created.events).toMatchObject({ type: 'CREATED', recordId: threat.id });
    expectData(
      await app.gql('serocu.admin', 'mutation ($input: SuspendSharingAgreementInput!) { suspendSharingAgreement(input: $input) { status } }', {
        input: { id: toGlobalId('InformationSharingAgreement', agreement), expectedVersion: 1, reason: 'Data protection review after a complaint.' },
      }),
    );
    // The partner, a party to the agreement, is also told the agreement changed.
    const aboutThreat = () => partner.received.map((m) => m.events).filter((e) => e.recordId === threat.id);
    await partner.until(() => aboutThreat().length >= 2, 'the withdrawal');
    expect(aboutThreat()[1]).toMatchObject({ type: 'WITHDRAWN', record: null });
    expect(partner.received.map((m) => m.events.recordType)).toContain('InformationSharingAgreement');
    // Later changes to the record are not sent while it stays out of reach.
    await updateThreat('serocu.analyst', threat, { summary: 'Changed after the suspension.' });
    await createReferral(app);
    await partner.until(() => partner.received.some((m) => m.events.recordType === 'SafeguardingReferral'), 'the referral after it');
    expect(aboutThreat().map((e) => e.type)).toEqual(['CREATED', 'WITHDRAWN']);
  });

  it('raising the marking above a subscriber\'s clearance withdraws the record from them only', async () => {
    await sharingAgreement(app, { parties: ['SEROCU', 'OXON_CS'], categories: ['THREAT'], maxMarking: 'OFFICIAL_SENSITIVE' });
    const threat = await createThreat(app, 'serocu.analyst', { name: 'Operation Marked', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    const partner = await subscribe('oxon.mash', { recordIds: [threat.id] }, 'SAFEGUARDING');
    const police = await subscribe('tvp.investigator', { recordIds: [threat.id] });
    await updateThreat('serocu.analyst', threat, { access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'ALL_PARTNERS' } });
    const [forPolice] = await police.take(1);
    expect(forPolice.events).toMatchObject({ type: 'UPDATED', changedFields: ['protectiveMarking'] });
    const [forPartner] = await partner.take(1);
    expect(forPartner.events).toMatchObject({ type: 'WITHDRAWN', recordId: threat.id });
  });

  it('audits each delivery of a sensitive record as a read by the subscriber, with their purpose', async () => {
    const subscriber = await subscribe('hiow.analyst', { types: ['CREATED'] }, 'ANALYSIS');
    const threat = await createThreat(app, 'serocu.analyst', { name: 'Operation Audited' });
    await subscriber.take(1);
    const dbId = fromGlobalId(threat.id)!.id;
    // Written in the delivery's transaction, which commits just after the message is sent.
    const auditRows = () =>
      app.app.orm.em.getConnection().execute(
        `select a.action, a.purpose from audit_event a join app_user u on u.id = a.user_id
          where u.username = 'hiow.analyst' and ?::uuid = any (a.record_ids)`,
        [dbId],
      );
    let rows = await auditRows();
    for (let i = 0; i < 40 && !rows.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
      rows = await auditRows();
    }
    expect(rows).toEqual([{ action: 'READ', purpose: 'ANALYSIS' }]);
  });

  it('refuses a sensitive record to a subscriber who stated no purpose (PURPOSE_REQUIRED), without ending the subscription', async () => {
    const subscriber = await subscribe('sussex.investigator', { types: ['CREATED'] }, null);
    await createThreat(app, 'serocu.analyst', { name: 'Operation Purposeless' });
    await subscriber.until(() => subscriber.errors.length > 0, 'a refusal');
    expect((subscriber.errors[0] as any).extensions.code).toBe('PURPOSE_REQUIRED');
    expect(subscriber.completed).toBe(false);
    // Nothing of the event itself: not which record, who changed it or what changed.
    expect(subscriber.messages).toHaveLength(1);
    expect(subscriber.messages[0].data ?? null).toBeNull();
  });

  it('tells a partner only of changes to fields they are shown, and lists only those', async () => {
    await sharingAgreement(app, { parties: ['SEROCU', 'OXON_CS'], categories: ['THREAT'], maxMarking: 'OFFICIAL' });
    const threat = await createThreat(app, 'serocu.analyst', { name: 'Operation Quiet', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    const partner = await subscribe('oxon.mash', { recordIds: [threat.id] }, 'SAFEGUARDING');
    const police = await subscribe('tvp.investigator', { recordIds: [threat.id] });
    // A change to the summary alone (withheld from partners), then one to the name and summary.
    const first = await updateThreat('serocu.analyst', threat, { summary: 'The line now runs from a flat in Banbury.' });
    await updateThreat('serocu.analyst', { id: threat.id, version: first.version }, { name: 'Operation Quieter', summary: 'And a second flat.' });
    const [a, b] = await police.take(2);
    expect([a.events.changedFields, b.events.changedFields]).toEqual([['summary'], expect.arrayContaining(['name', 'summary'])]);
    const [only] = await partner.take(1);
    expect(only.events).toMatchObject({ type: 'UPDATED', changedFields: ['name'], record: { name: 'Operation Quieter' } });
    await new Promise((r) => setTimeout(r, 300));
    expect(partner.received).toHaveLength(1);
  });

  it('redacts a partner\'s event exactly as a query redacts the same record for them', async () => {
    await sharingAgreement(app, { parties: ['SEROCU', 'OXON_CS'], categories: ['THREAT'], maxMarking: 'OFFICIAL' });
    const fields = 'id name summary members { id } withheld { field reason }';
    const partner = await subscribe('oxon.mash', { types: ['CREATED'] }, 'SAFEGUARDING', `subscription ($after: String) {
      events(after: $after) { record { ... on SocThreat { ${fields} } } } }`);
    const threat = await createThreat(app, 'serocu.analyst', { name: 'Operation Sanitised', access: { protectiveMarking: 'OFFICIAL', sharing: 'ALL_PARTNERS' } });
    await partner.until(() => partner.received.some((m) => m.events.record?.id === threat.id), 'the threat');
    const delivered = partner.received.find((m) => m.events.record?.id === threat.id).events.record;
    const queried = expectData(await app.gql('oxon.mash', `query ($id: ID!) { node(id: $id) { ... on SocThreat { ${fields} } } }`, { id: threat.id }, { purpose: 'SAFEGUARDING' })).node;
    expect(delivered.withheld.length).toBeGreaterThan(0);
    expect(delivered).toEqual(queried);
  });
});
