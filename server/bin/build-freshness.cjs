'use strict';
/** Whether the compiled server under `root`/dist is at least as new as every source it is built from. */
const fs = require('node:fs');
const path = require('node:path');

const SOURCES = ['server/src', 'server/scripts', 'server/tsconfig.json', 'tsconfig.json'];
const STAMP = 'dist/server/.tsbuildinfo';

/** The newest modification time under `target` (a file or a folder), in milliseconds. */
function newestChange(target) {
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // a deleted or renamed file changes its folder's time
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestChange(path.join(target, entry)));
  return newest;
}

function isBuildCurrent(root) {
  const stamp = path.join(root, STAMP);
  if (!fs.existsSync(stamp)) return false;
  const built = fs.statSync(stamp).mtimeMs;
  return SOURCES.map((source) => path.join(root, source)).every((source) => !fs.existsSync(source) || newestChange(source) <= built);
}

module.exports = { isBuildCurrent };
