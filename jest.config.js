/**
 * Every test runs against real PostgreSQL: DATABASE_URL when set, otherwise an embedded server
 * started once for the run (test/support/global-setup.ts). Each test file creates its own
 * database from a migrated template, so files run in parallel without seeing each other's data.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // A guard against a hung test or hook, not a measure of speed (that is `npm run bench`): tests
  // that start servers, browsers or CLI processes took over 60 s at load 19, and a server's start
  // alone may take up to 90 s (test/support/server-process.ts, ready()).
  testTimeout: 180_000,
  maxWorkers: 2,
  // How long a worker may take to exit once every file has run, before jest kills it and warns
  // that it "failed to exit gracefully". Measured: each worker's event loop is empty and its
  // 'exit' event fires within a millisecond or two of being told to end; what took longer than
  // jest's default 500 ms on a loaded machine was the process's own teardown (heaps of 300-450 MB).
  workerGracefulExitTimeout: 5_000,
  // A worker whose heap has grown past this after a file is replaced by a fresh one. Workers grow
  // over the files they run (two at 2.8 GB resident after 57 files each, 8 December), and a late
  // browser test on a loaded machine waited 40 s for an answer PostgreSQL had already sent while
  // its worker was held up to 15 s at a time, most likely collecting a heap that size (the app
  // and the browser it drives wait on it). A fresh worker costs a few seconds. The slow-page
  // report of test/support/browser.ts gives the worker's longest collection and heap, to check.
  workerIdleMemoryLimit: '1GB',
};
