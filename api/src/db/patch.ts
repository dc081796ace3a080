/** SET clauses for a PATCH body: an absent field stays as it is, `null` clears it. */
export interface Assignments {
  sets: string[];
  values: Record<string, unknown>;
}

/** Adds `column = @column` for every field of `patch` named in `columns` (field → column). */
export function assignFields(into: Assignments, patch: object, columns: Record<string, string>): Assignments {
  const source = patch as Record<string, unknown>;
  for (const [field, column] of Object.entries(columns)) {
    if (source[field] !== undefined) assignColumns(into, { [column]: source[field] });
  }
  return into;
}

/** Adds `column = @column` for each column given with its value. */
export function assignColumns(into: Assignments, columns: object): Assignments {
  for (const [column, value] of Object.entries(columns)) {
    into.sets.push(`${column} = @${column}`);
    into.values[column] = value;
  }
  return into;
}
