import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { isBuildCurrent } = require('../../server/bin/build-freshness.cjs') as { isBuildCurrent: (root: string) => boolean };

/**
 * `npm run report`, `token`, `apikey`, `db:seed` and `db:migrate` compile the server only when a
 * source changed since the last build (server/bin/run-built.cjs), so they start at once.
 */
describe('whether the compiled server is current', () => {
  let root: string;
  const at = (seconds: number) => new Date(1_800_000_000_000 + seconds * 1000);
  const write = (file: string, seconds: number) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
    fs.utimesSync(path.join(root, file), at(seconds), at(seconds));
  };
  /** Folders keep the time of their last entry change: set them as a checkout would leave them. */
  const settleFolders = (seconds: number) => {
    for (const folder of ['server/src/modules', 'server/src', 'server/scripts', 'server']) {
      if (fs.existsSync(path.join(root, folder))) fs.utimesSync(path.join(root, folder), at(seconds), at(seconds));
    }
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hub-freshness-'));
    write('server/src/modules/a.ts', 0);
    write('server/scripts/token.ts', 0);
    write('tsconfig.json', 0);
    settleFolders(0);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is not current before the first build', () => {
    expect(isBuildCurrent(root)).toBe(false);
  });

  it('is current when the build is newer than every source', () => {
    write('dist/server/.tsbuildinfo', 10);
    expect(isBuildCurrent(root)).toBe(true);
  });

  it('is stale when a source file changed after the build', () => {
    write('dist/server/.tsbuildinfo', 10);
    fs.utimesSync(path.join(root, 'server/src/modules/a.ts'), at(20), at(20));
    expect(isBuildCurrent(root)).toBe(false);
  });

  it('is stale when a source file was added or removed after the build (its folder changed)', () => {
    write('dist/server/.tsbuildinfo', 10);
    fs.utimesSync(path.join(root, 'server/src/modules'), at(20), at(20));
    expect(isBuildCurrent(root)).toBe(false);
  });

  it('is stale when the compiler settings changed', () => {
    write('dist/server/.tsbuildinfo', 10);
    write('tsconfig.json', 20);
    expect(isBuildCurrent(root)).toBe(false);
  });
});
