// The fast tier: pure-rule specs (`*.spec.ts` under apps/ and libs/), no PostgreSQL, Redis or browser.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'],
  globalSetup: undefined,
  globalTeardown: undefined,
};
