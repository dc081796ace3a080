/**
 * Readiness and the last line of defence: `/health` says whether the process takes new work (its
 * database answers, it is not shutting down), and an error escaping one request's work is logged
 * while the process goes on.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.js";
import { createTestApp } from "../helpers.js";
import { API_DIR } from "./support.js";

describe("/health", () => {
  it("is ready while the database answers", async () => {
    const t = createTestApp();
    const res = await t.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, version: VERSION, ready: true, database: "ok" });
  });

  it("answers 503 when the database cannot be read", async () => {
    const t = createTestApp();
    t.deps.db.close();
    const res = await t.call("GET", "/health");
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.json).toEqual({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "The database cannot be read." });
  });

  it("answers 503 once the server is shutting down", async () => {
    const t = createTestApp();
    t.deps.lifecycle.shuttingDown = true;
    const res = await t.call("GET", "/health");
    expect(res.status).toBe(503);
    expect(res.json).toEqual({ type: "about:blank", title: "Service Unavailable", status: 503, detail: "The server is shutting down." });
  });
});

describe("last line of defence", () => {
  it("an exception and a rejection nothing caught are logged, and the process goes on", async () => {
    const script = [
      `import { keepServingOnStrayErrors } from "./src/last-resort.ts";`,
      `keepServingOnStrayErrors();`,
      `setTimeout(() => { throw new TypeError("The database connection is not open"); });`,
      `setTimeout(() => { Promise.reject(new Error("a stream failed")); }, 20);`,
      `setTimeout(() => console.log("still serving"), 100);`,
    ].join("\n");
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { cwd: API_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    expect(out).toBe("still serving\n");
    const first = err.split("\n").filter((line) => !line.startsWith("    at ") && line !== "");
    expect(first[0]).toMatch(/^an error escaped its request, the server goes on: TypeError: The database connection is not open \(at /);
    expect(first[2]).toMatch(/^a promise failed unhandled, the server goes on: Error: a stream failed \(at /);
  });
});
