import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { adminQuery } from '../support/database';
import { createTestApp, type TestApp } from '../support/test-app';
import { threatInput } from '../support/factories';

/**
 * PostgreSQL out of disk space: the threats table lives on a 3 MB filesystem that is then
 * filled. A write needing space must be refused with a retryable SERVICE_UNAVAILABLE (the
 * client tries again later), keep nothing half-written (the threat's activities and history are
 * in other tables, on a disk with room), reads must keep working, and once space returns writes
 * work again with no restart.
 *
 * A small filesystem needs a tmpfs mount, so this runs only where the tests may mount (as root,
 * as in CI and on the development machines); elsewhere it says so and is skipped.
 */
function mountTinyFilesystem(): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    fs.rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const tiny = mountTinyFilesystem();
if (!tiny) console.warn('disk-full test skipped: this user cannot mount a tmpfs');
const describeWithMount = tiny ? describe : describe.skip;

describeWithMount('PostgreSQL out of disk space', () => {
  let app: TestApp;
  let owner: pg.Client;
  const tablespace = `soc_full_${crypto.randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    app = await createTestApp();
    // The database server writes the tablespace: give its directory to the server's own user.
    const dataDirectory = (await adminQuery('show data_directory')).rows[0].data_directory as string;
    const { uid, gid } = fs.statSync(dataDirectory);
    fs.chownSync(tiny!, uid, gid);
    await adminQuery(`create tablespace ${tablespace} location '${tiny}'`);
    owner = new pg.Client({ connectionString: app.db.url });
    await owner.connect();
    // Each page takes one threat (fillfactor 10 and a long summary), so the next one needs space.
    await owner.query(`alter table soc_threat set (fillfactor = 10)`);
    await owner.query(`alter table soc_threat set tablespace ${tablespace}`);
    await owner.query(`create table ballast (filler text) tablespace ${tablespace}`);
  });
  afterAll(async () => {
    await owner?.end();
    await app?.stop(); // drops the database, emptying the tablespace
    await adminQuery(`drop tablespace if exists ${tablespace}`).catch(() => undefined);
    execFileSync('umount', [tiny!]);
    fs.rmSync(tiny!, { recursive: true, force: true });
  });

  const CREATE = 'mutation ($input: CreateThreatInput!) { createThreat(input: $input) { id name } }';
  const count = async (sql: string, params: unknown[]) => Number((await owner.query(sql, params)).rows[0].n);

  it('refuses a write with a retryable error and keeps nothing of it, keeps reading, and writes again once space returns', async () => {
    const before = await app.gql('serocu.analyst', CREATE, { input: await threatInput(app, { name: 'Operation Ballast', summary: crypto.randomBytes(750).toString('hex') }) });
    expect(before.errors).toBeUndefined();

    // Fill the filesystem: the ballast grows until PostgreSQL cannot extend it.
    await expect(owner.query("insert into ballast select repeat(md5(g::text), 32) from generate_series(1, 100000) g")).rejects.toMatchObject({ code: '53100' });

    const refused = await app.gql('serocu.analyst', CREATE, {
      input: await threatInput(app, { name: 'Operation Full Disk', criminalActivities: [{ category: 'FRAUD', subCategory: 'INVESTMENT', description: 'Written while the disk was full.', firstIdentified: '2025-06-01' }] }),
    });
    expect(refused.errors?.map((e: any) => [e.extensions?.code, e.extensions?.retryable])).toEqual([['SERVICE_UNAVAILABLE', true]]);
    expect(await count('select count(*) n from soc_threat where name = $1', ['Operation Full Disk'])).toBe(0);
    expect(await count('select count(*) n from criminal_activity where description = $1', ['Written while the disk was full.'])).toBe(0);

    const read = await app.gql('serocu.analyst', '{ threats(first: 5) { totalCount edges { node { name } } } }');
    expect(read.errors).toBeUndefined();
    expect(read.data.threats.edges.map((e: any) => e.node.name)).toEqual(['Operation Ballast']);

    await owner.query('drop table ballast'); // space returns (a truncate would need a page for its new files)
    const again = await app.gql('serocu.analyst', CREATE, { input: await threatInput(app, { name: 'Operation Full Disk' }) });
    expect(again.errors).toBeUndefined();
    expect(again.data.createThreat.name).toBe('Operation Full Disk');
  });
});
