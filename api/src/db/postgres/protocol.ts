/** What the request thread (channel.ts) and the PostgreSQL thread (worker.ts) say to each other. */
export type Request =
  | { op: "open"; id: number; url: string; from?: number }
  | { op: "query"; id: number; text: string; params: unknown[]; rows: "objects" | "arrays" }
  | { op: "exec"; id: number; text: string }
  | { op: "listen"; id: number; channel: string }
  | { op: "close"; id: number }
  /** The request thread stopped waiting for connection `id` (no answer in time): close it, answer nothing. */
  | { op: "abandon"; id: number };

export interface DatabaseErrorDetail {
  message: string;
  /** PostgreSQL's SQLSTATE (`23505`…), or the driver's (`ECONNREFUSED`, `CONNECTION_CLOSED`…). */
  code?: string;
  detail?: string;
  constraint?: string;
}

export type Answer = { ok: true; rows?: unknown[]; count?: number } | { ok: false; error: DatabaseErrorDetail };
