#!/usr/bin/env node
// Prints one line "N passed, N failed" summing vitest JSON reports (node .ci/summary.mjs a.json b.json …).
// A report that is missing or empty is a run stopped before its tests (the typecheck failed): one
// failure. A test file that failed without a failed test is one failure too: it did not load, or a
// hook failed and vitest marked its tests skipped.
import fs from "node:fs";

let passed = 0;
let failed = 0;
for (const file of process.argv.slice(2)) {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (text.trim() === "") {
    failed += 1;
    continue;
  }
  const report = JSON.parse(text);
  const broken = report.testResults.filter((f) => f.status === "failed" && !f.assertionResults.some((a) => a.status === "failed")).length;
  passed += report.numPassedTests;
  failed += report.numFailedTests + broken;
}
console.log(`${passed} passed, ${failed} failed`);
