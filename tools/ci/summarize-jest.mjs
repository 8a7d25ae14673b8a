// Prints the plain `N passed, N failed` line from jest's JSON results (suites that failed to run
// count as failures). Exit 1 when anything failed or the results are missing.
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'dist/jest-results.json';
if (!existsSync(file)) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const results = JSON.parse(readFileSync(file, 'utf8'));
const brokenSuites = results.testResults.filter(
  (suite) => suite.status === 'failed' && suite.assertionResults.length === 0,
);
for (const suite of results.testResults.filter((s) => s.status === 'failed')) {
  console.log(`FAILED ${suite.name}`);
  for (const test of suite.assertionResults.filter((t) => t.status === 'failed')) console.log(`  - ${test.fullName}`);
  if (suite.assertionResults.length === 0 && suite.message)
    console.log(suite.message.split('\n').slice(0, 8).join('\n'));
}
const passed = results.numPassedTests;
const failed = results.numFailedTests + brokenSuites.length;
const skipped = results.numPendingTests + (results.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || !results.success ? 1 : 0);
