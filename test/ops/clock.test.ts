import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys, signDevToken } from '../../server/src/auth/dev-keys';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { databaseDate, databaseToday } from '../support/clock';
import { EVENT_FIELDS, LiveSubscription } from '../support/live-client';
import { EventLog } from '../../server/src/live/event-log';
import { knex } from '@mikro-orm/postgresql';

/**
 * One clock: the database's. An instance whose own clock is a day and a half behind (a host
 * whose clock drifted) still dates what it records by the database's day, as `current_date` in
 * SQL does and as every other instance does.
 */
describe('an instance with a skewed clock', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;
  /** An instance on the machine's own clock, beside the skewed one. */
  let steady: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-clock-'));
    server = await spawnServer({
      DATABASE_URL: db.url,
      DATA_DIR: dataDir,
      CLOCK_SKEW_MS: String(-36 * 3600_000),
      NODE_OPTIONS: `--require ${path.join(__dirname, '../support/clock-skew.cjs')}`,
    });
    await server.ready(90_000);
    steady = await spawnServer({ DATABASE_URL: db.url, DATA_DIR: dataDir, LIVE_POLL_MS: '500' });
    await steady.ready(90_000);
  }, 180_000);
  afterAll(async () => {
    server?.proc.kill('SIGKILL');
    steady?.proc.kill('SIGKILL');
    await server?.exited();
    await steady?.exited();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** POSTs as serocu.analyst to one instance; the token is signed by the test's (real) clock. */
  async function postTo(instance: ServerProcess, query: string, variables: Record<string, unknown> = {}) {
    const keys = await loadOrCreateDevKeys(dataDir);
    const response = await fetch(`${instance.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await signDevToken(keys, 'serocu.analyst')}`, 'x-purpose': 'ANALYSIS' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as any;
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  }

  it('gives subscribers on either instance the same events in the same order, stamped by the database, and cursors that resume on the other', async () => {
    const keys = await loadOrCreateDevKeys(dataDir);
    const token = await signDevToken(keys, 'serocu.analyst');
    const QUERY = `subscription ($after: String) { events(after: $after, types: [CREATED, UPDATED]) { ${EVENT_FIELDS} } }`;
    // From a cursor taken first: a subscription without one starts whenever the server gets to it,
    // which at load could be after the threat's creation, and then it never saw five events.
    const { eventCursor } = await postTo(steady, '{ eventCursor }');
    const onSkewed = new LiveSubscription(server.url, token, QUERY, { after: eventCursor }, 'ANALYSIS');
    const onSteady = new LiveSubscription(steady.url, token, QUERY, { after: eventCursor }, 'ANALYSIS');
    try {
      const { organisations } = await postTo(steady, '{ organisations(first: 100) { edges { node { id code } } } }');
      const leadOrganisationId = organisations.edges.find((e: any) => e.node.code === 'SURREY').node.id;
      let threat = (
        await postTo(server, 'mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id version } }', {
          input: {
            name: 'Operation Meridian', summary: 'Written to from two instances whose clocks disagree.', subjectType: 'ORGANISED_CRIME_GROUP',
            leadOrganisationId, taskingLevel: 'FORCE', geographicScope: 'FORCE',
            criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'CULTIVATION', description: 'Grows.', firstIdentified: '2025-09-01' }],
            access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
          },
        })
      ).createThreat;
      // Changes alternate between the instance 36 h behind and the one on time.
      for (const [i, instance] of [steady, server, steady, server].entries()) {
        threat = (
          await postTo(instance, 'mutation ($input: UpdateThreatInput!) { updateThreat(input: $input) { id version } }', {
            input: { id: threat.id, expectedVersion: threat.version, summary: `Change ${i + 1}.` },
          })
        ).updateThreat;
      }
      await onSkewed.until(() => onSkewed.received.length >= 5, 'five events on the skewed instance', 30_000);
      await onSteady.until(() => onSteady.received.length >= 5, 'five events on the steady instance', 30_000);
      const story = (s: LiveSubscription) => s.received.map((d) => [d.events.type, d.events.recordId, d.events.at]);
      expect(story(onSkewed)).toEqual(story(onSteady));
      expect(story(onSteady).map(([type]) => type)).toEqual(['CREATED', 'UPDATED', 'UPDATED', 'UPDATED', 'UPDATED']);
      // Stamped by the database's clock, in commit order: never 36 hours back for the skewed instance's writes.
      const stamps = onSteady.received.map((d) => Date.parse(d.events.at));
      expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
      for (const at of stamps) expect(Math.abs(at - Date.now())).toBeLessThan(10 * 60_000);

      // A cursor from one instance resumes on the other with exactly the rest.
      const resumed = new LiveSubscription(server.url, token, QUERY, { after: onSteady.received[2].events.cursor }, 'ANALYSIS');
      try {
        await resumed.until(() => resumed.received.length >= 2, 'the two events after the cursor', 30_000);
        await new Promise((r) => setTimeout(r, 1_000)); // nothing more may follow
        expect(story(resumed)).toEqual(story(onSteady).slice(3));
      } finally {
        await resumed.close();
      }
    } finally {
      await onSkewed.close();
      await onSteady.close();
    }
  }, 120_000);

  it('prunes the event log by the database’s clock, not the instance’s', async () => {
    const owner = knex({ client: 'pg', connection: db.url, pool: { min: 0, max: 1 } });
    const realNow = Date.now;
    try {
      const before = Number((await owner('live_event').count({ n: '*' }))[0].n);
      expect(before).toBeGreaterThan(0);
      // An instance whose clock is ten days ahead, with a week's retention, keeps this hour's events.
      Date.now = () => realNow() + 10 * 24 * 3600_000;
      expect(await new EventLog(owner).prune(168 * 3600_000)).toBe(0);
      Date.now = realNow;
      expect(Number((await owner('live_event').count({ n: '*' }))[0].n)).toBe(before);
      // And what is older than the retention by the database's clock goes.
      expect(await new EventLog(owner).prune(0)).toBe(before);
    } finally {
      Date.now = realNow;
      await owner.destroy();
    }
  });

  it('dates a new threat by the database’s day, and accepts the database’s today as not in the future', async () => {
    const keys = await loadOrCreateDevKeys(dataDir);
    const post = async (query: string, variables: Record<string, unknown> = {}) => {
      const response = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await signDevToken(keys, 'serocu.analyst')}`, 'x-purpose': 'INVESTIGATION' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as any;
    };
    const { data } = await post('{ organisations(first: 100) { edges { node { id code } } } }');
    const leadOrganisationId = data.organisations.edges.find((e: any) => e.node.code === 'SURREY').node.id;
    const input = (identifiedOn?: string) => ({
      name: 'Operation Sundial',
      summary: 'Cannabis grows in rented houses around Woking.',
      subjectType: 'ORGANISED_CRIME_GROUP',
      leadOrganisationId,
      taskingLevel: 'FORCE',
      geographicScope: 'FORCE',
      ...(identifiedOn ? { identifiedOn } : {}),
      criminalActivities: [{ category: 'ILLEGAL_DRUGS', subCategory: 'CULTIVATION', description: 'Rented houses converted to grows.', firstIdentified: '2025-09-01' }],
      access: { protectiveMarking: 'OFFICIAL', sharing: 'REGIONAL_LAW_ENFORCEMENT' },
    });
    const CREATE = 'mutation ($input: CreateThreatInput!) { createThreat(input: $input) { identifiedOn } }';

    const { value: created, dates } = await databaseDate(db.url, () => post(CREATE, { input: input() }));
    expect(created.errors).toBeUndefined();
    expect(dates).toContain(created.data.createThreat.identifiedOn);

    // Today by the database is not "in the future" for the instance either (by its own clock it is).
    const onToday = await post(CREATE, { input: input(await databaseToday(db.url)) });
    expect(onToday.errors).toBeUndefined();
  });
});
