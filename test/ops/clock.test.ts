import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadOrCreateDevKeys, signDevToken } from '../../server/src/auth/dev-keys';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { spawnServer, type ServerProcess } from '../support/server-process';
import { databaseDate, databaseToday } from '../support/clock';

/**
 * One clock: the database's. An instance whose own clock is a day and a half behind (a host
 * whose clock drifted) still dates what it records by the database's day, as `current_date` in
 * SQL does and as every other instance does.
 */
describe('an instance with a skewed clock', () => {
  let db: TestDatabase;
  let dataDir: string;
  let server: ServerProcess;

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
  }, 120_000);
  afterAll(async () => {
    server?.proc.kill('SIGKILL');
    await server?.exited();
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
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
