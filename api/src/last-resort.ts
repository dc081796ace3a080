/**
 * The last line of defence: an error that escaped one request's work (a stream or timer callback
 * nothing caught) is logged, and the process goes on serving everyone else instead of exiting.
 * Going on is safe because every write is a synchronous better-sqlite3 transaction, rolled back
 * when it throws before the error can travel anywhere: an error escaping later cannot leave a write
 * half-done, and nothing else is shared between requests but the connection itself, which
 * `/health` keeps checking.
 */
import { oneLine } from "./http/streamed-bodies.js";

export function keepServingOnStrayErrors(log: (line: string) => void = (line) => console.error(line)): void {
  process.on("uncaughtException", (error) => log(`an error escaped its request, the server goes on: ${oneLine(error)}\n${error.stack ?? ""}`));
  process.on("unhandledRejection", (reason) => log(`a promise failed unhandled, the server goes on: ${oneLine(reason)}\n${(reason as Error | null)?.stack ?? ""}`));
}
