import { createTestApp, type TestApp } from '../support/test-app';
import { createThreat, expectData } from '../support/factories';
import { dbId, sql } from '../support/disruption-factories';

/** unlinkThreats: the same people may remove a link as may make one; audited; history kept. */
let app: TestApp;
beforeAll(async () => (app = await createTestApp()));
afterAll(() => app.stop());

const LINK = `mutation ($input: LinkThreatsInput!) { linkThreats(input: $input) { id version } }`;
const UNLINK = `mutation Unlink($input: UnlinkThreatsInput!) { unlinkThreats(input: $input) { id version linkedThreats { threat { name } } } }`;
const LINKS = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on SocThreat { name version linkedThreats { threat { name } } } } }`;

async function linkedPair(prefix: string) {
  const a = await createThreat(app, 'tvp.investigator', { name: `${prefix} A` });
  const b = await createThreat(app, 'tvp.investigator', { name: `${prefix} B` });
  const linked = expectData(await app.gql('tvp.investigator', LINK, { input: { threatId: a.id, expectedVersion: 1, linkedThreatId: b.id, reason: 'Shared phones.' } })).linkThreats;
  return { a: { ...a, version: linked.version }, b };
}

describe('unlinking threats', () => {
  it('removes the link from both threats, from either side, and records it in history and on the audit trail', async () => {
    const { a, b } = await linkedPair('Operation Hazel');
    // From the other side than it was made from.
    const done = expectData(await app.gql('tvp.investigator', UNLINK, { input: { threatId: b.id, expectedVersion: 1, linkedThreatId: a.id } })).unlinkThreats;
    expect(done).toMatchObject({ id: b.id, version: 2, linkedThreats: [] });
    const seen = expectData(await app.gql('tvp.investigator', LINKS, { ids: [a.id, b.id] })).nodes;
    expect(seen.map((t: any) => t.linkedThreats)).toEqual([[], []]);
    const histories = expectData(await app.gql('tvp.investigator', `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on SocThreat { history { action part } } } }`, { ids: [a.id, b.id] })).nodes;
    expect(histories.flatMap((t: any) => t.history)).toContainEqual({ action: 'DELETE', part: 'linkedThreat' });
    const [event] = await sql(app, `select action, record_type, detail from audit_event where operation = 'Unlink' order by id desc limit 1`);
    expect(event).toMatchObject({ action: 'UPDATE', record_type: 'SocThreat', detail: { mutations: ['unlinkThreats'] } });
    const rows = await sql(app, `select count(*)::int as n from threat_link`);
    expect(rows[0].n).toBe(0);
  });

  it('says so when the threats are not linked, and refuses a stale version', async () => {
    const a = await createThreat(app, 'tvp.investigator', { name: 'Operation Ivy' });
    const b = await createThreat(app, 'tvp.investigator', { name: 'Operation Juniper' });
    const notLinked = await app.gql('tvp.investigator', UNLINK, { input: { threatId: a.id, expectedVersion: 1, linkedThreatId: b.id } });
    expect(notLinked.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.linkedThreatId', message: 'these threats are not linked' }] });
    const { a: c, b: d } = await linkedPair('Operation Larch');
    const stale = await app.gql('tvp.investigator', UNLINK, { input: { threatId: c.id, expectedVersion: 1, linkedThreatId: d.id } });
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses, as linking does, a user who may not change the threat (FORBIDDEN), cannot see it (NOT_FOUND), or has no role for it; the link stays', async () => {
    const { a, b } = await linkedPair('Operation Maple');
    // Surrey sees TVP's regional threat but does not own it.
    const other = await app.gql('surrey.investigator', UNLINK, { input: { threatId: a.id, expectedVersion: a.version, linkedThreatId: b.id } });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const linkRefused = await app.gql('surrey.investigator', LINK, { input: { threatId: a.id, expectedVersion: a.version, linkedThreatId: b.id, reason: 'x' } });
    expect(linkRefused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // A threat Surrey cannot see at all: refused as missing, never as forbidden.
    const hidden = await createThreat(app, 'tvp.investigator', { name: 'Operation Nettle', access: { protectiveMarking: 'OFFICIAL', sharing: 'OWNER_ONLY' } });
    const hiddenLinked = expectData(await app.gql('tvp.investigator', LINK, { input: { threatId: hidden.id, expectedVersion: 1, linkedThreatId: b.id, reason: 'Same cash.' } })).linkThreats;
    const unseen = await app.gql('surrey.investigator', UNLINK, { input: { threatId: hidden.id, expectedVersion: hiddenLinked.version, linkedThreatId: b.id } });
    expect(unseen.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const noRole = await app.gql('serocu.auditor', UNLINK, { input: { threatId: a.id, expectedVersion: a.version, linkedThreatId: b.id } });
    expect(noRole.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const seen = expectData(await app.gql('tvp.investigator', LINKS, { ids: [a.id, hidden.id] })).nodes;
    expect(seen.map((t: any) => t.linkedThreats.length)).toEqual([1, 1]);
    const denied = await sql(app, `select count(*)::int as n from audit_event where operation = 'Unlink' and action = 'DENIED'`);
    expect(denied[0].n).toBe(3);
  });

  it('tells live subscribers as linking does: an event for the same threats', async () => {
    const head = async () => (await sql(app, `select coalesce(max(seq), 0)::bigint as seq from live_event`))[0].seq;
    const eventsSince = async (seq: string) =>
      (await sql(app, `select record_type, record_id::text as record_id from live_event where seq > ? order by record_id`, [seq])).map((e: any) => `${e.record_type}:${e.record_id}`);
    const a = await createThreat(app, 'tvp.investigator', { name: 'Operation Oak A' });
    const b = await createThreat(app, 'tvp.investigator', { name: 'Operation Oak B' });
    const beforeLink = await head();
    const linked = expectData(await app.gql('tvp.investigator', LINK, { input: { threatId: a.id, expectedVersion: 1, linkedThreatId: b.id, reason: 'Shared phones.' } })).linkThreats;
    const onLink = await eventsSince(beforeLink);
    const beforeUnlink = await head();
    expectData(await app.gql('tvp.investigator', UNLINK, { input: { threatId: a.id, expectedVersion: linked.version, linkedThreatId: b.id } }));
    const onUnlink = await eventsSince(beforeUnlink);
    expect(onUnlink.length).toBeGreaterThan(0);
    expect(onUnlink).toEqual(onLink);
    expect(onUnlink.every((e: string) => [`SocThreat:${dbId(a.id)}`, `SocThreat:${dbId(b.id)}`].includes(e))).toBe(true);
  });
});
