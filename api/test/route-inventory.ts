/** The company-scoped routes of the app and the database state, for tests that sweep them all. */
import type { TestApp } from "./helpers.js";
import { tableNames } from "../src/db/catalog.js";

export interface CompanyRoute {
  method: string;
  path: string; // OpenAPI style: /api/v1/companies/{companyId}/…
}

/**
 * Company-scoped routes from the OpenAPI document and from the router (routes not described in
 * OpenAPI count too), and the feeds, whose address names a saved query of one company.
 */
export async function companyRoutes(t: TestApp): Promise<CompanyRoute[]> {
  const doc = (await t.call("GET", "/openapi.json")).json as { paths: Record<string, Record<string, unknown>> };
  const seen = new Set<string>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) seen.add(`${method.toUpperCase()} ${path}`);
  }
  for (const r of t.app.routes) {
    if (r.method === "ALL" || r.path.endsWith("*")) continue;
    seen.add(`${r.method} ${r.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`);
  }
  return [...seen]
    .map((s) => ({ method: s.slice(0, s.indexOf(" ")), path: s.slice(s.indexOf(" ") + 1) }))
    .filter((r) => r.path.startsWith("/api/v1/companies/{companyId}") || r.path.startsWith("/api/v1/feeds/{feedId}"))
    .sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

/** Every table's row count and every company's sequence: the whole observable state. */
export function snapshot(t: TestApp): Record<string, number | string> {
  const db = t.deps.db;
  const tables = tableNames(db);
  const state: Record<string, number | string> = {};
  for (const table of tables) state[table] = db.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get() as number;
  for (const c of db.prepare("SELECT id, last_seq FROM companies ORDER BY id").all() as { id: string; last_seq: number }[]) {
    state[`last_seq:${c.id}`] = c.last_seq;
  }
  return state;
}
