// node scripts/test-summary.ts VITEST_JSON: prints the ten slowest tests of a vitest JSON report,
// then the plain closing line "N passed, N failed, N skipped" that CI reads (always the last line).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface Assertion {
  fullName: string;
  duration?: number | null;
  status: string;
}
interface Report {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; assertionResults: Assertion[] }[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: node scripts/test-summary.ts VITEST_JSON');
const report = JSON.parse(readFileSync(file, 'utf8')) as Report;

const tests = report.testResults.flatMap((f) =>
  f.assertionResults.map((a) => ({ file: relative(process.cwd(), f.name), ...a })),
);
const slowest = tests
  .filter((t) => typeof t.duration === 'number')
  .sort((a, b) => (b.duration ?? 0) - (a.duration ?? 0))
  .slice(0, 10);
if (slowest.length > 0) {
  console.log('\nslowest tests:');
  for (const t of slowest) {
    const seconds = `${((t.duration ?? 0) / 1000).toFixed(1)} s`.padStart(8);
    console.log(`${seconds}  ${t.file} > ${t.fullName}${t.status === 'passed' ? '' : ` (${t.status})`}`);
  }
}
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
