#!/usr/bin/env node
/**
 * `node server/bin/run-built.cjs <script> [args...]` runs a compiled server script
 * (dist/server/scripts/<script>.js), compiling the server first only when a source file is newer
 * than the last build. `npm run report`, `token`, `apikey`, `db:seed` and `db:migrate` go through
 * it, so they start at once after the first build instead of recompiling on every call.
 *
 * Plain JavaScript with no dependencies, because it must run before anything is compiled.
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const { isBuildCurrent } = require('./build-freshness.cjs');

const root = path.resolve(__dirname, '../..');
const stamp = path.join(root, 'dist/server/.tsbuildinfo');

function build() {
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'server/tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  // tsc leaves its build info untouched when nothing it emits changed; touch it so the next
  // call sees this build as newer than the sources it was checked against.
  const now = new Date();
  fs.utimesSync(stamp, now, now);
}

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: node server/bin/run-built.cjs <script under server/scripts, e.g. report/main> [args...]');
  process.exit(64);
}
if (!isBuildCurrent(root)) build();
const compiled = path.join(root, 'dist/server/scripts', `${script}.js`);
process.argv = [process.argv[0], compiled, ...args];
require(compiled);
