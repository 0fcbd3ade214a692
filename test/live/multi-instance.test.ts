import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys, signDevToken, type DevKeys } from '../../server/src/auth/dev-keys';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { EVENT_FIELDS, LiveSubscription } from '../support/live-client';
import { purposeFor } from '../support/purposes';

/**
 * Two (and later three) real server processes on one database, as the platform runs past one
 * machine: changes made through one reach subscribers on another, through the event log.
 */
const EVENTS = `subscription ($after: String, $types: [EventType!], $recordIds: [ID!]) {
  events(after: $after, types: $types, recordIds: $recordIds) { ${EVENT_FIELDS} } }`;

describe('live events across server instances', () => {
  let db: TestDatabase;
  let dataDir: string;
  let keys: DevKeys;
  let a: ServerProcess;
  let b: ServerProcess;
  const open: LiveSubscription[] = [];
  const env = () => ({ DATABASE_URL: db.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn', LIVE_POLL_MS: '1000' });

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-live-'));
    a = await spawnServer(env());
    await a.ready();
    b = await spawnServer(env());
    await b.ready();
    keys = await loadOrCreateDevKeys(dataDir);
  }, 120_000);
  afterEach(async () => void (await Promise.all(open.splice(0).map((s) => s.close()))));
  afterAll(async () => {
    for (const s of [a, b]) s?.proc.kill('SIGKILL');
    await db?.drop();
  });

  const token = (username: string) => signDevToken(keys, username);

  async function gql(server: ServerProcess, as: string, query: string, variables: Record<string, unknown> = {}, purpose = purposeFor(as)) {
    const response = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(as)}`, 'x-purpose': purpose },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as any;
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  async function orgId(server: ServerProcess, code: string): Promise<string> {
    const data = await gql(server, 'serocu.admin', '{ organisations(first: 100) { edges { node { id code } } } }');
    return data.organisations.edges.find((e: any) => e.node.code === code).node.id;
  }

  async function createThreat(server: ServerProcess, name: string, sharing = 'REGIONAL_LAW_ENFORCEMENT') {
    const data = await gql(server, 'serocu.analyst', 'mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id version name } }', {
      input: {
        name,
        summary: 'Cocaine supply into Guildford and Woking run from a car wash.',
        subjectType: 'ORGANISED_CRIME_GROUP',
        leadOrganisationId: await orgId(server, 'SURREY'),
        taskingLevel: 'FORCE',
        geographicScope: 'REGIONAL',
        identifiedOn: '2025-09-01',
        criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'WHOLESALE_SUPPLY', description: 'Kilo-level cocaine supply.', firstIdentified: '2025-09-01' }],
        access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing },
      },
    });
    return data.createThreat;
  }

  async function subscribe(server: ServerProcess, as: string, variables: Record<string, unknown> = {}, purpose = purposeFor(as)) {
    const { eventCursor } = await gql(server, as, '{ eventCursor }');
    const s = new LiveSubscription(server.url, await token(as), EVENTS, { after: eventCursor, ...variables }, purpose);
    open.push(s);
    return s;
  }

  it('a change made on A reaches a subscriber on B; one not entitled to it on B receives nothing', async () => {
    const onB = await subscribe(b, 'surrey.investigator', { types: ['CREATED'] });
    const partnerOnB = await subscribe(b, 'oxon.mash', {}, 'SAFEGUARDING');
    const threat = await createThreat(a, 'Operation Alder');
    const [message] = await onB.take(1);
    expect(message.events).toMatchObject({ type: 'CREATED', recordId: threat.id, record: { name: 'Operation Alder' }, actor: { username: 'serocu.analyst' } });
    // A referral to Oxfordshire, made on A after the threat: the partner's first event.
    const referral = await gql(a, 'tvp.safeguarding', 'mutation ($input: CreateReferralInput!) { createReferral(input: $input) { id } }', {
      input: {
        subjectIsChild: true,
        referralType: 'MASH_CONTACT',
        exploitationTypes: ['CHILD_CRIMINAL_EXPLOITATION'],
        receivingOrganisationId: await orgId(a, 'OXON_CS'),
        urgency: 'AMBER',
        consentObtained: false,
        sharingReason: 'Child at risk of significant harm (Children Act 1989 s47).',
        summary: 'Seen running drugs between Banbury and Bicester; missing from school.',
        protectiveMarking: 'OFFICIAL',
      },
    }, 'SAFEGUARDING');
    await partnerOnB.take(1);
    expect(partnerOnB.received.map((m) => m.events.recordId)).toEqual([referral.createReferral.id]);
  });

  it('narrowing sharing on A while B streams yields exactly one WITHDRAWN', async () => {
    const threat = await createThreat(a, 'Operation Aspen');
    const onB = await subscribe(b, 'sussex.investigator', { recordIds: [threat.id] });
    const update = 'mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { id version } }';
    const narrowed = (await gql(a, 'serocu.analyst', update, { input: { id: threat.id, expectedVersion: threat.version, access: { protectiveMarking: 'OFFICIAL_SENSITIVE', sharing: 'OWNER_ONLY' } } })).updateThreat;
    await gql(a, 'serocu.analyst', update, { input: { id: threat.id, expectedVersion: narrowed.version, summary: 'Moved to a new unit.' } });
    // A marker the Sussex user can see, committed after both changes.
    const marker = await subscribe(b, 'sussex.investigator', { types: ['CREATED'] });
    await createThreat(a, 'Operation Marker');
    await marker.take(1);
    await onB.take(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(onB.received.map((m) => [m.events.type, m.events.recordId])).toEqual([['WITHDRAWN', threat.id]]);
  });

  /**
   * Creates threats on A one after another until `stop()`; returns their names in commit order.
   * Stopped in a `finally`: a stream left running after a failed test wrote into the next one's.
   */
  function keepCreating(prefix: string) {
    const names: string[] = [];
    let running = true;
    const done = (async () => {
      for (let i = 1; running; i++) {
        const name = `${prefix} ${String(i).padStart(3, '0')}`;
        await createThreat(a, name);
        names.push(name);
      }
    })();
    return { names, stop: async () => ((running = false), await done) };
  }

  async function resumeOnA(after: string) {
    const s = new LiveSubscription(a.url, await token('surrey.investigator'), EVENTS, { after, types: ['CREATED'] });
    open.push(s);
    return s;
  }

  it('SIGTERM on B: its sockets close with 1001 and the client resumes on A with no gap and no duplicate', async () => {
    const onB = await subscribe(b, 'surrey.investigator', { types: ['CREATED'] });
    const stream = keepCreating('Operation Birch');
    try {
      await onB.take(3);
      b.proc.kill('SIGTERM');
      await onB.until(() => onB.closeCode !== undefined, 'B to close the socket');
      expect(onB.closeCode).toBe(1001);
      expect(await b.exited()).toBe(0);
      const seenOnB = onB.received.map((m) => m.events);
      const resumed = await resumeOnA(seenOnB[seenOnB.length - 1].cursor);
      await new Promise((r) => setTimeout(r, 500));
      await stream.stop();
      const all = () => [...seenOnB, ...resumed.received.map((m) => m.events)].map((e) => e.record.name);
      await resumed.until(() => all().length >= stream.names.length, 'every event');
      expect(all()).toEqual(stream.names);
    } finally {
      await stream.stop().catch(() => undefined);
    }
  });

  it('SIGKILL on a third instance while events flow: resuming on A from the last cursor gives every event once, in order', async () => {
    const c = await spawnServer(env());
    let stream: ReturnType<typeof keepCreating> | undefined;
    try {
      await c.ready();
      const onC = await subscribe(c, 'surrey.investigator', { types: ['CREATED'] });
      const cedar = (stream = keepCreating('Operation Cedar'));
      await onC.take(4);
      c.proc.kill('SIGKILL');
      await onC.until(() => onC.closeCode !== undefined, 'the socket to drop');
      const seenOnC = onC.received.map((m) => m.events);
      const resumed = await resumeOnA(seenOnC[seenOnC.length - 1].cursor);
      await new Promise((r) => setTimeout(r, 500));
      await cedar.stop();
      const all = () => [...seenOnC, ...resumed.received.map((m) => m.events)].map((e) => e.record.name);
      await resumed.until(() => all().length >= cedar.names.length, 'every event');
      expect(all()).toEqual(cedar.names);
      const cursors = [...seenOnC, ...resumed.received.map((m) => m.events)].map((e) => e.cursor);
      expect(new Set(cursors).size).toBe(cursors.length);
    } finally {
      c.proc.kill('SIGKILL');
      await stream?.stop().catch(() => undefined);
    }
  });
});
