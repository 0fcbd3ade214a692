import fs from 'node:fs';
import path from 'node:path';

let root: string | undefined;

/**
 * The folder holding the project's package.json, found by walking up from this file, so the
 * answer is the same from TypeScript sources (tests) and from the compiled server in dist/.
 */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + __dirname);
    dir = parent;
  }
  root = dir;
  return root;
}
