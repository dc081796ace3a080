/**
 * CI's last line (.ci/summary.mjs) counts every failure of real vitest JSON reports: failed tests,
 * files that did not load, files whose hook failed (vitest marks their tests skipped, not failed),
 * and runs that left no report; and it sums the runs (`npm test`, then the conformance suite).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { API_DIR, tempDir } from "./support.js";

const REPOSITORY = path.resolve(API_DIR, "..");
const summary = (...reports: string[]) => execFileSync(process.execPath, [path.join(REPOSITORY, ".ci/summary.mjs"), ...reports], { encoding: "utf8" });

let report: string;

beforeAll(() => {
  const dir = tempDir("ci-summary");
  fs.writeFileSync(path.join(dir, "passing.test.js"), 'it("one", () => {});\nit("two", () => {});\nit("three fails", () => { throw new Error("no"); });\n');
  fs.writeFileSync(path.join(dir, "hook.test.js"), 'beforeAll(() => { throw new Error("set-up failed"); });\nit("a", () => {});\nit("b", () => {});\n');
  fs.writeFileSync(path.join(dir, "load.test.js"), 'throw new Error("cannot load");\n');
  report = path.join(dir, "report.json");
  const run = spawnSync(process.execPath, [path.join(REPOSITORY, "node_modules/vitest/vitest.mjs"), "run", "--root", dir, "--globals", "--reporter=json", `--outputFile=${report}`], {
    cwd: dir,
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(1);
}, 120_000);

describe(".ci/summary.mjs", () => {
  it("counts a failed test, a file whose beforeAll failed and a file that did not load as 3 failures", () => {
    const vitest = JSON.parse(fs.readFileSync(report, "utf8"));
    expect([vitest.numPassedTests, vitest.numFailedTests, vitest.numPendingTests]).toEqual([2, 1, 2]);
    expect(summary(report)).toBe("2 passed, 3 failed\n");
  });

  it("sums several runs, and counts a run without a report (stopped by the typecheck) as one failure", () => {
    expect(summary(report, report)).toBe("4 passed, 6 failed\n");
    expect(summary(report, path.join(path.dirname(report), "missing.json"))).toBe("2 passed, 4 failed\n");
    const empty = path.join(path.dirname(report), "empty.json");
    fs.writeFileSync(empty, "");
    expect(summary(empty)).toBe("0 passed, 1 failed\n");
  });
});
