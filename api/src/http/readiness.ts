/** Whether this process can take new work: its database answers and it is not shutting down. */
import type { Deps } from "../context.js";

export interface Readiness {
  ready: boolean;
  database: "ok" | "unreachable";
  shuttingDown: boolean;
}

export function readiness(deps: Deps): Readiness {
  let database: Readiness["database"] = "ok";
  try {
    deps.db.prepare("SELECT version FROM schema_version LIMIT 1").get();
  } catch {
    database = "unreachable";
  }
  const shuttingDown = deps.lifecycle.shuttingDown;
  return { ready: database === "ok" && !shuttingDown, database, shuttingDown };
}
