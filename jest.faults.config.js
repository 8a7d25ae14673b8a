// The fault suite (`npm run test:faults`, also part of `npm test`): outages injected under load, each
// scenario reporting requests sent, errors by status, sign-ins lost and time to recover.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['<rootDir>/e2e/faults/**/*.fault-spec.ts'],
  // One scenario at a time: each measures latencies, and two at once would measure each other.
  maxWorkers: 1,
};
