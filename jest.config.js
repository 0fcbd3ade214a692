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
  testTimeout: 60_000,
  maxWorkers: 2,
};
