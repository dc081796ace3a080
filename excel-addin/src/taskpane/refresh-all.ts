/**
 * "Tout actualiser": every table in turn, going on past a table that fails (deleted, widened by
 * the user, a request Excel refused) so that one broken table does not hold the others back.
 * Stopping (Annuler), an ended session and an unreachable server stop everything: the next
 * tables would fail the same way.
 */
import { ApiError } from "@passerelle/shared/client";
import type { SavedTable } from "../excel/saved-tables.js";

export type TableOutcome = { tableName: string; sheetName: string } & ({ ok: true; rows: number } | { ok: false; error: unknown });

export async function refreshEach(tables: SavedTable[], refreshOne: (table: SavedTable, index: number) => Promise<SavedTable>): Promise<TableOutcome[]> {
  const outcomes: TableOutcome[] = [];
  for (const [index, table] of tables.entries()) {
    try {
      const next = await refreshOne(table, index);
      outcomes.push({ tableName: table.tableName, sheetName: next.sheetName, ok: true, rows: next.rows });
    } catch (error) {
      if (stopsEverything(error)) throw error;
      outcomes.push({ tableName: table.tableName, sheetName: table.sheetName, ok: false, error });
    }
  }
  return outcomes;
}

function stopsEverything(error: unknown): boolean {
  if (error instanceof DOMException && error.name === "AbortError") return true;
  if (error instanceof TypeError) return true; // fetch could not reach the server
  return error instanceof ApiError && error.status === 401;
}
