import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runSoak } from '../../server/scripts/soak/soak';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The soak of `npm run soak`, for one minute: two instances, one restarted halfway, mixed reads,
 * writes and subscriptions. Correctness only (a loaded machine makes any latency meaningless
 * here; `npm run soak -- --minutes 20` is where latency and memory are read): no live event lost
 * or duplicated, and no answer a 5xx.
 */
describe('a one-minute soak', () => {
  let db: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-soak-'));
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses and duplicates no live event and answers no request with a 5xx, through a restart', async () => {
    const report = await runSoak({ databaseUrl: db.url, dataDir, minutes: 1 });
    expect(report.restarts).toBe(1);
    expect(report.writesAcknowledged).toBeGreaterThan(0);
    expect(report.events).toMatchObject({ lost: 0, duplicated: 0, transientDuplicated: 0 });
    expect(report.events.delivered).toBe(2 * report.writesAcknowledged);
    expect(Object.keys(report.errors).filter((code) => code.startsWith('5'))).toEqual([]);
  }, 400_000);
});
