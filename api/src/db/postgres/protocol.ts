/** What the request thread (channel.ts) and the PostgreSQL thread (worker.ts) say to each other. */
export type Request =
  | { op: "open"; id: number; url: string; from?: number }
  | { op: "query"; id: number; text: string; params: unknown[]; rows: "objects" | "arrays" }
  | { op: "exec"; id: number; text: string }
  | { op: "listen"; id: number; channel: string }
  | { op: "close"; id: number }
  /** Opens server-side cursor `cursor` over `text` on connection `id` (WITH HOLD: it outlives the transaction). */
  | { op: "declare"; id: number; cursor: string; text: string; params: unknown[]; hold: boolean }
  /** The next `count` rows of `cursor`; the cursor is closed once it gives fewer (or `count` is 0). */
  | { op: "fetch"; id: number; cursor: string; count: number; rows: "objects" | "arrays" };

export interface DatabaseErrorDetail {
  message: string;
  /** PostgreSQL's SQLSTATE (`23505`…), or the driver's (`ECONNREFUSED`, `CONNECTION_CLOSED`…). */
  code?: string;
  detail?: string;
  constraint?: string;
}

export type Answer = { ok: true; rows?: unknown[]; count?: number } | { ok: false; error: DatabaseErrorDetail };
